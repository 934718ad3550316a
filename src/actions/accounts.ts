import type { AccountRow } from "../store/types.js";
import type { Deps } from "./deps.js";

// What the account actions share: the address form accounts are keyed by, and a new account's row.

export type AccountsDeps = Pick<Deps, "store" | "vault" | "previousVaults" | "now" | "config">;

const EMAIL = /^[^\s@:]+@[^\s@:]+\.[^\s@:]+$/;

/** The address in the form accounts are keyed by (trimmed, lower case), or null if it is not one. */
export function normalizeEmail(email: string): string | null {
  const address = email.trim().toLowerCase();
  return EMAIL.test(address) && address.length <= 254 ? address : null;
}

/** A new account's row: no API token and no receipt list yet, enabled. */
export function newAccountRow(id: string, email: string, now: number): AccountRow {
  return {
    id,
    email,
    tokenHash: null,
    wrappedListKey: null,
    createdAt: now,
    updatedAt: now,
    disabledAt: null,
  };
}

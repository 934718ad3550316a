import type { Deps } from "./deps.js";

// What the account actions share: the address form accounts are keyed by, and the error the
// command line's account actions (create-account, issue-token, delete-account) report.

export type AccountsDeps = Pick<Deps, "store" | "vault" | "previousVaults" | "now">;

export class AccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccountError";
  }
}

const EMAIL = /^[^\s@:]+@[^\s@:]+\.[^\s@:]+$/;

/** The address in the form accounts are keyed by (trimmed, lower case), or null if it is not one. */
export function normalizeEmail(email: string): string | null {
  const address = email.trim().toLowerCase();
  return EMAIL.test(address) && address.length <= 254 ? address : null;
}

import { newToken } from "../crypto/ids.js";
import type { Deps } from "./deps.js";
import { locateAccount } from "./keyring.js";

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

/** Creates an account and returns its first API token (256 bits; only its HMAC is stored). */
export async function createAccount(deps: AccountsDeps, email: string): Promise<string> {
  const address = normalizeEmail(email);
  if (address === null) throw new AccountError(`not an email address: ${email}`);
  if ((await locateAccount(deps, address)) !== null) {
    throw new AccountError(`an account already exists for ${address}`);
  }
  const id = deps.vault.accountId(address);
  const now = deps.now();
  const created = await deps.store.accounts.create({
    id,
    email: address,
    tokenHash: null,
    wrappedListKey: null,
    createdAt: now,
    updatedAt: now,
  });
  if (!created) throw new AccountError(`an account already exists for ${address}`);
  return issueToken(deps, address);
}

/**
 * Replaces the account's API token; the old one fails at once. The receipt list key is wrapped by
 * the token, which the server does not keep, so a new token starts a new list: receipts made under
 * the old token stay reachable by their metadata keys but leave `recent`.
 */
export async function issueToken(deps: AccountsDeps, email: string): Promise<string> {
  // An account made under a previous SECRET keeps that generation's id and token key.
  const found = await locateAccount(deps, email.trim());
  if (found === null) throw new AccountError(`no account for ${email}`);
  const { vault, account } = found;
  const token = newToken();
  const wrapped = vault.wrapListKey(token, account.id, vault.newListKey());
  const done = await deps.store.accounts.setToken(account.id, vault.tokenHash(token), wrapped, deps.now());
  if (!done) throw new AccountError(`no account for ${email}`);
  return token;
}

export async function deleteAccount(deps: AccountsDeps, email: string): Promise<void> {
  const found = await locateAccount(deps, email.trim());
  const done = found !== null && (await deps.store.accounts.delete(found.account.id));
  if (!done) throw new AccountError(`no account for ${email}`);
}

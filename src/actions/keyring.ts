import type { Vault } from "../crypto/vault.js";
import type { AccountRow, ReceiptRow, SecretHeader } from "../store/types.js";
import type { Deps } from "./deps.js";

// Key rotation: rows are found and opened with the current SECRET first, then with each key of
// SECRET_PREVIOUS, newest first. New rows are always made under the current key; a row keeps the
// generation it was made under until it is read, burned or expires.

type KeyringDeps = Pick<Deps, "vault" | "previousVaults" | "store" | "now">;

export function keyring(deps: KeyringDeps): Vault[] {
  return [deps.vault, ...(deps.previousVaults ?? [])];
}

export async function locateSecret(
  deps: KeyringDeps,
  secretKey: string,
): Promise<{ vault: Vault; header: SecretHeader } | null> {
  for (const vault of keyring(deps)) {
    const header = await deps.store.secrets.peek(vault.secretId(secretKey), deps.now());
    if (header !== null) return { vault, header };
  }
  return null;
}

export async function locateReceipt(
  deps: KeyringDeps,
  metadataKey: string,
): Promise<{ vault: Vault; receipt: ReceiptRow } | null> {
  for (const vault of keyring(deps)) {
    const receipt = await deps.store.secrets.getReceipt(vault.receiptId(metadataKey), deps.now());
    if (receipt !== null) return { vault, receipt };
  }
  return null;
}

export async function locateAccount(
  deps: KeyringDeps,
  email: string,
): Promise<{ vault: Vault; account: AccountRow } | null> {
  for (const vault of keyring(deps)) {
    const account = await deps.store.accounts.get(vault.accountId(email));
    if (account !== null) return { vault, account };
  }
  return null;
}

/** The vault of the SECRET generation an account was made under; the current one when unknown. */
export async function vaultOf(deps: KeyringDeps, email: string): Promise<Vault> {
  return (await locateAccount(deps, email))?.vault ?? deps.vault;
}

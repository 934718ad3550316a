// Where the creating tab keeps a client-encrypted secret's key: sessionStorage (this tab only, gone
// when it closes), under the receipt's key, so that the receipt page and a reload of it show the full
// link. The server never receives it: it is not in any request, only in this tab's storage.

export interface Kept {
  /** The link fragment: k in base64url. */
  k: string;
  /** A password generated in this tab, shown once on the receipt page and then dropped. */
  generated?: string;
}

const slot = (receiptKey: string) => `onetime.zk.${receiptKey}`;

export function keep(receiptKey: string, kept: Kept): void {
  try {
    sessionStorage.setItem(slot(receiptKey), JSON.stringify(kept));
  } catch {
    // Storage refused (private mode, quota): the receipt page then says the key is not here.
  }
}

export function kept(receiptKey: string): Kept | null {
  try {
    const raw = sessionStorage.getItem(slot(receiptKey));
    if (raw === null) return null;
    const value = JSON.parse(raw) as Kept;
    return typeof value.k === "string" ? value : null;
  } catch {
    return null;
  }
}

export function forget(receiptKey: string): void {
  try {
    sessionStorage.removeItem(slot(receiptKey));
  } catch {
    // Nothing kept, nothing to drop.
  }
}

import type { MailStatus, ReceiptRow } from "../store/types.js";

/** A receipt as an action hands it to a surface: the row plus what only the caller's keys reveal. */
export interface ReceiptView {
  receipt: ReceiptRow;
  metadataKey: string;
  /** The share key, when the caller's metadata key could open it and the secret is still live. */
  secretKey: string | null;
  /** Whether the secret itself still exists (it can be read or burned). */
  secretAlive: boolean;
  /** The generated password: only in the generate response, never stored on the receipt. */
  value?: string;
  /** The state to report when it differs from the stored one (generate answers "new"). */
  reportedState?: ReceiptRow["state"];
  /** How the recipient's email went, when the secret has recipients (null: none was queued). */
  mail?: MailStatus | null;
}

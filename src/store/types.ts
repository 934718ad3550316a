// The storage port, by what it stores (ports/). Shaped by the domain, not a generic key-value API:
// every operation that changes more than one record is atomic in every adapter, and expired rows read
// as absent at once, before any sweep. Ids are HMACs of bearer keys; the store never sees a key, a
// passphrase or a plaintext. Times are Unix milliseconds. Adapters return null for expected absence
// and throw AppError("store_unavailable") when the backend cannot answer.
import type { AccountStore } from "./ports/accounts.js";
import type { AuditLog } from "./ports/audit.js";
import type { CounterStore } from "./ports/counters.js";
import type { Outbox } from "./ports/outbox.js";
import type { RequestStore } from "./ports/requests.js";
import type { SecretStore } from "./ports/secrets.js";
import type { StoreSize } from "./ports/size.js";
import type { WebhookStore } from "./ports/webhooks.js";

export type * from "./ports/accounts.js";
export type * from "./ports/audit.js";
export type * from "./ports/counters.js";
export type * from "./ports/outbox.js";
export type * from "./ports/requests.js";
export type * from "./ports/secrets.js";
export type * from "./ports/size.js";
export type * from "./ports/webhooks.js";

export interface Store {
  readonly name: string;
  /** True when the backend deletes expired rows by itself (Redis TTLs): no periodic sweep needed. */
  readonly expiresNatively: boolean;
  readonly secrets: SecretStore;
  readonly accounts: AccountStore;
  readonly counters: CounterStore;
  readonly outbox: Outbox;
  readonly audit: AuditLog;
  readonly requests: RequestStore;
  readonly webhooks: WebhookStore;
  /** How many rows of each kind are live, and the space the store takes (the admin pages). */
  readonly size: StoreSize;

  /** Deletes every expired row; returns how many. */
  purgeExpired(now: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

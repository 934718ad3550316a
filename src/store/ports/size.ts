// What the store holds, for the admin pages: how many rows of each kind are live and the space the
// store takes. Counts only: never a row's content.

export interface StoreFigures {
  /** Secrets stored and not expired: what can still be read. */
  secrets: number;
  /** Receipts not expired (a receipt outlives its secret). */
  receipts: number;
  accounts: number;
  /** Web sessions not expired. */
  sessions: number;
  /** The SQLite database's size; for Redis, the memory it uses (every master, all its data). */
  bytes: number;
}

export interface StoreSize {
  measure(now: number): Promise<StoreFigures>;
}

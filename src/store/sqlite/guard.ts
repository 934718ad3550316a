import { StoreUnavailableError } from "../../domain/errors.js";

// Backend failures (locked too long, disk errors, closed handle) become StoreUnavailableError, so
// that callers tell "the store cannot answer" from "the row is absent" (null).

export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new StoreUnavailableError(err);
  }
}

export async function guarded<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    throw new StoreUnavailableError(err);
  }
}

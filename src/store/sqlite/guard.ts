import { AppError } from "../../domain/errors.js";

// Backend failures (locked too long, disk errors, closed handle) become AppError("store_unavailable"), so
// that callers tell "the store cannot answer" from "the row is absent" (null).

export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new AppError("store_unavailable", {}, { cause: err });
  }
}

export async function guarded<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    throw new AppError("store_unavailable", {}, { cause: err });
  }
}

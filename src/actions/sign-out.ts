import type { Deps } from "./deps.js";
import { sessionId } from "./session.js";

/** Ends the session of a token; an unknown or malformed token ends nothing. */
export async function signOut(deps: Deps, token: string | undefined): Promise<void> {
  const id = sessionId(deps, token);
  if (id !== null) await deps.store.accounts.deleteSession(id);
}

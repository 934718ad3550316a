import type { Deps } from "./deps.js";

// The one place a secret request's answer is told to webhooks (docs/requests.md): the
// `request.answered` event of docs/webhooks.md. The webhooks feature queues it here with
// queueWebhookEvent(deps, accountId, "request.answered", data) once src/actions/webhook-events.ts
// exists; until then nothing is sent.

export interface RequestAnsweredData {
  /** The answer receipt's short id: no key, nothing that opens anything. */
  shortId: string;
  at: number;
  answersUsed: number;
  answersMax: number;
}

/** Never throws: the answer is already stored. */
export async function requestAnsweredHook(
  _deps: Deps,
  _accountId: string,
  _data: RequestAnsweredData,
): Promise<void> {
  // WEBHOOKS: queueWebhookEvent(_deps, _accountId, "request.answered", { ... }) goes here.
}

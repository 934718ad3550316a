import type { Deps } from "./deps.js";
import { queueWebhookEvent } from "./webhook-events.js";

// The one place a secret request's answer is told to webhooks (docs/requests.md): the
// `request.answered` event of docs/webhooks.md, about the answer's receipt (a new secret of one view
// owned by the requester) with the request's answer counts.

export interface RequestAnsweredData {
  /** The answer receipt's short id: no key, nothing that opens anything. */
  shortId: string;
  at: number;
  /** When the answer's secret expires. */
  expiresAt: number;
  answersUsed: number;
  answersMax: number;
}

/** Never throws (queueWebhookEvent logs what it cannot queue): the answer is already stored. */
export async function requestAnsweredHook(
  deps: Deps,
  accountId: string,
  data: RequestAnsweredData,
): Promise<void> {
  await queueWebhookEvent(
    deps,
    accountId,
    "request.answered",
    {
      receipt: data.shortId,
      state: "new",
      createdAt: data.at,
      expiresAt: data.expiresAt,
      viewsUsed: 0,
      views: 1,
      answersUsed: data.answersUsed,
      answersMax: data.answersMax,
    },
    data.at,
  );
}

// Read notifications: the events a secret's creator may ask to be told of, by mail. Each event is
// told once: a read by the take that made it (every view, each its own take), a burn by the burn,
// an expiry by the one sweep that claims it (src/server/expiry-notices.ts).

export type NotifyEvent = "read" | "burned" | "expired";

export const NOTIFY_EVENTS: readonly NotifyEvent[] = ["read", "burned", "expired"];

export function isNotifyEvent(value: unknown): value is NotifyEvent {
  return typeof value === "string" && (NOTIFY_EVENTS as readonly string[]).includes(value);
}

/**
 * The events asked for, each once, in catalogue order: `true` (the web checkbox, the CLI flag)
 * asks for every one; a list names some; unknown names are left out (the surfaces validate first).
 */
export function notifyEvents(asked: boolean | readonly string[] | undefined): NotifyEvent[] {
  if (asked === undefined || asked === false) return [];
  if (asked === true) return [...NOTIFY_EVENTS];
  return NOTIFY_EVENTS.filter((e) => asked.includes(e));
}

/** A short reference to a receipt that holds no key: the first characters of its store id (an HMAC). */
export function receiptShortId(receiptId: string): string {
  return receiptId.slice(0, 10);
}

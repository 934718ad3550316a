import type { ReceiptView } from "../../actions/receipt-view.js";
import type { Revealed } from "../../actions/reveal.js";
import { type Origin, siteUrl } from "../../domain/links.js";

// The only place that knows v1 field names, their order and their presence rules (spec §4). Every
// number is a JSON integer: Go clients fail to decode anything else.

export interface SerializeOptions {
  now: number;
  /** `recent` items: no secret_key, secret_ttl null, no passphrase_required. */
  listItem?: boolean;
  /** burn's `state` object: no passphrase_required. */
  burned?: boolean;
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const remaining = (until: number, now: number) => Math.max(0, Math.ceil((until - now) / 1000));

export function metadataObject(
  view: ReceiptView,
  { now, listItem = false, burned = false }: SerializeOptions,
) {
  const r = view.receipt;
  const state = view.reportedState ?? r.state;
  const live = state === "new" || state === "viewed";
  const out: Record<string, unknown> = {
    custid: r.owner ?? "anon",
    metadata_key: view.metadataKey,
  };
  if (!listItem && state !== "received") out.secret_key = live ? (view.secretKey ?? "") : "";
  out.ttl = r.ttl;
  out.metadata_ttl = remaining(r.expiresAt, now);
  if (state !== "received" || listItem) {
    out.secret_ttl = !listItem && live && view.secretAlive ? remaining(r.secretExpiresAt, now) : null;
  }
  out.state = state;
  out.updated = seconds(r.updatedAt);
  out.created = seconds(r.createdAt);
  if (state === "received" && r.receivedAt !== null) out.received = seconds(r.receivedAt);
  out.recipient = r.recipients;
  out.share_domain = r.shareDomain;
  if (view.value !== undefined) out.value = view.value;
  if (!listItem && !burned && live && view.secretAlive) out.passphrase_required = r.hasPassphrase;
  return out;
}

export function revealObject(revealed: Revealed, origin: Origin) {
  return {
    value: revealed.value,
    secret_key: revealed.secretKey,
    share_domain: siteUrl(origin, "", revealed.shareDomain),
  };
}

export function burnObject(view: ReceiptView & { secretKey: string }, now: number) {
  return {
    state: metadataObject(view, { now, burned: true }),
    secret_shortkey: view.secretKey.slice(0, 6),
  };
}

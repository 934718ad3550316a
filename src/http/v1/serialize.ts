import type { Burned } from "../../actions/burn.js";
import type { Revealed } from "../../actions/reveal.js";
import { type Origin, siteUrl } from "../../domain/links.js";
import type { ReceiptView } from "../../domain/receipt.js";

// The only place that knows v1 field names, their order and their presence rules (spec §4). Every
// number is a JSON integer: Go clients fail to decode anything else.

export interface SerializeOptions {
  now: number;
  /** `recent` items: no secret_key, secret_ttl null, no passphrase_required. */
  listItem?: boolean;
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const remaining = (until: number, now: number) => Math.max(0, Math.ceil((until - now) / 1000));

// Which facts show in which state is the domain's (ReceiptView.live, .secretKey); this decides only
// how v1 writes them.
export function metadataObject(view: ReceiptView, { now, listItem = false }: SerializeOptions) {
  const { state, live } = view;
  const out: Record<string, unknown> = {
    custid: view.owner ?? "anon",
    metadata_key: view.metadataKey,
  };
  if (!listItem && state !== "received") out.secret_key = view.secretKey ?? "";
  out.ttl = view.ttl;
  out.metadata_ttl = remaining(view.expiresAt, now);
  if (state !== "received" || listItem) {
    out.secret_ttl = !listItem && live ? remaining(view.secretExpiresAt, now) : null;
  }
  out.state = state;
  out.updated = seconds(view.updatedAt);
  out.created = seconds(view.createdAt);
  if (state === "received" && view.receivedAt !== null) out.received = seconds(view.receivedAt);
  out.recipient = view.recipients;
  out.share_domain = view.shareDomain;
  if (view.value !== undefined) out.value = view.value;
  if (!listItem && live) out.passphrase_required = view.hasPassphrase;
  return out;
}

export function revealObject(
  revealed: Pick<Revealed, "value" | "secretKey" | "shareDomain">,
  origin: Origin,
) {
  return {
    value: revealed.value,
    secret_key: revealed.secretKey,
    share_domain: siteUrl(origin, "", revealed.shareDomain),
  };
}

export function burnObject(burned: Burned, now: number) {
  return {
    state: metadataObject(burned.receipt, { now }),
    secret_shortkey: burned.secretKey.slice(0, 6),
  };
}

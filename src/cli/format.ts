// Receipts as a person reads them in a terminal (the server's own JSON is --json).

import { printable } from "./client/errors.js";
import { formatDuration } from "./client/ttl.js";
import type { Receipt } from "./client/types.js";

export function describeReceipt(r: Receipt): string {
  const rows: [string, string | null][] = [
    ["receipt", r.receiptUrl],
    ["state", r.state],
    // A client secret's link here lacks its '#k': the server never had it.
    [
      "secret",
      r.shareUrl === null || r.encryption !== "client" ? r.shareUrl : `${r.shareUrl} (without its #key)`,
    ],
    ["expires in", r.secretTtl === null || r.shareUrl === null ? null : formatDuration(r.secretTtl)],
    ["passphrase", r.hasPassphrase === null ? null : r.hasPassphrase ? "yes" : "no"],
    [
      "encrypted by",
      r.encryption === null ? null : r.encryption === "client" ? "the sender (zero-knowledge)" : "the server",
    ],
    ["recipients", r.recipients.length === 0 ? null : r.recipients.join(", ")],
    ["owner", r.owner],
    ["created", time(r.created)],
    ["revealed", time(r.revealed)],
    ["burned", time(r.burned)],
    ["views", views(r)],
    ["read", r.readTimes.length === 0 ? null : r.readTimes.map((t) => time(t)).join(", ")],
    ["receipt kept", r.receiptTtl === null ? null : `${formatDuration(r.receiptTtl)} more`],
  ];
  return rows
    .filter((row): row is [string, string] => row[1] !== null)
    .map(([name, value]) => `${`${name}:`.padEnd(14)}${printable(value)}\n`)
    .join("");
}

/** One line per receipt: when, state, views used of the limit (when the server says), receipt link. */
export function receiptLine(r: Receipt): string {
  const used = r.views === null ? "" : `${`${r.viewsUsed ?? 0}/${r.views}`.padEnd(7)}  `;
  return `${printable(`${time(r.created) ?? "-".padEnd(20)}  ${r.state.padEnd(9)}  ${used}${r.receiptUrl}`)}\n`;
}

/** "1 of 3 used, 2 left"; null when the server does not say (API v1). */
function views(r: Receipt): string | null {
  if (r.views === null) return null;
  return `${r.viewsUsed ?? 0} of ${r.views} used, ${r.viewsLeft ?? 0} left`;
}

function time(epoch: number | null): string | null {
  if (epoch === null) return null;
  return `${new Date(epoch * 1000).toISOString().slice(0, 19).replace("T", " ")}Z`;
}

// Request lines in logs: the path only (never the query string, which some clients fill with the
// secret), and bearer keys cut to their first 4 characters. Any other long segment is cut too, in
// case a key turns up where no route expects it.
const KEYED = /^(secret|private|metadata|receipt)$/;
/** Route words that follow a keyed segment and are not keys (API v2's `/secret/conceal`). */
const ROUTE_WORDS = new Set(["recent", "conceal", "generate"]);
const KEEP = 4;
const LONG = 20;

export function redactPath(url: string): string {
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] as string;
    const keyed = KEYED.test(parts[i - 1] ?? "") && !ROUTE_WORDS.has(part);
    if ((keyed && part.length > KEEP) || part.length > LONG) {
      parts[i] = `${part.slice(0, KEEP)}…`;
    }
  }
  return parts.join("/");
}

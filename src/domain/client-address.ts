import { isIPv4, isIPv6 } from "node:net";

// Which addresses count as one client for the rate limits. An IPv4 address is one client. An IPv6
// host usually holds a whole /64 (one end site gets at least that much), and can pick any address
// in it for each request, so IPv6 addresses are grouped by their first `ipv6Prefix` bits.
// IPv4-mapped IPv6 (::ffff:192.0.2.1, as a dual-stack socket reports IPv4 peers) is IPv4.

/** The rate-limit group of an address: the IPv4 address, or the IPv6 prefix as `hex/bits`. */
export function clientGroup(address: string, ipv6Prefix: number): string {
  const ip = address.replace(/%.*$/, ""); // a zone (fe80::1%eth0) names an interface, not a host
  if (isIPv4(ip)) return ip;
  const words = isIPv6(ip) ? ipv6Words(ip) : null;
  if (words === null) return address; // not an address (a test's name, a socket path): as given
  const mapped = words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff;
  if (mapped) return [words[6] ?? 0, words[7] ?? 0].flatMap((w) => [w >> 8, w & 0xff]).join(".");
  const bits = Math.min(128, Math.max(0, Math.trunc(ipv6Prefix)));
  const masked = words.map((w, i) => {
    const keep = Math.min(16, Math.max(0, bits - i * 16));
    return keep === 0 ? 0 : w & ((0xffff << (16 - keep)) & 0xffff);
  });
  return `${masked.map((w) => w.toString(16)).join(":")}/${bits}`;
}

/** The eight 16-bit words of a valid IPv6 address (with :: and a dotted IPv4 tail expanded). */
function ipv6Words(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const part = (s: string | undefined) => (s === undefined || s === "" ? [] : s.split(":"));
  const left = part(head);
  const right = part(tail);
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const words = [...left, ...Array<string>(fill).fill("0"), ...right].map((h) => Number.parseInt(h, 16));
  return words.length === 8 && words.every((w) => w >= 0 && w <= 0xffff) ? words : null;
}

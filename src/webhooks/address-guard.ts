import ipaddr from "ipaddr.js";

// Which addresses a webhook may be delivered to: public unicast only. An account chooses the URL, so
// without this check the server would POST, from inside the operator's network, to its loopback
// services, its LAN, a cloud's instance metadata (credentials!) or a link-local router. The range
// names are ipaddr.js's (the parser Fastify's proxy-addr uses); its "unicast" is what is left once
// every special-purpose block (RFC 6890 and later) is taken out.
//
// IPv6 forms that carry an IPv4 address are judged by that address: IPv4-mapped (::ffff:a.b.c.d,
// which a dual-stack socket connects as IPv4), SIIT (::ffff:0:a.b.c.d), the NAT64 well-known prefix
// (64:ff9b::/96: on an IPv6-only host behind DNS64 every IPv4-only receiver has such an address, so
// refusing the whole prefix would refuse them all) and 6to4 (2002::/16). The deprecated
// IPv4-compatible form (::a.b.c.d) and Teredo are refused outright: no receiver needs them.

/** Metadata services that sit at an address ipaddr.js calls public unicast. */
const METADATA = new Set([
  "168.63.129.16", // Azure's WireServer and DNS, reachable from every Azure VM
]);

/** The range an address falls in: "unicast" is the only deliverable one; "invalid" for non-addresses. */
export function addressRange(address: string): string {
  // A zone (fe80::1%eth0) only ever comes with a link-local address: never deliverable.
  if (address.includes("%")) return "zoned";
  const text = address.includes(":") ? dottedTailToHex(address) : address;
  if (text === null || !ipaddr.isValid(text)) return "invalid";
  const parsed = ipaddr.parse(text);
  if (parsed.kind() === "ipv4") return ipv4Range(parsed as ipaddr.IPv4);
  return ipv6Range(parsed as ipaddr.IPv6);
}

/** Whether a webhook may be delivered to this address (IPv4 or IPv6, no brackets). */
export function isDeliverableAddress(address: string): boolean {
  return addressRange(address) === "unicast";
}

function ipv4Range(ip: ipaddr.IPv4): string {
  // Only canonical dotted quads reach here from sockets and URLs; ipaddr.js also accepts "0x7f.1"
  // and friends, which is right too: they are the same address.
  if (METADATA.has(ip.toString())) return "metadata";
  return ip.range();
}

function ipv6Range(ip: ipaddr.IPv6): string {
  if (ip.toNormalizedString() === AWS_METADATA_V6) return "metadata"; // also unique-local: named first
  const range = ip.range();
  const parts = ip.parts;
  if (range === "ipv4Mapped" || range === "rfc6145")
    return ipv4Range(embeddedIPv4(parts[6] as number, parts[7] as number));
  if (ip.match(NAT64_WELL_KNOWN)) return ipv4Range(embeddedIPv4(parts[6] as number, parts[7] as number));
  if (range === "6to4") return ipv4Range(embeddedIPv4(parts[1] as number, parts[2] as number));
  // ::/96 other than :: and ::1 is the IPv4-compatible form, which ipaddr.js calls unicast.
  if (range === "unicast" && parts.slice(0, 6).every((part) => part === 0)) return "ipv4Compatible";
  return range;
}

const AWS_METADATA_V6 = "fd00:ec2:0:0:0:0:0:254";
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96") as [ipaddr.IPv6, number];

function embeddedIPv4(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * An IPv6 address with its IPv4-style tail ("::ffff:1.2.3.4") written as two hex groups. ipaddr.js
 * reads "::1.2.3.4" (IPv4-compatible, which is how getaddrinfo prints ::102:304) as IPv4-mapped;
 * hex groups it reads right. Null when the tail is no dotted quad.
 */
function dottedTailToHex(address: string): string | null {
  const m = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (m === null) return address.includes(".") ? null : address;
  const [a, b, c, d] = m.slice(2).map(Number) as [number, number, number, number];
  if ([a, b, c, d].some((octet) => octet > 255)) return null;
  return `${m[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

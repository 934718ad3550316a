import ipaddr from "ipaddr.js";

// Which addresses count as one client for the rate limits. An IPv4 address is one client. An IPv6
// host usually holds a whole /64 (one end site gets at least that much), and can pick any address
// in it for each request, so IPv6 addresses are grouped by their first `ipv6Prefix` bits.
// IPv4-mapped IPv6 (::ffff:192.0.2.1, as a dual-stack socket reports IPv4 peers) is IPv4.
// Parsing is ipaddr.js's (the parser Fastify's proxy-addr uses).

/** The rate-limit group of an address: the IPv4 address, or the IPv6 prefix as `hex/bits`. */
export function clientGroup(address: string, ipv6Prefix: number): string {
  const ip = address.replace(/%.*$/, ""); // a zone (fe80::1%eth0) names an interface, not a host
  if (!ipaddr.isValid(ip)) return address; // not an address (a test's name, a socket path): as given
  const parsed = ipaddr.process(ip); // IPv4-mapped IPv6 becomes its IPv4 address
  if (parsed.kind() === "ipv4") return parsed.toString();
  const bits = Math.min(128, Math.max(0, Math.trunc(ipv6Prefix)));
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/${bits}`).toNormalizedString()}/${bits}`;
}

import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { isDeliverableAddress } from "./address-guard.js";

// Endpoint URLs and the operator's allow-list (WEBHOOK_ALLOWED_HOSTS).
//
// An allow-list entry is a host ("hooks.internal", "127.0.0.1", "::1" or "[::1]"), which allows
// every port of it, or a host and port ("hooks.internal:8443", "[::1]:8080"), which allows that
// port only. Hosts compare after the URL parser's normalisation (lower case, IDN to punycode,
// IPv6 compressed), exactly otherwise: "example.com" does not allow "api.example.com" nor
// "example.com." An allowed host may use http: and skips the address guard: the operator vouches
// for it. Everything else is https: only, and public unicast at every delivery.

export type EndpointUrlError = "bad_url" | "credentials_in_url" | "http_not_allowed" | "refused_address";

export type EndpointUrlCheck = { ok: true; url: string } | { ok: false; error: EndpointUrlError };

/** Longer than any real receiver's URL; keeps a stored URL and a log line bounded. */
export const MAX_ENDPOINT_URL_LENGTH = 2048;

/**
 * Registration-time validation: an absolute http(s) URL without user, password or fragment, https
 * unless its host is allowed, and a literal IP (or a localhost name) deliverable unless allowed.
 * A host name's addresses are not judged here: they are judged at each delivery, on connect.
 * The URL returned is the normalised one to store.
 */
export function checkEndpointUrl(url: string, allowedHosts: readonly string[]): EndpointUrlCheck {
  if (url.length > MAX_ENDPOINT_URL_LENGTH) return { ok: false, error: "bad_url" };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, error: "bad_url" };
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return { ok: false, error: "bad_url" };
  if (parsed.hostname === "" || parsed.hash !== "") return { ok: false, error: "bad_url" };
  // A password in a stored URL would show on the account page and travel in every request.
  if (parsed.username !== "" || parsed.password !== "") return { ok: false, error: "credentials_in_url" };
  const allowed = isAllowedHost(parsed, allowedHosts);
  if (parsed.protocol === "http:" && !allowed) return { ok: false, error: "http_not_allowed" };
  if (!allowed) {
    const literal = literalAddress(parsed.hostname);
    if (literal !== null && !isDeliverableAddress(literal)) return { ok: false, error: "refused_address" };
    // RFC 6761: localhost and its subdomains always resolve to loopback; say so now, not at delivery.
    if (/(^|\.)localhost\.?$/.test(parsed.hostname)) return { ok: false, error: "refused_address" };
  }
  return { ok: true, url: parsed.href };
}

/** The IP address a URL's hostname is, without brackets, or null when it is a name. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? null : bare;
}

/** Whether the operator's allow-list lets this URL's host (and port) through. */
export function isAllowedHost(url: URL, allowedHosts: readonly string[]): boolean {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return allowedHosts.some((entry) => {
    const allowed = parseAllowedHost(entry);
    return (
      allowed !== null && allowed.host === url.hostname && (allowed.port === null || allowed.port === port)
    );
  });
}

/**
 * An allow-list entry as a normalised host (IPv6 in brackets, as URL.hostname has it) and a port
 * (null: any), or null when the entry is neither; the configuration refuses such an entry at start.
 */
export function parseAllowedHost(entry: string): { host: string; port: string | null } | null {
  let text = entry.trim();
  if (ipaddr.IPv6.isValid(text)) text = `[${text}]`; // a bare IPv6 address has no port
  const withPort = /^(.*):(\d{1,5})$/.exec(text);
  const host = withPort ? (withPort[1] as string) : text;
  const port = withPort ? String(Number(withPort[2])) : null;
  if (host === "" || (port !== null && (Number(port) < 1 || Number(port) > 65535))) return null;
  if (/[/?#@\\]/.test(host)) return null; // a URL, not a host
  try {
    const parsed = new URL(`http://${host}/`);
    if (parsed.host !== parsed.hostname) return null; // a second port
    return { host: parsed.hostname, port };
  } catch {
    return null;
  }
}

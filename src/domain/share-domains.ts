// Share domains (SHARE_DOMAINS): the other hosts a secret's link may name instead of the site's own.
// The site's own host (HOST, or the host a request reached when HOST is unset) always means "",
// stored as such: its links then follow HOST, or each request's host.

/** The hosts a link may name: the site's own first (when known), then SHARE_DOMAINS, without repeats. */
export function linkDomains(ownHost: string | null, shareDomains: string[]): string[] {
  const own = ownHost === null || ownHost === "" ? [] : [ownHost.toLowerCase()];
  return [...new Set([...own, ...shareDomains])];
}

/**
 * What a caller named, as stored: "" for nothing or the site's own host, the domain when it is one of
 * SHARE_DOMAINS, null for anything else (API v2 and the pages refuse it; API v1 drops it, as its
 * spec says).
 */
export function listedShareDomain(
  requested: string | undefined,
  ownHost: string,
  shareDomains: string[],
): string | null {
  const domain = requested?.trim().toLowerCase() ?? "";
  if (domain === "" || domain === ownHost.toLowerCase()) return "";
  return shareDomains.includes(domain) ? domain : null;
}

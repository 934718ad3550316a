/** Where links point: a scheme and a host, with its port when it has one. */
export interface Origin {
  scheme: "http" | "https";
  host: string;
}

/** The settings that fix links: SSL, and HOST (null when unset). */
export interface LinkSettings {
  ssl: boolean;
  host: string | null;
}

/** The one link builder: `<scheme>://<share domain, or the origin's host><path>`. */
export function siteUrl(origin: Origin, path: string, domain = ""): string {
  return `${origin.scheme}://${domain || origin.host}${path}`;
}

/** The address to share: `<scheme>://<share domain, or the origin's host>/secret/<secret key>`. */
export function secretLink(origin: Origin, shareDomain: string, secretKey: string): string {
  return siteUrl(origin, `/secret/${secretKey}`, shareDomain);
}

/** The origin set by HOST and SSL; null when HOST is unset and links follow each request's host. */
export function configuredOrigin(config: LinkSettings): Origin | null {
  return config.host === null ? null : { scheme: config.ssl ? "https" : "http", host: config.host };
}

/**
 * Links in mail always name HOST, never a request's Host header: a forged header must not put a
 * foreign link in a mail this server sends. loadConfig refuses SMTP_HOST without HOST, and nothing
 * is mailed without SMTP_HOST, so the throw below marks a broken invariant, not a user error.
 */
export function mailOrigin(config: LinkSettings): Origin {
  const origin = configuredOrigin(config);
  if (origin === null) throw new Error("a mail link needs HOST");
  return origin;
}

/**
 * A host as links may carry it: a name or IPv4 address, or a bracketed IPv6 address, and a port.
 * Underscores are not valid in host names but are common in container and service names.
 */
export function isLinkHost(host: string): boolean {
  return /^(?:[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/.test(host);
}

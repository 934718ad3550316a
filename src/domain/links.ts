import type { Config } from "../config.js";

/** A public address on this site (`HOST`, or a share domain), with the scheme `SSL` implies. */
export function siteUrl(config: Pick<Config, "ssl" | "host">, path: string, domain = ""): string {
  return `${config.ssl ? "https" : "http"}://${domain || config.host}${path}`;
}

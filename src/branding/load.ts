// Reads BRAND_FILE at start-up (docs/branding.md): the JSON is checked, the logos read, the accents
// checked for contrast and their stylesheets made. Any problem stops the start as a bad environment
// variable does, every problem listed at once (ConfigError); what the operator should know but need
// not fix (an accent derived for the dark theme) becomes a note for the start-up log.

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../config-reader.js";
import { availableLocales } from "../i18n/catalogues.js";
import { resolveAccent } from "./accent.js";
import { readLogo } from "./assets.js";
import { type Brand, type BrandAsset, type Branding, DEFAULT_BRANDING } from "./brand.js";
import { type BrandFile, type BrandFileLook, checkBrandFile } from "./brand-file.js";
import { brandStylesheet } from "./stylesheet.js";

export interface BrandingSettings {
  /** BRAND_FILE's path; null: DEFAULT_BRANDING. */
  brandFile: string | null;
  /** HOST and SHARE_DOMAINS: the hosts `domains` may name. */
  host: string | null;
  shareDomains: readonly string[];
}

export interface BrandingOptions {
  /** The catalogues' folder, whose languages a localized text may use (locales/ by default). */
  localesDir?: string;
}

/** "Links.Example:8443" → "links.example"; "[::1]:3000" → "[::1]". */
export function hostName(host: string): string {
  const lower = host.trim().toLowerCase();
  return lower.startsWith("[") ? lower.slice(0, lower.indexOf("]") + 1) : lower.replace(/:\d*$/, "");
}

/** The instance's branding from BRAND_FILE. Throws ConfigError listing every problem. */
export function loadBranding(settings: BrandingSettings, { localesDir }: BrandingOptions = {}): Branding {
  if (settings.brandFile === null) return DEFAULT_BRANDING;
  const path = resolve(settings.brandFile);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === undefined ? `is not valid JSON (${(err as Error).message})` : `cannot be read (${code})`;
    throw new ConfigError([`BRAND_FILE ${path} ${why}`]);
  }
  const hosts = [...(settings.host === null ? [] : [settings.host]), ...settings.shareDomains].map(hostName);
  const { file, problems } = checkBrandFile(json, {
    locales: availableLocales(localesDir),
    hosts: [...new Set(hosts)],
  });
  const built = buildBrands(file, dirname(path), problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return built;
}

/** The brands of a checked file; adds to `problems` what the logos and colours refuse. */
function buildBrands(file: BrandFile, folder: string, problems: string[]): Branding {
  const notes: string[] = [];
  const assets = new Map<string, BrandAsset>();
  const logos = new Map<string, BrandAsset | null>();
  const logo = (written: string | null, where: string): BrandAsset | null => {
    if (written === null) return null;
    const path = resolve(folder, written);
    if (!logos.has(path)) {
      const read = readLogo(path);
      if (typeof read === "string") problems.push(`BRAND_FILE ${where}logo: ${read}`);
      logos.set(path, typeof read === "string" ? null : read);
    }
    return logos.get(path) ?? null;
  };
  /** One asset per hashed name: equal bodies (two domains' equal accents) share one. */
  const keep = (asset: BrandAsset | null): BrandAsset | null => {
    if (asset === null) return null;
    const known = assets.get(asset.hashedName);
    if (known !== undefined) return known;
    assets.set(asset.hashedName, asset);
    return asset;
  };
  const look = (own: BrandFileLook, inherited: Brand | null, where: string) => {
    // A domain that sets neither colour keeps the instance's accent. One that sets its accent gets a
    // dark one of its own (given or derived); one that sets only accent_dark keeps the light one.
    const keepsAccent = inherited !== null && own.accent === null && own.accentDark === null;
    const result = keepsAccent
      ? { accent: inherited.accent, problems: [], notes: [] }
      : resolveAccent(own.accent ?? file.accent, own.accentDark, `BRAND_FILE ${where}`, {
          lightChecked: inherited !== null && own.accent === null,
        });
    problems.push(...result.problems);
    notes.push(...result.notes);
    const ownLogo = keep(logo(own.logo, where));
    return {
      name: own.name ?? inherited?.name ?? null,
      logo: own.logo === null ? (inherited?.logo ?? null) : ownLogo,
      accent: result.accent,
      stylesheet: result.accent === null ? null : keep(brandStylesheet(result.accent)),
    };
  };
  const base: Brand = Object.freeze({
    ...look(file, null, ""),
    support: file.support,
    footer: file.footer,
    links: Object.freeze(file.links),
    texts: Object.freeze(file.texts),
  });
  const byHost = new Map<string, Brand>();
  for (const [host, own] of file.domains) {
    byHost.set(host, Object.freeze({ ...base, ...look(own, base, `domains[${JSON.stringify(host)}].`) }));
  }
  return Object.freeze({
    base,
    forHost: (host: string) => byHost.get(hostName(host)) ?? base,
    asset: (hashedName: string) => assets.get(hashedName) ?? null,
    notes: Object.freeze(notes),
  });
}

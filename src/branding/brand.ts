// An instance's branding: the operator's name, logo, accent colour, footer, links and texts, for the
// pages and the mails (docs/branding.md). BRAND_FILE holds it; branding/load.ts reads and checks it
// at start-up. Without one, every page and mail looks exactly as before: DEFAULT_BRANDING changes
// nothing. A share domain (SHARE_DOMAINS) may carry its own name, logo and colours; what it does not
// set comes from the instance's brand.

/** A text per locale code ("en", "pt-BR"…); localized() picks one for a page's language. */
export type Localized = Readonly<Record<string, string>>;

/** A file served under /assets/ by its content-hashed name (a logo, a brand stylesheet). */
export interface BrandAsset {
  /** "logo.1a2b3c4d5e6f.svg": the name carries a hash of the body, so it may be cached for a year. */
  hashedName: string;
  type: string;
  body: Buffer;
  /** Subresource Integrity ("sha384-…"), for a stylesheet link. */
  integrity: string;
}

/** The accent colour per theme, each with the text colour that goes on it (all "#rrggbb"). */
export interface Accent {
  light: string;
  lightText: string;
  dark: string;
  darkText: string;
}

export interface BrandLink {
  href: string;
  label: Localized;
}

export interface BrandTexts {
  /** The home page's heading, in place of the catalogue's home.title. */
  homeHeading?: Localized;
  /** The home page's lead paragraph, in place of home.lead. */
  homeIntro?: Localized;
  /** A paragraph on the page that asks before revealing a secret (a warning, a policy). */
  revealNote?: Localized;
}

export interface Brand {
  /** The site's name; null: the catalogue's site.name ("onetime"). */
  name: string | null;
  /** The logo in the header; null: the built-in icon. */
  logo: BrandAsset | null;
  /** The accent colours; null: the stylesheet's own. */
  accent: Accent | null;
  /** The generated stylesheet that sets the accent (linked after app.css); null when accent is. */
  stylesheet: BrandAsset | null;
  /** Where users get help: a mailto: or https: URL; null: none shown. */
  support: string | null;
  /** A line in the footer (an address, a legal entity); null: the catalogue's layout.footer. */
  footer: Localized | null;
  /** Footer links: imprint, privacy, terms… */
  links: readonly BrandLink[];
  texts: BrandTexts;
}

export interface Branding {
  /** The instance's brand. */
  base: Brand;
  /** The brand of a request's host: a share domain's own, else base. `host` may carry a port. */
  forHost(host: string): Brand;
  /** A logo or stylesheet by its hashed name, for the /assets/ route; null if none has it. */
  asset(hashedName: string): BrandAsset | null;
  /** What the start-up log should say (an accent colour adjusted for contrast…). */
  notes: readonly string[];
}

export const PLAIN_BRAND: Brand = Object.freeze({
  name: null,
  logo: null,
  accent: null,
  stylesheet: null,
  support: null,
  footer: null,
  links: [],
  texts: {},
});

/** No BRAND_FILE: nothing changes. */
export const DEFAULT_BRANDING: Branding = Object.freeze({
  base: PLAIN_BRAND,
  forHost: () => PLAIN_BRAND,
  asset: () => null,
  notes: [],
});

/**
 * The text of `text` for `locale`: the locale itself, then its language ("pt" for "pt-BR"), then
 * English, then the first one given. null when there is no text at all.
 */
export function localized(text: Localized | null | undefined, locale: string): string | null {
  if (text === null || text === undefined) return null;
  const language = locale.split("-")[0] ?? locale;
  for (const code of [locale, language, "en"]) {
    const value = text[code];
    if (value !== undefined) return value;
  }
  const first = Object.values(text)[0];
  return first ?? null;
}

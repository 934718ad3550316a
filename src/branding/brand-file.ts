// BRAND_FILE's JSON, checked key by key (docs/branding.md). Every problem is collected with its JSON
// path ("BRAND_FILE links[1].href: …") so that the operator sees all of them at once, and a key the
// format does not know is refused: a typo must not be silently ignored. Hand-written rather than a
// TypeBox schema: a schema's errors for a text-or-object value or a URL say "must match a schema in
// anyOf" and "must match pattern", where the operator needs what to write instead.

import type { BrandLink, BrandTexts, Localized } from "./brand.js";
import { normalizeHex } from "./contrast.js";

/** What a share domain may set; the rest comes from the instance's brand. */
export interface BrandFileLook {
  name: string | null;
  /** The logo's path as written (relative to the file's folder, or absolute). */
  logo: string | null;
  accent: string | null;
  accentDark: string | null;
}

export interface BrandFile extends BrandFileLook {
  support: string | null;
  footer: Localized | null;
  links: BrandLink[];
  texts: BrandTexts;
  /** By host name, lower case. */
  domains: Map<string, BrandFileLook>;
}

export interface BrandFileRules {
  /** Locale codes with a catalogue: the keys a localized text may use. */
  locales: readonly string[];
  /** HOST and SHARE_DOMAINS, without ports, lower case: the keys `domains` may use. */
  hosts: readonly string[];
}

export const NAME_MAX = 60;
export const LABEL_MAX = 60;
export const TEXT_MAX = 500;
export const URL_MAX = 2000;
export const LINKS_MAX = 10;

const LOOK_KEYS = ["name", "logo", "accent", "accent_dark"] as const;
const TOP_KEYS = [...LOOK_KEYS, "support", "footer", "links", "texts", "domains"] as const;
const TEXT_KEYS = {
  home_heading: "homeHeading",
  home_intro: "homeIntro",
  reveal_note: "revealNote",
} as const;
// C0 and C1 controls, DEL, and the bidirectional overrides that can make a text read backwards.
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** Checks parsed JSON; `problems` is empty when `file` may be used. */
export function checkBrandFile(
  json: unknown,
  rules: BrandFileRules,
): { file: BrandFile; problems: string[] } {
  const c = new Checker(rules);
  const top = c.object(json, "", TOP_KEYS) ?? {};
  const file: BrandFile = {
    ...c.look(top, ""),
    support: c.url(top.support, "support", ["https:", "mailto:"]),
    footer: c.localized(top.footer, "footer", TEXT_MAX),
    links: c.links(top.links),
    texts: c.texts(top.texts),
    domains: c.domains(top.domains),
  };
  return { file, problems: c.problems };
}

class Checker {
  readonly problems: string[] = [];
  constructor(private readonly rules: BrandFileRules) {}

  private fail(path: string, message: string): null {
    this.problems.push(`BRAND_FILE ${path === "" ? "" : `${path}: `}${message}`);
    return null;
  }

  /** An object with only `keys`, or any (null); absent: null, no problem. `path` "" is the file. */
  object(value: unknown, path: string, keys: readonly string[] | null): Record<string, unknown> | null {
    if (value === undefined && path !== "") return null;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return this.fail(path, path === "" ? "must hold one JSON object" : "must be an object");
    }
    for (const key of Object.keys(value)) {
      if (keys !== null && !keys.includes(key))
        this.fail(join(path, key), `unknown key (known here: ${keys.join(", ")})`);
    }
    return value as Record<string, unknown>;
  }

  text(value: unknown, path: string, max: number): string | null {
    if (value === undefined) return null;
    if (typeof value !== "string") return this.fail(path, "must be a text");
    if (value.trim() === "") return this.fail(path, "must not be empty");
    if ([...value].length > max) return this.fail(path, `must be at most ${max} characters`);
    if (CONTROL.test(value)) return this.fail(path, "must not hold control characters (line breaks, tabs…)");
    return value;
  }

  /** A text, or an object of texts by locale code. */
  localized(value: unknown, path: string, max: number): Localized | null {
    if (value === undefined || typeof value === "string") {
      const text = this.text(value, path, max);
      return text === null ? null : { en: text };
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return this.fail(path, 'must be a text, or texts by language like {"en": "…", "de": "…"}');
    }
    const entries = Object.entries(value);
    if (entries.length === 0) return this.fail(path, "must hold at least one language");
    const texts: Record<string, string> = {};
    for (const [code, text] of entries) {
      const where = `${path}.${code}`;
      if (!this.rules.locales.includes(code)) {
        this.fail(where, `"${code}" is not a language with a catalogue (${this.rules.locales.join(", ")})`);
        continue;
      }
      const checked = this.text(text, where, max);
      if (checked !== null) texts[code] = checked;
    }
    return Object.keys(texts).length === entries.length ? texts : null;
  }

  url(value: unknown, path: string, schemes: readonly string[]): string | null {
    const text = this.text(value, path, URL_MAX);
    if (text === null) return null;
    const wanted = `must be an ${list(schemes)} URL`;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return this.fail(path, wanted);
    }
    if (!schemes.includes(url.protocol) || /\s/.test(text)) return this.fail(path, wanted);
    if (url.protocol === "mailto:" ? url.pathname === "" : url.hostname === "") {
      return this.fail(path, `${wanted}, with ${url.protocol === "mailto:" ? "an address" : "a host"}`);
    }
    return text;
  }

  colour(value: unknown, path: string): string | null {
    if (value === undefined) return null;
    const hex = typeof value === "string" ? normalizeHex(value) : null;
    return hex ?? this.fail(path, 'must be a colour like "#0b5fff" (or "#05f")');
  }

  look(raw: Record<string, unknown>, path: string): BrandFileLook {
    return {
      name: this.text(raw.name, join(path, "name"), NAME_MAX),
      logo: this.text(raw.logo, join(path, "logo"), URL_MAX),
      accent: this.colour(raw.accent, join(path, "accent")),
      accentDark: this.colour(raw.accent_dark, join(path, "accent_dark")),
    };
  }

  texts(value: unknown): BrandTexts {
    const texts: BrandTexts = {};
    const raw = this.object(value, "texts", Object.keys(TEXT_KEYS));
    for (const [key, field] of Object.entries(TEXT_KEYS)) {
      const text = this.localized(raw?.[key], `texts.${key}`, TEXT_MAX);
      if (text !== null) texts[field] = text;
    }
    return texts;
  }

  links(value: unknown): BrandLink[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) return this.fail("links", "must be a list of links") ?? [];
    if (value.length > LINKS_MAX) this.fail("links", `must hold at most ${LINKS_MAX} links`);
    const links: BrandLink[] = [];
    value.forEach((item, i) => {
      const path = `links[${i}]`;
      const raw = this.object(item, path, ["href", "label"]);
      if (raw === null) return;
      if (raw.href === undefined) this.fail(path, "needs an href");
      if (raw.label === undefined) this.fail(path, "needs a label");
      const href = this.url(raw.href, `${path}.href`, ["https:", "http:", "mailto:"]);
      const label = this.localized(raw.label, `${path}.label`, LABEL_MAX);
      if (href !== null && label !== null) links.push({ href, label });
    });
    return links;
  }

  domains(value: unknown): Map<string, BrandFileLook> {
    const domains = new Map<string, BrandFileLook>();
    if (value === undefined) return domains;
    const raw = this.object(value, "domains", null);
    if (raw === null) return domains;
    for (const [key, look] of Object.entries(raw)) {
      const path = `domains[${JSON.stringify(key)}]`;
      const host = key.toLowerCase();
      if (!this.rules.hosts.includes(host)) {
        const known =
          this.rules.hosts.length === 0 ? "none is set" : `they are ${this.rules.hosts.join(", ")}`;
        this.fail(path, `"${key}" is neither HOST nor one of SHARE_DOMAINS (${known})`);
      }
      const fields = this.object(look, path, LOOK_KEYS);
      if (fields !== null) domains.set(host, this.look(fields, path));
    }
    return domains;
  }
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function list(items: readonly string[]): string {
  return items.length === 1 ? `${items[0]}` : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

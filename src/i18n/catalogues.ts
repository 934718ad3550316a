import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Message catalogues live in <project>/locales/<code>.json, one flat object per language:
// "page.key": "text with {placeholders}". English is the reference every other catalogue must
// match key for key. Adding a language is adding one file: the list below is read from the folder.

export type Catalogue = Readonly<Record<string, string>>;

export const REFERENCE_LOCALE = "en";

/** src/i18n/catalogues.ts and dist/i18n/catalogues.js are both two levels below the project root. */
export const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "locales");

const CODE = /^[a-z]{2,3}(-[A-Z]{2})?$/;

/** Locale codes with a catalogue, reference first then alphabetical. */
export function availableLocales(dir = LOCALES_DIR): string[] {
  const codes = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .filter((code) => CODE.test(code));
  return codes.sort((a, b) =>
    a === REFERENCE_LOCALE ? -1 : b === REFERENCE_LOCALE ? 1 : a.localeCompare(b),
  );
}

export function loadCatalogue(code: string, dir = LOCALES_DIR): Catalogue {
  const parsed: unknown = JSON.parse(readFileSync(join(dir, `${code}.json`), "utf8"));
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`locales/${code}.json must hold one object of messages`);
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== "string") throw new Error(`locales/${code}.json: "${key}" is not a string`);
  }
  return Object.freeze(parsed as Record<string, string>);
}

export function loadCatalogues(dir = LOCALES_DIR): Map<string, Catalogue> {
  return new Map(availableLocales(dir).map((code) => [code, loadCatalogue(code, dir)]));
}

/** The {placeholders} a message uses, sorted: translations must use the same ones. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{([a-zA-Z_]+)\}/g)].map((m) => m[1] ?? "").sort();
}

/** Fills {name} placeholders; a missing value leaves the placeholder visible rather than "undefined". */
export function format(message: string, vars: Record<string, string | number> = {}): string {
  return message.replace(/\{([a-zA-Z_]+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/**
 * Every way the catalogues disagree with the reference: missing or extra keys, different
 * placeholders, empty messages. An empty list means every language is complete.
 */
export function catalogueProblems(catalogues: Map<string, Catalogue>): string[] {
  const reference = catalogues.get(REFERENCE_LOCALE);
  if (reference === undefined) return [`locales/${REFERENCE_LOCALE}.json is missing`];
  const problems: string[] = [];
  for (const [code, catalogue] of catalogues) {
    for (const [key, message] of Object.entries(reference)) {
      const translated = catalogue[key];
      if (translated === undefined) problems.push(`${code}: "${key}" is missing`);
      else if (translated.trim() === "") problems.push(`${code}: "${key}" is empty`);
      else if (placeholders(translated).join() !== placeholders(message).join()) {
        problems.push(`${code}: "${key}" must use the placeholders {${placeholders(message).join("}, {")}}`);
      }
    }
    for (const key of Object.keys(catalogue)) {
      if (!(key in reference)) problems.push(`${code}: "${key}" is not in ${REFERENCE_LOCALE}.json`);
    }
  }
  return problems;
}

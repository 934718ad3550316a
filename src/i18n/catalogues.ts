import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pluralCategories, splitPluralKey } from "./plural.js";

// Message catalogues live in <project>/locales/<code>.json, one flat object per language:
// "page.key": "text with {placeholders}". English is the reference every other catalogue must
// match key for key (a message driven by a number has one key per plural form: plural.ts).
// Adding a language is adding one file: the list below is read from the folder.

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

/** Tags and character references a message must not hold: messages are text, escaped on output. */
const HTML = /<\/?[a-zA-Z!][^>]*>|&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);/;

/**
 * Every way the catalogues disagree with the reference or with the rules: missing or extra keys,
 * plural forms that are not exactly the language's categories (plural.ts), different
 * placeholders, empty messages, HTML. An empty list means every language is complete.
 */
export function catalogueProblems(catalogues: Map<string, Catalogue>): string[] {
  const reference = catalogues.get(REFERENCE_LOCALE);
  if (reference === undefined) return [`locales/${REFERENCE_LOCALE}.json is missing`];
  const expected = new Map<string, string[]>();
  for (const [base, forms] of groupForms(reference)) {
    // The placeholders every form must use: those of the bare message, or of its "other" form.
    expected.set(base, placeholders(forms.get("") ?? forms.get("other") ?? ""));
  }
  const problems: string[] = [];
  for (const [code, catalogue] of catalogues) {
    const categories = pluralCategories(code);
    const groups = groupForms(catalogue);
    for (const base of expected.keys()) {
      if (!groups.has(base)) problems.push(`${code}: "${base}" is missing`);
    }
    for (const [base, forms] of groups) {
      const wanted = expected.get(base);
      if (wanted === undefined) {
        problems.push(`${code}: "${base}" is not in ${REFERENCE_LOCALE}.json`);
        continue;
      }
      problems.push(...formProblems(code, base, forms, categories));
      for (const [form, message] of forms) {
        const key = form === "" ? base : `${base}#${form}`;
        problems.push(...messageProblems(code, key, message, form, wanted));
      }
    }
  }
  return problems;
}

/** Base key → (plural category, or "" for the bare key) → message. */
function groupForms(catalogue: Catalogue): Map<string, Map<string, string>> {
  const groups = new Map<string, Map<string, string>>();
  for (const [key, message] of Object.entries(catalogue)) {
    const [base, form] = splitPluralKey(key);
    const forms = groups.get(base) ?? new Map<string, string>();
    forms.set(form ?? "", message);
    groups.set(base, forms);
  }
  return groups;
}

function formProblems(
  code: string,
  base: string,
  forms: Map<string, string>,
  categories: string[],
): string[] {
  if (forms.has("")) {
    return forms.size > 1 ? [`${code}: "${base}" has both a bare message and plural forms`] : [];
  }
  const given = [...forms.keys()];
  const missing = categories.filter((c) => !forms.has(c));
  const extra = given.filter((c) => !categories.includes(c));
  const problems: string[] = [];
  if (missing.length > 0) {
    problems.push(`${code}: "${base}" lacks the plural forms #${missing.join(", #")}`);
  }
  if (extra.length > 0) {
    problems.push(`${code}: "${base}" has forms ${code} does not use: #${extra.join(", #")}`);
  }
  return problems;
}

function messageProblems(
  code: string,
  key: string,
  message: string,
  form: string,
  wanted: string[],
): string[] {
  if (message.trim() === "") return [`${code}: "${key}" is empty`];
  const problems: string[] = [];
  const used = placeholders(message);
  // A form other than "other" may spell its number out ("once", "deux fois"): {count} is optional there.
  const allowed = form === "" || form === "other" ? wanted : wanted.filter((p) => p !== "count");
  if (used.join() !== wanted.join() && used.join() !== allowed.join()) {
    problems.push(`${code}: "${key}" must use the placeholders {${wanted.join("}, {")}}`);
  }
  if (HTML.test(message)) problems.push(`${code}: "${key}" holds HTML (messages are plain text)`);
  return problems;
}

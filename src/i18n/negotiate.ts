// Which of the supported locales a request gets. One set of rules for every surface: the web pages,
// v1's `locale` (reported by /status and used for a recipient's mail) and the account mails.
//
// A locale asked for by name (`?locale=`, a cookie, an account's setting) is matched by lookup
// (RFC 4647 §3.4): case and `_` are forgiven and subtags are dropped from the end until a
// supported locale answers, so `fr-CA` and `FR_fr` both mean `fr`.
//
// Accept-Language (RFC 9110 §12.5.4) is read by weight, best first, ties in header order; each
// range is matched by the same lookup. `q=0` refuses a language and every region of it
// (`fr;q=0` refuses `fr` and `fr-CA`), so nothing refused is chosen, not even through `*`. `*`
// stands for any language the header does not name: the default if it is free, else the first
// free one. Malformed entries (a bad tag, a weight that is not a number from 0 to 1) are skipped;
// the rest of the header still counts. When nothing matches, the default is used unless the header
// refused it, in which case the first locale it did not refuse.
//
// Regional variants: when no language the header names is served by lookup, a range may also be
// served by another region of its language written in the same script (`pt` and `pt-PT` → `pt-BR`),
// in its place by weight. The script is the likely one (Intl.Locale#maximize), so `zh-TW`,
// `zh-HK` and `zh-Hant` (Traditional) are never served `zh-CN` (Simplified): they fall through
// to the header's next choice, or the default. Any language the header names and onetime serves
// by lookup (`pt-PT, en;q=0.5` → `en`) is closer than a variant.

export interface LanguageRange {
  /** Lower case, `-` between subtags, or `*`. */
  tag: string;
  /** 0 to 1; 0 means "not acceptable". */
  q: number;
}

const RANGE = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/;
const QVALUE = /^(?:0(?:\.[0-9]*)?|1(?:\.0*)?)$/;

/** The well-formed ranges of an Accept-Language header, best first; equal weights keep their order. */
export function parseAcceptLanguage(header: string): LanguageRange[] {
  const ranges: LanguageRange[] = [];
  for (const entry of header.split(",")) {
    const [first = "", ...params] = entry.split(";");
    const tag = normalize(first);
    if (!RANGE.test(tag)) continue;
    let q = 1;
    let valid = true;
    for (const param of params) {
      const [name = "", value = ""] = param.split("=").map((s) => s.trim());
      if (name.toLowerCase() !== "q") continue;
      valid = QVALUE.test(value);
      q = Number(value);
      break;
    }
    if (valid) ranges.push({ tag, q });
  }
  // Array.prototype.sort is stable: ranges of equal weight stay in header order.
  return ranges.sort((a, b) => b.q - a.q);
}

/** The supported locale that `value` names, by lookup (`fr-CA` → `fr`), or null. */
export function lookupLocale(locales: readonly string[], value: unknown): string | null {
  if (typeof value !== "string") return null;
  let wanted = normalize(value);
  while (wanted !== "") {
    const found = locales.find((l) => l.toLowerCase() === wanted);
    if (found !== undefined) return found;
    const cut = wanted.lastIndexOf("-");
    wanted = cut < 0 ? "" : wanted.slice(0, cut);
  }
  return null;
}

/** The locale an Accept-Language header chooses among `locales`, as described at the top. */
export function fromAcceptLanguage(
  locales: readonly string[],
  header: string,
  defaultLocale: string,
): string {
  const ranges = parseAcceptLanguage(header);
  const named = ranges.filter((r) => r.tag !== "*");
  const refused = (locale: string) => named.some((r) => r.q === 0 && covers(r.tag, locale));
  const mentioned = (locale: string) =>
    named.some((r) => covers(r.tag, locale) || lookupLocale([locale], r.tag) !== null);
  const candidates = [defaultLocale, ...locales.filter((l) => l !== defaultLocale)];
  const served = (tag: string) => {
    const found = lookupLocale(locales, tag);
    return found !== null && !refused(found) ? found : null;
  };
  const anyServed = named.some((r) => r.q > 0 && served(r.tag) !== null);
  for (const range of ranges) {
    if (range.q === 0) break;
    const found =
      range.tag === "*"
        ? (candidates.find((l) => !mentioned(l)) ?? null)
        : (served(range.tag) ?? (anyServed ? null : variantOf(locales, range.tag, refused)));
    if (found !== null && !refused(found)) return found;
  }
  return candidates.find((l) => !refused(l)) ?? defaultLocale;
}

/** A supported locale of the same language and likely script as `tag`, in another region; or null. */
function variantOf(locales: readonly string[], tag: string, refused: (l: string) => boolean): string | null {
  const wanted = likely(tag);
  if (wanted === null) return null;
  return (
    locales.find((l) => {
      const other = likely(l);
      return (
        other !== null && other.language === wanted.language && other.script === wanted.script && !refused(l)
      );
    }) ?? null
  );
}

function likely(tag: string): { language: string; script: string | undefined } | null {
  try {
    const full = new Intl.Locale(tag).maximize();
    return { language: full.language, script: full.script };
  } catch {
    return null;
  }
}

/** Does `range` cover `locale`: the same tag, or a language of which `locale` is a region or variant. */
function covers(range: string, locale: string): boolean {
  const tag = locale.toLowerCase();
  return tag === range || tag.startsWith(`${range}-`);
}

function normalize(value: string): string {
  return value.trim().toLowerCase().replaceAll("_", "-");
}

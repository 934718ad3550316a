import { type Catalogue, format, REFERENCE_LOCALE } from "./catalogues.js";
import { fromAcceptLanguage, lookupLocale } from "./negotiate.js";
import { pluralMessage } from "./plural.js";

// Locale choice, the same for every surface (the rules are in negotiate.ts), in this order: a
// language asked for with the request, a remembered one, Accept-Language, then I18N_DEFAULT_LOCALE.

export interface Messages {
  locale: string;
  /**
   * The message for `key`, placeholders filled; English when a translation lacks it. A numeric
   * `count` picks the plural form `key#<category>` of this locale (plural.ts) and is written in the
   * locale's digits and separators.
   */
  t(key: string, vars?: Record<string, string | number>): string;
  /**
   * Every plural form of `key` in this locale, by category, other placeholders filled and {count}
   * left for a page script to fill (it picks the category with Intl.PluralRules).
   */
  forms(key: string, vars?: Record<string, string | number>): Record<string, string>;
  /** A lifetime in its largest whole unit: "7 days", "30 minutes". */
  duration(seconds: number): string;
  /** An absolute date and time, in the locale's style (UTC, which every reader shares). */
  dateTime(ms: number): string;
  /** "in 6 days", "in 3 hours": the time left until `ms`, rounded in its largest unit. */
  timeLeft(ms: number, now: number): string;
}

export interface LocaleSources {
  /** Asked for with this request: the pages' `?locale=`, v1's `locale`, the language of a mail. */
  query?: unknown;
  /** Remembered: the language switcher's cookie, else the signed-in account's setting. */
  cookie?: string | undefined;
  /** The browser's or client's Accept-Language header. */
  acceptLanguage?: string | undefined;
}

export interface I18n {
  locales: string[];
  negotiate(sources: LocaleSources): string;
  /** A supported locale for `value`, or null. */
  supported(value: unknown): string | null;
  messages(locale: string): Messages;
}

const UNITS: [Intl.NumberFormatOptions["unit"] & string, number][] = [
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

export function createI18n({
  catalogues,
  defaultLocale,
}: {
  catalogues: Map<string, Catalogue>;
  defaultLocale: string;
}): I18n {
  const locales = [...catalogues.keys()];
  const reference = catalogues.get(REFERENCE_LOCALE) ?? {};
  const cache = new Map<string, Messages>();

  const supported = (value: unknown) => lookupLocale(locales, value);

  function build(locale: string): Messages {
    const catalogue = catalogues.get(locale) ?? reference;
    const dates = new Intl.DateTimeFormat(locale, {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "UTC",
    });
    const relative = new Intl.RelativeTimeFormat(locale, { numeric: "always" });
    const unitFormats = new Map(
      UNITS.map(([unit]) => [
        unit,
        new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }),
      ]),
    );
    const rules = new Intl.PluralRules(locale);
    const enRules = new Intl.PluralRules(REFERENCE_LOCALE);
    const numbers = new Intl.NumberFormat(locale);
    const lookup = (key: string, count: unknown) =>
      pluralMessage(catalogue, key, rules, count) ?? pluralMessage(reference, key, enRules, count) ?? key;
    const largest = (seconds: number) => UNITS.find(([, size]) => seconds >= size) ?? UNITS[UNITS.length - 1];
    return {
      locale,
      t(key, vars) {
        const count = vars?.count;
        if (typeof count !== "number") return format(lookup(key, count), vars);
        return format(lookup(key, count), { ...vars, count: numbers.format(count) });
      },
      forms(key, vars) {
        const categories = rules.resolvedOptions().pluralCategories;
        const byCategory: Record<string, string> = {};
        for (const category of categories) {
          const message =
            catalogue[`${key}#${category}`] ?? catalogue[`${key}#other`] ?? catalogue[key] ?? lookup(key, 2);
          byCategory[category] = format(message, { ...vars, count: "{count}" });
        }
        return byCategory;
      },
      duration(seconds) {
        const exact = UNITS.find(([, size]) => seconds >= size && seconds % size === 0) ?? largest(seconds);
        const [unit, size] = exact ?? ["second", 1];
        return unitFormats.get(unit)?.format(Math.floor(seconds / size)) ?? String(seconds);
      },
      dateTime(ms) {
        return `${dates.format(ms)} UTC`;
      },
      timeLeft(ms, now) {
        const seconds = Math.max(0, Math.floor((ms - now) / 1000));
        const [unit, size] = largest(seconds) ?? ["second", 1];
        // Rounded, so a 7-day secret just made reads "in 7 days", not "in 6 days".
        return relative.format(Math.round(seconds / size), unit as Intl.RelativeTimeFormatUnit);
      },
    };
  }

  return {
    locales,
    supported,
    negotiate({ query, cookie, acceptLanguage }) {
      return (
        supported(query) ??
        supported(cookie) ??
        (acceptLanguage === undefined
          ? defaultLocale
          : fromAcceptLanguage(locales, acceptLanguage, defaultLocale))
      );
    },
    messages(locale) {
      let m = cache.get(locale);
      if (m === undefined) {
        m = build(locale);
        cache.set(locale, m);
      }
      return m;
    },
  };
}

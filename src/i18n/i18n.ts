import { type Catalogue, format, REFERENCE_LOCALE } from "./catalogues.js";

// Locale choice for the web pages, in this order: `?locale=` on the request, the cookie the
// language switcher sets, the browser's Accept-Language, then I18N_DEFAULT_LOCALE.

export interface Messages {
  locale: string;
  /** The message for `key`, placeholders filled; English when a translation lacks it. */
  t(key: string, vars?: Record<string, string | number>): string;
  /** A lifetime in its largest whole unit: "7 days", "30 minutes". */
  duration(seconds: number): string;
  /** An absolute date and time, in the locale's style (UTC, which every reader shares). */
  dateTime(ms: number): string;
  /** "in 6 days", "in 3 hours": the time left until `ms`, rounded in its largest unit. */
  timeLeft(ms: number, now: number): string;
}

export interface LocaleSources {
  query?: unknown;
  cookie?: string | undefined;
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

  function supported(value: unknown): string | null {
    if (typeof value !== "string") return null;
    const wanted = value.trim().toLowerCase().replace("_", "-");
    return (
      locales.find((l) => l.toLowerCase() === wanted) ??
      locales.find((l) => l.toLowerCase() === wanted.split("-")[0]) ??
      null
    );
  }

  function fromAcceptLanguage(header: string): string | null {
    const ranked = header
      .split(",")
      .map((part, index) => {
        const [tag = "", ...params] = part.trim().split(";");
        const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
        return { tag, q: q === undefined ? 1 : Number(q), index };
      })
      .filter((r) => r.tag !== "" && r.tag !== "*" && r.q > 0)
      .sort((a, b) => b.q - a.q || a.index - b.index);
    for (const r of ranked) {
      const found = supported(r.tag);
      if (found !== null) return found;
    }
    return null;
  }

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
    const largest = (seconds: number) => UNITS.find(([, size]) => seconds >= size) ?? UNITS[UNITS.length - 1];
    return {
      locale,
      t(key, vars) {
        return format(catalogue[key] ?? reference[key] ?? key, vars);
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
        (acceptLanguage === undefined ? null : fromAcceptLanguage(acceptLanguage)) ??
        defaultLocale
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

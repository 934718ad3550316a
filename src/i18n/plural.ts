// Plural forms in the catalogues. A message that reads differently by a number is stored once per
// CLDR plural category of its language, as "key#<category>" ("revealed.views.more#one",
// "revealed.views.more#other"); the number is always the placeholder {count}. A catalogue holds
// either the bare key (its language needs no forms for that message) or exactly one form for
// every category of its language (Intl.PluralRules), never both and never a partial set.

/** The plural categories of a locale, as Intl.PluralRules names them ("one", "few", "other"…). */
export function pluralCategories(locale: string): string[] {
  return [...new Intl.PluralRules(locale).resolvedOptions().pluralCategories];
}

/** "key#few" → ["key", "few"]; a key without a form → [key, null]. */
export function splitPluralKey(key: string): [string, string | null] {
  const hash = key.indexOf("#");
  return hash < 0 ? [key, null] : [key.slice(0, hash), key.slice(hash + 1)];
}

/**
 * The message for `key` in one catalogue: with a numeric `count`, the form of its category, else
 * "#other", else the bare key; without a count, the bare key, else "#other". Undefined when the
 * catalogue has neither.
 */
export function pluralMessage(
  catalogue: Readonly<Record<string, string>>,
  key: string,
  rules: Intl.PluralRules,
  count: unknown,
): string | undefined {
  const exact = typeof count === "number" ? catalogue[`${key}#${rules.select(count)}`] : undefined;
  return exact ?? catalogue[`${key}#other`] ?? catalogue[key];
}

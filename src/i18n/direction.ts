// The writing direction of a locale, for <html dir>. Intl.Locale#textInfo would tell, but Node 20
// lacks it: the right-to-left languages onetime could be translated into are listed instead.

const RIGHT_TO_LEFT = new Set(["ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"]);

export function direction(locale: string): "ltr" | "rtl" {
  const language = locale.toLowerCase().split(/[-_]/)[0] ?? "";
  return RIGHT_TO_LEFT.has(language) ? "rtl" : "ltr";
}

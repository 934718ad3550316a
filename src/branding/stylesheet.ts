// The stylesheet a brand's accent makes, linked after app.css: it sets --accent and --accent-text
// and nothing else, in the same three places as the top of web/app.css (light; dark by the system
// unless the switcher chose light; dark by the switcher), so that both themes and the switcher keep
// working. Each rule is as specific as app.css's and comes later, so it wins.

import { hashedAsset } from "./assets.js";
import type { Accent, BrandAsset } from "./brand.js";

export const STYLESHEET_TYPE = "text/css; charset=utf-8";

/** The CSS text for an accent. */
export function stylesheetText(accent: Accent): string {
  const light = `  --accent: ${accent.light};\n  --accent-text: ${accent.lightText};\n`;
  const dark = `  --accent: ${accent.dark};\n  --accent-text: ${accent.darkText};\n`;
  return [
    "/* onetime: the accent of BRAND_FILE (generated at start-up). */",
    "",
    `:root {\n${light}}`,
    "",
    `@media (prefers-color-scheme: dark) {\n  :root:not([data-theme="light"]) {\n${dark.replace(/^/gm, "  ").trimEnd()}\n  }\n}`,
    "",
    `:root[data-theme="dark"] {\n${dark}}`,
    "",
  ].join("\n");
}

/** The stylesheet as an asset: "brand.<hash>.css". Equal accents give the same asset. */
export function brandStylesheet(accent: Accent): BrandAsset {
  return hashedAsset("brand", "css", STYLESHEET_TYPE, Buffer.from(stylesheetText(accent)));
}

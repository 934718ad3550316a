// A brand's accent for both themes, from BRAND_FILE's `accent` and `accent_dark` (docs/branding.md):
// a colour the operator chose must pass as it is (a start-up refused names the nearest one that
// does); a dark accent left out is derived from the light one, and the start-up log says which.

import type { Accent } from "./brand.js";
import { checkAccent, formatRatio, MIN_CONTRAST, nearestPassing, type ThemeName } from "./contrast.js";

export interface AccentResult {
  /** Null when the brand sets no accent (the stylesheet's own), or when a colour is refused. */
  accent: Accent | null;
  problems: string[];
  notes: string[];
}

/**
 * Checks and completes an accent. `where` prefixes messages ("BRAND_FILE " or
 * `BRAND_FILE domains["links.example"].`); colours are "#rrggbb", lower case. `lightChecked`: the
 * light colour is the instance's, already checked (and reported) there.
 */
export function resolveAccent(
  light: string | null,
  dark: string | null,
  where: string,
  { lightChecked = false }: { lightChecked?: boolean } = {},
): AccentResult {
  const problems: string[] = [];
  const notes: string[] = [];
  if (light === null) {
    if (dark !== null) problems.push(`${where}accent_dark: needs accent (the light theme's colour) too`);
    return { accent: null, problems, notes };
  }
  const refuse = (key: string, colour: string, theme: ThemeName) => {
    const check = checkAccent(colour, theme);
    if (check.passes) return false;
    const better = nearestPassing(colour, theme);
    problems.push(
      `${where}${key}: ${colour} reaches ${formatRatio(check.ratio)} against ${check.against} (${check.what}),` +
        ` below ${MIN_CONTRAST}:1; the nearest colour of the same hue that passes is ${better}` +
        ` (${formatRatio(checkAccent(better, theme).ratio)})`,
    );
    return true;
  };
  const lightRefused = lightChecked ? !checkAccent(light, "light").passes : refuse("accent", light, "light");
  let darkColour = dark;
  if (dark === null) {
    darkColour = nearestPassing(light, "dark");
    const ratio = formatRatio(checkAccent(darkColour, "dark").ratio);
    notes.push(
      darkColour === light
        ? `${where}accent_dark not set: using accent ${light} (${ratio} on the dark theme) for the dark theme too`
        : `${where}accent_dark not set: using ${darkColour} (${ratio} on the dark theme) derived from accent ${light}`,
    );
  }
  const darkRefused = dark !== null && refuse("accent_dark", dark, "dark");
  if (lightRefused || darkRefused || darkColour === null) return { accent: null, problems, notes: [] };
  return {
    accent: {
      light,
      lightText: checkAccent(light, "light").text,
      dark: darkColour,
      darkText: checkAccent(darkColour, "dark").text,
    },
    problems,
    notes,
  };
}

// WCAG 2.x contrast for the brand's accent colour (docs/branding.md). Links use the accent as their
// text colour and buttons put text on it, so an accent must reach 4.5:1 against both backgrounds of
// its theme, and the text colour chosen for it must reach 4.5:1 on it.
//
// A colour that falls short is moved along HSL lightness, hue and saturation kept: darker for the
// light theme, lighter for the dark one. Each sRGB channel grows with HSL lightness, so luminance
// does too, and the nearest passing lightness is found by bisection. HSL rather than OKLCH because
// every HSL colour is inside sRGB: nothing has to be clipped back, which would shift the hue.

/** The minimum ratio for normal text (WCAG 2.x, success criterion 1.4.3, level AA). */
export const MIN_CONTRAST = 4.5;

export type ThemeName = "light" | "dark";

/** A theme's page background and surface, as web/app.css sets --bg and --surface (contrast.test.ts checks). */
export const THEMES: Readonly<Record<ThemeName, { bg: string; surface: string }>> = Object.freeze({
  light: { bg: "#f6f7f5", surface: "#ffffff" },
  dark: { bg: "#141917", surface: "#1d2421" },
});

/** The text colours that may go on an accent: white, or a near-black. */
export const TEXT_ON_ACCENT = Object.freeze(["#ffffff", "#111111"] as const);

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** "#0B5FFF" or "#0bf" → "#0b5fff"; null when it is not one of those two forms. */
export function normalizeHex(colour: string): string | null {
  if (!HEX.test(colour)) return null;
  const digits = colour.slice(1).toLowerCase();
  return digits.length === 3 ? `#${[...digits].map((d) => d + d).join("")}` : `#${digits}`;
}

function channels(colour: string): [number, number, number] {
  const hex = normalizeHex(colour);
  if (hex === null) throw new Error(`not a #rrggbb colour: ${colour}`);
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG 2.x relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(colour: string): number {
  const [r, g, b] = channels(colour).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.x contrast ratio of two colours, 1 to 21, whichever is lighter. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** "4.47:1": rounded down, so that a figure shown never passes where the ratio does not. */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;
}

/** White or near-black, whichever contrasts more with `accent` (white on a tie). */
export function textOn(accent: string): string {
  const [white, black] = TEXT_ON_ACCENT;
  return contrastRatio(accent, white) >= contrastRatio(accent, black) ? white : black;
}

export interface ContrastCheck {
  /** The lowest of the accent's three ratios (on --bg, on --surface, its text on it). */
  ratio: number;
  /** The colour that gave the lowest ratio, and what it is ("the light theme's background"). */
  against: string;
  what: string;
  /** The text colour for the accent. */
  text: string;
  passes: boolean;
}

/** How `accent` fares in `theme`: its worst ratio and against what. */
export function checkAccent(accent: string, theme: ThemeName): ContrastCheck {
  const { bg, surface } = THEMES[theme];
  const text = textOn(accent);
  const pairs = [
    { against: bg, what: `the ${theme} theme's background`, ratio: contrastRatio(accent, bg) },
    { against: surface, what: `the ${theme} theme's surface`, ratio: contrastRatio(accent, surface) },
    { against: text, what: "the text on it", ratio: contrastRatio(accent, text) },
  ];
  const worst = pairs.reduce((w, p) => (p.ratio < w.ratio ? p : w));
  return { ...worst, text, passes: worst.ratio >= MIN_CONTRAST };
}

/**
 * The colour of `accent`'s hue and saturation nearest in lightness that passes in `theme`: itself
 * if it does, else the lightest darker one (light theme) or the darkest lighter one (dark theme).
 */
export function nearestPassing(accent: string, theme: ThemeName): string {
  const own = normalizeHex(accent);
  if (own === null) throw new Error(`not a #rrggbb colour: ${accent}`);
  if (checkAccent(own, theme).passes) return own;
  const [h, s, l] = toHsl(own);
  const passes = (lightness: number) => checkAccent(fromHsl(h, s, lightness), theme).passes;
  // Bisect between the accent's own lightness (fails) and black or white (passes in that theme).
  let failing = l;
  let passing = theme === "light" ? 0 : 1;
  for (let i = 0; i < 40; i++) {
    const middle = (failing + passing) / 2;
    if (passes(middle)) passing = middle;
    else failing = middle;
  }
  return fromHsl(h, s, passing);
}

/** [hue 0–360, saturation 0–1, lightness 0–1]. */
function toHsl(colour: string): [number, number, number] {
  const [r, g, b] = channels(colour).map((c) => c / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return [0, 0, l];
  const s = d / (1 - Math.abs(2 * l - 1));
  const h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return [h * 60, s, l];
}

function fromHsl(h: number, s: number, l: number): string {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const sector = Math.floor(h / 60) % 6;
  const [r, g, b] = [
    [c, x, 0],
    [x, c, 0],
    [0, c, x],
    [0, x, c],
    [x, 0, c],
    [c, 0, x],
  ][sector] as [number, number, number];
  const byte = (v: number) =>
    Math.round(Math.min(1, Math.max(0, v + m)) * 255)
      .toString(16)
      .padStart(2, "0");
  return `#${byte(r)}${byte(g)}${byte(b)}`;
}

/** Which characters a generated password draws from, and its length (PASSWORD_GEN_*). */
export interface PasswordRules {
  length: number;
  uppercase: boolean;
  lowercase: boolean;
  numbers: boolean;
  symbols: boolean;
  excludeAmbiguous: boolean;
}

/** The PASSWORD_GEN_* defaults: the server's, and the terminal client's when it generates locally. */
export const DEFAULT_PASSWORD_RULES: PasswordRules = {
  length: 12,
  uppercase: true,
  lowercase: true,
  numbers: true,
  symbols: true,
  excludeAmbiguous: true,
};

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const SYMBOLS = "!@#$%^&*()_-+=[]{}|:;\"'<>,.?/~`";
const AMBIGUOUS = new Set("ilo1IO0");

/**
 * A generated password: at least one character of each enabled class, the rest drawn uniformly
 * from their union, then shuffled; every draw from the CSPRNG (WebCrypto, so that the page script
 * that generates passwords in the browser runs this very code; randomBelow is unbiased).
 */
export function generatePassword(options: PasswordRules, length = options.length): string {
  const classes = [
    options.uppercase ? UPPER : "",
    options.lowercase ? LOWER : "",
    options.numbers ? DIGITS : "",
    options.symbols ? SYMBOLS : "",
  ]
    .map((set) => (options.excludeAmbiguous ? [...set].filter((c) => !AMBIGUOUS.has(c)).join("") : set))
    .filter((set) => set.length > 0);
  const all = classes.join("");
  const chars = classes.map(pick);
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomBelow(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.slice(0, length).join("");
}

function pick(set: string): string {
  return set[randomBelow(set.length)] as string;
}

const RANGE = 2 ** 32;

/** A uniform integer in [0, n) from crypto.getRandomValues: draws past the last whole multiple of n are redrawn. */
export function randomBelow(n: number): number {
  const limit = RANGE - (RANGE % n);
  const word = new Uint32Array(1);
  for (;;) {
    globalThis.crypto.getRandomValues(word);
    const value = word[0] as number;
    if (value < limit) return value % n;
  }
}

// The view-limit block of loadConfig (config.ts): how many times a link may be opened at most, for
// signed-in and anonymous callers (docs/configuration.md#secrets). Every secret allows 1 by default.

import type { Reader } from "./config-reader.js";

export interface ViewsConfig {
  /** VIEWS_MAX: the most views a signed-in caller may give a secret. */
  max: number;
  /** VIEWS_MAX_ANONYMOUS: the most an anonymous caller may (VIEWS_MAX when unset). */
  maxAnonymous: number;
}

/** A ceiling past this would keep a "one-time" secret readable by a crowd; 1000 is plenty. */
export const VIEWS_CEILING = 1000;

export function viewsConfig(r: Reader): ViewsConfig {
  const max = r.int("VIEWS_MAX", 10, { min: 1, max: VIEWS_CEILING });
  const maxAnonymous = r.int("VIEWS_MAX_ANONYMOUS", max, { min: 1, max: VIEWS_CEILING });
  if (maxAnonymous > max) r.problem("VIEWS_MAX_ANONYMOUS must not be greater than VIEWS_MAX");
  return { max, maxAnonymous };
}

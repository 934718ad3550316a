// The real app listening on a real loopback port, for browser tests and screenshots: built in
// process on a fresh SQLite data directory (test/support/helpers.ts), with HOST set to its own address so
// that the share links on receipt pages point back at it.
import { format, loadCatalogue } from "../../src/i18n/catalogues.js";
import { pluralMessage } from "../../src/i18n/plural.js";
import { makeTestApp, type TestApp } from "./helpers.js";
import { freePort } from "./ports.js";

export interface WebServer {
  /** "http://127.0.0.1:<port>", no trailing slash. */
  base: string;
  t: TestApp;
  close(): Promise<void>;
}

/** Starts the app on a free port; `env` adds to (or overrides) the web-test configuration. */
export async function startWebServer(
  env: Record<string, string> = {},
  options: Parameters<typeof makeTestApp>[1] = {},
): Promise<WebServer> {
  const port = await freePort();
  const t = await makeTestApp(
    {
      HOST: `127.0.0.1:${port}`,
      RATE_LIMIT_ENABLED: "false",
      LOG_LEVEL: "info",
      ...env,
    },
    options,
  );
  await t.app.listen({ port, host: "127.0.0.1" });
  return { base: `http://127.0.0.1:${port}`, t, close: () => t.close() };
}

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/**
 * A message from locales/<code>.json, placeholders filled, failing loudly on an unknown key. A
 * numeric `count` picks its plural form ("key#one"…) and is written as the pages write it.
 */
export function messages(code: string): Translate {
  const catalogue = loadCatalogue(code);
  const rules = new Intl.PluralRules(code);
  const numbers = new Intl.NumberFormat(code);
  return (key, vars) => {
    const message = pluralMessage(catalogue, key, rules, vars?.count);
    if (message === undefined) throw new Error(`locales/${code}.json has no "${key}"`);
    const count = vars?.count;
    return format(message, typeof count === "number" ? { ...vars, count: numbers.format(count) } : vars);
  };
}

export const en = messages("en");
export const fr = messages("fr");

import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../../config.js";
import { effectiveTtl } from "../../../domain/policy.js";
import { defaultLifetime, lifetimes } from "./home.js";

test("the form's first lifetime is the API's default, offered even when TTL_OPTIONS leaves it out", () => {
  const cases: { env: Record<string, string>; anonymous: number[]; signedIn: number[] }[] = [
    // DEFAULT_TTL outside TTL_OPTIONS: an hour is added (it used to preselect a minute).
    { env: { TTL_OPTIONS: "60", DEFAULT_TTL: "3600" }, anonymous: [60, 3600], signedIn: [60, 3600] },
    // Over the anonymous ceiling: the API gives anonymous callers the ceiling, so the form does too.
    {
      env: { TTL_OPTIONS: "60 3600 2592000", DEFAULT_TTL: "2592000" },
      anonymous: [60, 3600, 604800],
      signedIn: [60, 3600, 2592000],
    },
    // Below TTL_MIN: raised to it, as the API does.
    { env: { TTL_OPTIONS: "3600", DEFAULT_TTL: "30" }, anonymous: [60, 3600], signedIn: [60, 3600] },
    // The defaults need nothing added.
    {
      env: {},
      anonymous: [60, 300, 1800, 3600, 14400, 43200, 86400, 259200, 604800],
      signedIn: [60, 300, 1800, 3600, 14400, 43200, 86400, 259200, 604800, 1209600, 2592000],
    },
  ];
  for (const { env, anonymous, signedIn } of cases) {
    const config = loadConfig({ SECRET: "x".repeat(32), ...env });
    for (const [authenticated, ceiling, expected] of [
      [false, config.ttlMaxAnonymous, anonymous],
      [true, config.ttlMax, signedIn],
    ] as const) {
      const options = lifetimes(config, ceiling);
      const label = `${JSON.stringify(env)} ${authenticated ? "signed in" : "anonymous"}`;
      assert.deepEqual(options, expected, label);
      assert.equal(
        defaultLifetime(options, config.defaultTtl),
        effectiveTtl(undefined, authenticated, config),
        `${label}: preselected = API default`,
      );
    }
  }
});

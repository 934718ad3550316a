// The access policy block of loadConfig (config.ts): who may create secrets and who may read them,
// on the pages and both APIs alike (docs/configuration.md#access-policy).

import type { Reader } from "./config-reader.js";

export type Policy = "anyone" | "signed-in";

export interface AccessConfig {
  /** CREATE_POLICY (AUTH_REQUIRED=true is its older spelling of `signed-in`). */
  create: Policy;
  /** READ_POLICY: `anyone` with the link, or only `signed-in` accounts (asked before anything is spent). */
  read: Policy;
}

const POLICIES: readonly Policy[] = ["anyone", "signed-in"];

export function accessConfig(r: Reader): AccessConfig {
  const required = r.bool("AUTH_REQUIRED", false);
  const create = r.oneOf<Policy>("CREATE_POLICY", required ? "signed-in" : "anyone", POLICIES);
  if (required && create === "anyone") {
    r.problem("AUTH_REQUIRED=true and CREATE_POLICY=anyone disagree: AUTH_REQUIRED=true means signed-in");
  }
  return { create, read: r.oneOf<Policy>("READ_POLICY", "anyone", POLICIES) };
}

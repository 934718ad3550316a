// The single sign-on block of loadConfig (config.ts): an OpenID Connect provider to sign in with,
// who it may sign in, and whether local passwords still work (docs/sso.md).

import type { Reader } from "./config-reader.js";

export interface OidcConfig {
  /** OIDC_ISSUER: the provider's issuer URL; its discovery document is read from there. */
  issuer: string;
  /** OIDC_CLIENT_ID: this server's client id at the provider. */
  clientId: string;
  /** OIDC_CLIENT_SECRET: the client's secret; null for a public client (PKCE alone). */
  clientSecret: string | null;
  /** OIDC_SCOPES: asked at the provider; `openid` and `email` are needed. */
  scopes: string;
  /** OIDC_NAME: the provider's name on the sign-in button. */
  name: string;
  /** OIDC_AUTO_CREATE: a verified address without an account gets one at its first sign-in. */
  autoCreate: boolean;
  /** OIDC_ALLOWED_DOMAINS: only addresses at these domains sign in this way (empty: any). */
  allowedDomains: string[];
  /** OIDC_GROUPS_CLAIM: the ID token claim that lists the user's groups. */
  groupsClaim: string;
  /** OIDC_ADMIN_GROUP: a group (in the groups claim) whose members are admins; null: none. */
  adminGroup: string | null;
}

export interface SsoConfig {
  /** Null when OIDC_ISSUER is unset: no single sign-on. */
  oidc: OidcConfig | null;
  /** AUTH_LOCAL: password sign-in and sign-up; false leaves single sign-on (and API tokens) only. */
  local: boolean;
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

export function ssoConfig(r: Reader): SsoConfig {
  const local = r.bool("AUTH_LOCAL", true);
  const issuer = r.optionalStr("OIDC_ISSUER");
  const clientId = r.optionalStr("OIDC_CLIENT_ID");
  const oidc: OidcConfig | null =
    issuer === null
      ? null
      : {
          issuer: issuer.replace(/\/+$/, ""),
          clientId: clientId ?? "",
          clientSecret: r.optionalStr("OIDC_CLIENT_SECRET"),
          scopes: r.list("OIDC_SCOPES", ["openid", "email", "profile"]).join(" "),
          name: r.str("OIDC_NAME", "single sign-on"),
          autoCreate: r.bool("OIDC_AUTO_CREATE", false),
          allowedDomains: r.list("OIDC_ALLOWED_DOMAINS", []).map((d) => d.toLowerCase().replace(/^@/, "")),
          groupsClaim: r.str("OIDC_GROUPS_CLAIM", "groups"),
          adminGroup: r.optionalStr("OIDC_ADMIN_GROUP"),
        };
  if (oidc === null) {
    if (clientId !== null) r.problem("OIDC_CLIENT_ID needs OIDC_ISSUER");
    return { oidc, local };
  }
  if (clientId === null) r.problem("OIDC_ISSUER needs OIDC_CLIENT_ID");
  let url: URL | null = null;
  try {
    url = new URL(oidc.issuer);
  } catch {
    r.problem(`OIDC_ISSUER must be a URL, like https://id.example.com/realms/main (got "${oidc.issuer}")`);
  }
  // Plain HTTP only on this machine (a provider for development and tests): tokens cross it.
  if (url !== null && url.protocol !== "https:" && !LOOPBACK.test(oidc.issuer)) {
    r.problem("OIDC_ISSUER must be an https:// URL (http:// only on the loopback address)");
  }
  const scopes = oidc.scopes.split(" ");
  if (!scopes.includes("openid") || !scopes.includes("email")) {
    r.problem("OIDC_SCOPES must include openid and email (the account is found by its address)");
  }
  return { oidc, local };
}

/** Whether the issuer is reached over plain HTTP (loopback only, checked above). */
export function insecureIssuer(oidc: OidcConfig): boolean {
  return oidc.issuer.startsWith("http://");
}

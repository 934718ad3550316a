import type { FastifyBaseLogger } from "fastify";
import * as client from "openid-client";
import type { Deps } from "../../actions/deps.js";
import type { SsoIdentity } from "../../actions/sso-sign-in.js";
import { insecureIssuer, type OidcConfig } from "../../config-oidc.js";
import { open, seal } from "../../crypto/aead.js";
import { AppError } from "../../domain/errors.js";
import { mailOrigin, siteUrl } from "../../domain/links.js";

// The OpenID Connect relying party, on openid-client (nothing of the protocol is written here):
// discovery from OIDC_ISSUER on first use (retried on the next sign-in when the provider was down),
// the authorization code flow with PKCE, state and nonce, and the ID token validated by openid-client
// — issuer, audience, expiry, nonce, and its signature against the provider's published keys
// (enableNonRepudiationChecks). What the callback must check is carried from the start of the flow
// to its end in a cookie sealed with a key of SECRET's (AES-GCM: neither read nor forged by anyone
// else), bound to the browser that started it and valid PENDING_SECONDS.

export const CALLBACK_PATH = "/signin/oidc/callback";
/** How long a sign-in may spend at the provider (typing a password, a second factor). */
export const PENDING_SECONDS = 600;

/** The flow in progress, as the sealed cookie keeps it. */
export interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  /** Where to go once signed in (a local path). */
  next: string;
  /** Unix milliseconds after which the cookie is refused. */
  expiresAt: number;
}

export interface OidcClient {
  /** The provider's authorization URL for a new flow, and the pending flow to seal in the cookie. */
  start(next: string): Promise<{ url: URL; pending: Pending }>;
  /** The identity from the callback's URL, once openid-client has checked everything; throws AppError. */
  finish(callbackUrl: URL, pending: Pending): Promise<SsoIdentity>;
  seal(pending: Pending): string;
  /** The pending flow of a cookie; null when missing, forged, from another server or expired. */
  open(cookie: string | undefined): Pending | null;
}

export function createOidcClient(deps: Deps, oidc: OidcConfig): OidcClient {
  const { log } = deps;
  const redirectUri = siteUrl(mailOrigin(deps.config), CALLBACK_PATH);
  let discovered: Promise<client.Configuration> | null = null;

  /** The provider's configuration, discovered once; a failure is logged and tried again next time. */
  function configuration(): Promise<client.Configuration> {
    if (discovered === null) {
      // The server's clock is deps.now: openid-client's expiry checks follow it.
      const skew = Math.round((deps.now() - Date.now()) / 1000);
      discovered = discover(oidc, skew, log).catch((err: unknown) => {
        discovered = null;
        throw err;
      });
    }
    return discovered;
  }

  return {
    async start(next) {
      const config = await configuration();
      const verifier = client.randomPKCECodeVerifier();
      const pending: Pending = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier,
        next,
        expiresAt: deps.now() + PENDING_SECONDS * 1000,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: oidc.scopes,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url, pending };
    },

    async finish(callbackUrl, pending) {
      const config = await configuration();
      let claims: Record<string, unknown>;
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        claims = { ...(tokens.claims() ?? {}) };
        if (claims.email === undefined || claims.email_verified === undefined) {
          const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub));
          claims = { ...info, ...claims };
        }
      } catch (err) {
        // The error's name, code and message: what failed, never a token or a code.
        const e = err as { name?: string; code?: string; message?: string };
        log.warn({ oidc: { error: e.name, code: e.code, reason: e.message } }, "single sign-on refused");
        throw new AppError("sso_refused", { reason: "flow" });
      }
      const groups = claims[oidc.groupsClaim];
      return {
        email: typeof claims.email === "string" ? claims.email : "",
        emailVerified: claims.email_verified === true || claims.email_verified === "true",
        groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [],
      };
    },

    seal: (pending) =>
      seal(deps.webKeys.oidc, Buffer.from(JSON.stringify(pending)), "oidc").toString("base64url"),

    open(cookie) {
      if (cookie === undefined || !/^[A-Za-z0-9_-]{1,4096}$/.test(cookie)) return null;
      const opened = open(deps.webKeys.oidc, Buffer.from(cookie, "base64url"), "oidc");
      if (opened === null) return null;
      const pending = JSON.parse(opened.toString("utf8")) as Pending;
      return pending.expiresAt > deps.now() ? pending : null;
    },
  };
}

async function discover(
  oidc: OidcConfig,
  skew: number,
  log: FastifyBaseLogger,
): Promise<client.Configuration> {
  const execute = [client.enableNonRepudiationChecks];
  if (insecureIssuer(oidc)) execute.push(client.allowInsecureRequests);
  try {
    const config = await client.discovery(
      new URL(oidc.issuer),
      oidc.clientId,
      { [client.clockSkew]: skew },
      oidc.clientSecret === null ? client.None() : client.ClientSecretBasic(oidc.clientSecret),
      { execute },
    );
    log.info({ issuer: oidc.issuer }, "single sign-on: provider discovered");
    return config;
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string };
    log.error(
      { issuer: oidc.issuer, error: e.name, code: e.code, reason: e.message },
      "single sign-on: the provider's discovery document could not be read; sign-in by single sign-on fails until it can",
    );
    throw new AppError("sso_unavailable", {}, { cause: err });
  }
}

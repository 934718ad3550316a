import { hkdfSync } from "node:crypto";

// Sub-keys of the root SECRET for the web pages and the outbox, each with its own HKDF label so that
// none of them can stand in for a key of the store's crypto model (keys.ts).
export interface WebKeys {
  /** Signs CSRF tokens: a form token is HMAC(csrf, the browser's CSRF cookie, its session id). */
  csrf: Buffer;
  /** Seals the one-shot note that carries a generated password across the create redirect. */
  flash: Buffer;
  /** Seals queued mail (an address and a link) until it is sent and wiped. */
  mail: Buffer;
  /** Session and mailed-link ids are HMACs of their tokens under this key. */
  session: Buffer;
  /** Seals the short-lived cookie that carries an OpenID Connect sign-in's state, nonce and PKCE verifier. */
  oidc: Buffer;
  /** Seals webhook endpoints' signing secrets (the server signs with them, so it keeps them). */
  webhooks: Buffer;
}

const SALT = Buffer.from("onetime/web");

export function deriveWebKeys(root: Buffer): WebKeys {
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", root, SALT, info, 32));
  return {
    csrf: derive("csrf"),
    flash: derive("flash"),
    mail: derive("mail"),
    session: derive("session"),
    oidc: derive("oidc"),
    webhooks: derive("webhooks"),
  };
}

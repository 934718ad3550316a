import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

// CSRF protection for every form POST: a signed double-submit token bound to the session. The
// browser holds a random value in an HttpOnly cookie; each form carries HMAC(csrf key, that value,
// the session id of the signed-in visitor or "" for none). A cross-site page can make the browser
// send the cookie but can neither read it nor compute the HMAC without the server key.
//
// Planting is not useless by itself: without the __Host- prefix (SSL=false), a sibling subdomain or
// a network attacker on plain HTTP can set this cookie to a value of its own, whose token it got by
// visiting the site. Binding the token to the session defeats that for every signed-in visitor (the
// attacker cannot know the victim's session id); what is left is a visitor who is signed out, on a
// browser that sends no Sec-Fetch-Site, under SSL=false. Sec-Fetch-Site, when the browser sends it,
// refuses posts from another site and from a sibling subdomain (same-site) before any of that.

const FIELD = "_csrf";
const COOKIE_BYTES = 32;

export interface Csrf {
  /** The form token for this browser, setting its cookie first when it has none. */
  token(req: FastifyRequest, reply: FastifyReply): string;
  /**
   * Whether a form POST carries a valid token for its cookie and did not come from another site.
   * `body` is whatever the request carried: none, or one that is not a form, has no token.
   */
  verify(req: FastifyRequest, body: unknown): boolean;
  readonly field: string;
}

export function createCsrf({
  key,
  secure,
  session,
}: {
  key: Buffer;
  secure: boolean;
  /** The id of the request's signed-in session, "" when signed out. */
  session: (req: FastifyRequest) => string;
}): Csrf {
  // The __Host- prefix pins the cookie to this exact host over HTTPS (no Domain, Path=/).
  const cookie = secure ? "__Host-ot_csrf" : "ot_csrf";
  const sign = (req: FastifyRequest, value: string) =>
    createHmac("sha256", key).update(value).update("\0").update(session(req)).digest("base64url");

  return {
    field: FIELD,
    token(req, reply) {
      let value = req.cookies[cookie];
      // A value we cannot have made (wrong length or alphabet) is replaced, not signed.
      if (value === undefined || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
        value = randomBytes(COOKIE_BYTES).toString("base64url");
        reply.setCookie(cookie, value, { path: "/", httpOnly: true, sameSite: "lax", secure });
        // A form rendered in this response must verify against the cookie it sets.
        req.cookies[cookie] = value;
      }
      return sign(req, value);
    },
    verify(req, body) {
      const site = req.headers["sec-fetch-site"];
      if (site === "cross-site" || site === "same-site") return false;
      const value = req.cookies[cookie];
      const given =
        typeof body === "object" && body !== null ? (body as Record<string, unknown>)[FIELD] : undefined;
      if (value === undefined || typeof given !== "string") return false;
      const expected = Buffer.from(sign(req, value));
      const actual = Buffer.from(given);
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
  };
}

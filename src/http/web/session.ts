import type { FastifyReply, FastifyRequest } from "fastify";

// The web session cookie. It holds the session token itself (256 bits from the CSPRNG; the store
// keeps only its HMAC), so it is HttpOnly, SameSite=Lax (a link from elsewhere arrives signed in,
// a cross-site form post does not) and, over HTTPS, __Host- prefixed and Secure: no sibling
// subdomain can plant or read it.

export interface SessionCookie {
  readonly name: string;
  read(req: FastifyRequest): string | undefined;
  /** Sets a new session token (every sign-in gets a fresh one). */
  set(reply: FastifyReply, token: string): void;
  clear(reply: FastifyReply): void;
}

export function sessionCookie({
  secure,
  ttlSeconds,
}: {
  secure: boolean;
  ttlSeconds: number;
}): SessionCookie {
  const name = secure ? "__Host-ot_session" : "ot_session";
  return {
    name,
    read: (req) => req.cookies[name],
    set(reply, token) {
      reply.setCookie(name, token, {
        path: "/",
        maxAge: ttlSeconds,
        httpOnly: true,
        sameSite: "lax",
        secure,
      });
    },
    clear(reply) {
      reply.clearCookie(name, { path: "/", httpOnly: true, sameSite: "lax", secure });
    },
  };
}

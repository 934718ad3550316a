import type { FastifyReply } from "fastify";

// Scripts, styles and images from this origin only, no inline script or style, no framing, forms
// posted only back here: an injected tag can neither run nor send a secret elsewhere.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/**
 * For a file served for download: the same policy, sandboxed. Were a browser to display it anyway,
 * the page would have a unique opaque origin and could run nothing (docs/web.md).
 */
export const SANDBOXED_CSP = `${CSP}; sandbox`;

/**
 * For an SVG under /assets/ (the built-in icon, a brand's logo): its own inline styles may apply, and
 * nothing else; opened directly, it is a sandboxed document that runs and loads nothing.
 */
export const SVG_ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/**
 * The headers every answer carries, whichever path wrote it (a route, an error handler, the
 * malformed-URL handler or the answer to a request the HTTP parser refused). Only the
 * content-hashed assets choose their own caching; everything else may hold a key.
 */
export function securityHeaders({ hsts }: { hsts: boolean }): Record<string, string> {
  return {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": CSP,
    "cross-origin-opener-policy": "same-origin",
    ...(hsts ? { "strict-transport-security": "max-age=63072000" } : {}),
  };
}

/** Sets the security headers on a reply, keeping a cache-control a route chose. */
export function setSecurityHeaders(reply: FastifyReply, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (name !== "cache-control" || !reply.hasHeader(name)) reply.header(name, value);
  }
}

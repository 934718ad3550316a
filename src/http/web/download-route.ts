import type { FastifyInstance } from "fastify";
import { PICKUP_SECONDS, takePickup } from "../../actions/pickup.js";
import { SANDBOXED_CSP } from "../security-headers.js";
import { field, sendPage, type WebContext } from "./context.js";
import { messagePage } from "./pages/secret.js";

// The one download of a server secret's file, after its reveal (actions/pickup.ts). A POST from the
// revealed page's button, CSRF-checked like every form, so that nothing that merely fetches a URL
// (a link scanner, a prefetch) can spend it; a used or expired pickup gets a page that says so.
//
// The answer cannot run in this site's origin whatever the file holds: it is always
// application/octet-stream (never the type the sender's browser claimed, which could be text/html,
// image/svg+xml or a script that a browser would render or run), an attachment, with nosniff, and a
// Content-Security-Policy with `sandbox` on top of the site's, so even a browser that displayed it
// would treat it as a page of no origin, with no script.

export function downloadRoutes(ctx: WebContext) {
  const { deps, csrf } = ctx;
  const minutes = Math.round(PICKUP_SECONDS / 60);
  return async function register(app: FastifyInstance): Promise<void> {
    app.post(
      "/secret/download",
      {
        // Route hooks run after the app's, whose onSend sets the site-wide policy.
        onSend: async (_req, reply) => {
          if (reply.getHeader("content-disposition") !== undefined)
            reply.header("content-security-policy", SANDBOXED_CSP);
        },
      },
      async (req, reply) => {
        const view = ctx.view(req, reply);
        const { t } = view;
        // An expired form spends nothing: the revealed page's button still works.
        if (!csrf.verify(req, req.body)) {
          return sendPage(
            reply,
            403,
            messagePage(view, { title: t("download.expired.title"), body: t("download.expired") }),
          );
        }
        const file = await takePickup(deps, field(req.body, "pickup"));
        if (file === null) {
          const page = messagePage(view, {
            title: t("download.gone.title"),
            body: t("download.gone.body", { count: minutes }),
          });
          return sendPage(reply, 410, page);
        }
        return reply
          .code(200)
          .header("content-type", "application/octet-stream")
          .header("content-disposition", attachment(file.name))
          .header("x-content-type-options", "nosniff")
          .header("cache-control", "no-store")
          .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
      },
    );
  };
}

/**
 * `attachment` with the name twice (RFC 6266): `filename*` in UTF-8, percent-encoded as RFC 8187
 * (was 5987) allows, which every current browser reads, and a plain `filename` for the others, with
 * what is not printable ASCII (and the quote and backslash) as "_". The name was cleaned when the
 * secret was made (no control characters, no path): nothing in it can end the header.
 */
export function attachment(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = Array.from(new TextEncoder().encode(name), (byte) => {
    const c = String.fromCharCode(byte);
    return /[A-Za-z0-9!#$&+\-.^_`|~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { burn, ownsReceipt } from "../../actions/burn.js";
import { inspectSecret, type SecretPreview } from "../../actions/inspect.js";
import { PICKUP_SECONDS, stashPickup } from "../../actions/pickup.js";
import { showReceipt } from "../../actions/receipt.js";
import { reveal } from "../../actions/reveal.js";
import type { FileContent } from "../../crypto/envelope.js";
import { toBase64Url } from "../../crypto/zk.js";
import { isAppError } from "../../domain/errors.js";
import type { ReceiptView } from "../../domain/receipt.js";
import { refuseMalformedKey } from "../key-param.js";
import { field, logStoreUnavailable, safeNext, sendPage, type WebContext, withQuery } from "./context.js";
import { formProblem } from "./messages.js";
import { openNote } from "./note.js";
import { type BurnGate, burnPage, receiptPage } from "./pages/receipt.js";
import { confirmPage, type FileOffer, revealedPage } from "./pages/secret.js";
import { zkReveal } from "./zk-reveal-route.js";

type KeyRequest = FastifyRequest<{ Params: { key: string } }>;

/** A `next` page on this site to return to, or undefined when none was given. */
function nextOf(source: unknown): string | undefined {
  const next = field(source, "next");
  return next === "" ? undefined : safeNext(next);
}

/** What the confirmation page needs from the non-consuming look (a client secret's KDF in base64url). */
function confirmOf(preview: SecretPreview) {
  const kdf = preview.client?.kdf ?? null;
  return {
    viewsLeft: preview.viewsLeft,
    hasPassphrase: preview.hasPassphrase || kdf !== null,
    hasFile: preview.hasFile,
    client:
      preview.client === null
        ? null
        : { kdf: kdf === null ? null : { salt: toBase64Url(kdf.salt), iterations: kdf.iterations } },
  };
}

/** The secret's life on the web: create, receipt, burn, confirm and reveal. */
export function webRoutes(ctx: WebContext) {
  const { deps, csrf } = ctx;
  // An unknown secret or receipt (and any error no form shows) goes up to the page error handler,
  // which answers it from messages.ts.

  /**
   * A revealed file, stored again for its one download (actions/pickup.ts). The secret is already
   * taken: if the store fails now, the text is still shown and the page says the file is lost.
   */
  const offer = async (req: FastifyRequest, file: FileContent): Promise<FileOffer | "lost"> => {
    try {
      const pickup = await stashPickup(deps, file);
      return { name: file.name, size: file.bytes.length, pickup, minutes: Math.round(PICKUP_SECONDS / 60) };
    } catch (err) {
      if (!isAppError(err, "store_unavailable")) throw err;
      logStoreUnavailable(req, deps, err);
      return "lost";
    }
  };

  return async function register(app: FastifyInstance): Promise<void> {
    app.addHook("onRequest", refuseMalformedKey);
    const receipt = async (req: KeyRequest, reply: FastifyReply) => {
      const view = ctx.view(req, reply);
      const shown = await showReceipt(deps, ctx.caller(req), req.params.key);
      const shareUrl =
        shown.secretKey === null ? null : ctx.secretLink(req, shown.shareDomain, shown.secretKey);
      const sealed = req.cookies[ctx.cookies.note];
      let generated: string | null = null;
      if (sealed !== undefined) {
        generated = shareUrl !== null ? openNote(deps.webKeys.flash, req.params.key, sealed) : null;
        // Shown once: the note is dropped whether or not it was for this receipt.
        reply.clearCookie(ctx.cookies.note, { path: "/receipt/" });
      }
      const clientEncrypted = shown.encryption === "client";
      const page = receiptPage(view, { receipt: shown, shareUrl, generated, clientEncrypted });
      return sendPage(reply, 200, page);
    };

    /**
     * What the burn form asks: nothing, the passphrase, or nothing because the signed-in creator asks.
     * A browser-encrypted secret's passphrase never reached the server, which cannot check it: its
     * receipt link alone burns it, as for a secret without a passphrase.
     */
    const burnGate = (req: FastifyRequest, receipt: ReceiptView): BurnGate =>
      !receipt.hasPassphrase || receipt.encryption === "client"
        ? "none"
        : ownsReceipt(ctx.caller(req), receipt)
          ? "owner"
          : "passphrase";

    const burnForm = async (req: KeyRequest, reply: FastifyReply) => {
      const view = ctx.view(req, reply);
      const shown = await showReceipt(deps, ctx.caller(req), req.params.key);
      if (!shown.live) return reply.redirect(view.href(`/receipt/${req.params.key}`), 303);
      const page = burnPage(view, {
        metadataKey: req.params.key,
        gate: burnGate(req, shown),
        next: nextOf(req.query),
      });
      return sendPage(reply, 200, page);
    };

    const burnNow = async (req: KeyRequest, reply: FastifyReply) => {
      const view = ctx.view(req, reply);
      const metadataKey = req.params.key;
      // From the dashboard, back to the dashboard; otherwise to the receipt.
      const next = nextOf(req.body);
      const back = view.href(next ?? `/receipt/${metadataKey}`);
      const again = async (status: number, error: string) => {
        const shown = await showReceipt(deps, ctx.caller(req), metadataKey);
        const page = burnPage(view, { metadataKey, gate: burnGate(req, shown), next, error });
        return sendPage(reply, status, page);
      };
      try {
        if (!csrf.verify(req, req.body as Record<string, unknown>)) {
          return await again(403, view.t("form.error.expired"));
        }
        const passphrase = field(req.body, "passphrase");
        await burn(deps, ctx.caller(req), {
          metadataKey,
          passphrase: passphrase === "" ? undefined : passphrase,
          asOwner: true,
        });
        return reply.redirect(back, 303);
      } catch (err) {
        // Read, burned or expired meanwhile: the receipt page says which (or that it is unknown).
        if (isAppError(err, "unknown_secret")) return reply.redirect(back, 303);
        const problem = formProblem(view.t, err, "passphrase");
        if (problem === null) throw err;
        return again(problem.status, problem.message);
      }
    };

    for (const prefix of ["receipt", "private"]) {
      app.get(`/${prefix}/:key`, receipt);
      app.get(`/${prefix}/:key/burn`, burnForm);
      app.post(`/${prefix}/:key/burn`, burnNow);
    }

    // READ_POLICY=signed-in: sign in first, then back to the link; nothing is looked up or spent.
    const signInFirst = (req: KeyRequest, reply: FastifyReply) =>
      deps.config.access.read === "signed-in" && ctx.account(req) === null
        ? reply.redirect(
            withQuery("/signin", { next: `/secret/${req.params.key}`, notice: "signin_to_read" }),
            303,
          )
        : null;

    // GET (and the HEAD Fastify derives from it) only looks: link previews consume nothing.
    app.get("/secret/:key", async (req: KeyRequest, reply) => {
      const first = signInFirst(req, reply);
      if (first !== null) return first;
      const view = ctx.view(req, reply);
      const preview = await inspectSecret(deps, ctx.caller(req), req.params.key);
      return sendPage(reply, 200, confirmPage(view, { secretKey: req.params.key, ...confirmOf(preview) }));
    });

    app.post("/secret/:key", async (req: KeyRequest, reply) => {
      const first = signInFirst(req, reply);
      if (first !== null) return first;
      const view = ctx.view(req, reply);
      const secretKey = req.params.key;
      // An expired form has revealed nothing: the page looks the secret up again, as GET does.
      const again = async (status: number, error: string) => {
        const preview = await inspectSecret(deps, ctx.caller(req), secretKey);
        return sendPage(reply, status, confirmPage(view, { secretKey, ...confirmOf(preview), error }));
      };
      // The page script's request (a reveal proof): answered in JSON, decrypted in the browser.
      if (field(req.body, "zk_proof") !== "") return zkReveal(ctx, req, reply);
      try {
        if (!csrf.verify(req, req.body as Record<string, unknown>)) {
          return await again(403, view.t("form.error.expired"));
        }
        const passphrase = field(req.body, "passphrase");
        const revealed = await reveal(deps, ctx.caller(req), {
          secretKey,
          passphrase: passphrase === "" ? undefined : passphrase,
        });
        const file = revealed.file === null ? null : await offer(req, revealed.file);
        const { viewsLeft } = revealed;
        if (file === "lost") {
          return sendPage(
            reply,
            200,
            revealedPage(view, { value: revealed.value, fileLost: true, viewsLeft }),
          );
        }
        return sendPage(reply, 200, revealedPage(view, { value: revealed.value, file, viewsLeft }));
      } catch (err) {
        // Encrypted in its sender's browser and posted without a proof (no JavaScript): nothing was
        // consumed, and the page says how to read it.
        if (isAppError(err, "client_encrypted")) return again(409, view.t("zk.reveal.needs_js"));
        // The one line this form shows is a wrong passphrase, which tells that the secret asks for
        // one: all the form needs, so it comes back without a second read or reveal-limit hit.
        const problem = formProblem(view.t, err, "passphrase");
        if (problem === null) throw err;
        const viewsLeft =
          isAppError(err) && typeof err.details.viewsLeft === "number" ? err.details.viewsLeft : 1;
        const page = confirmPage(view, { secretKey, hasPassphrase: true, viewsLeft, error: problem.message });
        return sendPage(reply, problem.status, page);
      }
    });
  };
}

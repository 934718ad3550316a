import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { burn, ownsReceipt } from "../../actions/burn.js";
import { type CreateInput, conceal, generate } from "../../actions/create.js";
import { inspectSecret, type SecretPreview } from "../../actions/inspect.js";
import { showReceipt } from "../../actions/receipt.js";
import { reveal } from "../../actions/reveal.js";
import { toBase64Url } from "../../crypto/zk.js";
import { isAppError } from "../../domain/errors.js";
import type { ReceiptView } from "../../domain/receipt.js";
import { isUnreadableForm } from "../body.js";
import { setRetryAfter } from "../errors.js";
import { refuseMalformedKey } from "../key-param.js";
import { field, logStoreUnavailable, safeNext, sendPage, type WebContext } from "./context.js";
import type { View } from "./layout.js";
import { formProblem } from "./messages.js";
import { openNote, sealNote } from "./note.js";
import { defaultLifetime, type HomeForm, homePage, lifetimes, signInPromptPage } from "./pages/home.js";
import { type BurnGate, burnPage, receiptPage } from "./pages/receipt.js";
import { confirmPage, revealedPage } from "./pages/secret.js";
import { clientSecretOf, UnreadableClientFields } from "./zk-fields.js";
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
    hasPassphrase: preview.hasPassphrase || kdf !== null,
    client:
      preview.client === null
        ? null
        : { kdf: kdf === null ? null : { salt: toBase64Url(kdf.salt), iterations: kdf.iterations } },
  };
}

/** The secret's life on the web: create, receipt, burn, confirm and reveal. */
export function webRoutes(ctx: WebContext) {
  const { deps, csrf } = ctx;
  const { config } = deps;
  const anonymousOptions = lifetimes(config, config.ttlMaxAnonymous);
  // Signed-in users get the higher ceiling, on the web as on the API.
  const accountOptions = lifetimes(config, config.ttlMax);
  const optionsFor = (req: FastifyRequest) => (ctx.account(req) === null ? anonymousOptions : accountOptions);
  const signup = config.authEnabled && config.auth.signup;
  /** AUTH_REQUIRED and nobody signed in: the home page asks to sign in instead of offering the form. */
  const mustSignIn = (req: FastifyRequest) => config.auth.required && ctx.account(req) === null;

  function home(
    req: FastifyRequest,
    reply: FastifyReply,
    view: View,
    status: number,
    form: HomeForm,
    error?: string,
  ) {
    const page = homePage(view, {
      form,
      options: optionsFor(req),
      maxBytes: config.secretMaxLength,
      passphraseRequired: config.passphraseRequired,
      passphraseLengths: { min: config.passphraseMinLength, max: config.passphraseMaxLength },
      passwordRules: config.passwordGen,
      browserEncrypts: config.zeroKnowledge !== "off",
      recipientField: ctx.account(req) !== null && config.mail.smtp !== null,
      error,
    });
    return sendPage(reply, status, page);
  }

  // An unknown secret or receipt (and any error no form shows) goes up to the page error handler,
  // which answers it from messages.ts.

  return async function register(app: FastifyInstance): Promise<void> {
    app.addHook("onRequest", refuseMalformedKey);
    app.get("/", async (req, reply) => {
      const view = ctx.view(req, reply);
      if (mustSignIn(req)) return sendPage(reply, 200, signInPromptPage(view, { signup }));
      const form: HomeForm = {
        mode: "text",
        secret: "",
        passphrase: "",
        ttl: defaultLifetime(optionsFor(req), config.defaultTtl),
        recipient: "",
      };
      return home(req, reply, view, 200, form);
    });

    app.post("/create", async (req, reply) => {
      const view = ctx.view(req, reply);
      // Nothing to keep for someone who may not create: the prompt says why and where to sign in.
      if (mustSignIn(req)) return sendPage(reply, 401, signInPromptPage(view, { signup }));
      // The lifetime is one of the offered choices (seconds); anything else gets the preselected one.
      const options = optionsFor(req);
      const ttl = Number(field(req.body, "ttl"));
      const form: HomeForm = {
        mode: field(req.body, "mode") === "generate" ? "generate" : "text",
        // Browsers send a textarea's line breaks as CRLF whatever was typed or pasted; the text keeps
        // the LF the textarea held (the v1 API stores what it is given).
        secret: field(req.body, "secret").replace(/\r\n/g, "\n"),
        passphrase: field(req.body, "passphrase"),
        ttl: options.includes(ttl) ? ttl : defaultLifetime(options, config.defaultTtl),
        recipient: field(req.body, "recipient").trim(),
      };
      // An expired or forged form loses nothing: the page comes back filled in, with a fresh token.
      if (!csrf.verify(req, req.body as Record<string, unknown>)) {
        return home(req, reply, view, 403, form, view.t("form.error.expired"));
      }
      // A field the server could not read exactly (not UTF-8): nothing is stored, the form says why.
      if (isUnreadableForm(req.body))
        return home(req, reply, view, 400, form, view.t("form.error.unreadable"));
      let client: ReturnType<typeof clientSecretOf>;
      try {
        client = clientSecretOf(req.body);
      } catch (err) {
        if (!(err instanceof UnreadableClientFields)) throw err;
        return home(req, reply, view, 400, form, view.t("form.error.unreadable"));
      }
      const input: CreateInput = {
        // Encrypted in the browser: the server gets the ciphertext and the proof, never the text.
        ...(client === null ? { secret: form.secret } : { client }),
        ttl: form.ttl,
        passphrase: form.passphrase === "" ? undefined : form.passphrase,
        recipients: form.recipient === "" ? [] : [form.recipient],
        // The recipient's email speaks the sender's page language.
        locale: view.m.locale,
      };
      try {
        const made =
          form.mode === "generate" && client === null
            ? await generate(deps, ctx.caller(req), input)
            : await conceal(deps, ctx.caller(req), input);
        if (made.value !== undefined) {
          reply.setCookie(ctx.cookies.note, sealNote(deps.webKeys.flash, made.metadataKey, made.value), {
            path: "/receipt/",
            maxAge: 300,
            httpOnly: true,
            sameSite: "strict",
            secure: config.ssl,
          });
        }
        const receiptHref = view.href(`/receipt/${made.metadataKey}`);
        // The page script asks for the address to keep k under before it goes there itself: one
        // receipt request, as with the plain form's redirect.
        if (client !== null && req.headers.accept === "application/json")
          return reply.send({ receipt: receiptHref });
        return reply.redirect(receiptHref, 303);
      } catch (err) {
        const problem = formProblem(view.t, err, "create");
        if (problem === null) throw err;
        setRetryAfter(reply, err);
        // The form comes back filled in, and the operator still hears of a store that failed.
        if (isAppError(err, "store_unavailable")) logStoreUnavailable(req, deps, err);
        return home(req, reply, view, problem.status, form, problem.message);
      }
    });

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

    // GET (and the HEAD Fastify derives from it) only looks: link previews consume nothing.
    app.get("/secret/:key", async (req: KeyRequest, reply) => {
      const view = ctx.view(req, reply);
      const preview = await inspectSecret(deps, ctx.caller(req), req.params.key);
      return sendPage(reply, 200, confirmPage(view, { secretKey: req.params.key, ...confirmOf(preview) }));
    });

    app.post("/secret/:key", async (req: KeyRequest, reply) => {
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
        return sendPage(reply, 200, revealedPage(view, { value: revealed.value }));
      } catch (err) {
        // Encrypted in its sender's browser and posted without a proof (no JavaScript): nothing was
        // consumed, and the page says how to read it.
        if (isAppError(err, "client_encrypted")) return again(409, view.t("zk.reveal.needs_js"));
        // The one line this form shows is a wrong passphrase, which tells that the secret asks for
        // one: all the form needs, so it comes back without a second read or reveal-limit hit.
        const problem = formProblem(view.t, err, "passphrase");
        if (problem === null) throw err;
        const page = confirmPage(view, { secretKey, hasPassphrase: true, error: problem.message });
        return sendPage(reply, problem.status, page);
      }
    });
  };
}

import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type CreateInput, conceal, generate } from "../../actions/create.js";
import { ENVELOPE_MAX_OVERHEAD } from "../../crypto/envelope.js";
import { BLOB_OVERHEAD } from "../../crypto/zk.js";
import { AppError, isAppError } from "../../domain/errors.js";
import { linkDomains } from "../../domain/share-domains.js";
import { isUnreadableForm } from "../body.js";
import { setRetryAfter } from "../errors.js";
import { requestOrigin } from "../origin.js";
import { field, logStoreUnavailable, sendPage, type WebContext } from "./context.js";
import { type CreateFormLimits, multipartOptions, readCreateForm } from "./create-form.js";
import type { View } from "./layout.js";
import { formProblem } from "./messages.js";
import { sealNote } from "./note.js";
import { defaultLifetime, type HomeForm, homePage, lifetimes, signInPromptPage } from "./pages/home.js";
import { clientSecretOf, UnreadableClientFields } from "./zk-fields.js";

/** The home page's form and its POST: a new secret, then the receipt. */
export function createRoutes(ctx: WebContext) {
  const { deps, csrf } = ctx;
  const { config } = deps;
  const anonymousOptions = lifetimes(config, config.ttlMaxAnonymous);
  // Signed-in users get the higher ceiling, on the web as on the API.
  const accountOptions = lifetimes(config, config.ttlMax);
  const optionsFor = (req: FastifyRequest) => (ctx.account(req) === null ? anonymousOptions : accountOptions);
  const signup = config.authEnabled && config.auth.signup;
  /** AUTH_REQUIRED and nobody signed in: the home page asks to sign in instead of offering the form. */
  const mustSignIn = (req: FastifyRequest) => config.auth.required && ctx.account(req) === null;
  /** The site's own host as this request sees it: HOST, or the host it reached. */
  const ownHost = (req: FastifyRequest) => requestOrigin(config, req).host;
  /** The link domains offered: none (no selector) without SHARE_DOMAINS; else the site's own first. */
  const domainsFor = (req: FastifyRequest) =>
    config.shareDomains.length === 0 ? [] : linkDomains(ownHost(req), config.shareDomains);
  /** Preselected: the host the page is served on when links may name it, else the site's own. */
  const defaultDomain = (req: FastifyRequest) => {
    const served = req.host.toLowerCase();
    return domainsFor(req).includes(served) ? served : ownHost(req);
  };

  // The largest ciphertext the page script makes: a full text and file, the envelope's largest header.
  const formLimits: CreateFormLimits = {
    fileBytes: config.files.maxBytes,
    blobBytes: config.secretMaxLength + config.files.maxBytes + ENVELOPE_MAX_OVERHEAD + BLOB_OVERHEAD,
    fieldBytes: Math.max(config.bodyLimit, config.secretMaxLength + 1, 4 * config.passphraseMaxLength + 1),
  };

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
      fileMaxBytes: config.files.maxBytes,
      passphraseRequired: config.passphraseRequired,
      passphraseLengths: { min: config.passphraseMinLength, max: config.passphraseMaxLength },
      passwordRules: config.passwordGen,
      browserEncrypts: config.zeroKnowledge !== "off",
      recipientField: ctx.account(req) !== null && config.mail.smtp !== null,
      notifyField: ctx.account(req) !== null && config.mail.smtp !== null,
      viewsMax: ctx.account(req) === null ? config.views.maxAnonymous : config.views.max,
      linkDomains: domainsFor(req),
      error,
    });
    return sendPage(reply, status, page);
  }

  return async function register(app: FastifyInstance): Promise<void> {
    // Only this form takes multipart bodies (for its file); every other page form stays url-encoded.
    await app.register(multipart, multipartOptions(formLimits));
    app.get("/", async (req, reply) => {
      const view = ctx.view(req, reply);
      if (mustSignIn(req))
        return sendPage(
          reply,
          200,
          signInPromptPage(view, { signup, readSignedIn: config.access.read === "signed-in" }),
        );
      const form: HomeForm = {
        mode: "text",
        secret: "",
        passphrase: "",
        ttl: defaultLifetime(optionsFor(req), config.defaultTtl),
        recipient: "",
        fileLost: false,
        views: "1",
        notify: false,
        shareDomain: defaultDomain(req),
      };
      return home(req, reply, view, 200, form);
    });

    app.post("/create", async (req, reply) => {
      const view = ctx.view(req, reply);
      // Nothing to keep for someone who may not create: the prompt says why and where to sign in.
      if (mustSignIn(req))
        return sendPage(
          reply,
          401,
          signInPromptPage(view, { signup, readSignedIn: config.access.read === "signed-in" }),
        );
      const sent = req.isMultipart()
        ? await readCreateForm(req, formLimits)
        : { body: req.body, file: null, blobTooLarge: false };
      const { body } = sent;
      // The lifetime is one of the offered choices (seconds); anything else gets the preselected one.
      const options = optionsFor(req);
      const ttl = Number(field(body, "ttl"));
      const form: HomeForm = {
        mode: field(body, "mode") === "generate" ? "generate" : "text",
        // Browsers send a textarea's line breaks as CRLF whatever was typed or pasted; the text keeps
        // the LF the textarea held (the v1 API stores what it is given).
        secret: field(body, "secret").replace(/\r\n/g, "\n"),
        passphrase: field(body, "passphrase"),
        ttl: options.includes(ttl) ? ttl : defaultLifetime(options, config.defaultTtl),
        recipient: field(body, "recipient").trim(),
        views: field(body, "views").trim(),
        notify: field(body, "notify") === "1",
        // Absent without a selector: the site's own.
        shareDomain: field(body, "share_domain").trim().toLowerCase() || ownHost(req),
        // A page cannot hand a file back: the form asks for it again.
        fileLost: sent.file !== null,
      };
      // An expired or forged form loses nothing: the page comes back filled in, with a fresh token.
      if (!csrf.verify(req, body)) {
        return home(req, reply, view, 403, form, view.t("form.error.expired"));
      }
      // A field the server could not read exactly (not UTF-8): nothing is stored, the form says why.
      if (isUnreadableForm(body)) return home(req, reply, view, 400, form, view.t("form.error.unreadable"));
      // A file over FILE_MAX_BYTES was dropped as it arrived: nothing is stored.
      if (sent.file === "too_large" || sent.blobTooLarge) {
        return home(req, reply, view, 413, form, fileTooLarge(view, config.files.maxBytes));
      }
      let client: ReturnType<typeof clientSecretOf>;
      try {
        client = clientSecretOf(body);
      } catch (err) {
        if (!(err instanceof UnreadableClientFields)) throw err;
        return home(req, reply, view, 400, form, view.t("form.error.unreadable"));
      }
      // A generated password goes alone; the plain form still sends a file chosen before switching.
      const file = form.mode === "text" && sent.file !== null ? sent.file : undefined;
      const input: CreateInput = {
        // Encrypted in the browser: the server gets the ciphertext and the proof, never the text.
        ...(client === null ? { secret: form.secret, file } : { client }),
        ttl: form.ttl,
        passphrase: form.passphrase === "" ? undefined : form.passphrase,
        recipients: form.recipient === "" ? [] : [form.recipient],
        // Out of the caller's range (or not a number), the form comes back saying the range.
        views: form.views === "" ? undefined : Number(form.views),
        notify: form.notify,
        // One the selector does not offer (posted by hand) is refused: the form comes back saying so.
        shareDomain: form.shareDomain,
        ownHost: ownHost(req),
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
  };
}

/** The line for a file over FILE_MAX_BYTES, as the create action would say it. */
function fileTooLarge(view: View, max: number): string {
  return formProblem(view.t, new AppError("file_too_large", { max }), "create")?.message ?? "";
}

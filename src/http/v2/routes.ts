import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Static } from "typebox";
import { authenticate } from "../../actions/authenticate.js";
import { burn } from "../../actions/burn.js";
import { conceal, generate } from "../../actions/create.js";
import type { Caller, Deps } from "../../actions/deps.js";
import { inspectSecret } from "../../actions/inspect.js";
import { limit } from "../../actions/rate-limit.js";
import { showReceipt } from "../../actions/receipt.js";
import { recent } from "../../actions/recent.js";
import { reveal } from "../../actions/reveal.js";
import { base64FileBodyLimit } from "../../config-files.js";
import type { FileContent } from "../../crypto/envelope.js";
import { CLIENT_FORMAT, type ClientSecretInput } from "../../domain/client-secret.js";
import { AppError, isAppError } from "../../domain/errors.js";
import { linkDomains } from "../../domain/share-domains.js";
import { refuseMalformedKey } from "../key-param.js";
import { requestOrigin } from "../origin.js";
import { VERSION } from "./openapi.js";
import {
  CONSUMES,
  CreatedAnswer,
  LocalesAnswer,
  ReceiptAnswer,
  RecentAnswer,
  responses,
  SecretAnswer,
  SecretStatusAnswer,
  StatusAnswer,
  VersionAnswer,
} from "./schemas.js";
import { ActionBody, CreateBody, KeyParams } from "./schemas-requests.js";
import { createdAnswer, receiptRecord, secretRecord } from "./serialize.js";

/**
 * base64url (no padding) from a v2 field, as strictly as src/crypto/zk.ts reads it, but through
 * Node's own codec (a file's blob in milliseconds): a character outside the alphabet, a length no
 * encoding gives, or unused bits set is that field's invalid_param, since Buffer.from alone would
 * skip what it cannot read and keep other bytes.
 */
export function bytes(text: string | undefined, field: string): Uint8Array {
  if (text === undefined || !/^[A-Za-z0-9_-]*$/.test(text)) throw new AppError("invalid_param", { field });
  const data = Buffer.from(text, "base64url");
  if (data.toString("base64url") !== text) throw new AppError("invalid_param", { field });
  return data;
}

/** Standard base64 (padded) from a v2 field, strictly, as bytes() reads base64url. */
function base64(text: string, field: string): Buffer {
  const data = Buffer.from(text, "base64");
  if (text.length % 4 !== 0 || data.toString("base64") !== text) {
    throw new AppError("invalid_param", { field });
  }
  return data;
}

/** API v2 on the same actions as v1, mounted under /api/v2 (docs/api-v2.md). */
export function v2Routes(deps: Deps) {
  /** Basic `email:token` as v1, or `Bearer <token>`; no header is anonymous. */
  async function caller(req: FastifyRequest): Promise<Caller> {
    const ip = req.ip;
    return { ip, account: await authenticate(deps, { ip }, req.headers.authorization, { bearer: true }) };
  }

  function createInput(req: FastifyRequest, body: Static<typeof CreateBody>) {
    const p = body.secret;
    const ttl = p.ttl === undefined ? undefined : Number(p.ttl);
    const views = p.views === undefined ? undefined : Number(p.views);
    const recipients = p.recipient === undefined ? [] : [p.recipient].flat().filter((r) => r.trim() !== "");
    return {
      secret: p.secret,
      client: clientInput(p),
      file: fileInput(p.file),
      ttl,
      passphrase: p.passphrase === "" ? undefined : p.passphrase,
      recipients,
      shareDomain: p.share_domain,
      ownHost: requestOrigin(deps.config, req).host,
      views,
      notify: typeof p.notify === "string" ? p.notify === "true" : p.notify,
      locale: deps.i18n.negotiate({ acceptLanguage: req.headers["accept-language"] }),
    };
  }

  /** The zero-knowledge extension: `ciphertext` and `proof` (and `kdf`) instead of `secret` and `passphrase`. */
  function clientInput(p: Static<typeof CreateBody>["secret"]): ClientSecretInput | undefined {
    const hasFile = p.has_file === true || p.has_file === "true";
    if (p.ciphertext === undefined && p.proof === undefined && p.kdf === undefined) {
      // The flag describes a client's blob; beside a plaintext it means nothing the server can honour.
      if (p.has_file !== undefined) throw new AppError("invalid_param", { field: "has_file" });
      return undefined;
    }
    if (p.secret !== undefined || p.passphrase !== undefined) {
      throw new AppError("invalid_param", { field: p.secret !== undefined ? "secret" : "passphrase" });
    }
    const kdf =
      p.kdf === undefined
        ? null
        : { salt: bytes(p.kdf.salt, "kdf.salt"), iterations: Number(p.kdf.iterations) };
    return { blob: bytes(p.ciphertext, "ciphertext"), proof: bytes(p.proof, "proof"), kdf, hasFile };
  }

  /** A file sent with a plaintext secret: its bytes from strict base64, its name and type as given. */
  function fileInput(f: Static<typeof CreateBody>["secret"]["file"]): FileContent | undefined {
    if (f === undefined) return undefined;
    return { name: f.name ?? "", type: f.type ?? "", bytes: base64(f.content, "file.content") };
  }

  /** `continue: false` (or "false" from a form) asks to look without consuming. */
  const looksOnly = (body: Static<typeof ActionBody>) => body.continue === false || body.continue === "false";

  async function look(c: Caller, key: string) {
    const preview = await inspectSecret(deps, c, key);
    const record = secretRecord({ secretKey: key, ...preview }, deps.now());
    return { success: true, record, details: {} } as const;
  }

  return async function register(base: FastifyInstance): Promise<void> {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const meta = { tags: ["meta"] };
    const secrets = { tags: ["secret"] };
    const receipts = { tags: ["receipt"] };

    app.get("/status", { schema: { ...meta, response: responses(StatusAnswer) } }, async (req) => {
      await limit(deps, await caller(req), "status");
      const locale = deps.i18n.negotiate({ acceptLanguage: req.headers["accept-language"] });
      const zk = deps.config.zeroKnowledge;
      // The hosts `share_domain` may name (anything else is refused: 422, field share_domain); without
      // HOST and SHARE_DOMAINS there is nothing to list: links name the host each request reached.
      const domains = linkDomains(deps.config.host, deps.config.shareDomains);
      const capabilities = {
        ...(zk === "off"
          ? {}
          : { client_encryption: CLIENT_FORMAT, client_encryption_required: zk === "required" }),
        // A client (the terminal's) sends a file only to a server that says it takes one, and how large.
        file_max_bytes: deps.config.files.maxBytes,
        ...(domains.length === 0 ? {} : { share_domains: domains }),
      };
      return { success: true, status: "nominal", locale, capabilities } as const;
    });
    app.get("/version", { schema: { ...meta, response: responses(VersionAnswer) } }, async (req) => {
      await limit(deps, await caller(req), "status");
      return { success: true, version: VERSION, build: null } as const;
    });
    app.get(
      "/supported-locales",
      { schema: { ...meta, response: responses(LocalesAnswer) } },
      async (req) => {
        await limit(deps, await caller(req), "status");
        return {
          success: true,
          locales: deps.i18n.locales,
          default_locale: deps.config.defaultLocale,
        } as const;
      },
    );

    const create = {
      ...secrets,
      consumes: CONSUMES,
      body: CreateBody,
      response: responses(CreatedAnswer, [413, 415, 422]),
    };
    // Conceal takes a file as base64: only this route's body may be larger than BODY_LIMIT.
    const takesFile = {
      schema: create,
      bodyLimit: base64FileBodyLimit(deps.config.bodyLimit, deps.config.files),
      config: { takesFile: true },
    };
    app.post("/secret/conceal", takesFile, async (req) => {
      const view = await conceal(deps, await caller(req), createInput(req, req.body));
      return createdAnswer(view, requestOrigin(deps.config, req), deps.now());
    });
    app.post("/secret/generate", { schema: create }, async (req) => {
      const view = await generate(deps, await caller(req), createInput(req, req.body));
      return createdAnswer(view, requestOrigin(deps.config, req), deps.now());
    });

    // A key outside the key alphabet is unknown at once, before the body is read (key-param.ts);
    // the status look answers it like any other unknown key instead.
    const keyed = { ...secrets, params: KeyParams };
    const onRequest = refuseMalformedKey;
    app.get(
      "/secret/:key",
      { onRequest, schema: { ...keyed, response: responses(SecretAnswer, [404]) } },
      async (req) => look(await caller(req), req.params.key),
    );
    app.get(
      "/secret/:key/status",
      { schema: { ...keyed, response: responses(SecretStatusAnswer) } },
      async (req) => {
        // As upstream: whatever became of a secret that is not live, the answer is the same `unknown`.
        try {
          const preview = await inspectSecret(deps, await caller(req), req.params.key);
          const record = secretRecord({ secretKey: req.params.key, ...preview }, deps.now());
          return {
            success: true,
            record,
            details: { current_expiration: preview.expiresAt / 1000 },
          } as const;
        } catch (err) {
          if (!isAppError(err, "unknown_secret")) throw err;
          return { success: true, record: { state: "unknown" }, details: {} } as const;
        }
      },
    );
    app.post(
      "/secret/:key/reveal",
      {
        onRequest,
        schema: {
          ...keyed,
          consumes: CONSUMES,
          body: ActionBody,
          response: responses(SecretAnswer, [404, 415, 422]),
        },
      },
      async (req) => {
        const c = await caller(req);
        if (looksOnly(req.body)) return look(c, req.params.key);
        const revealed = await reveal(deps, c, {
          secretKey: req.params.key,
          passphrase: req.body.passphrase,
          proof: req.body.proof === undefined ? undefined : bytes(req.body.proof, "proof"),
        });
        const facts = {
          ...revealed,
          client: revealed.encryption === "client" ? { kdf: revealed.kdf } : null,
        };
        const content =
          revealed.blob === null ? { value: revealed.value, file: revealed.file } : { blob: revealed.blob };
        const record = secretRecord(facts, deps.now(), content);
        return { success: true, record, details: {} } as const;
      },
    );

    for (const prefix of ["receipt", "private"]) {
      // Static segments win over parameters in the router, so `recent` is never taken as a key.
      app.get(
        `/${prefix}/recent`,
        { schema: { ...receipts, response: responses(RecentAnswer) } },
        async (req) => {
          const c = await caller(req);
          if (c.account === null) throw new AppError("not_authorized");
          const now = deps.now();
          const origin = requestOrigin(deps.config, req);
          const records = (await recent(deps, c)).map((view) => receiptRecord(view, origin, now));
          return { success: true, records, count: records.length, details: {} } as const;
        },
      );
      const receiptKeyed = { ...receipts, params: KeyParams };
      app.get(
        `/${prefix}/:key`,
        { onRequest, schema: { ...receiptKeyed, response: responses(ReceiptAnswer, [404]) } },
        async (req) => {
          const view = await showReceipt(deps, await caller(req), req.params.key);
          const record = receiptRecord(view, requestOrigin(deps.config, req), deps.now());
          return { success: true, record, details: {} } as const;
        },
      );
      app.post(
        `/${prefix}/:key/burn`,
        {
          onRequest,
          schema: {
            ...receiptKeyed,
            consumes: CONSUMES,
            body: ActionBody,
            response: responses(ReceiptAnswer, [404, 415, 422]),
          },
        },
        async (req) => {
          const c = await caller(req);
          const origin = requestOrigin(deps.config, req);
          if (looksOnly(req.body)) {
            const view = await showReceipt(deps, c, req.params.key);
            return { success: true, record: receiptRecord(view, origin, deps.now()), details: {} } as const;
          }
          const burned = await burn(deps, c, {
            metadataKey: req.params.key,
            passphrase: req.body.passphrase,
          });
          return {
            success: true,
            record: receiptRecord(burned.receipt, origin, deps.now()),
            details: {},
          } as const;
        },
      );
    }
  };
}

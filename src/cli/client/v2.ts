// The Onetime Secret API v2: parameters nested under `secret`, `{success, record, details}`
// answers, real status codes with `{error, error_type, field?}`, and a look at a secret
// (GET /secret/:key) that consumes nothing, so the client knows to ask for a passphrase first.

import { cleanFileName, cleanMediaType } from "../../crypto/envelope.js";
import { ClientError, EXIT, notFound, type Subject, statusFailure, unexpected } from "./errors.js";
import { authorization, exchange, num, type Reply, type Request, record, str, strings } from "./http.js";
import type { Answer, Api, Created, Credentials, FileData, Receipt, ShareInput } from "./types.js";

export function v2Api(server: string, credentials: Credentials): Api {
  const call = async (
    req: Omit<Request, "authorization">,
    what: Subject,
  ): Promise<Record<string, unknown>> => {
    const reply = await exchange(server, { ...req, authorization: authorization(credentials, true) });
    if (reply.status === 200) return record(reply.body);
    throw v2Failure(reply, what);
  };
  const receiptOf = (raw: unknown): Receipt => v2Receipt(server, raw);
  const keep = (passphrase: string | undefined) => ({
    ...(passphrase === undefined ? {} : { passphrase }),
    continue: true,
  });
  return {
    version: "v2",
    server,
    async status() {
      const raw = await call({ method: "GET", path: "/api/v2/status" }, "status");
      const capabilities = record(raw.capabilities);
      const clientEncryption = num(capabilities.client_encryption);
      const fileMaxBytes = num(capabilities.file_max_bytes);
      const status = str(raw.status) ?? "unknown";
      return { value: { status, locale: str(raw.locale), clientEncryption, fileMaxBytes }, raw };
    },
    async share(input: ShareInput): Promise<Created> {
      const secret: Record<string, unknown> = {};
      if (input.secret !== undefined) secret.secret = input.secret;
      if (input.sealed !== undefined) {
        secret.ciphertext = input.sealed.ciphertext;
        secret.proof = input.sealed.proof;
        if (input.sealed.kdf !== null) secret.kdf = input.sealed.kdf;
        if (input.sealed.hasFile) secret.has_file = true;
      }
      if (input.file !== undefined) {
        const { name, type, bytes } = input.file;
        secret.file = { name, type, content: Buffer.from(bytes).toString("base64") };
      }
      if (input.ttl !== undefined) secret.ttl = input.ttl;
      if (input.views !== undefined) secret.views = input.views;
      if (input.notify === true) secret.notify = true;
      if (input.passphrase !== undefined) secret.passphrase = input.passphrase;
      if (input.recipients.length > 0) secret.recipient = input.recipients;
      if (input.shareDomain !== undefined) secret.share_domain = input.shareDomain;
      const given = input.secret !== undefined || input.sealed !== undefined || input.file !== undefined;
      const path = given ? "/api/v2/secret/conceal" : "/api/v2/secret/generate";
      const raw = await call({ method: "POST", path, json: { secret } }, "share");
      const made = record(raw.record);
      const receiptRecord = record(made.receipt ?? made.metadata);
      const receipt = receiptOf(receiptRecord);
      if (receipt.shareUrl === null) throw unexpected(server);
      // The generated password: on the record, or on its receipt or secret part.
      const password =
        str(made.secret_value) ?? str(receiptRecord.secret_value) ?? str(record(made.secret).secret_value);
      return { receipt, shareUrl: receipt.shareUrl, receiptUrl: receipt.receiptUrl, password, raw };
    },
    async look(key) {
      const raw = await call({ method: "GET", path: `/api/v2/secret/${key}` }, "secret");
      const r = record(raw.record);
      const kdf = record(r.kdf);
      const salt = str(kdf.salt);
      const iterations = num(kdf.iterations);
      return {
        value: {
          hasPassphrase: r.has_passphrase === true,
          encryption: r.encryption === "client" ? "client" : "server",
          kdf: salt === null || iterations === null ? null : { salt, iterations },
          hasFile: r.has_file === true,
        },
        raw,
      };
    },
    async revealSealed(key, proof) {
      const raw = await call(
        { method: "POST", path: `/api/v2/secret/${key}/reveal`, json: { proof, continue: true } },
        "secret",
      );
      const value = str(record(raw.record).ciphertext);
      if (value === null) throw unexpected(server);
      return { value, raw };
    },
    async reveal(key, passphrase) {
      const raw = await call(
        { method: "POST", path: `/api/v2/secret/${key}/reveal`, json: keep(passphrase) },
        "secret",
      );
      const r = record(raw.record);
      const text = str(r.secret_value);
      if (text === null) throw unexpected(server);
      return { value: { text, file: r.file === undefined ? null : fileOf(server, r.file) }, raw };
    },
    async receipt(key) {
      const raw = await call({ method: "GET", path: `/api/v2/receipt/${key}` }, "receipt");
      return { value: receiptOf(raw.record), raw };
    },
    async burn(key, passphrase) {
      const raw = await call(
        { method: "POST", path: `/api/v2/receipt/${key}/burn`, json: keep(passphrase) },
        "burn",
      );
      return { value: receiptOf(raw.record), raw };
    },
    async recent(): Promise<Answer<Receipt[]>> {
      const raw = await call({ method: "GET", path: "/api/v2/receipt/recent" }, "recent");
      if (!Array.isArray(raw.records)) throw unexpected(server);
      return { value: raw.records.map(receiptOf), raw };
    },
  };
}

/** The views a reveal answer says are left after it; null when it does not say (v1, other servers). */
export function viewsLeftAfter(raw: unknown): number | null {
  return num(record(record(raw).record).views_left);
}

function v2Receipt(server: string, raw: unknown): Receipt {
  const r = record(raw);
  const key = str(r.identifier) ?? str(r.key);
  if (key === null) throw unexpected(server);
  const passphrase = r.has_passphrase;
  return {
    key,
    secretKey: str(r.secret_identifier) || null,
    state: str(r.state) ?? "unknown",
    hasPassphrase: typeof passphrase === "boolean" ? passphrase : null,
    encryption: str(r.encryption),
    secretTtl: num(r.secret_ttl),
    receiptTtl: num(r.receipt_ttl) ?? num(r.metadata_ttl),
    created: num(r.created),
    revealed: num(r.revealed),
    burned: num(r.burned),
    views: num(r.views),
    viewsUsed: num(r.views_used),
    viewsLeft: num(r.views_left),
    readTimes: Array.isArray(r.read_times)
      ? r.read_times.filter((t): t is number => typeof t === "number")
      : [],
    recipients: strings(r.recipients),
    owner: str(r.custid),
    shareUrl: str(r.share_url) || null,
    receiptUrl: str(r.receipt_url) ?? `${server}/receipt/${key}`,
  };
}

/**
 * A revealed file as the server sent it: strict base64, and its name and type cleaned again here, so
 * that a server (any server a link names) cannot make this client write outside the place it chose.
 */
function fileOf(server: string, raw: unknown): FileData {
  const f = record(raw);
  const content = str(f.content);
  if (content === null) throw unexpected(server);
  const bytes = Buffer.from(content, "base64");
  if (bytes.toString("base64") !== content) throw unexpected(server);
  return { name: cleanFileName(str(f.name) ?? ""), type: cleanMediaType(str(f.type) ?? ""), bytes };
}

function v2Failure(reply: Reply, what: Subject): ClientError {
  const body = record(reply.body);
  const message = str(body.error) ?? str(body.message) ?? `HTTP ${reply.status}`;
  const type = str(body.error_type);
  if (reply.status === 404) {
    if (type === "RecordNotFound") return notFound(what);
    return new ClientError(EXIT.unavailable, "the server has no such API v2 route (try --api v1)");
  }
  const failure = statusFailure(reply.status, message, reply.headers);
  // A passphrase refused at a reveal or a burn (at a share, a passphrase rule is bad input).
  const refused = what !== "share" && body.field === "passphrase" && [401, 403, 422].includes(reply.status);
  return refused ? failure.asPassphrase() : failure;
}

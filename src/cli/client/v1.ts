// The Onetime Secret API v1 (the classic wire format every Onetime Secret server speaks): flat form
// parameters, the metadata object, and every error a 404 whose real status is in
// X-OTS-Intended-Status (ours and modern upstream) or only in its message (classic upstream).

import { ClientError, EXIT, notFound, type Subject, statusFailure, unexpected } from "./errors.js";
import { authorization, exchange, num, type Reply, type Request, record, str, strings } from "./http.js";
import type { Answer, Api, Created, Credentials, Receipt, ShareInput } from "./types.js";

/** Messages that tell the failure when no X-OTS-Intended-Status says it. */
const BY_MESSAGE: Record<string, number> = {
  "Unknown secret": 404,
  "Not authorized": 401,
  "Double check that passphrase": 403,
  "Cripes! You have been rate limited.": 429,
  "We'll be back shortly!": 503,
};

export function v1Api(server: string, credentials: Credentials): Api {
  const call = async (req: Omit<Request, "authorization">, what: Subject): Promise<unknown> => {
    const reply = await exchange(server, { ...req, authorization: authorization(credentials, false) });
    if (reply.status === 200) return reply.body;
    throw v1Failure(reply, what);
  };
  const receiptOf = (raw: unknown): Receipt => v1Receipt(server, raw);
  return {
    version: "v1",
    server,
    async status() {
      const raw = await call({ method: "GET", path: "/api/v1/status" }, "status");
      const r = record(raw);
      return {
        value: {
          status: str(r.status) ?? "unknown",
          locale: str(r.locale),
          clientEncryption: null,
          fileMaxBytes: null,
        },
        raw,
      };
    },
    async share(input: ShareInput): Promise<Created> {
      if (input.sealed !== undefined) throw onlyV2();
      // v1 knows nothing of view limits: its shares are read once, whatever is sent.
      if (input.views !== undefined && input.views !== 1) {
        throw new ClientError(
          EXIT.usage,
          "--views needs API v2: a v1 share is read once (leave out --api v1)",
        );
      }
      if (input.notify === true) {
        throw new ClientError(EXIT.usage, "--notify needs API v2 (leave out --api v1)");
      }
      // v1 drops a domain it does not list without a word: the link would name another host.
      if (input.shareDomain !== undefined) {
        throw new ClientError(
          EXIT.usage,
          "--domain needs API v2, which refuses a domain it does not list (leave out --api v1)",
        );
      }
      const form = new URLSearchParams();
      if (input.secret !== undefined) form.set("secret", input.secret);
      if (input.ttl !== undefined) form.set("ttl", String(input.ttl));
      if (input.passphrase !== undefined) form.set("passphrase", input.passphrase);
      for (const r of input.recipients) form.append("recipient", r);
      const path = input.secret === undefined ? "/api/v1/generate" : "/api/v1/share";
      const raw = await call({ method: "POST", path, form }, "share");
      const receipt = receiptOf(raw);
      if (receipt.shareUrl === null) throw unexpected(server);
      const password = str(record(raw).value);
      return { receipt, shareUrl: receipt.shareUrl, receiptUrl: receipt.receiptUrl, password, raw };
    },
    async look() {
      return null;
    },
    async reveal(key, passphrase) {
      const form = new URLSearchParams(passphrase === undefined ? {} : { passphrase });
      const raw = await call({ method: "POST", path: `/api/v1/secret/${key}`, form }, "secret");
      const text = str(record(raw).value);
      if (text === null) throw unexpected(server);
      // v1 carries text only (a file secret is refused there, unconsumed).
      return { value: { text, file: null }, raw };
    },
    async revealSealed() {
      throw onlyV2();
    },
    async receipt(key) {
      const raw = await call({ method: "GET", path: `/api/v1/private/${key}` }, "receipt");
      return { value: receiptOf(raw), raw };
    },
    async burn(key, passphrase) {
      const form = new URLSearchParams(passphrase === undefined ? {} : { passphrase });
      const raw = await call({ method: "POST", path: `/api/v1/private/${key}/burn`, form }, "burn");
      return { value: receiptOf(record(raw).state), raw };
    },
    async recent(): Promise<Answer<Receipt[]>> {
      const raw = await call({ method: "GET", path: "/api/v1/private/recent" }, "recent");
      if (!Array.isArray(raw)) throw unexpected(server);
      return { value: raw.map(receiptOf), raw };
    },
  };
}

function onlyV2(): ClientError {
  return new ClientError(EXIT.usage, "a secret encrypted by its sender needs API v2 (leave out --api v1)");
}

function v1Receipt(server: string, raw: unknown): Receipt {
  const r = record(raw);
  const key = str(r.metadata_key);
  if (key === null) throw unexpected(server);
  const secretKey = str(r.secret_key) || null;
  const domain = str(r.share_domain) ?? "";
  const site = domain === "" ? server : `${new URL(server).protocol}//${domain}`;
  const passphrase = r.passphrase_required;
  return {
    key,
    secretKey,
    state: str(r.state) ?? "unknown",
    hasPassphrase: typeof passphrase === "boolean" ? passphrase : null,
    encryption: null,
    secretTtl: num(r.secret_ttl),
    receiptTtl: num(r.metadata_ttl),
    created: num(r.created),
    revealed: num(r.received),
    burned: str(r.state) === "burned" ? num(r.updated) : null,
    views: null,
    viewsUsed: null,
    viewsLeft: null,
    readTimes: [],
    recipients: strings(r.recipient),
    owner: str(r.custid),
    shareUrl: secretKey === null ? null : `${site}/secret/${secretKey}`,
    // /private/ is the receipt page of every Onetime Secret server, classic ones included.
    receiptUrl: `${server}/private/${key}`,
  };
}

/** The failure a v1 error answer means; `what` says what was asked for ("secret", "receipt"…). */
function v1Failure(reply: Reply, what: Subject): ClientError {
  const body = record(reply.body);
  const message = str(body.message) ?? str(body.error) ?? "";
  const intended = Number(reply.headers.get("x-ots-intended-status"));
  const status = intended > 0 ? intended : (BY_MESSAGE[message] ?? reply.status);
  if (message === "Unknown secret") {
    if (what !== "secret") return notFound(what);
    // A v1 reveal answers the same when a passphrase is missing: say so, it is safe to retry.
    return new ClientError(
      EXIT.notFound,
      `${notFound("secret").message}, or it needs a passphrase (API v1 cannot tell which: try --ask-passphrase)`,
    );
  }
  if (body.error === "Not Found" && body.message === undefined) {
    return new ClientError(
      EXIT.unavailable,
      "the server has no such API v1 route: is it an Onetime Secret server?",
    );
  }
  const failure = statusFailure(status, message || `HTTP ${reply.status}`, reply.headers);
  return message === "Double check that passphrase" ? failure.asPassphrase() : failure;
}

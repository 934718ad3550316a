import { isRequesterPublicKey } from "../crypto/request-vault.js";
import { type ClientSecretInput, checkClientSecret } from "../domain/client-secret.js";
import { AppError } from "../domain/errors.js";
import { mailOrigin, siteUrl } from "../domain/links.js";
import { receiptShortId } from "../domain/notify.js";
import { mailBrand } from "../mail/message.js";
import { queueMail } from "../mail/outbox.js";
import { requestAnsweredMail } from "../mail/request-mail.js";
import type { RequestRow } from "../store/types.js";
import { storeSecret } from "./create.js";
import type { Caller, Deps } from "./deps.js";
import { limit } from "./rate-limit.js";
import { requestAnsweredHook } from "./request-hooks.js";
import { ownerGone, requestState } from "./requests.js";

// Answering a secret request (docs/requests.md). The sender's client sealed the answer to the
// requester's public key (src/crypto/request-key.ts): it arrives as an ordinary zero-knowledge
// secret, which becomes the requester's (its receipt's owner), and its metadata key is listed under
// the request sealed to the request's answer key, which only the requester link opens.

export interface AnswerInput {
  /** The sealed answer: a zero-knowledge secret without a passphrase (the key agreement is its key). */
  client: ClientSecretInput;
  /** The sender's ephemeral ECDH P-256 public point. */
  senderKey: Uint8Array;
  /** Seconds the answer may wait to be read: the requester's (signed-in) bounds. */
  ttl?: number;
}

export interface AnswerResult {
  answersUsed: number;
  answersMax: number;
  /** When the answer's secret expires unread. */
  secretExpiresAt: number;
}

/** A notice mail waits at least this long in the outbox, even when its receipt ends sooner. */
const NOTICE_KEEP_MS = 24 * 3600_000;

export async function answerRequest(
  deps: Deps,
  caller: Caller,
  linkKey: string,
  input: AnswerInput,
): Promise<AnswerResult> {
  await limit(deps, caller, "create");
  if (deps.config.zeroKnowledge === "off") throw new AppError("zero_knowledge_off");
  const rv = deps.vault.requests;
  const id = rv.requestId(linkKey);
  const now = deps.now();
  const row = await deps.store.requests.get(id, now);
  if (row === null || rv.openNote(linkKey, id, row.sealedNote) === null)
    throw new AppError("unknown_request");
  const state = requestState(row, now);
  if (state !== "open") throw new AppError("request_closed", { state });
  const owner = await deps.store.accounts.get(row.accountId);
  if (owner === null || (await ownerGone(deps, row)))
    throw new AppError("request_closed", { state: "closed" });
  if (!isRequesterPublicKey(input.senderKey)) throw new AppError("invalid_param", { field: "sender_key" });
  // The requester opens an answer with its private key alone: a passphrase would lock it out.
  if (input.client.kdf !== null) throw new AppError("invalid_param", { field: "kdf" });
  checkClientSecret(input.client, {
    secretMaxLength: deps.config.secretMaxLength,
    fileMaxBytes: deps.config.files.maxBytes,
  });

  // The secret is the requester's: its receipt's owner. No list entry (the sender has no list key):
  // the request lists it instead.
  const requester: Caller = { ip: caller.ip, account: { id: owner.id, email: owner.email, listKey: null } };
  const view = await storeSecret(
    deps,
    requester,
    { recipients: [], ttl: input.ttl },
    { client: input.client },
    "conceal",
  );
  const receiptId = deps.vault.receiptId(view.metadataKey);
  const taken = await deps.store.requests.answer(
    id,
    {
      receiptId,
      sealedMetadataKey: rv.sealAnswer(row.answerKey, id, receiptId, view.metadataKey),
      senderKey: Buffer.from(input.senderKey),
      createdAt: now,
      expiresAt: view.expiresAt,
    },
    now,
  );
  if (taken === null) {
    // Another answer took the last slot, or the request closed meanwhile: this secret goes at once.
    await deps.store.secrets.burn(receiptId, now);
    const after = await deps.store.requests.get(id, now);
    throw new AppError("request_closed", { state: after === null ? "expired" : requestState(after, now) });
  }
  await tellRequester(deps, owner.id, owner.email, taken, receiptId, now, view.secretExpiresAt);
  return {
    answersUsed: taken.answersUsed,
    answersMax: taken.answersMax,
    secretExpiresAt: view.secretExpiresAt,
  };
}

/**
 * Tells the requester an answer came: a mail through the durable outbox (a confirmed address, mail
 * on) and the `request.answered` hook. Never throws: the answer is stored already.
 */
async function tellRequester(
  deps: Deps,
  accountId: string,
  email: string,
  request: RequestRow,
  receiptId: string,
  at: number,
  expiresAt: number,
): Promise<void> {
  const shortId = receiptShortId(receiptId);
  await requestAnsweredHook(deps, accountId, {
    shortId,
    at,
    expiresAt,
    answersUsed: request.answersUsed,
    answersMax: request.answersMax,
  });
  if (deps.config.mail.smtp === null) return;
  try {
    const creds = await deps.store.accounts.getCredentials(accountId);
    if (creds !== null && creds.verifiedAt === null) return;
    const { i18n } = deps;
    const origin = mailOrigin(deps.config);
    const mail = requestAnsweredMail(i18n.messages(i18n.negotiate({ query: creds?.locale ?? undefined })), {
      to: email,
      at,
      createdAt: request.createdAt,
      answersUsed: request.answersUsed,
      answersMax: request.answersMax,
      shortId,
      dashboard: siteUrl(origin, "/dashboard"),
      site: origin.host,
      brand: mailBrand(deps.branding),
    });
    await queueMail({ store: deps.store, now: deps.now, key: deps.webKeys.mail }, mail, {
      receiptId: null,
      expiresAt: Math.max(request.keepUntil, deps.now() + NOTICE_KEEP_MS),
    });
  } catch (err) {
    deps.log.warn({ errType: (err as Error).name, event: "request.answered" }, "notice not queued");
  }
}

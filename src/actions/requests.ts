import { newKey } from "../crypto/ids.js";
import { isRequesterPublicKey } from "../crypto/request-vault.js";
import { toBase64Url } from "../crypto/zk.js";
import { AppError } from "../domain/errors.js";
import { receiptShortId } from "../domain/notify.js";
import { effectiveTtl } from "../domain/policy.js";
import { listedState, type ReceiptView, receiptView } from "../domain/receipt.js";
import type { RequestRow } from "../store/types.js";
import type { Caller, Deps } from "./deps.js";
import { limit } from "./rate-limit.js";
import { RECENT_DAYS } from "./recent.js";

// Secret requests (docs/requests.md): a signed-in requester makes a request; anyone with its link
// answers it (request-answer.ts); the requester reads the answers with the requester link, or from
// the list while signed in. Which key seals what: src/crypto/request-vault.ts.

/** The longest note, in characters. */
export const NOTE_MAX_LENGTH = 500;
/** The most answers one request may take. */
export const ANSWERS_MAX = 20;

export interface CreateRequestInput {
  note: string;
  /** Seconds the request link takes answers: the secrets' default and bounds (signed in). */
  ttl?: number;
  /** How many answers it accepts: 1 when not given. */
  answers?: number;
  /** The requester's ECDH P-256 public point, made by its browser or terminal (request-key.ts). */
  publicKey: Uint8Array;
}

/** Where a request is: taking answers, or why not (the row is kept for its answers). */
export type RequestState = "open" | "used" | "closed" | "expired";

export interface RequestView {
  /** The request link's key (its path); the fragment is the public key. */
  requestKey: string;
  /** The requester link's key: only in what the requester sees. */
  manageKey: string;
  publicKey: string;
  note: string;
  state: RequestState;
  answersMax: number;
  answersUsed: number;
  createdAt: number;
  expiresAt: number;
  closedAt: number | null;
  answers: AnswerView[];
}

export interface AnswerView {
  /** The answer's receipt; its secretKey while it can be read (the requester opens it with the proof). */
  receipt: ReceiptView;
  /** The sender's ephemeral public point: with the requester's private key it gives the answer's key. */
  senderKey: string;
  /** The receipt's short id, as the answer's notice names it (receiptShortId). */
  shortId: string;
  createdAt: number;
}

/** What whoever holds the request link sees: the note and whether it takes answers, nothing else. */
export interface SenderRequestView {
  note: string;
  state: RequestState;
  /** The requester's public key as the server keeps it: only while open. */
  publicKey: string | null;
  expiresAt: number;
}

export function requestState(r: RequestRow, now: number): RequestState {
  if (r.closedAt !== null) return "closed";
  if (r.answersUsed >= r.answersMax) return "used";
  return now >= r.expiresAt ? "expired" : "open";
}

export async function createRequest(
  deps: Deps,
  caller: Caller,
  input: CreateRequestInput,
): Promise<RequestView> {
  const account = caller.account;
  if (account === null) throw new AppError("not_authorized");
  // Answers are zero-knowledge secrets: a server that refuses them cannot take any.
  if (deps.config.zeroKnowledge === "off") throw new AppError("zero_knowledge_off");
  await limit(deps, caller, "create");
  const note = input.note.trim();
  if (note === "" || [...note].length > NOTE_MAX_LENGTH)
    throw new AppError("invalid_param", { field: "note", max: NOTE_MAX_LENGTH });
  const answers = input.answers ?? 1;
  if (!Number.isInteger(answers) || answers < 1 || answers > ANSWERS_MAX)
    throw new AppError("invalid_param", { field: "answers", max: ANSWERS_MAX });
  if (!isRequesterPublicKey(input.publicKey)) throw new AppError("invalid_param", { field: "public_key" });
  // Without the list key (a token made before lists) the request could not be listed: refused.
  if (account.listKey === null) throw new AppError("not_authorized");

  const rv = deps.vault.requests;
  const manageKey = newKey();
  const linkKey = rv.linkKey(manageKey);
  const id = rv.requestId(linkKey);
  const now = deps.now();
  const ttl = effectiveTtl(input.ttl, true, deps.config);
  const row: RequestRow = {
    id,
    accountId: account.id,
    sealedNote: rv.sealNote(linkKey, id, note),
    publicKey: Buffer.from(input.publicKey),
    answerKey: rv.answerKey(manageKey, id),
    answersMax: answers,
    answersUsed: 0,
    createdAt: now,
    expiresAt: now + ttl * 1000,
    closedAt: null,
    // Like a receipt, the row outlives its link by one TTL more: an expired link still says so.
    keepUntil: now + 2 * ttl * 1000,
  };
  await deps.store.requests.create(row, rv.sealManageKey(account.listKey, id, manageKey));
  return view(row, linkKey, manageKey, note, now, []);
}

/** The sender's look at a request link: never consumes anything. */
export async function readRequest(deps: Deps, caller: Caller, linkKey: string): Promise<SenderRequestView> {
  await limit(deps, caller, "metadata");
  const { row, note } = await found(deps, linkKey);
  const now = deps.now();
  const state = (await ownerGone(deps, row)) ? "closed" : requestState(row, now);
  return {
    note,
    state,
    publicKey: state === "open" ? toBase64Url(row.publicKey) : null,
    expiresAt: row.expiresAt,
  };
}

/** The requester's look, with the requester link's key: the request and its answers. */
export async function manageRequest(deps: Deps, caller: Caller, manageKey: string): Promise<RequestView> {
  await limit(deps, caller, "metadata");
  return manageView(deps, manageKey, { withSecretKeys: true });
}

/** Closes a request early, with the requester link's key. */
export async function closeRequest(deps: Deps, caller: Caller, manageKey: string): Promise<RequestView> {
  await limit(deps, caller, "burn");
  const linkKey = deps.vault.requests.linkKey(manageKey);
  const id = deps.vault.requests.requestId(linkKey);
  const closed = await deps.store.requests.close(id, deps.now());
  if (closed === null) {
    // Unknown, or already ended: the look says which.
    await found(deps, linkKey);
  }
  return manageView(deps, manageKey, { withSecretKeys: true });
}

/** The signed-in account's requests of the last 30 days, with their answers (no secret keys). */
export async function listRequests(deps: Deps, caller: Caller): Promise<RequestView[]> {
  const account = caller.account;
  if (account === null) throw new AppError("not_authorized");
  await limit(deps, caller, "metadata");
  if (account.listKey === null) return [];
  const now = deps.now();
  const owned = await deps.store.requests.list(account.id, now - RECENT_DAYS * 86400_000, now);
  const views: RequestView[] = [];
  for (const { request, sealedManageKey } of owned) {
    const manageKey = deps.vault.requests.openManageKey(account.listKey, request.id, sealedManageKey);
    if (manageKey === null) continue;
    views.push(await manageView(deps, manageKey, { withSecretKeys: false }, request));
  }
  return views;
}

async function found(deps: Deps, linkKey: string): Promise<{ row: RequestRow; note: string }> {
  const id = deps.vault.requests.requestId(linkKey);
  const row = await deps.store.requests.get(id, deps.now());
  const note = row === null ? null : deps.vault.requests.openNote(linkKey, id, row.sealedNote);
  if (row === null || note === null) throw new AppError("unknown_request");
  return { row, note };
}

/** A request whose account is gone or disabled takes no answer (its rows expire by themselves). */
export async function ownerGone(deps: Deps, row: RequestRow): Promise<boolean> {
  const account = await deps.store.accounts.get(row.accountId);
  return account === null || account.disabledAt !== null;
}

async function manageView(
  deps: Deps,
  manageKey: string,
  { withSecretKeys }: { withSecretKeys: boolean },
  known?: RequestRow,
): Promise<RequestView> {
  const rv = deps.vault.requests;
  const linkKey = rv.linkKey(manageKey);
  const { row, note } =
    known === undefined
      ? await found(deps, linkKey)
      : {
          row: known,
          note: rv.openNote(linkKey, known.id, known.sealedNote) ?? "",
        };
  const now = deps.now();
  const answers: AnswerView[] = [];
  for (const a of await deps.store.requests.answers(row.id, now)) {
    const metadataKey = rv.openAnswer(manageKey, row.id, a.receiptId, a.sealedMetadataKey);
    if (metadataKey === null) continue;
    const receipt = await deps.store.secrets.getReceipt(a.receiptId, now);
    if (receipt === null) continue;
    const state = listedState(receipt.state, receipt.secretExpiresAt, now);
    const secretKey =
      withSecretKeys && (state === "new" || state === "viewed")
        ? deps.vault.openSecretKey(metadataKey, receipt.id, receipt.sealedSecretKey)
        : null;
    answers.push({
      receipt: receiptView({ ...receipt, state }, metadataKey, secretKey),
      senderKey: toBase64Url(a.senderKey),
      shortId: receiptShortId(receipt.id),
      createdAt: a.createdAt,
    });
  }
  return view(row, linkKey, manageKey, note, now, answers);
}

function view(
  row: RequestRow,
  requestKey: string,
  manageKey: string,
  note: string,
  now: number,
  answers: AnswerView[],
): RequestView {
  return {
    requestKey,
    manageKey,
    publicKey: toBase64Url(row.publicKey),
    note,
    state: requestState(row, now),
    answersMax: row.answersMax,
    answersUsed: row.answersUsed,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    closedAt: row.closedAt,
    answers,
  };
}

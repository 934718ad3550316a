// Secret requests from a terminal (docs/requests.md, docs/cli.md): `onetime request NOTE` makes one
// with a key pair made here, `onetime answer LINK` seals an answer here to the link's key, and
// `onetime answers LINK` opens the answers of a requester link with its private key. API v2 only.
// Keys never go to a server: the private key is printed once, in the requester link's fragment.

import * as rq from "../crypto/request-key.js";
import * as zk from "../crypto/zk.js";
import { ClientError, EXIT, printable, statusFailure, unexpected, usageError } from "./client/errors.js";
import { authorization, exchange, type Reply, record, str } from "./client/http.js";
import { serverBase } from "./client/link.js";
import type { ClientContext } from "./client-context.js";
import { printJson } from "./client-context.js";
import { decodeStrict, readAll } from "./input.js";

function check(reply: Reply, what: string): Record<string, unknown> {
  const body = record(reply.body);
  if (reply.status === 200) return record(body.record);
  if (reply.status === 410)
    throw new ClientError(EXIT.notFound, `${what} takes no more answers (used up, closed or expired)`);
  if (reply.status === 404) throw new ClientError(EXIT.notFound, `no such ${what}: unknown or expired`);
  throw statusFailure(reply.status, str(body.error) ?? `status ${reply.status}`, reply.headers);
}

/** A link `<server>/<kind>/<key>#<fragment>`: its server, key and fragment. */
function parseLink(link: string, kind: "request" | "requester") {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw usageError(`give the whole ${kind} link, with its # part`);
  }
  const match = url.pathname.match(new RegExp(`^(.*)/${kind}/([A-Za-z0-9]{1,128})$`));
  if (match === null || url.hash.length < 2) throw usageError(`not a ${kind} link with its # part`);
  return {
    server: serverBase(`${url.origin}${match[1]}`),
    key: match[2] as string,
    fragment: url.hash.slice(1),
  };
}

const credentialsOf = (env: Record<string, string | undefined>) =>
  authorization({ user: env.ONETIME_USER || undefined, token: env.ONETIME_TOKEN || undefined }, true);

/**
 * `onetime recent`'s requests part (API v2 of this server only): one line per request of the last 30
 * days, then one per answer with its receipt's state; nothing from a server without requests.
 */
export async function recentRequests(ctx: ClientContext): Promise<string[]> {
  const reply = await exchange(ctx.configured, {
    method: "GET",
    path: "/api/v2/requests",
    authorization: credentialsOf(ctx.io.env),
    lenient: true,
  });
  if (reply.status !== 200) return [];
  const records = record(reply.body).records;
  const lines: string[] = [];
  for (const r of Array.isArray(records) ? records.map(record) : []) {
    const note = printable(str(r.note) ?? "");
    lines.push(
      `request  ${printable(String(r.state))}  ${r.answers_used}/${r.answers_max} answers  ${note}\n`,
    );
    for (const a of Array.isArray(r.answers) ? r.answers.map(record) : []) {
      const receipt = record(a.receipt);
      lines.push(`  answer  ${printable(String(receipt.state))}  ${printable(String(receipt.shortid))}\n`);
    }
  }
  return lines;
}

export async function request(ctx: ClientContext): Promise<void> {
  const { command, io } = ctx;
  const auth = credentialsOf(io.env);
  if (auth === undefined)
    throw new ClientError(EXIT.auth, "a request needs an account: set ONETIME_USER and ONETIME_TOKEN");
  const keys = await rq.newRequesterKeys();
  const reply = await exchange(ctx.configured, {
    method: "POST",
    path: "/api/v2/request",
    authorization: auth,
    json: {
      request: {
        note: command.arg,
        public_key: rq.encodeRequestKey(keys.publicKey),
        ...(command.ttl === undefined ? {} : { ttl: command.ttl }),
        ...(command.answers === undefined ? {} : { answers: command.answers }),
      },
    },
  });
  const r = check(reply, "request");
  const requestUrl = str(r.request_url);
  const path = str(r.requester_path);
  if (requestUrl === null || path === null) throw unexpected(ctx.configured);
  // The fragment the server wrote must be our own key: a server cannot make senders seal to its key.
  if (requestUrl.split("#")[1] !== rq.encodeRequestKey(keys.publicKey)) throw unexpected(ctx.configured);
  const requesterUrl = `${ctx.configured}${path}#${rq.encodeRequestKey(keys.privateKey)}`;
  if (command.json) return printJson(io, { ...r, requester_url: requesterUrl });
  io.out.write(`${requestUrl}\n`);
  io.err.write(`requester link (keep it: it alone opens the answers): ${requesterUrl}\n`);
}

export async function answer(ctx: ClientContext): Promise<void> {
  const { command, io } = ctx;
  const link = parseLink(command.arg ?? "", "request");
  let publicKey: Uint8Array;
  try {
    publicKey = rq.decodePublicKey(link.fragment);
  } catch {
    throw usageError("the request link's # part is cut or altered: ask for the link again");
  }
  const look = check(
    await exchange(link.server, { method: "GET", path: `/api/v2/request/${link.key}` }),
    "request",
  );
  if (look.state !== "open")
    throw new ClientError(
      EXIT.notFound,
      `the request takes no more answers (${printable(String(look.state))})`,
    );
  if (str(look.public_key) !== link.fragment)
    throw new ClientError(
      EXIT.usage,
      "the link's key is not the one the server keeps for this request: ask for the link again",
    );
  io.err.write(`the request: ${printable(str(look.note) ?? "")}\n`);
  const text = command.text ?? decodeStrict(await readAll(io.in), "the answer");
  if (text === "") throw usageError("nothing to send");
  const { k, senderKey } = await rq.answerKey(publicKey);
  const sealed = await zk.seal(text, k);
  const r = check(
    await exchange(link.server, {
      method: "POST",
      path: `/api/v2/request/${link.key}/answer`,
      json: {
        answer: {
          ciphertext: zk.toBase64Url(sealed.blob),
          proof: zk.toBase64Url(sealed.proof),
          sender_key: rq.encodeRequestKey(senderKey),
        },
      },
    }),
    "request",
  );
  if (command.json) return printJson(io, r);
  io.out.write(`answered (${r.answers_used} of ${r.answers_max}): only the requester can read it\n`);
}

export async function answers(ctx: ClientContext): Promise<void> {
  const { command, io } = ctx;
  const link = parseLink(command.arg ?? "", "requester");
  let privateKey: Uint8Array;
  try {
    privateKey = rq.decodePrivateKey(link.fragment);
  } catch {
    throw usageError("the requester link's # part is cut or altered");
  }
  const r = check(
    await exchange(link.server, { method: "GET", path: `/api/v2/requester/${link.key}` }),
    "request",
  );
  const list = Array.isArray(r.answers) ? r.answers.map(record) : [];
  const opened: { created: unknown; text: string | null }[] = [];
  for (const a of list) {
    const secretKey = str(record(a.receipt).secret_identifier);
    const senderKey = str(a.sender_key);
    if (secretKey === null || senderKey === null) {
      opened.push({ created: a.created, text: null });
      continue;
    }
    const k = await rq.openAnswerKey(privateKey, rq.decodePublicKey(senderKey));
    const reply = await exchange(link.server, {
      method: "POST",
      path: `/api/v2/secret/${secretKey}/reveal`,
      json: { proof: zk.toBase64Url(await zk.proofFor(k)), continue: true },
    });
    if (reply.status === 422)
      throw new ClientError(EXIT.auth, "this private key does not open the answers: is it this request's?");
    const secret = check(reply, "answer");
    const blob = str(secret.ciphertext);
    if (blob === null) throw unexpected(link.server);
    opened.push({ created: a.created, text: await zk.open(zk.fromBase64Url(blob), k) });
  }
  if (command.json) return printJson(io, { note: r.note, state: r.state, answers: opened });
  io.err.write(
    `request: ${printable(str(r.note) ?? "")} (${r.state}, ${r.answers_used} of ${r.answers_max} answers)\n`,
  );
  for (const o of opened) io.out.write(o.text === null ? "(already read or expired)\n" : `${o.text}\n`);
}

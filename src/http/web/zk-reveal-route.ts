import type { FastifyReply, FastifyRequest } from "fastify";
import { reveal } from "../../actions/reveal.js";
import { isAppError } from "../../domain/errors.js";
import { setRetryAfter } from "../errors.js";
import { logStoreUnavailable, type WebContext } from "./context.js";
import { formProblem } from "./messages.js";
import { revealProofOf, UnreadableClientFields } from "./zk-fields.js";

// The reveal of a client-encrypted secret by the page script (web/zk-reveal.ts): it posts the reveal
// proof derived from the link's key (and the passphrase) with the CSRF token, and gets the ciphertext
// back in JSON to decrypt in the browser, with whether it holds a file. A wrong proof consumes nothing (the action checks it before
// the atomic take); an unknown secret answers 404 and the script shows the server's own page.

type KeyRequest = FastifyRequest<{ Params: { key: string } }>;

export async function zkReveal(ctx: WebContext, req: KeyRequest, reply: FastifyReply) {
  const view = ctx.view(req, reply);
  const refuse = (status: number, code: string, error: string) => reply.code(status).send({ code, error });
  if (!ctx.csrf.verify(req, req.body as Record<string, unknown>)) {
    return refuse(403, "expired", view.t("form.error.expired"));
  }
  let proof: Uint8Array | null;
  try {
    proof = revealProofOf(req.body);
  } catch (err) {
    if (!(err instanceof UnreadableClientFields)) throw err;
    return refuse(400, "unreadable", view.t("form.error.unreadable"));
  }
  try {
    const revealed = await reveal(ctx.deps, ctx.caller(req), {
      secretKey: req.params.key,
      proof: proof ?? undefined,
    });
    // A server-encrypted secret revealed this way still reaches its reader, as text. (Its file would
    // not: the pages post a proof only for a client secret, whose file is inside its blob.) viewsLeft:
    // what the page tells its reader about the link (0: this was its last view).
    const { viewsLeft } = revealed;
    if (revealed.blob === null) return reply.send({ text: revealed.value, viewsLeft });
    // file: the blob seals a content envelope (its AAD says so too: a wrong flag fails to decrypt).
    // Node's own base64url (the same text as zk.ts toBase64Url): a 5 MiB file's blob in milliseconds
    // instead of more than a second of the event loop.
    return reply.send({ blob: revealed.blob.toString("base64url"), file: revealed.hasFile, viewsLeft });
  } catch (err) {
    if (isAppError(err, "unknown_secret")) return refuse(404, "unknown_secret", view.t("unavailable.title"));
    // The create form's lines: a wrong proof, and the limits and outages a script can show in place.
    const problem = formProblem(view.t, err, "create");
    if (problem === null) throw err;
    setRetryAfter(reply, err);
    if (isAppError(err, "store_unavailable")) logStoreUnavailable(req, ctx.deps, err);
    return refuse(problem.status, isAppError(err) ? err.code : "error", problem.message);
  }
}

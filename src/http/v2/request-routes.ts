import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { authenticate } from "../../actions/authenticate.js";
import type { Caller, Deps } from "../../actions/deps.js";
import { answerRequest } from "../../actions/request-answer.js";
import {
  closeRequest,
  createRequest,
  listRequests,
  manageRequest,
  type RequestView,
  readRequest,
} from "../../actions/requests.js";
import { siteUrl } from "../../domain/links.js";
import { refuseMalformedKey } from "../key-param.js";
import { requestOrigin } from "../origin.js";
import { bytes } from "./routes.js";
import { CONSUMES, responses } from "./schemas.js";
import { KeyParams } from "./schemas-requests.js";
import {
  AnswerBody,
  AnsweredAnswer,
  CreateRequestBody,
  RequestAnswer,
  RequestsAnswer,
  SenderRequestAnswer,
} from "./schemas-secret-requests.js";
import { receiptRecord } from "./serialize.js";

// Secret requests over API v2 (docs/requests.md, docs/api-v2.md): make one (signed in), look at a
// request link and answer it (anyone), read, close and list one's own (the requester link's key,
// or signed in for the list).

const seconds = (ms: number) => Math.floor(ms / 1000);

export function v2RequestRoutes(deps: Deps) {
  async function caller(req: FastifyRequest): Promise<Caller> {
    const ip = req.ip;
    return { ip, account: await authenticate(deps, { ip }, req.headers.authorization, { bearer: true }) };
  }

  function record(view: RequestView, req: FastifyRequest) {
    const origin = requestOrigin(deps.config, req);
    const now = deps.now();
    return {
      request_key: view.requestKey,
      request_url: siteUrl(origin, `/request/${view.requestKey}#${view.publicKey}`),
      requester_key: view.manageKey,
      requester_path: `/requester/${view.manageKey}`,
      note: view.note,
      state: view.state,
      public_key: view.publicKey,
      answers_max: view.answersMax,
      answers_used: view.answersUsed,
      created: seconds(view.createdAt),
      expiration: seconds(view.expiresAt),
      closed: view.closedAt === null ? null : seconds(view.closedAt),
      answers: view.answers.map((a) => ({
        receipt: receiptRecord(a.receipt, origin, now),
        sender_key: a.senderKey,
        created: seconds(a.createdAt),
      })),
    };
  }

  return async function register(base: FastifyInstance): Promise<void> {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ["request"];
    const keyed = { tags, params: KeyParams };
    const onRequest = refuseMalformedKey;

    app.post(
      "/request",
      {
        schema: {
          tags,
          consumes: CONSUMES,
          body: CreateRequestBody,
          response: responses(RequestAnswer, [415, 422]),
        },
      },
      async (req) => {
        const p = req.body.request;
        const view = await createRequest(deps, await caller(req), {
          note: p.note,
          publicKey: bytes(p.public_key, "public_key"),
          ttl: p.ttl === undefined ? undefined : Number(p.ttl),
          answers: p.answers === undefined ? undefined : Number(p.answers),
        });
        return { success: true, record: record(view, req) } as const;
      },
    );

    app.get("/requests", { schema: { tags, response: responses(RequestsAnswer) } }, async (req) => {
      const records = (await listRequests(deps, await caller(req))).map((v) => record(v, req));
      return { success: true, records, count: records.length } as const;
    });

    app.get(
      "/request/:key",
      { onRequest, schema: { ...keyed, response: responses(SenderRequestAnswer, [404]) } },
      async (req) => {
        const view = await readRequest(deps, await caller(req), req.params.key);
        return {
          success: true,
          record: {
            note: view.note,
            state: view.state,
            public_key: view.publicKey,
            expiration: seconds(view.expiresAt),
          },
        } as const;
      },
    );

    app.post(
      "/request/:key/answer",
      {
        onRequest,
        schema: {
          ...keyed,
          consumes: CONSUMES,
          body: AnswerBody,
          response: responses(AnsweredAnswer, [404, 410, 413, 415, 422]),
        },
      },
      async (req) => {
        const a = req.body.answer;
        const result = await answerRequest(deps, await caller(req), req.params.key, {
          client: {
            blob: bytes(a.ciphertext, "ciphertext"),
            proof: bytes(a.proof, "proof"),
            kdf: null,
            hasFile: a.has_file === true || a.has_file === "true",
          },
          senderKey: bytes(a.sender_key, "sender_key"),
          ttl: a.ttl === undefined ? undefined : Number(a.ttl),
        });
        return {
          success: true,
          record: {
            answers_used: result.answersUsed,
            answers_max: result.answersMax,
            secret_expiration: seconds(result.secretExpiresAt),
          },
        } as const;
      },
    );

    app.get(
      "/requester/:key",
      { onRequest, schema: { ...keyed, response: responses(RequestAnswer, [404]) } },
      async (req) =>
        ({
          success: true,
          record: record(await manageRequest(deps, await caller(req), req.params.key), req),
        }) as const,
    );

    app.post(
      "/requester/:key/close",
      { onRequest, schema: { ...keyed, response: responses(RequestAnswer, [404]) } },
      async (req) =>
        ({
          success: true,
          record: record(await closeRequest(deps, await caller(req), req.params.key), req),
        }) as const,
    );
  };
}

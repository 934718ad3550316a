import { type Static, type TSchema, Type } from "typebox";
import { B64url, ours } from "./schemas.js";

// API v2's secret requests (docs/requests.md): bodies and answers, all our extension.

const why = ours("secret requests");
const Seconds = Type.Number({ description: "Unix time, seconds" });
const Count = Type.Integer({ minimum: 0 });
const ReqTtl = Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: "^[0-9]*[1-9][0-9]*$" })], {
  description: "Seconds, clamped to the server's bounds for signed-in callers",
});

export const CreateRequestBody = Type.Object(
  {
    request: Type.Object({
      note: Type.String({
        minLength: 1,
        description: "What to send: shown to whoever opens the request link",
      }),
      public_key: B64url("The requester's ECDH P-256 public point, 65 bytes uncompressed, base64url"),
      ttl: Type.Optional(ReqTtl),
      answers: Type.Optional(
        Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: "^[0-9]*[1-9][0-9]*$" })], {
          description: "How many answers it takes: 1 by default, at most 20",
        }),
      ),
    }),
  },
  why,
);

export const AnswerBody = Type.Object(
  {
    answer: Type.Object({
      ciphertext: B64url("The answer sealed under the agreed key (docs/zero-knowledge.md, no passphrase)"),
      proof: B64url("Its reveal proof, 32 bytes"),
      sender_key: B64url("The sender's ephemeral ECDH P-256 public point, 65 bytes"),
      has_file: Type.Optional(Type.Union([Type.Boolean(), Type.Literal("true"), Type.Literal("false")])),
      ttl: Type.Optional(ReqTtl),
    }),
  },
  why,
);

const State = Type.Union(
  [Type.Literal("open"), Type.Literal("used"), Type.Literal("closed"), Type.Literal("expired")],
  { description: "open: takes answers; used: has all it asked for; closed early; expired" },
);

/** What whoever holds the request link sees. */
export const SenderRequestAnswer = Type.Object(
  {
    success: Type.Literal(true),
    record: Type.Object({
      note: Type.String(),
      state: State,
      public_key: Type.Union([
        B64url("The requester's public key as the server keeps it, while open"),
        Type.Null(),
      ]),
      expiration: Seconds,
    }),
  },
  why,
);

export const AnsweredAnswer = Type.Object(
  {
    success: Type.Literal(true),
    record: Type.Object({
      answers_used: Count,
      answers_max: Count,
      secret_expiration: Seconds,
    }),
  },
  why,
);

export const RequestRecord = Type.Object(
  {
    request_key: Type.String(),
    request_url: Type.String({ description: "The link to send: its fragment is the public key" }),
    requester_key: Type.String(),
    requester_path: Type.String({
      description: "The requester's page, without its fragment: the private key never reaches the server",
    }),
    note: Type.String(),
    state: State,
    public_key: B64url("The requester's public key"),
    answers_max: Count,
    answers_used: Count,
    created: Seconds,
    expiration: Seconds,
    closed: Type.Union([Seconds, Type.Null()]),
    answers: Type.Array(
      Type.Object({
        receipt: Type.Unsafe<Record<string, unknown>>({ $ref: "ReceiptRecord#" }),
        sender_key: B64url("With the requester's private key, gives the answer's key"),
        created: Seconds,
      }),
    ),
  },
  why,
);

const success = <T extends TSchema>(record: T) => Type.Object({ success: Type.Literal(true), record }, why);
export const RequestAnswer = success(RequestRecord);
export const RequestsAnswer = Type.Object(
  { success: Type.Literal(true), records: Type.Array(RequestRecord), count: Count },
  why,
);

export type CreateRequestBodyT = Static<typeof CreateRequestBody>;

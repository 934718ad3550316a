import { type Static, type TSchema, Type } from "typebox";

// The API v2 contract as TypeBox schemas: Fastify validates requests and serializes responses with
// them, and @fastify/swagger writes them into the OpenAPI document (docs/openapi.json). Anything
// this server adds to upstream's v2 carries `x-onetime` saying so.

export const ours = (why: string) => ({ "x-onetime": why });

const Seconds = Type.Number({ description: "Epoch seconds (may carry a fraction)" });
// Responses avoid anyOf where a type list or an enum says the same: fast-json-stringify writes those
// directly, where an anyOf costs a schema check per value (v2's share answer has a dozen of them).
const NullableSeconds = Type.Unsafe<number | null>({
  type: ["number", "null"],
  description: "Epoch seconds, or null",
});
const NullableTtl = Type.Unsafe<number | null>({
  type: ["integer", "null"],
  minimum: 0,
  description: "Seconds, or null",
});
const oneOf = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>({ type: "string", enum: [...values] });
const Kind = oneOf(["conceal", "generate"]);
const Encryption = Type.Unsafe<"server" | "client">({
  type: "string",
  enum: ["server", "client"],
  description: "client: encrypted by the sender's browser or terminal (docs/zero-knowledge.md)",
  ...ours("zero-knowledge secrets"),
});
export const B64url = (description: string) =>
  Type.String({ pattern: "^[A-Za-z0-9_-]*$", description, ...ours("zero-knowledge secrets") });
const KdfRecord = Type.Object(
  {
    salt: B64url("PBKDF2 salt, 16 bytes, base64url"),
    iterations: Type.Integer({ minimum: 1, description: "PBKDF2-SHA-256 iterations" }),
  },
  {
    description: "The passphrase's PBKDF2 parameters of a client-encrypted secret",
    ...ours("zero-knowledge"),
  },
);
const Ttl = Type.Integer({ minimum: 0, description: "Seconds" });
const views = (description: string) => ({ description, ...ours("view limits") });
const HasFile = Type.Boolean({
  description:
    "The secret carries a file (for a client-encrypted one: its blob holds a content envelope, docs/zero-knowledge.md)",
  ...ours("files"),
});
/** Standard base64 with its padding, as `base64` and most libraries write it. */
export const BASE64 = "^[A-Za-z0-9+/]*={0,2}$";
const FileRecord = Type.Object(
  {
    name: Type.String({
      description: "The file's name, cleaned when it was shared (no path, no control characters)",
    }),
    type: Type.String({
      description: "Its media type, as the sender gave it (application/octet-stream when none)",
    }),
    size: Type.Integer({ minimum: 0, description: "Bytes" }),
    content: Type.String({ pattern: BASE64, description: "The file's bytes, base64" }),
  },
  { description: "A server-encrypted secret's file: in its reveal answer only", ...ours("files") },
);

export const ErrorBody = Type.Object(
  {
    error: Type.String(),
    error_type: Type.String({ description: "Stable name of the failure (docs/api-v2.md)" }),
    field: Type.Optional(Type.String({ description: "The parameter at fault" })),
  },
  { $id: "Error" },
);

export const SecretRecord = Type.Object(
  {
    identifier: Type.String({ description: "The secret key" }),
    key: Type.String({ description: "The secret key" }),
    shortid: Type.String({ description: "The key's first 8 characters" }),
    state: oneOf(["new", "revealed"]),
    has_passphrase: Type.Boolean(),
    secret_ttl: Ttl,
    lifespan: Ttl,
    created: Seconds,
    updated: Seconds,
    secret_value: Type.Optional(Type.String({ description: "The plaintext: in the reveal answer only" })),
    has_file: HasFile,
    file: Type.Optional(FileRecord),
    encryption: Type.Optional(Encryption),
    kdf: Type.Optional(KdfRecord),
    ciphertext: Type.Optional(
      B64url(
        "A client-encrypted secret's blob (base64url): in its reveal answer only, instead of secret_value",
      ),
    ),
    views_left: Type.Integer({
      minimum: 0,
      ...views(
        "How many more times the link can be opened: in the reveal answer, after this reveal (0: it was the last, the secret is gone)",
      ),
    }),
  },
  { $id: "SecretRecord" },
);

export const RECEIPT_STATES = ["new", "revealed", "burned", "expired", "orphaned"] as const;

export const ReceiptRecord = Type.Object(
  {
    identifier: Type.String({ description: "The receipt (metadata) key" }),
    key: Type.String({ description: "The receipt (metadata) key" }),
    shortid: Type.String(),
    custid: Type.String({ description: 'The owner\'s email, or "anon"' }),
    state: oneOf(RECEIPT_STATES),
    secret_identifier: Type.Optional(Type.String({ description: "The secret key, while it is live" })),
    secret_shortid: Type.Optional(Type.String()),
    has_passphrase: Type.Boolean(),
    secret_ttl: NullableTtl,
    receipt_ttl: Ttl,
    metadata_ttl: Ttl,
    lifespan: Ttl,
    share_domain: Type.String(),
    created: Seconds,
    updated: Seconds,
    revealed: NullableSeconds,
    burned: NullableSeconds,
    recipients: Type.Array(Type.String(), { description: "Masked addresses" }),
    kind: Kind,
    encryption: Type.Optional(Encryption),
    is_revealed: Type.Boolean(),
    is_burned: Type.Boolean(),
    is_expired: Type.Boolean(),
    share_url: Type.Optional(Type.String({ description: "The link to give out, while live" })),
    receipt_url: Type.String(),
    burn_url: Type.Optional(Type.String({ description: "The burn page, while live" })),
    secret_value: Type.Optional(
      Type.String({
        description: "The generated password: in the generate answer only",
        ...ours("shown once"),
      }),
    ),
    views: Type.Integer({
      minimum: 1,
      ...views("How many times the link may be opened, as chosen at creation"),
    }),
    views_used: Type.Integer({ minimum: 0, ...views("How many times it was opened") }),
    views_left: Type.Integer({
      minimum: 0,
      ...views(
        "How many more times it can be opened (0 once the secret is gone: read to its last view, burned or expired)",
      ),
    }),
    read_times: Type.Array(Seconds, views("When it was opened, oldest first: one time per view used")),
    has_file: HasFile,
  },
  { $id: "ReceiptRecord" },
);

/**
 * The records and the error body are shared schemas (the plugin adds them; the document lists them
 * once under components); answers point at them by $id.
 */
export const SHARED_SCHEMAS = [ErrorBody, SecretRecord, ReceiptRecord];
const ref = <T extends TSchema>(schema: T & { $id?: string }) =>
  Type.Unsafe<Static<T>>({ $ref: `${schema.$id}#` });
const SecretRef = ref(SecretRecord);
const ReceiptRef = ref(ReceiptRecord);
const ErrorRef = ref(ErrorBody);

const success = <T extends Record<string, TSchema>>(fields: T) =>
  Type.Object({ success: Type.Literal(true), ...fields });

export const CreatedAnswer = success({
  record: Type.Object({
    receipt: ReceiptRef,
    metadata: ReceiptRef,
    secret: SecretRef,
    share_domain: Type.String(),
  }),
  details: Type.Object({
    kind: Kind,
    recipient: Type.Array(Type.String()),
    recipient_safe: Type.Array(Type.String()),
  }),
});

export const SecretAnswer = success({ record: SecretRef, details: Type.Object({}) });

export const SecretStatusAnswer = success({
  record: Type.Union([SecretRef, Type.Object({ state: Type.Literal("unknown") })]),
  details: Type.Object({ current_expiration: Type.Optional(Seconds) }),
});

export const ReceiptAnswer = success({ record: ReceiptRef, details: Type.Object({}) });

export const RecentAnswer = success({
  records: Type.Array(ReceiptRef),
  count: Type.Integer({ minimum: 0 }),
  details: Type.Object({}),
});

export const StatusAnswer = success({
  status: Type.Literal("nominal"),
  locale: Type.String(),
  capabilities: Type.Optional(
    Type.Object(
      {
        client_encryption: Type.Optional(
          Type.Integer({ description: "The client-side format version this server stores (absent: none)" }),
        ),
        client_encryption_required: Type.Optional(
          Type.Boolean({ description: "true: plaintext creates are refused (ZERO_KNOWLEDGE=required)" }),
        ),
        file_max_bytes: Type.Optional(
          Type.Integer({
            minimum: 1,
            description: "The largest file a secret may carry (FILE_MAX_BYTES); absent: files are not taken",
            ...ours("files"),
          }),
        ),
        share_domains: Type.Optional(
          Type.Array(Type.String(), {
            description:
              "The hosts secret.share_domain may name: the site's own (HOST, when set) first, then SHARE_DOMAINS; any other is refused (422, field share_domain)",
            ...ours("share domains"),
          }),
        ),
      },
      ours("zero-knowledge secrets, files and share domains"),
    ),
  ),
});
export const VersionAnswer = success({ version: Type.String(), build: Type.Null() });
export const LocalesAnswer = success({ locales: Type.Array(Type.String()), default_locale: Type.String() });

const COMMON_ERRORS = [400, 401, 403, 429, 503] as const;

/** A 429 says when to come back (@fastify/swagger writes `headers` into the document). */
const LimitBody = {
  ...ErrorRef,
  headers: { "retry-after": Type.Integer({ minimum: 1, description: "Seconds: the window or lock length" }) },
};

/** A route's responses: its success, then its error statuses, each with the one error body. */
export function responses(ok: TSchema, extra: number[] = []) {
  const out: Record<number, TSchema> = { 200: ok };
  for (const status of [...COMMON_ERRORS, ...extra]) out[status] = status === 429 ? LimitBody : ErrorRef;
  return out;
}

/** The body encodings v2 reads. */
export const CONSUMES = ["application/json", "application/x-www-form-urlencoded"];

import { Type } from "typebox";
import { B64url, BASE64, ours } from "./schemas.js";

// The bodies and parameters API v2 accepts (the answers are in schemas.ts).

// Requests. Forms send every value as text, so numbers and booleans also come as their digits and words.
const TtlParam = Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: "^[0-9]*[1-9][0-9]*$" })], {
  description: "Seconds, clamped to the server's bounds as in v1",
});

export const CreateBody = Type.Object({
  secret: Type.Object({
    secret: Type.Optional(Type.String({ description: "The text (not needed by generate)" })),
    ttl: Type.Optional(TtlParam),
    passphrase: Type.Optional(Type.String()),
    recipient: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    share_domain: Type.Optional(
      Type.String({
        description:
          "The host the link names: one of capabilities.share_domains in GET /status (the site's own, or one of SHARE_DOMAINS); any other is refused (422 ValidationError, field share_domain, the list in the message)",
      }),
    ),
    views: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: "^[0-9]*[1-9][0-9]*$" })], {
        description:
          "How many times the link may be opened: 1 by default, at most VIEWS_MAX (VIEWS_MAX_ANONYMOUS for anonymous callers); more is refused (422, field views)",
        ...ours("view limits"),
      }),
    ),
    notify: Type.Optional(
      Type.Union(
        [
          Type.Boolean(),
          Type.Union([Type.Literal("true"), Type.Literal("false")]),
          Type.Array(Type.Union([Type.Literal("read"), Type.Literal("burned"), Type.Literal("expired")]), {
            uniqueItems: true,
          }),
        ],
        {
          description:
            "Email the creator when the secret is read (each view), burned or expires unread: a list of those events, or true for all three. Needs an account with a confirmed address (401 notify_needs_account, 403 notify_unverified) and a server that sends mail (422 notify_unavailable). docs/notifications.md",
          ...ours("read notifications"),
        },
      ),
    ),
    ciphertext: Type.Optional(
      B64url("A blob sealed by the client (docs/zero-knowledge.md), instead of secret and passphrase"),
    ),
    proof: Type.Optional(B64url("The reveal proof of a client-encrypted secret, 32 bytes, base64url")),
    kdf: Type.Optional(
      Type.Object({
        salt: B64url("16 bytes, base64url"),
        iterations: Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: "^[0-9]+$" })]),
      }),
    ),
    file: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(
            Type.String({ description: "Cleaned: the last path segment, no control characters" }),
          ),
          type: Type.Optional(
            Type.String({ description: "A media type; application/octet-stream when absent or invalid" }),
          ),
          content: Type.String({
            pattern: BASE64,
            description: "The file's bytes, base64 (up to FILE_MAX_BYTES)",
          }),
        },
        { description: "A file to share with the text, or alone (conceal only)", ...ours("files") },
      ),
    ),
    has_file: Type.Optional(
      Type.Union([Type.Boolean(), Type.Literal("true"), Type.Literal("false")], {
        description:
          "With ciphertext: the blob holds a content envelope (a text and a file), sealed with the file flag",
        ...ours("files"),
      }),
    ),
  }),
});

export const ActionBody = Type.Object({
  passphrase: Type.Optional(Type.String()),
  proof: Type.Optional(
    Type.String({
      pattern: "^[A-Za-z0-9_-]*$",
      description: "Reveal: a client-encrypted secret's proof (base64url), instead of a passphrase",
      ...ours("zero-knowledge secrets"),
    }),
  ),
  continue: Type.Optional(
    Type.Union([Type.Boolean(), Type.Literal("true"), Type.Literal("false")], {
      description: "false: look without consuming (answers like GET)",
      ...ours("continue:false looks without consuming"),
    }),
  ),
});

export const KeyParams = Type.Object({ key: Type.String() });

/** The error statuses every route may answer, beside its own. */

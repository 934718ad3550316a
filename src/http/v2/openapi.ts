import { readFileSync } from "node:fs";
import type { FastifyDynamicSwaggerOptions } from "@fastify/swagger";

// The OpenAPI document's frame; the paths come from the route schemas (@fastify/swagger).
// `x-onetime` marks what this server adds to upstream's v2.

/** The package's version: the document's and GET /version's. */
export const VERSION: string = JSON.parse(
  readFileSync(new URL("../../../package.json", import.meta.url), "utf8"),
).version;

// A variable, not a literal: the document's types know no x- fields.
const BEARER = {
  type: "http" as const,
  scheme: "bearer",
  description: "The API token alone",
  "x-onetime": "Bearer tokens are ours; upstream's v2 takes Basic only",
};

export const OPENAPI: NonNullable<FastifyDynamicSwaggerOptions["openapi"]> = {
  openapi: "3.1.0",
  info: {
    title: "onetime API v2",
    version: VERSION,
    description:
      "Onetime Secret's v2 API as onetime serves it: real status codes, errors as {error, error_type, field?}. docs/api-v2.md says what differs from v1 and from upstream.",
  },
  components: {
    securitySchemes: {
      basic: { type: "http", scheme: "basic", description: "email:API token, as in v1" },
      bearer: BEARER,
    },
  },
  // Anonymous where the server allows it, or either scheme.
  security: [{}, { basic: [] }, { bearer: [] }],
  tags: [
    { name: "secret", description: "Create, look at and reveal secrets" },
    { name: "receipt", description: "What became of a secret; burn it" },
    { name: "request", description: "Ask someone for a secret, sealed to your key (docs/requests.md)" },
    { name: "meta", description: "Server status" },
  ],
};

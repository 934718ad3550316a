// Which API to speak to a server: v2 when it answers GET /api/v2/status as v2 does, v1 otherwise,
// so the client works with any Onetime Secret server; `--api` skips the question.

import { usageError } from "./errors.js";
import { exchange, record } from "./http.js";
import type { Api, ApiVersion, Credentials } from "./types.js";
import { v1Api } from "./v1.js";
import { v2Api } from "./v2.js";

export async function connect(server: string, credentials: Credentials, forced?: ApiVersion): Promise<Api> {
  const version = forced ?? (await probe(server));
  if (version === "v1" && credentials.token !== undefined && credentials.user === undefined) {
    throw usageError("API v1 needs ONETIME_USER (the account's email) with ONETIME_TOKEN");
  }
  return version === "v2" ? v2Api(server, credentials) : v1Api(server, credentials);
}

async function probe(server: string): Promise<ApiVersion> {
  const reply = await exchange(server, { method: "GET", path: "/api/v2/status", lenient: true });
  return reply.status === 200 && record(reply.body).success === true ? "v2" : "v1";
}

import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { rootCertificates } from "node:tls";
import { isDeliverableAddress } from "./address-guard.js";
import { checkEndpointUrl, isAllowedHost, literalAddress } from "./endpoint-url.js";
import { createGuardedLookup, REFUSED_ADDRESS, type Resolver } from "./lookup.js";
import { signWebhook } from "./sign.js";

// One delivery attempt: one signed POST, judged by its answer. No store, no retry loop: the
// queue's worker decides from `retry` whether and when to try again. The order of an attempt:
//   1. check the URL (syntax, https unless the host is allowed, a literal IP against the guard);
//   2. connect through the guarded lookup (names judged on the addresses connected, see lookup.ts);
//   3. send, then read the answer under one deadline for all of it and a cap on its body;
//   4. 2xx is delivered; a redirect is never followed (it could point anywhere, inside too).

export type { EndpointUrlCheck, EndpointUrlError } from "./endpoint-url.js";
export { checkEndpointUrl } from "./endpoint-url.js";

export interface DeliveryTarget {
  url: string;
  secret: string;
}

export interface DeliveryPolicy {
  /** WEBHOOK_ALLOWED_HOSTS: "host" (any port) or "host:port"; see endpoint-url.ts. */
  allowedHosts: readonly string[];
  /** One deadline for connecting, sending and reading the whole answer. */
  timeoutMs: number;
  /** Bytes of the answer's body read at most; the connection is cut beyond. */
  maxResponseBytes: number;
  /** Extra PEM certificate authorities trusted besides Node's bundled ones (a private CA). */
  ca?: string;
}

export type DeliveryError =
  | "refused_address"
  | "http_not_allowed"
  | "timeout"
  | "connect_failed"
  | "dns_failed"
  | "tls_failed"
  | "bad_response"
  | `http_${number}`
  | "redirect_not_followed"
  | "response_too_large"
  | "bad_url"
  | "signing_failed";

export type DeliveryResult =
  | { ok: true; status: number; ms: number }
  | { ok: false; status: number | null; error: DeliveryError; ms: number; retry: boolean };

export interface WebhookEvent {
  id: string;
  timestampSec: number;
  body: string;
}

const VERSION: string = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
).version;
const USER_AGENT = `onetime-webhooks/${VERSION}`;
const TIMEOUT = "EWEBHOOK_TIMEOUT";
const guardedLookup = createGuardedLookup();

export interface DeliverOptions {
  /** The name resolver behind the guard (dns.lookup); tests give one that answers a test name. */
  resolve?: Resolver;
}

/** Posts one signed event to one endpoint; never throws. */
export function deliverWebhook(
  target: DeliveryTarget,
  event: WebhookEvent,
  policy: DeliveryPolicy,
  options: DeliverOptions = {},
): Promise<DeliveryResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (error: DeliveryError, status: number | null, retry: boolean): DeliveryResult => ({
    ok: false,
    status,
    error,
    ms: elapsed(),
    retry,
  });

  const checked = checkEndpointUrl(target.url, policy.allowedHosts);
  if (!checked.ok) {
    // Registration checked the same; a failure now means the allow-list changed since: no retry.
    return Promise.resolve(
      failed(checked.error === "credentials_in_url" ? "bad_url" : checked.error, null, false),
    );
  }
  const url = new URL(checked.url);
  const allowed = isAllowedHost(url, policy.allowedHosts);
  const literal = literalAddress(url.hostname);
  // net.connect does not look a literal IP up, so the guarded lookup never sees it: judge it here.
  if (!allowed && literal !== null && !isDeliverableAddress(literal)) {
    return Promise.resolve(failed("refused_address", null, false));
  }

  let signature: Record<string, string>;
  try {
    signature = signWebhook(target.secret, event.id, event.timestampSec, event.body);
  } catch {
    // A secret newEndpointSecret did not make, or a timestamp that is no whole second: a bug to
    // fix, not an answer to wait for.
    return Promise.resolve(failed("signing_failed", null, false));
  }

  return new Promise((resolve) => {
    let settled = false;
    let status: number | null = null; // once the answer's head is in
    const settle = (result: DeliveryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.destroy();
      resolve(result);
    };
    const headers = {
      ...signature,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(event.body)),
      "user-agent": USER_AGENT,
    };
    const requestOptions: https.RequestOptions = {
      method: "POST",
      hostname: literal ?? url.hostname,
      port: url.port === "" ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers,
      agent: false, // one connection per attempt: no pooled socket outlives the check that opened it
      lookup: allowed ? undefined : options.resolve ? createGuardedLookup(options.resolve) : guardedLookup,
      ...(url.protocol === "https:" && policy.ca !== undefined
        ? { ca: [...rootCertificates, policy.ca] }
        : {}),
    };
    const request = (url.protocol === "https:" ? https : http).request(requestOptions, (response) => {
      const code = response.statusCode ?? 0;
      status = code;
      if (code >= 300 && code < 400) {
        settle(failed("redirect_not_followed", code, false));
        return;
      }
      let received = 0;
      response.on("data", (chunk: Buffer) => {
        received += chunk.length;
        // The body is never used; it is read only so the answer is whole. Whether to retry
        // still follows the status: a 2xx arrived, a 5xx may pass.
        if (received > policy.maxResponseBytes) settle(failed("response_too_large", code, retryable(code)));
      });
      response.on("end", () => settle(judge(code)));
      response.on("error", (error) => settle(networkFailure(error)));
    });
    request.on("error", (error) => settle(networkFailure(error)));
    const deadline = setTimeout(() => {
      const error: NodeJS.ErrnoException = new Error("webhook delivery timed out");
      error.code = TIMEOUT;
      request.destroy(error);
    }, policy.timeoutMs);
    request.end(event.body);

    function judge(status: number): DeliveryResult {
      if (status >= 200 && status < 300) return { ok: true, status, ms: elapsed() };
      return failed(`http_${status}`, status, retryable(status));
    }

    function networkFailure(error: NodeJS.ErrnoException): DeliveryResult {
      if (error.code === TIMEOUT) return failed("timeout", status, true);
      if (error.code === REFUSED_ADDRESS) return failed("refused_address", null, false);
      return failed(networkErrorCode(error.code ?? ""), status, true);
    }
  });
}

/** 5xx, 408 (request timeout) and 429 (too many requests) may pass later; other answers stand. */
function retryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

function networkErrorCode(code: string): DeliveryError {
  if (/^(ENOTFOUND|EAI_|ENODATA|ESERVFAIL)/.test(code)) return "dns_failed";
  if (/^HPE_/.test(code)) return "bad_response";
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/.test(code))
    return "tls_failed";
  return "connect_failed";
}

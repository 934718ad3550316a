// A small browser stand-in for the page tests: requests go through app.inject(), cookies are kept
// between them like a browser would, and the CSRF token of the last page is at hand for the next
// form. Real browsers are in the browser-*.test.ts files; these tests check what they cannot see.
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import type { Deps } from "../../src/actions/deps.js";
import { createMailWorker } from "../../src/mail/outbox.js";
import { createMailer } from "../../src/mail/transport.js";

export interface Visitor {
  cookies: Map<string, string>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  head(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** POSTs a form; `_csrf` is added from the last page seen unless the form sets it. */
  post(
    url: string,
    form?: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** The CSRF token of the last HTML page this visitor received. */
  csrf: string;
}

export function visitor(app: FastifyInstance): Visitor {
  const cookies = new Map<string, string>();
  let csrf = "";

  function remember(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now());
      if (expired) cookies.delete(c.name);
      else cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token !== undefined) csrf = token;
    return res;
  }

  const cookieHeader = (): Record<string, string> =>
    cookies.size === 0 ? {} : { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") };

  return {
    cookies,
    get csrf() {
      return csrf;
    },
    async get(url, headers = {}) {
      return remember(await app.inject({ method: "GET", url, headers: { ...cookieHeader(), ...headers } }));
    },
    async head(url, headers = {}) {
      return remember(await app.inject({ method: "HEAD", url, headers: { ...cookieHeader(), ...headers } }));
    },
    async post(url, form = {}, headers = {}) {
      const payload = new URLSearchParams({ _csrf: csrf, ...form }).toString();
      return remember(
        await app.inject({
          method: "POST",
          url,
          payload,
          headers: { "content-type": "application/x-www-form-urlencoded", ...cookieHeader(), ...headers },
        }),
      );
    },
  };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };

/** Text as it was before the templates escaped it. */
export function unescapeHtml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e] ?? e);
}

/** The text of the page's <h1>. */
export function heading(res: LightMyRequestResponse): string {
  return unescapeHtml(/<h1>([^<]*)<\/h1>/.exec(res.body)?.[1] ?? "");
}

/** The share link shown on a receipt page. */
export function shareLink(res: LightMyRequestResponse): string {
  const link = /id="share-link"[^>]*value="([^"]+)"/.exec(res.body)?.[1];
  if (link === undefined) throw new Error(`no share link on the page: ${heading(res)}`);
  return link;
}

/** Creates a secret through the home page's form and returns the receipt path and share path. */
export async function createViaForm(v: Visitor, form: Record<string, string>) {
  await v.get("/");
  const res = await v.post("/create", form);
  if (res.statusCode !== 303) throw new Error(`create failed: ${res.statusCode} ${heading(res)}`);
  const receiptPath = String(res.headers.location);
  const receipt = await v.get(receiptPath);
  return { receiptPath, receipt, secretPath: new URL(shareLink(receipt)).pathname };
}

/** Signs up through the form (AUTH_SIGNUP=true); returns the response to the POST. */
export async function signUpViaForm(v: Visitor, email: string, password: string) {
  await v.get("/signup");
  return v.post("/signup", { email, password });
}

/** Signs in through the form; fails the test unless it redirects. */
export async function signInViaForm(v: Visitor, email: string, password: string, next?: string) {
  await v.get("/signin");
  const res = await v.post("/signin", { email, password, ...(next === undefined ? {} : { next }) });
  if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode} ${heading(res)}`);
  return res;
}

/** The text of the notice shown after a redirect ("" when there is none). */
export function notice(res: LightMyRequestResponse): string {
  return unescapeHtml(/<p class="notice" role="status">([^<]*)<\/p>/.exec(res.body)?.[1] ?? "");
}

/** The text of the page's error message ("" when there is none). */
export function alertText(res: LightMyRequestResponse): string {
  return unescapeHtml(/<p class="alert" role="alert"[^>]*>([^<]*)<\/p>/.exec(res.body)?.[1] ?? "");
}

/** The app's outbox sent to its SMTP server (SMTP_HOST, e.g. test/support/smtp.ts), polled every 50 ms. */
export function mailWorkerFor(deps: Deps) {
  const smtp = deps.config.mail.smtp;
  if (smtp === null) throw new Error("SMTP_HOST is not set");
  return createMailWorker(
    { store: deps.store, log: deps.log, now: deps.now, key: deps.webKeys.mail, config: deps.config.mail },
    createMailer(smtp, deps.config.mail),
    { intervalMs: 50 },
  );
}

/** The configuration that sends mail to the in-process SMTP server on `port`. */
export const mailEnv = (port: number): Record<string, string> => ({
  SMTP_HOST: "127.0.0.1",
  SMTP_PORT: String(port),
  FROM_EMAIL: "secrets@example.org",
  MAIL_RETRY_BASE: "1",
  MAIL_MAX_ATTEMPTS: "3",
});

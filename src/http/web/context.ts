import type { FastifyReply, FastifyRequest } from "fastify";
import type { Caller, Deps } from "../../actions/deps.js";
import type { SessionAccount } from "../../actions/session-account.js";
import type { AppError } from "../../domain/errors.js";
import type { I18n } from "../../i18n/i18n.js";
import { causeName } from "../errors.js";
import type { Assets } from "./assets.js";
import type { Csrf } from "./csrf.js";
import type { Html } from "./html.js";
import type { Theme, View } from "./layout.js";
import type { SessionCookie } from "./session.js";

/** What the web routes share: built once per app in plugin.ts. */
export interface WebContext {
  deps: Deps;
  i18n: I18n;
  assets: Assets;
  csrf: Csrf;
  cookies: { locale: string; theme: string; note: string; token: string; webhook: string };
  session: SessionCookie;
  /** The view for this request: its locale, theme, CSRF token and links. */
  view(req: FastifyRequest, reply: FastifyReply): View;
  /** The signed-in account of this request (resolved once, before the handler), or null. */
  account(req: FastifyRequest): SessionAccount | null;
  caller(req: FastifyRequest): Caller;
  /** The HTML "page not found". */
  notFound(req: FastifyRequest, reply: FastifyReply): FastifyReply;
  /** The link to share for a secret key (on its share domain when it has one), as `req` sees the site. */
  secretLink(req: FastifyRequest, shareDomain: string, secretKey: string): string;
}

/** Tells the operator the store failed: its name and the backend's error, never request data. */
export function logStoreUnavailable(req: FastifyRequest, deps: Pick<Deps, "store">, err: AppError): void {
  req.log.warn({ store: deps.store.name, cause: causeName(err) }, "store unavailable");
}

export function sendPage(reply: FastifyReply, status: number, page: Html): FastifyReply {
  return reply.code(status).type("text/html; charset=utf-8").send(page.value);
}

/** One form field as a string: the first of repeated values, "" when absent. */
export function field(body: unknown, name: string): string {
  if (typeof body !== "object" || body === null) return "";
  const value = (body as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : "";
}

export function themeOf(value: unknown): Theme {
  return value === "light" || value === "dark" ? value : "auto";
}

/** A path we may send the browser back to: on this site, made of plain path characters. */
export function safeNext(value: string): string {
  return /^\/(?!\/)[A-Za-z0-9/_-]*$/.test(value) ? value : "/";
}

/** `url` with `params` added to its query string (after any `?locale=` that href() put there). */
export function withQuery(url: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return query === "" ? url : `${url}${url.includes("?") ? "&" : "?"}${query}`;
}

export const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * Remembers a switcher's choice (language, theme) in a cookie for a year; null forgets it. These
 * cookies hold preferences only, but are HttpOnly and Secure under SSL like every other.
 */
export function rememberPreference(
  reply: FastifyReply,
  { name, value, secure }: { name: string; value: string | null; secure: boolean },
): void {
  if (value === null) reply.clearCookie(name, { path: "/" });
  else
    reply.setCookie(name, value, {
      path: "/",
      maxAge: YEAR_SECONDS,
      sameSite: "lax",
      secure,
      httpOnly: true,
    });
}

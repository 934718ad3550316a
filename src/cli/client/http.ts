// One HTTP exchange with the server through Node's fetch: a body in, a status and a JSON body out.
// A network failure or a body that is not JSON becomes a ClientError (exit 3) naming the server;
// errors never quote a request (its body may hold a secret) nor a URL with a key in it.

import { ClientError, EXIT } from "./errors.js";
import type { Credentials } from "./types.js";

export interface Reply {
  status: number;
  headers: Headers;
  /** The JSON body; null when there was none. */
  body: unknown;
}

export interface Request {
  method: "GET" | "POST";
  path: string;
  json?: unknown;
  form?: URLSearchParams;
  authorization?: string | undefined;
  /** A body that is not JSON is read as none instead of failing (the version probe). */
  lenient?: boolean;
}

const TIMEOUT_MS = 30_000;

export async function exchange(server: string, req: Request): Promise<Reply> {
  const headers: Record<string, string> = { accept: "application/json" };
  let body: string | undefined;
  if (req.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(req.json);
  } else if (req.form !== undefined) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = req.form.toString();
  }
  if (req.authorization !== undefined) headers.authorization = req.authorization;
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${server}${req.path}`, {
      method: req.method,
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    text = await res.text();
  } catch (err) {
    throw new ClientError(EXIT.unavailable, `cannot reach ${server}: ${networkReason(err)}`);
  }
  if (res.status >= 300 && res.status < 400) {
    // Never follow: a POST holding a secret must not be replayed somewhere else unasked.
    const to = res.headers.get("location");
    throw new ClientError(
      EXIT.unavailable,
      `${server} redirects${to === null ? "" : ` to ${new URL(to, server).origin}`}: give that address as --server`,
    );
  }
  if (text === "") return { status: res.status, headers: res.headers, body: null };
  try {
    return { status: res.status, headers: res.headers, body: JSON.parse(text) };
  } catch {
    if (req.lenient === true) return { status: res.status, headers: res.headers, body: null };
    throw new ClientError(
      EXIT.unavailable,
      `${server} answered ${res.status} with something that is not JSON: is it an Onetime Secret server?`,
    );
  }
}

/** Basic email:token, or (v2 only) Bearer with the token alone; undefined: anonymous. */
export function authorization(credentials: Credentials, bearer: boolean): string | undefined {
  const { user, token } = credentials;
  if (token === undefined) return undefined;
  if (user === undefined) return bearer ? `Bearer ${token}` : undefined;
  return `Basic ${Buffer.from(`${user}:${token}`, "utf8").toString("base64")}`;
}

/** ECONNREFUSED, ENOTFOUND host, a timeout…: the cause fetch wraps, in a few words. */
function networkReason(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** The object at `value`, or an empty one: the adapters read fields defensively. */
export function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

export function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

// Drives a single sign-on over HTTP the way a browser would, with fetch and a cookie jar: the
// server's redirect to the provider, the provider's development login screen, and its redirect back
// to the server's callback, which the test then opens (as is, or changed).
import assert from "node:assert/strict";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  createTestProvider,
  type TestProvider,
  type TestUser,
} from "./oidc-provider.js";
import { startWebServer, type WebServer } from "./web-server.js";

/** Cookies by name (every party is on 127.0.0.1; browsers do not split cookies by port either). */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0] ?? "";
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === "" || /max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** One request without following redirects; the jar sends and keeps cookies. */
export async function go(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (jar.cookies.size > 0) headers.set("cookie", jar.header());
  const res = await fetch(url, { ...init, headers, redirect: "manual" });
  jar.take(res);
  return res;
}

const location = (res: Response, base: string) => {
  const to = res.headers.get("location");
  assert.ok(to !== null, `expected a redirect, got ${res.status}`);
  return new URL(to, base).href;
};

/** Starts a sign-in at the server; returns the provider's authorization URL it redirects to. */
export async function startSignIn(jar: CookieJar, server: WebServer, next = ""): Promise<string> {
  const res = await go(
    jar,
    `${server.base}/signin/oidc${next === "" ? "" : `?next=${encodeURIComponent(next)}`}`,
  );
  assert.equal(res.status, 303);
  return location(res, server.base);
}

/**
 * From the provider's authorization URL: signs in as `login` on its development screen and follows
 * its redirects; returns the URL of the server's callback it sends the browser to (not opened).
 */
export async function loginAtProvider(jar: CookieJar, authUrl: string, login: string): Promise<string> {
  let url = authUrl;
  for (let hop = 0; hop < 10; hop++) {
    const res = await go(jar, url);
    if (res.status === 200) {
      const page = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
      assert.ok(action !== undefined, "the provider's login form");
      const body = new URLSearchParams({ prompt: "login", login, password: "any password" });
      const posted = await go(jar, new URL(action, url).href, {
        method: "POST",
        body,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      url = location(posted, url);
    } else {
      await res.arrayBuffer();
      url = location(res, url);
    }
    if (url.includes("/signin/oidc/callback")) return url;
  }
  throw new Error("the provider never sent the browser back");
}

export interface SsoSetup {
  provider: TestProvider;
  server: WebServer;
  close(): Promise<void>;
}

/** A provider with `users`, and a server that signs in with it; `env` adds to the server's options. */
export async function startSso(
  users: Record<string, TestUser>,
  env: Record<string, string> = {},
): Promise<SsoSetup> {
  const provider = await createTestProvider();
  for (const [login, user] of Object.entries(users)) provider.users.set(login, user);
  const server = await startWebServer({
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_NAME: "Test ID",
    OIDC_AUTO_CREATE: "true",
    OIDC_SCOPES: "openid email profile groups",
    ...env,
  });
  await provider.start(`${server.base}/signin/oidc/callback`);
  return {
    provider,
    server,
    async close() {
      await server.close();
      await provider.close();
    },
  };
}

// Secret and receipt links, and bare keys: which server and which key a command is about. A link
// names its own server, so `onetime get https://host/secret/KEY` needs no --server; the part of the
// path before /secret/ is kept, for a server published under a sub-path.

import { usageError } from "./errors.js";

export type Target = "secret" | "receipt";

export interface Located {
  /** The server's base URL, without a trailing slash: https://host or https://host/prefix. */
  server: string;
  key: string;
  /** The link's fragment without its "#" (a client-encrypted secret's key k); null when none. */
  fragment: string | null;
}

/** 1 to 128 ASCII letters and digits: any Onetime Secret key (ours: 31, upstream's modern: 62). */
const KEY = /^[A-Za-z0-9]{1,128}$/;
const PATH = /^(.*)\/(secret|receipt|private)\/([^/]+)\/?$/;

/** The server and key of `arg`, a link or a bare key (then on `defaultServer`); usage error otherwise. */
export function locate(arg: string, target: Target, defaultServer: string): Located {
  const hash = arg.indexOf("#");
  const bare = hash < 0 ? arg : arg.slice(0, hash);
  if (KEY.test(bare))
    return { server: defaultServer, key: bare, fragment: fragmentOf(arg.slice(bare.length)) };
  let url: URL;
  try {
    url = new URL(arg);
  } catch {
    throw usageError(`not a ${target} link or key: ${arg}`);
  }
  const match = url.protocol === "http:" || url.protocol === "https:" ? PATH.exec(url.pathname) : null;
  const key = match?.[3] ?? "";
  if (match === null || !KEY.test(key)) throw usageError(`not a ${target} link or key: ${arg}`);
  const kind = match[2] === "secret" ? "secret" : "receipt";
  if (kind !== target) {
    throw usageError(
      target === "secret"
        ? "that is a receipt link: `onetime receipt` or `onetime burn` take it; `get` takes the secret link"
        : "that is a secret link: this command takes the receipt link (or its key)",
    );
  }
  return { server: `${url.origin}${match[1]}`, key, fragment: fragmentOf(url.hash) };
}

function fragmentOf(hash: string): string | null {
  const fragment = hash.replace(/^#/, "");
  return fragment === "" ? null : fragment;
}

/** A --server or ONETIME_URL value as a base URL without a trailing slash; usage error otherwise. */
export function serverBase(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`not a server URL: ${text}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw usageError(`not an http(s) server URL: ${text}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw usageError("the server URL carries no credentials: use ONETIME_USER and ONETIME_TOKEN");
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

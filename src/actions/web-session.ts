import { randomBytes } from "node:crypto";
import { open, seal } from "../crypto/aead.js";
import { passwordKeys, sessionWrapKey } from "../crypto/credentials.js";
import { newToken } from "../crypto/ids.js";
import { hmacHex, safeEqual } from "../crypto/keys.js";
import { newSalt } from "../crypto/passphrase.js";
import { OtsError } from "../domain/errors.js";
import { mailOrigin, siteUrl } from "../domain/links.js";
import { accountMail } from "../mail/compose.js";
import { queueMail } from "../mail/outbox.js";
import type { CredentialsRow, TicketPurpose } from "../store/types.js";
import { normalizeEmail } from "./accounts.js";
import type { Account, Caller, Deps } from "./deps.js";
import { locateAccount } from "./keyring.js";
import { limit } from "./rate-limit.js";

// Web sign-up, sign-in and the mailed one-time links. The password never reaches the store: one
// argon2id run gives a verifier (stored) and the key that wraps the account's list key (not
// stored). A session keeps its own copy of the list key, sealed under its cookie token, so the
// dashboard can open the account's receipts while the store alone cannot.

export type AuthErrorCode =
  | "signup_closed"
  | "signup_domain"
  | "bad_email"
  | "account_exists"
  | "password_too_short"
  | "password_too_long"
  | "bad_credentials"
  | "unverified"
  | "link_invalid";

/** What the account forms tell the user; the web maps each code to a message. */
export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    readonly details: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = "AuthError";
  }
}

export interface SessionAccount extends Account {
  sessionId: string;
  locale: string | null;
}

const PASSWORD_MAX = 256;
const TICKET_TTL_MS: Record<TicketPurpose, number> = { verify: 24 * 3600_000, reset: 3600_000 };
/** Used when the account does not exist, so an unknown address costs one argon2 run too. */
const DUMMY_SALT = Buffer.alloc(16);

export function checkPassword(deps: Deps, password: string): void {
  const length = [...password].length;
  const min = deps.config.auth.passwordMinLength;
  if (length < min) throw new AuthError("password_too_short", { min });
  if (length > PASSWORD_MAX) throw new AuthError("password_too_long", { max: PASSWORD_MAX });
}

const sessionId = (deps: Deps, token: string) => hmacHex(deps.webKeys.session, "session", token);
const ticketId = (deps: Deps, purpose: TicketPurpose, token: string) =>
  hmacHex(deps.webKeys.session, `ticket:${purpose}`, token);
const listAad = (accountId: string) => `list:${accountId}`;

/** New credentials for a password, wrapping `listKey` (a new one when null). */
export async function newCredentials(
  deps: Deps,
  accountId: string,
  password: string,
  {
    listKey,
    verifiedAt,
    locale,
  }: { listKey: Buffer | null; verifiedAt: number | null; locale: string | null },
): Promise<CredentialsRow> {
  const salt = newSalt();
  const keys = await passwordKeys(password, salt);
  const list = listKey ?? deps.vault.newListKey();
  return {
    accountId,
    salt,
    verifier: keys.verifier,
    wrappedListKey: seal(keys.wrapKey, list, listAad(accountId)),
    verifiedAt,
    locale,
    updatedAt: deps.now(),
  };
}

export async function signUp(
  deps: Deps,
  caller: Caller,
  input: { email: string; password: string; locale: string | null },
): Promise<{ verified: boolean }> {
  const { auth } = deps.config;
  if (!auth.signup) throw new AuthError("signup_closed");
  await limit(deps, caller, "signup");
  const address = normalizeEmail(input.email);
  if (address === null) throw new AuthError("bad_email");
  const domain = address.slice(address.lastIndexOf("@") + 1);
  if (auth.allowedDomains.length > 0 && !auth.allowedDomains.includes(domain)) {
    throw new AuthError("signup_domain", { domains: auth.allowedDomains.join(", ") });
  }
  checkPassword(deps, input.password);
  if ((await locateAccount(deps, address)) !== null) throw new AuthError("account_exists");
  const id = deps.vault.accountId(address);
  const now = deps.now();
  const row = { id, email: address, tokenHash: null, wrappedListKey: null, createdAt: now, updatedAt: now };
  if (!(await deps.store.accounts.create(row))) throw new AuthError("account_exists");
  const verifiedAt = auth.autoverify ? now : null;
  await deps.store.accounts.setCredentials(
    await newCredentials(deps, id, input.password, { listKey: null, verifiedAt, locale: input.locale }),
  );
  if (verifiedAt === null) await mailTicket(deps, "verify", { id, email: address }, input.locale);
  return { verified: verifiedAt !== null };
}

/** Checks a password against an account's credentials, counting failures per account. */
export async function checkCredentials(
  deps: Deps,
  accountKey: string,
  creds: CredentialsRow | null,
  password: string,
) {
  const lockKey = `si:${accountKey}`;
  const now = deps.now();
  if (
    deps.config.rateLimit.enabled &&
    (await deps.store.counters.peek(lockKey, now)) >= deps.config.rateLimit.signinPerAccount
  ) {
    throw new OtsError("rate_limited");
  }
  const keys = await passwordKeys(password, creds?.salt ?? DUMMY_SALT);
  if (creds === null || !safeEqual(keys.verifier, creds.verifier)) {
    if (deps.config.rateLimit.enabled) {
      await deps.store.counters.hit(lockKey, deps.config.rateLimit.windowSeconds * 1000, now);
    }
    throw new AuthError("bad_credentials");
  }
  return keys;
}

/** Signs in: a new session (a fresh token on every sign-in); returns the token for the cookie. */
export async function signIn(
  deps: Deps,
  caller: Caller,
  input: { email: string; password: string },
): Promise<string> {
  await limit(deps, caller, "signin");
  const address = normalizeEmail(input.email) ?? "";
  const found = address === "" ? null : await locateAccount(deps, address);
  const creds = found === null ? null : await deps.store.accounts.getCredentials(found.account.id);
  const keys = await checkCredentials(deps, deps.vault.subject(address), creds, input.password);
  if (found === null || creds === null) throw new AuthError("bad_credentials");
  if (creds.verifiedAt === null) throw new AuthError("unverified");
  const listKey =
    creds.wrappedListKey === null
      ? null
      : open(keys.wrapKey, creds.wrappedListKey, listAad(found.account.id));
  return startSession(deps, found.account.id, listKey);
}

export async function startSession(deps: Deps, accountId: string, listKey: Buffer | null): Promise<string> {
  // 256 bits from the CSPRNG; only its HMAC is stored.
  const token = randomBytes(32).toString("base64url");
  const id = sessionId(deps, token);
  const now = deps.now();
  await deps.store.accounts.createSession({
    id,
    accountId,
    sealedListKey: listKey === null ? null : seal(sessionWrapKey(token), listKey, id),
    createdAt: now,
    expiresAt: now + deps.config.auth.sessionTtlSeconds * 1000,
  });
  return token;
}

/** The signed-in account of a session token; null when the token is unknown, expired or malformed. */
export async function sessionAccount(deps: Deps, token: string | undefined): Promise<SessionAccount | null> {
  if (token === undefined || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const id = sessionId(deps, token);
  const session = await deps.store.accounts.getSession(id, deps.now());
  if (session === null) return null;
  const account = await deps.store.accounts.get(session.accountId);
  if (account === null) return null;
  const creds = await deps.store.accounts.getCredentials(account.id);
  const listKey =
    session.sealedListKey === null ? null : open(sessionWrapKey(token), session.sealedListKey, id);
  return { id: account.id, email: account.email, listKey, locale: creds?.locale ?? null, sessionId: id };
}

export async function signOut(deps: Deps, token: string | undefined): Promise<void> {
  if (token !== undefined && /^[A-Za-z0-9_-]{43}$/.test(token))
    await deps.store.accounts.deleteSession(sessionId(deps, token));
}

/** Queues a mail with a one-time link; the link's token is never stored, only its HMAC. */
async function mailTicket(
  deps: Deps,
  purpose: TicketPurpose,
  account: { id: string; email: string },
  locale: string | null,
): Promise<void> {
  const token = newToken();
  const expiresAt = deps.now() + TICKET_TTL_MS[purpose];
  await deps.store.accounts.createTicket({
    id: ticketId(deps, purpose, token),
    purpose,
    accountId: account.id,
    expiresAt,
  });
  const { config, i18n } = deps;
  const origin = mailOrigin(config);
  const mail = accountMail(i18n.messages(i18n.supported(locale) ?? config.defaultLocale), {
    to: account.email,
    purpose,
    link: siteUrl(origin, `/${purpose}/${token}`),
    expiresAt,
    site: origin.host,
  });
  await queueMail({ store: deps.store, now: deps.now, key: deps.webKeys.mail }, mail, {
    receiptId: null,
    expiresAt,
  });
}

/** Confirms an address from its mailed link. */
export async function confirmAddress(deps: Deps, token: string): Promise<void> {
  const ticket = await deps.store.accounts.takeTicket(ticketId(deps, "verify", token), deps.now());
  const creds = ticket === null ? null : await deps.store.accounts.getCredentials(ticket.accountId);
  if (creds === null) throw new AuthError("link_invalid");
  if (creds.verifiedAt === null)
    await deps.store.accounts.setCredentials({ ...creds, verifiedAt: deps.now(), updatedAt: deps.now() });
}

/** Mails a reset link when the account exists; says nothing either way, so addresses cannot be probed. */
export async function requestReset(
  deps: Deps,
  caller: Caller,
  input: { email: string; locale: string | null },
) {
  await limit(deps, caller, "signup");
  const address = normalizeEmail(input.email);
  const found = address === null ? null : await locateAccount(deps, address);
  if (found === null || deps.config.mail.smtp === null) return;
  await mailTicket(deps, "reset", found.account, input.locale);
}

/**
 * Sets a new password from a mailed link and signs out everywhere. The old list key cannot be
 * unwrapped without the old password, so a new list starts: earlier receipts leave the dashboard
 * (their links and receipt addresses still work). An account made with the CLI gets its first
 * web password this way.
 */
export async function resetPassword(deps: Deps, input: { token: string; password: string }): Promise<void> {
  checkPassword(deps, input.password);
  const ticket = await deps.store.accounts.takeTicket(ticketId(deps, "reset", input.token), deps.now());
  const account = ticket === null ? null : await deps.store.accounts.get(ticket.accountId);
  if (account === null) throw new AuthError("link_invalid");
  const creds = await deps.store.accounts.getCredentials(account.id);
  // The mail reached its owner: that confirms the address too.
  const row = await newCredentials(deps, account.id, input.password, {
    listKey: null,
    verifiedAt: creds?.verifiedAt ?? deps.now(),
    locale: creds?.locale ?? null,
  });
  await deps.store.accounts.setCredentials(row);
  await deps.store.accounts.deleteSessions(account.id);
}

import { AppError } from "../domain/errors.js";
import { mailOrigin, siteUrl } from "../domain/links.js";
import { signupAgainMail } from "../mail/compose.js";
import { mailBrand } from "../mail/message.js";
import { queueMail } from "../mail/outbox.js";
import { newAccountRow, normalizeEmail } from "./accounts.js";
import { audit } from "./audit.js";
import type { Caller, Deps } from "./deps.js";
import { locateAccount } from "./keyring.js";
import { checkPassword, newCredentials } from "./password.js";
import { clientKey, limit } from "./rate-limit.js";
import { mailTicket } from "./tickets.js";

/** How long the mail to an existing owner may wait in the outbox. */
const AGAIN_MAIL_TTL_MS = 24 * 3600_000;

/**
 * Web sign-up: the account, then its credentials (a new list key wrapped by the password), then,
 * unless AUTH_AUTOVERIFY, a mailed link that confirms the address before the first sign-in.
 *
 * An address that already has an account gets the same answer as a new one ("check your mail",
 * after the same argon2 run), and its owner a mail saying someone tried: the form cannot tell who
 * has an account. With AUTH_AUTOVERIFY that cannot hold — a new account is signed in at once,
 * which an existing one cannot be without its password — so there the form says the address is taken.
 */
export async function signUp(
  deps: Deps,
  caller: Caller,
  input: { email: string; password: string; locale: string | null },
): Promise<{ verified: boolean }> {
  const { auth } = deps.config;
  if (!auth.signup) throw new AppError("signup_closed");
  await limit(deps, caller, "signup");
  const address = normalizeEmail(input.email);
  if (address === null) throw new AppError("bad_email");
  const domain = address.slice(address.lastIndexOf("@") + 1);
  if (auth.allowedDomains.length > 0 && !auth.allowedDomains.includes(domain)) {
    throw new AppError("signup_domain", { domains: auth.allowedDomains.join(", ") });
  }
  checkPassword(deps, input.password);
  const existing = await locateAccount(deps, address);
  if (existing !== null && auth.autoverify) throw new AppError("account_exists");
  const id = deps.vault.accountId(address);
  const now = deps.now();
  const verifiedAt = auth.autoverify ? now : null;
  // Run argon2 whether or not the address is taken, so the time taken does not tell either; in the
  // caller's share of the queue, before anything is stored, so that a refusal leaves nothing.
  const credentials = await newCredentials(deps, clientKey(deps, caller), deps.vault, id, input.password, {
    listKey: null,
    verifiedAt,
    locale: input.locale,
    bounded: true,
  });
  const row = newAccountRow(id, address, now);
  if (existing !== null || !(await deps.store.accounts.create(row))) {
    if (auth.autoverify) throw new AppError("account_exists");
    await mailOwner(deps, existing?.account.email ?? address, input.locale);
    return { verified: false };
  }
  await deps.store.accounts.setCredentials(credentials);
  await audit(deps, caller, { action: "account_created", actor: address, target: address, detail: "web" });
  if (verifiedAt === null) await mailTicket(deps, "verify", { id, email: address }, input.locale);
  return { verified: verifiedAt !== null };
}

/** Tells the owner of a taken address that someone tried to sign up with it. */
async function mailOwner(deps: Deps, to: string, locale: string | null): Promise<void> {
  const { config, i18n } = deps;
  const origin = mailOrigin(config);
  const mail = signupAgainMail(i18n.messages(i18n.negotiate({ query: locale })), {
    to,
    site: origin.host,
    brand: mailBrand(deps.branding),
    signin: siteUrl(origin, "/signin"),
    forgot: siteUrl(origin, "/forgot"),
  });
  const expiresAt = deps.now() + AGAIN_MAIL_TTL_MS;
  await queueMail({ store: deps.store, now: deps.now, key: deps.webKeys.mail }, mail, {
    receiptId: null,
    expiresAt,
  });
}

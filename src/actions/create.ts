import { encodeEnvelope, type FileContent } from "../crypto/envelope.js";
import { newKey } from "../crypto/ids.js";
import { type ClientSecretInput, checkClientSecret } from "../domain/client-secret.js";
import { AppError } from "../domain/errors.js";
import { mailOrigin, secretLink } from "../domain/links.js";
import { type NotifyEvent, notifyEvents } from "../domain/notify.js";
import { generatePassword } from "../domain/password.js";
import {
  checkFileSize,
  checkPassphrase,
  checkSecretSize,
  effectiveTtl,
  effectiveViews,
} from "../domain/policy.js";
import { type ReceiptView, receiptView } from "../domain/receipt.js";
import { maskAddress, parseRecipients } from "../domain/recipients.js";
import { linkDomains, listedShareDomain } from "../domain/share-domains.js";
import { secretMail } from "../mail/compose.js";
import { mailBrand } from "../mail/message.js";
import { queueMail } from "../mail/outbox.js";
import type { ReceiptRow, SecretKind } from "../store/types.js";
import type { Caller, Deps } from "./deps.js";
import { hashed } from "./hashing.js";
import { clientKey, limit } from "./rate-limit.js";
import { hasWebhooks, queueWebhookEvent, receiptEventData } from "./webhook-events.js";

/** What a surface asks for, read from its own wire format; a field left undefined was not given. */
export interface CreateInput {
  secret?: string;
  /** Seconds: the default when not given, clamped to the bounds (domain/policy.ts effectiveTtl). */
  ttl?: number;
  passphrase?: string;
  /** Addresses as given; the domain reads them (domain/recipients.ts). */
  recipients: string[];
  /**
   * The host the link should name: the site's own or one of SHARE_DOMAINS; anything else is refused
   * (invalid_param, field share_domain). API v1 drops an unlisted one before it gets here.
   */
  shareDomain?: string;
  /**
   * The site's own host as the request sees it (requestOrigin's: HOST, or the host reached when HOST
   * is unset): naming it means "". When not given, HOST.
   */
  ownHost?: string;
  /** The language of the recipient's email (v1 `locale`, or the page's); the default otherwise. */
  locale?: string;
  /**
   * A secret sealed by the sender's browser or terminal (API v2 extension, the pages' script): then
   * `secret` and `passphrase` are not given; the passphrase, if any, never left the client.
   */
  client?: ClientSecretInput;
  /** How many times the link may be opened: 1 when not given, refused outside the caller's ceiling. */
  views?: number;
  /**
   * A file to share with the text, or alone (API v2, the pages): sealed with the text in one content
   * envelope (src/crypto/envelope.ts), its name and type cleaned there. A client secret carries its
   * file inside its blob instead.
   */
  file?: FileContent;
  /**
   * Tell the creator by mail when the secret is read, burned or expires unread (domain/notify.ts):
   * true for every event, or a list of them. Needs an account with a confirmed address, and mail.
   */
  notify?: boolean | NotifyEvent[];
}

/** What the server seals: the caller's text and file, or the blob a client sealed. */
type Content = { text: string; file: FileContent | null } | { client: ClientSecretInput };

/** Conceal: store the caller's text as a new one-time secret. */
export async function conceal(deps: Deps, caller: Caller, input: CreateInput): Promise<ReceiptView> {
  checkAllowed(deps, caller);
  await limit(deps, caller, "create");
  checkRecipients(caller, input.recipients);
  const mode = deps.config.zeroKnowledge;
  const limits = { secretMaxLength: deps.config.secretMaxLength, fileMaxBytes: deps.config.files.maxBytes };
  if (input.client !== undefined) {
    if (mode === "off") throw new AppError("zero_knowledge_off");
    // A client secret's file is inside its blob; one beside it would be stored in the clear.
    if (input.file !== undefined) throw new AppError("invalid_param", { field: "file" });
    checkClientSecret(input.client, limits);
    // The passphrase's length cannot be checked here (it never arrives); its presence can.
    if (deps.config.passphraseRequired && input.client.kdf === null)
      throw new AppError("passphrase_required");
    return storeSecret(deps, caller, input, { client: input.client }, "conceal");
  }
  if (mode === "required") throw new AppError("zero_knowledge_required");
  const text = input.secret ?? "";
  const file = input.file ?? null;
  if (text === "" && file === null) throw new AppError("nothing_to_share");
  if (file !== null) checkFileSize(file.bytes.length, limits.fileMaxBytes);
  checkSecretSize(text, limits.secretMaxLength);
  checkPassphrase(input.passphrase, deps.config);
  return storeSecret(deps, caller, input, { text, file }, "conceal");
}

/** Generate: a new random password becomes the secret; any supplied `secret` is ignored. */
export async function generate(deps: Deps, caller: Caller, input: CreateInput): Promise<ReceiptView> {
  checkAllowed(deps, caller);
  await limit(deps, caller, "create");
  checkRecipients(caller, input.recipients);
  // The server would see the password it makes: with ZERO_KNOWLEDGE=required, clients generate.
  if (deps.config.zeroKnowledge === "required") throw new AppError("zero_knowledge_required");
  checkPassphrase(input.passphrase, deps.config);
  const value = generatePassword(deps.config.passwordGen);
  const view = await storeSecret(deps, caller, input, { text: value, file: null }, "generate");
  // Stored as `viewed` (the password is shown in this answer), which reports it as `new`.
  return { ...view, value, state: "new" };
}

/** AUTH_REQUIRED: only signed-in callers create; anyone with a link may still read. */
function checkAllowed(deps: Deps, caller: Caller): void {
  if (deps.config.auth.required && caller.account === null) throw new AppError("not_authorized");
}

function checkRecipients(caller: Caller, recipients: string[]): void {
  if (recipients.length > 0 && caller.account === null) throw new AppError("recipient_needs_account");
}

export async function storeSecret(
  deps: Deps,
  caller: Caller,
  input: CreateInput,
  content: Content,
  kind: SecretKind,
): Promise<ReceiptView> {
  const { config, vault } = deps;
  // Checked before anything is sealed or stored: a refused domain leaves nothing behind.
  const shareDomain = checkedShareDomain(input, config.host, config.shareDomains);
  const notify = await checkedNotify(deps, caller, input.notify);
  const webhooks = caller.account !== null && (await hasWebhooks(deps, caller.account.id));
  const addresses = parseRecipients(input.recipients);
  const recipients = addresses.map(maskAddress);

  const ttl = effectiveTtl(input.ttl, caller.account !== null, config);
  const secretKey = newKey();
  const metadataKey = newKey();
  const client = "client" in content ? content.client : null;
  const views = effectiveViews(input.views, caller.account !== null, config);
  const file = "file" in content ? content.file : null;
  // A text alone stays bare UTF-8 (as every secret made before files); with a file, an envelope.
  const plaintext =
    "text" in content ? (file === null ? content.text : encodeEnvelope({ text: content.text, file })) : "";
  const hasFile = client === null ? file !== null : client.hasFile;
  const seal = () => vault.sealSecret(secretKey, plaintext, input.passphrase);
  // With a passphrase, sealing runs argon2: in the caller's share of the queue, before anything is stored.
  const sealed =
    client !== null
      ? vault.sealClientSecret(secretKey, client.blob, client.proof)
      : input.passphrase === undefined
        ? await seal()
        : await hashed(deps, clientKey(deps, caller), seal);
  const receiptId = vault.receiptId(metadataKey);
  const now = deps.now();
  const receipt: ReceiptRow = {
    id: receiptId,
    secretId: sealed.id,
    sealedSecretKey: vault.sealSecretKey(metadataKey, receiptId, secretKey),
    owner: caller.account?.email ?? null,
    // A generated password is shown in the creation response; the receipt is "viewed" at once.
    state: kind === "generate" ? "viewed" : "new",
    kind,
    hasPassphrase: client === null ? input.passphrase !== undefined : client.kdf !== null,
    encryption: client === null ? "server" : "client",
    ttl,
    createdAt: now,
    updatedAt: now,
    secretExpiresAt: now + ttl * 1000,
    expiresAt: now + 2 * ttl * 1000,
    receivedAt: null,
    burnedAt: null,
    recipients,
    shareDomain,
    views,
    readTimes: [],
    hasFile,
    notify,
    webhooks,
  };
  const listKey = caller.account?.listKey ?? null;
  const owner =
    caller.account === null || listKey === null
      ? null
      : {
          accountId: caller.account.id,
          sealedMetadataKey: vault.sealMetadataKey(listKey, receiptId, metadataKey),
        };
  await deps.store.secrets.create(
    {
      ...sealed,
      receiptId,
      shareDomain,
      viewsLeft: views,
      hasFile,
      notifyRead: notify.includes("read") || webhooks,
      createdAt: now,
      expiresAt: receipt.secretExpiresAt,
      client: client === null ? null : { kdf: client.kdf },
    },
    receipt,
    owner,
  );
  deps.metrics?.created();
  deps.daily.count("created", now);
  if (webhooks && caller.account !== null)
    await queueWebhookEvent(deps, caller.account.id, "secret.created", receiptEventData(receipt), now);
  const [first] = addresses;
  if (first !== undefined && caller.account !== null && config.mail.smtp !== null) {
    // Like upstream, the link goes to the first address only. It is queued, not sent here: the
    // outbox retries through an SMTP outage or a restart, and the receipt shows how it went.
    const { i18n } = deps;
    const origin = mailOrigin(config);
    const mail = secretMail(i18n.messages(i18n.negotiate({ query: input.locale })), {
      to: first,
      sender: caller.account.email,
      link: secretLink(origin, shareDomain, secretKey),
      hasPassphrase: receipt.hasPassphrase,
      // The server never has a client secret's key: its link goes without the fragment, and the mail
      // says the sender passes the key separately (docs/zero-knowledge.md).
      clientEncrypted: client !== null,
      expiresAt: receipt.secretExpiresAt,
      site: origin.host,
      brand: mailBrand(deps.branding, shareDomain),
    });
    await queueMail({ store: deps.store, now: deps.now, key: deps.webKeys.mail }, mail, {
      receiptId,
      expiresAt: receipt.expiresAt,
    });
  }
  return receiptView(receipt, metadataKey, secretKey);
}

/**
 * The events a creator may be told of: only to an account's address, confirmed when it signed up on
 * the web (an account the operator made has no sign-up to confirm), and only where mail goes out.
 */
async function checkedNotify(
  deps: Deps,
  caller: Caller,
  asked: CreateInput["notify"],
): Promise<NotifyEvent[]> {
  const events = notifyEvents(asked);
  if (events.length === 0) return events;
  if (caller.account === null) throw new AppError("notify_needs_account");
  if (deps.config.mail.smtp === null) throw new AppError("notify_unavailable");
  const creds = await deps.store.accounts.getCredentials(caller.account.id);
  if (creds !== null && creds.verifiedAt === null) throw new AppError("notify_unverified");
  return events;
}

/** The link's domain as stored ("" for the site's own); an unlisted one is refused, naming the list. */
function checkedShareDomain(input: CreateInput, host: string | null, allowed: string[]): string {
  const own = input.ownHost ?? host ?? "";
  const domain = listedShareDomain(input.shareDomain, own, allowed);
  if (domain !== null) return domain;
  const choices = linkDomains(own, allowed).join(", ");
  throw new AppError("invalid_param", { field: "share_domain", allowed: choices });
}

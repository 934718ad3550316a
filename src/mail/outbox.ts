import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { MailConfig } from "../config.js";
import { open, seal } from "../crypto/aead.js";
import { isAppError } from "../domain/errors.js";
import type { MailRow, Store } from "../store/types.js";
import type { OutgoingMail } from "./compose.js";
import type { Mailer } from "./transport.js";

// The durable outbox: a mail is first written to the store, then sent by a worker that claims it
// atomically, so neither an SMTP outage nor a restart loses it. A failed try is retried with
// exponential backoff (MAIL_RETRY_BASE, doubled each time, at most an hour) until MAIL_MAX_ATTEMPTS;
// a 5xx answer (no such mailbox, refused by policy) fails at once. Delivery is at least once: a
// worker that dies between the SMTP server's "accepted" and recording it sends it again, under the
// same Message-ID so that receivers can drop the copy.

export interface OutboxDeps {
  store: Store;
  log: FastifyBaseLogger;
  now: () => number;
  /** Seals queued messages: they hold an address and a link. */
  key: Buffer;
  config: MailConfig;
}

export interface MailWorker {
  /** Tries every mail that is due now; returns how many were tried. */
  drain(): Promise<number>;
  /** Polls for due mail every `intervalMs` until stopped. */
  start(): void;
  stop(): Promise<void>;
}

const HOUR_SECONDS = 3600;
/** How long a worker holds a mail it claimed before another may try it (docs/configuration.md#mail). */
export const MAIL_LEASE_MS = 120_000;

/** Seconds to wait after the `attempt`-th failed try. */
export function retryDelaySeconds(attempt: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 2 ** (attempt - 1), Math.max(baseSeconds, HOUR_SECONDS));
}

/** Seals a mail and writes it to the outbox; a worker (in this or another process) sends it. */
export async function queueMail(
  deps: Pick<OutboxDeps, "store" | "now" | "key">,
  mail: OutgoingMail,
  about: { receiptId: string | null; expiresAt: number },
): Promise<string> {
  const id = randomBytes(16).toString("hex");
  const now = deps.now();
  await deps.store.outbox.enqueue({
    id,
    receiptId: about.receiptId,
    sealed: seal(deps.key, Buffer.from(JSON.stringify(mail)), `mail:${id}`),
    state: "queued",
    attempts: 0,
    dueAt: now,
    lastError: null,
    createdAt: now,
    updatedAt: now,
    expiresAt: about.expiresAt,
  });
  return id;
}

export function createMailWorker(
  deps: OutboxDeps,
  mailer: Mailer,
  { intervalMs = 1000, leaseMs = MAIL_LEASE_MS }: { intervalMs?: number; leaseMs?: number } = {},
): MailWorker {
  const { store, log, config } = deps;
  let timer: NodeJS.Timeout | null = null;
  let draining: Promise<number> | null = null;

  async function tryOne(mail: MailRow): Promise<void> {
    const opened = open(deps.key, mail.sealed, `mail:${mail.id}`);
    const tag = { mail: mail.id.slice(0, 8), attempt: mail.attempts };
    if (opened === null) {
      // Sealed under another SECRET, or damaged: no try can ever read it.
      await store.outbox.settle(mail.id, { state: "failed", lastError: "unreadable" }, deps.now());
      log.error(tag, "mail unreadable: marked failed");
      return;
    }
    const message = JSON.parse(opened.toString("utf8")) as OutgoingMail;
    try {
      await mailer.send(message, { messageId: `<${mail.id}@onetime>` });
      await store.outbox.settle(mail.id, { state: "sent", lastError: null }, deps.now());
      log.info(tag, "mail sent");
    } catch (err) {
      const code = isAppError(err) && err.details.reason !== undefined ? String(err.details.reason) : "error";
      const final = isAppError(err, "mail_refused") || mail.attempts >= config.maxAttempts;
      if (final) {
        await store.outbox.settle(mail.id, { state: "failed", lastError: code }, deps.now());
        log.warn({ ...tag, code }, "mail failed for good");
        return;
      }
      const wait = retryDelaySeconds(mail.attempts, config.retryBaseSeconds);
      await store.outbox.settle(
        mail.id,
        { state: "queued", dueAt: deps.now() + wait * 1000, lastError: code },
        deps.now(),
      );
      log.warn({ ...tag, code, retryInSeconds: wait }, "mail not sent: will retry");
    }
  }

  async function drainOnce(): Promise<number> {
    let tried = 0;
    for (;;) {
      const mail = await store.outbox.claim(deps.now(), leaseMs);
      if (mail === null) return tried;
      tried++;
      await tryOne(mail);
    }
  }

  const worker: MailWorker = {
    drain() {
      // One drain at a time per process; a second call waits for the running one.
      draining ??= drainOnce()
        .catch((err: Error) => {
          log.warn({ errType: err.name }, "outbox drain failed");
          return 0;
        })
        .finally(() => {
          draining = null;
        });
      return draining;
    },
    start() {
      timer ??= setInterval(() => void worker.drain(), intervalMs);
      timer.unref();
      void worker.drain();
    },
    async stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      await draining;
      mailer.close();
    },
  };
  return worker;
}

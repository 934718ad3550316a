// Principle 3 and the crypto model (DESIGN.md §4), checked from the outside: the data directory holds
// no plaintext, passphrase or bearer key; the server's own keys cannot open a passphrase secret
// without the passphrase; rows cannot be swapped; a different SECRET reads nothing and destroys nothing.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../src/actions/deps.js";
import { open } from "../src/crypto/aead.js";
import { dataKey, deriveServerKeys } from "../src/crypto/keys.js";
import { stretchPassphrase } from "../src/crypto/passphrase.js";
import { SECRET_FILE } from "../src/crypto/root-secret.js";
import { buildApp } from "../src/server/app.js";
import { createRuntime, type Runtime } from "../src/server/runtime.js";
import { DATABASE_FILE } from "../src/store/sqlite.js";
import { dataDirHolds, scanDataDir } from "./support/data-dir.js";
import { makeAccount, makeTestApp, postForm, share, TEST_SECRET } from "./support/helpers.js";
import { tempDir } from "./support/temp.js";

const UNKNOWN = "Unknown secret";

test("the data directory holds no plaintext, passphrase or bearer key, open or closed", async () => {
  const t = await makeTestApp();
  try {
    const needles: string[] = [TEST_SECRET];
    const remember = (...values: unknown[]) => {
      for (const v of values) needles.push(String(v));
    };
    const email = `owner-${hex(4)}@example.com`;
    const account = await makeAccount(t.deps, email);
    remember(account.token);
    const auth = { authorization: account.authorization };

    // Anonymous shares, with and without a passphrase; one revealed, one burned, one left alive.
    const plain = Array.from({ length: 3 }, () => `plain-${hex()}`);
    const passphrase = `pass-${hex()}`;
    remember(...plain, passphrase);
    const revealed = await share(t.app, { secret: plain[0] ?? "" });
    const burned = await share(t.app, { secret: plain[1] ?? "" });
    const locked = await share(t.app, { secret: plain[2] ?? "", passphrase });
    remember(...[revealed, burned, locked].flatMap((c) => [c.secret_key, c.metadata_key]));

    // Generated passwords, anonymous and authenticated with a passphrase.
    const generatePass = `pass-${hex()}`;
    remember(generatePass);
    const generated: Record<string, unknown>[] = [];
    for (const [form, headers] of [
      [{}, {}],
      [{ passphrase: generatePass }, auth],
    ] as const) {
      const res = await postForm(t.app, "/generate", form, headers);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      generated.push(body);
      remember(body.value, body.secret_key, body.metadata_key);
    }

    // Authenticated shares with a recipient (stored masked only) and a passphrase.
    const recipient = `friend-${hex(4)}@example.org`;
    const ownedPlain = `plain-${hex()}`;
    const ownedPass = `pass-${hex()}`;
    remember(recipient, ownedPlain, ownedPass);
    const owned = await share(t.app, { secret: ownedPlain, recipient }, auth);
    const ownedLocked = await share(t.app, { secret: `plain-${hex()}`, passphrase: ownedPass }, auth);
    remember(owned.secret_key, owned.metadata_key, ownedLocked.secret_key, ownedLocked.metadata_key);

    // Metadata reads, reveals (a wrong passphrase first), burns, recent.
    for (const c of [revealed, burned, locked, owned, ownedLocked]) {
      assert.equal((await postForm(t.app, `/private/${c.metadata_key}`)).statusCode, 200);
    }
    assert.equal(
      (await postForm(t.app, `/secret/${locked.secret_key}`, { passphrase: "nope" })).statusCode,
      404,
    );
    assert.equal((await postForm(t.app, `/secret/${revealed.secret_key}`)).json().value, plain[0]);
    assert.equal(
      (await postForm(t.app, `/secret/${locked.secret_key}`, { passphrase })).json().value,
      plain[2],
    );
    assert.equal((await postForm(t.app, `/secret/${owned.secret_key}`)).json().value, ownedPlain);
    assert.equal((await postForm(t.app, `/private/${burned.metadata_key}/burn`)).statusCode, 200);
    const burnOwned = await postForm(t.app, `/private/${ownedLocked.metadata_key}/burn`, {
      passphrase: ownedPass,
    });
    assert.equal(burnOwned.statusCode, 200);
    const recent = await t.app.inject({ method: "GET", url: "/api/v1/private/recent", headers: auth });
    assert.equal(recent.json().length, 3);

    // Positive control: a live secret's ciphertext is found, so the scan really reads the rows.
    const liveCiphertext = readCiphertext(t.dataDir, t.deps.vault.secretId(String(generated[0]?.secret_key)));
    const whileOpen = scanDataDir(t.dataDir, needles);
    assert.ok(whileOpen.includes(DATABASE_FILE));
    assert.ok(whileOpen.includes(`${DATABASE_FILE}-wal`), "the WAL is checked while it holds data");
    assert.ok(dataDirHolds(t.dataDir, liveCiphertext));

    await t.app.close();
    await t.deps.store.close();
    const afterClose = scanDataDir(t.dataDir, needles);
    assert.ok(afterClose.includes(DATABASE_FILE));
    assert.ok(dataDirHolds(t.dataDir, liveCiphertext));
  } finally {
    await t.close();
  }
});

test("the server's keys cannot open a passphrase secret without its passphrase", async () => {
  const t = await makeTestApp();
  try {
    const plaintext = `plain-${hex()}`;
    const passphrase = `pass-${hex()}`;
    const created = await share(t.app, { secret: plaintext, passphrase });
    const key = created.secret_key;
    const { vault, store } = t.deps;
    const id = vault.secretId(key);
    const header = await store.secrets.peek(id, Date.now());
    assert.ok(header?.passphraseSalt);
    const ciphertext = readCiphertext(t.dataDir, id);

    assert.equal(await vault.unlockSecret(header, key, undefined), null);
    assert.equal(await vault.unlockSecret(header, key, ""), null);
    assert.equal(await vault.unlockSecret(header, key, `${passphrase}x`), null);

    // What an attacker holding the database, SECRET and the link would try: the content key as if
    // there were no passphrase, and with a wrong passphrase stretched on the stored salt.
    const keys = deriveServerKeys(Buffer.from(TEST_SECRET));
    const withoutPassphrase = dataKey([keys.encryption, key, Buffer.alloc(0)], id, "content");
    assert.equal(open(withoutPassphrase, ciphertext, id), null);
    const wrong = await stretchPassphrase("guess", header.passphraseSalt);
    assert.equal(open(dataKey([keys.encryption, key, wrong], id, "content"), ciphertext, id), null);

    // The same derivation with the right passphrase does open it: the failures above are not vacuous.
    const right = await stretchPassphrase(passphrase, header.passphraseSalt);
    assert.equal(
      open(dataKey([keys.encryption, key, right], id, "content"), ciphertext, id)?.toString(),
      plaintext,
    );
    const contentKey = await vault.unlockSecret(header, key, passphrase);
    assert.ok(contentKey !== null);
    assert.equal(vault.openSecret(contentKey, { id, ciphertext }), plaintext);
  } finally {
    await t.close();
  }
});

test("a wrong or missing passphrase consumes nothing; the right one then works once", async () => {
  const t = await makeTestApp();
  try {
    const plaintext = `plain-${hex()}`;
    const passphrase = `pass-${hex()}`;
    const created = await share(t.app, { secret: plaintext, passphrase });
    const unknown = { message: UNKNOWN, secret_key: created.secret_key };
    const attempts: Record<string, string>[] = [
      {},
      { passphrase: "wrong" },
      { passphrase: `${passphrase} ` },
    ];
    for (const form of attempts) {
      const res = await postForm(t.app, `/secret/${created.secret_key}`, form);
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), unknown);
    }
    const burn = await postForm(t.app, `/private/${created.metadata_key}/burn`, { passphrase: "wrong" });
    assert.deepEqual(burn.json(), { message: "Double check that passphrase" });
    const receipt = (await postForm(t.app, `/private/${created.metadata_key}`)).json();
    assert.equal(receipt.state, "viewed");
    assert.equal(receipt.passphrase_required, true);

    const ok = await postForm(t.app, `/secret/${created.secret_key}`, { passphrase });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().value, plaintext);
    assert.deepEqual(
      (await postForm(t.app, `/secret/${created.secret_key}`, { passphrase })).json(),
      unknown,
    );
  } finally {
    await t.close();
  }
});

test("ciphertext moved to another row never opens there", async () => {
  const t = await makeTestApp();
  const db = new Database(join(t.dataDir, DATABASE_FILE));
  try {
    const plainA = `plain-${hex()}`;
    const plainB = `plain-${hex()}`;
    const a = await share(t.app, { secret: plainA });
    const b = await share(t.app, { secret: plainB });
    const idA = t.deps.vault.secretId(a.secret_key);
    const idB = t.deps.vault.secretId(b.secret_key);
    const rowA = db.prepare("SELECT ciphertext, verifier FROM secrets WHERE id = ?").get(idA) as SecretBytes;
    const rowB = db.prepare("SELECT ciphertext, verifier FROM secrets WHERE id = ?").get(idB) as SecretBytes;
    const put = db.prepare("UPDATE secrets SET ciphertext = ?, verifier = ? WHERE id = ?");

    // A's ciphertext and verifier in B's row: B's key fails the verifier, and B is not consumed.
    put.run(rowA.ciphertext, rowA.verifier, idB);
    const swapped = await postForm(t.app, `/secret/${b.secret_key}`);
    assert.equal(swapped.statusCode, 404);
    assert.deepEqual(swapped.json(), { message: UNKNOWN, secret_key: b.secret_key });
    assert.ok(secretExists(db, idB), "a failed verifier consumes nothing");

    // A's ciphertext under B's own verifier: the verifier passes, so the take happens; GCM then
    // refuses A's ciphertext under B's key and id. Whatever the answer, it is not A's plaintext.
    put.run(rowA.ciphertext, rowB.verifier, idB);
    const tampered = await postForm(t.app, `/secret/${b.secret_key}`);
    assert.equal(tampered.statusCode, 404);
    assert.ok(!tampered.body.includes(plainA) && !tampered.body.includes(plainB));
    assert.ok([UNKNOWN, "An unexpected error occurred :["].includes(tampered.json().message));

    // A itself is untouched and still opens once, with A's key.
    assert.equal((await postForm(t.app, `/secret/${a.secret_key}`)).json().value, plainA);
  } finally {
    db.close();
    await t.close();
  }
});

test("a receipt's sealed secret key moved to another receipt never opens there", async () => {
  const t = await makeTestApp();
  const db = new Database(join(t.dataDir, DATABASE_FILE));
  try {
    const plainA = `plain-${hex()}`;
    const plainB = `plain-${hex()}`;
    const a = await share(t.app, { secret: plainA });
    const b = await share(t.app, { secret: plainB });
    const receiptA = t.deps.vault.receiptId(a.metadata_key);
    const receiptB = t.deps.vault.receiptId(b.metadata_key);
    const sealedA = db.prepare("SELECT sealed_secret_key FROM receipts WHERE id = ?").get(receiptA) as {
      sealed_secret_key: Buffer;
    };
    db.prepare("UPDATE receipts SET sealed_secret_key = ? WHERE id = ?").run(
      sealedA.sealed_secret_key,
      receiptB,
    );

    const shown = await postForm(t.app, `/private/${b.metadata_key}`);
    assert.equal(shown.statusCode, 200);
    assert.ok(!shown.body.includes(a.secret_key), "B's receipt must not hand out A's secret key");
    assert.equal(shown.json().secret_key, "");

    // Burning through B cannot open a secret key, so it must destroy nothing (A's or B's).
    const burn = await postForm(t.app, `/private/${b.metadata_key}/burn`);
    assert.equal(burn.statusCode, 404);
    assert.ok(!burn.body.includes(a.secret_key) && !burn.body.includes(plainA));
    assert.equal((await postForm(t.app, `/secret/${a.secret_key}`)).json().value, plainA);
    assert.equal((await postForm(t.app, `/secret/${b.secret_key}`)).json().value, plainB);
  } finally {
    db.close();
    await t.close();
  }
});

test("another SECRET reads nothing and destroys nothing; the right one still reads once", async () => {
  using dir = tempDir("onetime-secret-change-");
  const dataDir = dir.path;
  const x = `first-root-secret-${hex()}`;
  const y = `other-root-secret-${hex()}`;
  const plaintext = `plain-${hex()}`;
  let s = await startApp(dataDir, { SECRET: x });
  const created = await share(s.app, { secret: plaintext });
  await s.close();

  s = await startApp(dataDir, { SECRET: y });
  const refused = await postForm(s.app, `/secret/${created.secret_key}`);
  assert.equal(refused.statusCode, 404);
  assert.deepEqual(refused.json(), { message: UNKNOWN, secret_key: created.secret_key });
  assert.equal((await postForm(s.app, `/private/${created.metadata_key}`)).json().message, UNKNOWN);
  await s.close();
  assert.equal(countRows(dataDir, "secrets"), 1);
  assert.equal(countRows(dataDir, "receipts"), 1);

  s = await startApp(dataDir, { SECRET: x });
  assert.equal((await postForm(s.app, `/secret/${created.secret_key}`)).json().value, plaintext);
  assert.equal((await postForm(s.app, `/secret/${created.secret_key}`)).statusCode, 404);
  await s.close();
});

test("without SECRET, secret.key is created with mode 0600 and reused on the next start", async () => {
  using dir = tempDir("onetime-secret-file-");
  const dataDir = dir.path;
  const plaintext = `plain-${hex()}`;
  let s = await startApp(dataDir);
  assert.equal(s.runtime.root.source, "generated");
  const path = join(dataDir, SECRET_FILE);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const rootKey = s.runtime.root.key;
  assert.ok(rootKey.length >= 32);
  const created = await share(s.app, { secret: plaintext });
  await s.close();

  s = await startApp(dataDir);
  assert.equal(s.runtime.root.source, "file");
  assert.ok(s.runtime.root.key.equals(rootKey));
  assert.equal(readFileSync(path, "utf8").trim(), rootKey.toString());
  assert.equal((await postForm(s.app, `/secret/${created.secret_key}`)).json().value, plaintext);
  await s.close();
  assert.equal(statSync(path).mode & 0o777, 0o600);
  scanDataDir(dataDir, [rootKey.toString(), plaintext, created.secret_key, created.metadata_key]);
});

interface SecretBytes {
  ciphertext: Buffer;
  verifier: Buffer;
}

interface StartedApp {
  app: FastifyInstance;
  deps: Deps;
  runtime: Runtime;
  close(): Promise<void>;
}

/** The app on an existing data directory (which survives close), quiet logs. */
async function startApp(dataDir: string, env: Record<string, string> = {}): Promise<StartedApp> {
  const runtime = await createRuntime({ env: { DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env } });
  const app = await buildApp(runtime.deps);
  await app.ready();
  return {
    app,
    deps: runtime.deps,
    runtime,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

/**
 * Reads every file of the data directory but secret.key as raw bytes and fails on the first needle
 * found (as UTF-8). Returns the names of the files it read.
 */
function readCiphertext(dataDir: string, id: string): Buffer {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare("SELECT ciphertext FROM secrets WHERE id = ?").get(id) as { ciphertext: Buffer })
      .ciphertext;
  } finally {
    db.close();
  }
}

function secretExists(db: Database.Database, id: string): boolean {
  return db.prepare("SELECT 1 FROM secrets WHERE id = ?").get(id) !== undefined;
}

function countRows(dataDir: string, table: "secrets" | "receipts"): number {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function hex(bytes = 12): string {
  return randomBytes(bytes).toString("hex");
}

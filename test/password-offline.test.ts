// Offline guessing of a weak web password from a stolen database (issue 16, point 5), mounted on a
// real database file. With the database alone, no guess can be tested: the stored verifier and the
// wrapping of the list key are keyed with a pepper derived from SECRET. With SECRET too, the
// attacker is the server: a guessable password opens the list key, the metadata keys, and the
// secrets still waiting — exactly the limit docs/security.md states.
import assert from "node:assert/strict";
import { hkdfSync, randomBytes } from "node:crypto";
import { join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { sessionAccount } from "../src/actions/session-account.js";
import { signIn } from "../src/actions/sign-in.js";
import { signUp } from "../src/actions/sign-up.js";
import { deriveServerKeys } from "../src/crypto/keys.js";
import { openWithPassword, sealWithPassword } from "../src/crypto/list-key.js";
import { stretchPassphrase } from "../src/crypto/passphrase.js";
import { createVault } from "../src/crypto/vault.js";
import { DATABASE_FILE } from "../src/store/sqlite.js";
import { makeTestApp, TEST_SECRET } from "./support/helpers.js";
import { tempDir } from "./support/temp.js";
import { createViaForm, signInViaForm, visitor } from "./support/web-support.js";

const WEAK = "sunshine1";
/** A tiny dictionary with the password last: each entry is one argon2 run. */
const GUESSES = [
  "123456",
  "password",
  "qwerty123",
  "iloveyou",
  "letmein1",
  "dragon12",
  "monkey12",
  "football",
  WEAK,
];
const PLAINTEXT = "the plaintext behind a weak password";

interface Stolen {
  credentials: { salt: Buffer; verifier: Buffer; account_id: string; wrapped_list_key: Buffer }[];
  list: { receipt_id: string; sealed_metadata_key: Buffer }[];
  receipts: Map<string, { id: string; secret_id: string; sealed_secret_key: Buffer }>;
  secrets: Map<string, { id: string; ciphertext: Buffer; verifier: Buffer; passphrase_salt: Buffer | null }>;
}

/** A copy of the database file, taken while the server runs, and read as an attacker would. */
function steal(dataDir: string): Stolen {
  const dir = tempDir("onetime-stolen-");
  const copy = join(dir.path, "copy.db");
  const live = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  live.exec(`VACUUM INTO '${copy}'`);
  live.close();
  const db = new Database(copy, { readonly: true });
  try {
    const rows = <T>(table: string) => db.prepare(`SELECT * FROM ${table}`).all() as T[];
    const byId = <T extends { id: string }>(table: string) => new Map(rows<T>(table).map((r) => [r.id, r]));
    return {
      credentials: rows("credentials"),
      list: rows("account_receipts"),
      receipts: byId("receipts"),
      secrets: byId("secrets"),
    };
  } finally {
    db.close();
    dir.remove();
  }
}

test("a database copy alone cannot test a password guess; with SECRET, a weak password opens what docs say", async () => {
  const t = await makeTestApp({ AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true", RATE_LIMIT_ENABLED: "false" });
  try {
    const email = "weak@example.com";
    await signUp(t.deps, { ip: "192.0.2.1", account: null }, { email, password: WEAK, locale: null });
    const v = visitor(t.app);
    await signInViaForm(v, email, WEAK);
    await createViaForm(v, { secret: PLAINTEXT, ttl: "3600" });
    const stolen = steal(t.dataDir);
    assert.equal(stolen.credentials.length, 1);
    assert.equal(stolen.list.length, 1);
    const [row] = stolen.credentials;
    assert.ok(row !== undefined);

    // The database alone: the attacker runs the published derivation (argon2id, then HKDF with the
    // stored salt) on each guess. Without the pepper nothing it gives matches the stored verifier or
    // opens the list key — not even for the right password; a 256-bit pepper cannot be guessed.
    const noPepper = { hits: 0, listKeys: 0 };
    for (const guess of GUESSES) {
      const stretched = await stretchPassphrase(guess, row.salt);
      const derive = (info: string) => Buffer.from(hkdfSync("sha256", stretched, row.salt, info, 32));
      if (derive("password-verifier").equals(row.verifier)) noPepper.hits++;
      const wrapKey = derive("password-list-wrap");
      if (openWithPassword(wrapKey, row.account_id, row.wrapped_list_key) !== null) noPepper.listKeys++;
    }
    assert.deepEqual(noPepper, { hits: 0, listKeys: 0 }, "the database alone tests no guess");

    // Database + SECRET: the attacker can do what the server does.
    const vault = createVault(deriveServerKeys(Buffer.from(TEST_SECRET)));
    let tries = 0;
    let listKey: Buffer | null = null;
    for (const guess of GUESSES) {
      tries++;
      const { peppered } = await vault.passwordKeys(guess, row.salt);
      if (!peppered.verifier.equals(row.verifier)) continue;
      listKey = openWithPassword(peppered.wrapKey, row.account_id, row.wrapped_list_key);
      break;
    }
    assert.equal(tries, GUESSES.length, "found by guessing, one argon2 run per guess");
    assert.ok(listKey !== null);
    const opened: string[] = [];
    for (const entry of stolen.list) {
      const metadataKey = vault.openMetadataKey(listKey, entry.receipt_id, entry.sealed_metadata_key);
      const receipt = stolen.receipts.get(entry.receipt_id);
      assert.ok(metadataKey !== null && receipt !== undefined);
      const secretKey = vault.openSecretKey(metadataKey, entry.receipt_id, receipt.sealed_secret_key);
      const secret = stolen.secrets.get(receipt.secret_id);
      assert.ok(secretKey !== null && secret !== undefined);
      const contentKey = await vault.unlockSecret(
        { id: secret.id, verifier: secret.verifier, passphraseSalt: secret.passphrase_salt },
        secretKey,
        undefined,
      );
      assert.ok(contentKey !== null);
      opened.push(vault.openSecret(contentKey, secret) ?? "");
    }
    assert.deepEqual(opened, [PLAINTEXT], "database + SECRET + a guessable password: the server's own reach");
  } finally {
    await t.close();
  }
});

test("credentials written before the pepper sign in once, keep their list, and are rewritten peppered", async () => {
  const t = await makeTestApp({ AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true", RATE_LIMIT_ENABLED: "false" });
  try {
    const email = "early@example.com";
    const anonymous = { ip: "192.0.2.1", account: null };
    await signUp(t.deps, anonymous, { email, password: WEAK, locale: null });
    const id = t.deps.vault.accountId(email);
    const current = await t.deps.store.accounts.getCredentials(id);
    assert.ok(current !== null);
    // The row as the previous version wrote it: HKDF of the argon2 output with the salt only.
    const salt = randomBytes(16);
    const stretched = await stretchPassphrase(WEAK, salt);
    const derive = (info: string) => Buffer.from(hkdfSync("sha256", stretched, salt, info, 32));
    const listKey = randomBytes(32);
    const legacy = {
      ...current,
      salt,
      verifier: derive("password-verifier"),
      wrappedListKey: sealWithPassword(derive("password-list-wrap"), id, listKey),
    };
    await t.deps.store.accounts.setCredentials(legacy);

    const session = await signIn(t.deps, anonymous, { email, password: WEAK });
    assert.deepEqual((await sessionAccount(t.deps, session))?.listKey, listKey, "the list survives");
    const rewritten = await t.deps.store.accounts.getCredentials(id);
    assert.ok(rewritten !== null);
    assert.ok(!rewritten.verifier.equals(legacy.verifier), "the verifier is now peppered");
    assert.equal(
      openWithPassword(derive("password-list-wrap"), id, rewritten.wrappedListKey ?? Buffer.alloc(0)),
      null,
    );
    const again = await signIn(t.deps, anonymous, { email, password: WEAK });
    assert.deepEqual((await sessionAccount(t.deps, again))?.listKey, listKey);
    await assert.rejects(signIn(t.deps, anonymous, { email, password: "not the password" }));
  } finally {
    await t.close();
  }
});

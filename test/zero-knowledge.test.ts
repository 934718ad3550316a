// Client-encrypted (zero-knowledge) secrets against a real server process, with Node's WebCrypto as
// the client (src/crypto/zk.ts, as the pages and the CLI use it): what the server stores and logs,
// what a wrong or missing proof consumes, races, v1, ZERO_KNOWLEDGE, and the recipient's mail.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as zk from "../src/crypto/zk.js";
import * as domain from "../src/domain/client-secret.js";
import { createMailWorker } from "../src/mail/outbox.js";
import { createMailer } from "../src/mail/transport.js";
import { scanDataDir } from "./support/data-dir.js";
import { makeAccount, makeTestApp } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { startSmtp } from "./support/smtp.js";
import { tempDir } from "./support/temp.js";
import { b64, type Json, record, revealClient, shareClient, v2 } from "./support/zk-client.js";

describe("zero-knowledge secrets, real server (ZERO_KNOWLEDGE=browser, LOG_LEVEL=debug)", () => {
  const dir = tempDir("onetime-zk-");
  let server: Server;
  let log = "";
  const needles: string[] = [];
  before(async () => {
    server = await startServerProcess({ DATA_DIR: dir.path, LOG_LEVEL: "debug" });
    server.outputEvents.on("data", (chunk: Buffer) => {
      log += chunk.toString();
    });
  });
  after(async () => {
    await server.stop();
    dir.remove();
  });

  test("created and revealed through v2: the text comes back, once; the look and status say client", async () => {
    const text = "zk plaintext one: ünïcødé ✓";
    const { k, p, secretKey, metadataKey, made } = await shareClient(server, text, "zk passphrase one");
    needles.push(text, "zk passphrase one", zk.encodeKey(k), b64(k));
    assert.equal((record(made).receipt as Json).encryption, "client");
    assert.equal((record(made).receipt as Json).has_passphrase, true);
    const look = record(await v2(server, "GET", `/secret/${secretKey}`));
    assert.equal(look.encryption, "client");
    assert.deepEqual(look.kdf, { salt: b64(p?.salt ?? new Uint8Array()), iterations: 600_000 });
    const { answer, text: opened } = await revealClient(server, secretKey, k, "zk passphrase one");
    assert.equal(opened, text);
    assert.equal(record(answer).secret_value, undefined);
    assert.equal(
      (await v2(server, "POST", `/secret/${secretKey}/reveal`, { proof: b64(new Uint8Array(32)) })).status,
      404,
    );
    const receipt = record(await v2(server, "GET", `/receipt/${metadataKey}`));
    assert.deepEqual([receipt.state, receipt.encryption], ["revealed", "client"]);
  });

  test("no proof, a wrong k, a wrong passphrase: nothing consumed (409, 422, 422); the right proof then works", async () => {
    const text = "zk plaintext two";
    const { k, secretKey } = await shareClient(server, text, "zk passphrase two");
    needles.push(text, "zk passphrase two", b64(k));
    const noProof = await v2(server, "POST", `/secret/${secretKey}/reveal`, {});
    assert.equal(noProof.status, 409);
    assert.equal(noProof.body.error_type, "ClientEncrypted");
    const wrongKey = await revealClient(server, secretKey, zk.newKey(), "zk passphrase two");
    assert.equal(wrongKey.answer.status, 422);
    assert.equal(wrongKey.answer.body.error_type, "IncorrectPassphrase");
    const wrongPassphrase = await revealClient(server, secretKey, k, "zk passphrase 2");
    assert.equal(wrongPassphrase.answer.status, 422);
    assert.equal((await revealClient(server, secretKey, k, "zk passphrase two")).text, text);
  });

  test("v1 reveal of a client secret consumes nothing and says why; v2 then reveals it", async () => {
    const text = "zk plaintext three";
    const { k, secretKey } = await shareClient(server, text);
    needles.push(text, b64(k));
    const res = await fetch(`${server.base}/api/v1/secret/${secretKey}`, { method: "POST" });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("x-ots-intended-status"), "409");
    assert.deepEqual(await res.json(), {
      message:
        "This secret was encrypted by its sender's browser: open its link in a browser, or use onetime get",
    });
    assert.equal((await revealClient(server, secretKey, k)).text, text);
  });

  test("50 racing reveals with the right proof: exactly one blob", async () => {
    const text = "zk plaintext race";
    const { k, secretKey } = await shareClient(server, text);
    needles.push(text, b64(k));
    const proof = b64(await zk.proofFor(k));
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => v2(server, "POST", `/secret/${secretKey}/reveal`, { proof })),
    );
    const won = answers.filter((a) => a.status === 200);
    assert.equal(won.length, 1);
    assert.deepEqual([...new Set(answers.filter((a) => a.status !== 200).map((a) => a.status))], [404]);
    assert.equal(
      await zk.open(zk.fromBase64Url(record(won[0] ?? { body: {} }).ciphertext as string), k),
      text,
    );
  });

  test("wrong proofs are counted by the passphrase lock-out: past PASSPHRASE_ATTEMPTS_PER_IP even the right one waits", async () => {
    const { k, secretKey } = await shareClient(server, "zk plaintext lock");
    for (let i = 0; i < 5; i++) {
      const wrong = await v2(server, "POST", `/secret/${secretKey}/reveal`, { proof: b64(zk.newKey()) });
      assert.equal(wrong.status, 422);
    }
    const locked = await v2(server, "POST", `/secret/${secretKey}/reveal`, {
      proof: b64(await zk.proofFor(k)),
    });
    assert.equal(locked.status, 429);
    assert.equal(record(await v2(server, "GET", `/secret/${secretKey}`)).encryption, "client", "still there");
  });

  test("a malformed create is refused: short proof, too few iterations, secret beside ciphertext", async () => {
    const { blob, proof } = await zk.seal("x", zk.newKey());
    const bad = [
      { ciphertext: b64(blob), proof: b64(proof.subarray(1)) },
      { ciphertext: b64(blob), proof: b64(proof), kdf: { salt: b64(new Uint8Array(16)), iterations: 1000 } },
      { ciphertext: b64(blob), proof: b64(proof), secret: "plain" },
      { ciphertext: "a+b", proof: b64(proof) },
    ];
    for (const secret of bad)
      assert.equal((await v2(server, "POST", "/secret/conceal", { secret })).status, 422);
  });

  test("the data directory and the debug log hold no plaintext, no k, no passphrase", () => {
    assert.ok(needles.length >= 10);
    assert.match(
      log,
      /"path":"\/api\/v2\/secret\/[a-z0-9]{4}…\/reveal"/,
      "the capture has the request lines",
    );
    const everything = `${log}\n${server.output()}`;
    scanDataDir(dir.path, needles);
    for (const needle of needles) {
      assert.equal(everything.includes(needle), false, `the log has ${needle.slice(0, 12)}…`);
    }
  });
});

test("the server's checks (domain/client-secret.ts) use the format's own sizes (crypto/zk.ts)", () => {
  assert.equal(domain.CLIENT_FORMAT, zk.FORMAT_VERSION);
  assert.equal(domain.CLIENT_BLOB_OVERHEAD, zk.BLOB_OVERHEAD);
  assert.equal(domain.KDF_SALT_BYTES, zk.SALT_BYTES);
  assert.equal(domain.KDF_MIN_ITERATIONS, zk.KDF_ITERATIONS);
  assert.equal(domain.KDF_MAX_ITERATIONS, zk.KDF_MAX_ITERATIONS);
  assert.equal(domain.PROOF_BYTES, zk.KEY_BYTES);
});

describe("ZERO_KNOWLEDGE=off and =required", () => {
  test("off: v2 refuses a client secret, status advertises nothing; plaintext still works", async () => {
    const server = await startServerProcess({ ZERO_KNOWLEDGE: "off" });
    try {
      assert.deepEqual((await v2(server, "GET", "/status")).body.capabilities, { file_max_bytes: 5242880 });
      const { blob, proof } = await zk.seal("x", zk.newKey());
      const refused = await v2(server, "POST", "/secret/conceal", {
        secret: { ciphertext: b64(blob), proof: b64(proof) },
      });
      assert.equal(refused.status, 422);
      assert.equal(
        (await v2(server, "POST", "/secret/conceal", { secret: { secret: "plain" } })).status,
        200,
      );
    } finally {
      await server.stop();
    }
  });

  test("required: plaintext creates are refused on v1 and v2 (share and generate); client secrets work", async () => {
    const server = await startServerProcess({ ZERO_KNOWLEDGE: "required" });
    try {
      assert.deepEqual((await v2(server, "GET", "/status")).body.capabilities, {
        client_encryption: 1,
        client_encryption_required: true,
        file_max_bytes: 5242880,
      });
      for (const path of ["/secret/conceal", "/secret/generate"]) {
        const refused = await v2(server, "POST", path, { secret: { secret: "plain" } });
        assert.equal(refused.status, 422, path);
        assert.match(String(refused.body.error), /only client-encrypted/);
      }
      for (const path of ["/share", "/generate"]) {
        const res = await fetch(`${server.base}/api/v1${path}`, {
          method: "POST",
          body: new URLSearchParams({ secret: "plain" }),
        });
        assert.equal(res.status, 404, path);
        assert.equal(res.headers.get("x-ots-intended-status"), "400");
        assert.match(
          ((await res.json()) as Json).message as string,
          /only secrets encrypted by their sender/,
        );
      }
      const { k, secretKey } = await shareClient(server, "zk required");
      assert.equal((await revealClient(server, secretKey, k)).text, "zk required");
    } finally {
      await server.stop();
    }
  });
});

describe("recipient's mail for a client secret", () => {
  test("carries the link without its fragment and says the sender passes the key separately", async () => {
    const smtp = await startSmtp(await freePort());
    const t = await makeTestApp({
      RATE_LIMIT_ENABLED: "false",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(smtp.port),
    });
    const config = t.deps.config;
    const worker = createMailWorker(
      {
        store: t.deps.store,
        log: t.deps.log,
        now: t.deps.now,
        key: t.deps.webKeys.mail,
        config: config.mail,
      },
      createMailer(
        config.mail.smtp ?? { host: "", port: 0, username: null, password: null, tls: false },
        config.mail,
      ),
      { intervalMs: 50 },
    );
    worker.start();
    try {
      const alice = await makeAccount(t.deps);
      const k = zk.newKey();
      const { blob, proof } = await zk.seal("zk mailed text", k);
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v2/secret/conceal",
        headers: { authorization: alice.authorization },
        payload: { secret: { ciphertext: b64(blob), proof: b64(proof), recipient: "bob@example.net" } },
      });
      assert.equal(res.statusCode, 200, res.body);
      const secretKey = ((res.json().record as Json).secret as Json).key as string;
      const [mail] = await smtp.waitFor(1);
      assert.match(
        mail?.text ?? "",
        new RegExp(`/secret/${secretKey}$`, "m"),
        "the link, ending at its path",
      );
      assert.doesNotMatch(mail?.text ?? "", new RegExp(`${secretKey}#`));
      assert.match(mail?.text ?? "", /encrypted in the sender's browser/);
      assert.equal(mail?.raw.includes(b64(k)), false);
    } finally {
      await worker.stop();
      await t.close();
      await smtp.close();
    }
  });
});

// Files on the pages, seen from the wire (the browser runs are in browser-files.test.ts): the plain
// create form posts multipart with its CSRF token; the confirmation page says a file is there and
// offers nothing yet; the reveal stashes the file in a pickup downloaded once, by POST, with headers
// that keep it from rendering; a used pickup, a form without its token and a file over the cap each
// get a clear answer, and nothing of the file reaches the log or the data directory.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { attachment } from "../src/http/web/download-route.js";
import { scanDataDir } from "./support/data-dir.js";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { startRedis } from "./support/redis-server.js";
import { en } from "./support/web-server.js";
import { alertText, heading, shareLink, unescapeHtml, type Visitor, visitor } from "./support/web-support.js";

const MAX = 1024;
let t: TestApp;
before(async () => {
  t = await makeTestApp({
    RATE_LIMIT_ENABLED: "false",
    FILE_MAX_BYTES: String(MAX),
    ZERO_KNOWLEDGE: "browser",
  });
});
after(() => t.close());

interface Part {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** POSTs `fields` (and a file under "file") as multipart/form-data, with the visitor's cookies. */
async function postMultipart(
  v: Visitor,
  url: string,
  fields: Record<string, string>,
  file?: Part,
  app: FastifyInstance = t.app,
): Promise<LightMyRequestResponse> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file !== undefined)
    form.append("file", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const encoded = new Response(form);
  const payload = Buffer.from(await encoded.arrayBuffer());
  const cookie = [...v.cookies].map(([k, val]) => `${k}=${val}`).join("; ");
  return app.inject({
    method: "POST",
    url,
    payload,
    headers: { "content-type": encoded.headers.get("content-type") ?? "", cookie },
  });
}

/** Every byte value, a marker to look for in logs and files, and a NUL. */
const BINARY = new Uint8Array([
  ...Array.from({ length: 256 }, (_, i) => i),
  ...Buffer.from("FileMarker7c1e"),
  0,
]);
const NAME = 'résumé "final" ✓.html';

/** Every row, as if far in the future: what is left of earlier tests, or (0) that nothing was stored. */
const purgeAll = () => t.deps.store.purgeExpired(Date.now() + 400 * 86400_000);

/** The pickup key in a revealed page's download form. */
const pickupOf = (res: LightMyRequestResponse) => /name="pickup" value="([0-9a-z]{31})"/.exec(res.body)?.[1];

async function makeAndReveal(v: Visitor, fields: Record<string, string>, file?: Part, app = t.app) {
  await v.get("/");
  const made = await postMultipart(
    v,
    "/create",
    { _csrf: v.csrf, ttl: "3600", mode: "text", ...fields },
    file,
    app,
  );
  assert.equal(made.statusCode, 303, made.body.slice(0, 300));
  const receipt = await v.get(String(made.headers.location));
  const secretPath = new URL(shareLink(receipt)).pathname;
  const confirm = await v.get(secretPath);
  const revealed = await v.post(secretPath, {});
  assert.equal(revealed.statusCode, 200);
  return { confirm, revealed, secretPath };
}

describe("the plain form (server encryption)", () => {
  test("a text and a file: multipart, the file said before the reveal and offered once after it", async () => {
    const v = visitor(t.app);
    const { confirm, revealed } = await makeAndReveal(
      v,
      { secret: "the note", passphrase: "" },
      { name: NAME, type: "text/html", bytes: BINARY },
    );
    assert.ok(confirm.body.includes(en("secret.file")), "the confirmation page says there is a file");
    assert.doesNotMatch(confirm.body, /name="pickup"/, "and offers nothing before the reveal");
    assert.equal(
      unescapeHtml(/<textarea id="revealed"[^>]*>\n([^<]*)<\/textarea>/.exec(revealed.body)?.[1] ?? ""),
      "the note",
    );
    assert.equal(
      unescapeHtml(/<span class="mono" id="file-name">([^<]*)</.exec(revealed.body)?.[1] ?? ""),
      NAME,
    );
    const pickup = pickupOf(revealed);
    assert.ok(pickup !== undefined, "a download form with its pickup");
    assert.match(
      revealed.body,
      /<form method="post" action="\/secret\/download" target="_blank" class="download">/,
    );

    const res = await v.post("/secret/download", { pickup });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(new Uint8Array(res.rawPayload), BINARY, "byte for byte");
    assert.equal(
      res.headers["content-type"],
      "application/octet-stream",
      "never the type the sender gave (text/html)",
    );
    assert.equal(
      res.headers["content-disposition"],
      `attachment; filename="r_sum_ _final_ _.html"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22%20%E2%9C%93.html`,
    );
    assert.equal(res.headers["x-content-type-options"], "nosniff");
    assert.equal(res.headers["cache-control"], "no-store");
    const csp = String(res.headers["content-security-policy"]);
    assert.match(csp, /^default-src 'none'; .*; sandbox$/);

    const again = await v.post("/secret/download", { pickup });
    assert.equal(again.statusCode, 410, "a pickup works once");
    assert.equal(heading(again), en("download.gone.title"));
    assert.match(String(again.headers["content-type"]), /^text\/html/);
    assert.doesNotMatch(String(again.headers["content-security-policy"]), /sandbox/);
  });

  test("a file alone, and an empty file: the text is optional, zero bytes come back as zero bytes", async () => {
    const v = visitor(t.app);
    const { revealed } = await makeAndReveal(
      v,
      { secret: "" },
      { name: "empty.bin", type: "", bytes: new Uint8Array(0) },
    );
    assert.match(revealed.body, /<section class="card revealed-text" hidden>/, "no text: the file alone");
    const res = await v.post("/secret/download", { pickup: pickupOf(revealed) ?? "" });
    assert.equal(res.statusCode, 200);
    assert.equal(res.rawPayload.length, 0);
    assert.equal(
      res.headers["content-disposition"],
      `attachment; filename="empty.bin"; filename*=UTF-8''empty.bin`,
    );
  });

  test("exactly FILE_MAX_BYTES is taken; one byte more is refused on the form, with what was typed", async () => {
    const v = visitor(t.app);
    const full = new Uint8Array(MAX).fill(7);
    const { revealed } = await makeAndReveal(
      v,
      { secret: "at the cap" },
      { name: "full.bin", type: "", bytes: full },
    );
    const res = await v.post("/secret/download", { pickup: pickupOf(revealed) ?? "" });
    assert.equal(res.rawPayload.length, MAX);

    await purgeAll();
    await v.get("/");
    const over = await postMultipart(
      v,
      "/create",
      { _csrf: v.csrf, ttl: "3600", mode: "text", secret: "kept text", passphrase: "kept phrase" },
      { name: "over.bin", type: "", bytes: new Uint8Array(MAX + 1) },
    );
    assert.equal(over.statusCode, 413);
    assert.equal(alertText(over), en("form.error.file_too_large", { count: MAX }));
    assert.match(over.body, /<textarea id="secret"[^>]*>\nkept text<\/textarea>/);
    assert.match(over.body, /name="passphrase" value="kept phrase"/);
    assert.ok(over.body.includes(en("home.file.again")), "the form asks for the file again");
    assert.equal(await purgeAll(), 0, "nothing stored");
  });

  test("without its CSRF token: the create form stores nothing, the download spends nothing", async () => {
    const v = visitor(t.app);
    await purgeAll();
    await v.get("/");
    const refused = await postMultipart(
      v,
      "/create",
      { _csrf: "forged", ttl: "3600", secret: "x" },
      { name: "a", type: "", bytes: BINARY },
    );
    assert.equal(refused.statusCode, 403);
    assert.equal(alertText(refused), en("form.error.expired"));
    assert.equal(await purgeAll(), 0, "nothing stored");

    const { revealed } = await makeAndReveal(v, { secret: "" }, { name: "b.bin", type: "", bytes: BINARY });
    const pickup = pickupOf(revealed) ?? "";
    const forged = await v.post("/secret/download", { pickup, _csrf: "forged" });
    assert.equal(forged.statusCode, 403);
    assert.equal(heading(forged), en("download.expired.title"));
    const res = await v.post("/secret/download", { pickup });
    assert.deepEqual(new Uint8Array(res.rawPayload), BINARY, "the pickup was still there");
  });

  test("an unknown or malformed pickup gets the same page", async () => {
    const v = visitor(t.app);
    await v.get("/");
    for (const pickup of ["", "0".repeat(31), "not a key", "x".repeat(500)]) {
      const res = await v.post("/secret/download", { pickup });
      assert.equal(res.statusCode, 410, pickup);
      assert.equal(heading(res), en("download.gone.title"));
    }
  });
});

/** 32 downloads of one pickup at once, by the same reader: exactly one gets the file. */
async function racePickup(app: FastifyInstance) {
  const v = visitor(app);
  const { revealed } = await makeAndReveal(
    v,
    { secret: "raced" },
    { name: "race.bin", type: "", bytes: BINARY },
    app,
  );
  const pickup = pickupOf(revealed) ?? "";
  const answers = await Promise.all(Array.from({ length: 32 }, () => v.post("/secret/download", { pickup })));
  const won = answers.filter((res) => res.statusCode === 200);
  assert.equal(won.length, 1, "exactly one download");
  assert.deepEqual(new Uint8Array(won[0]?.rawPayload ?? []), BINARY);
  assert.ok(answers.every((res) => res.statusCode === 200 || res.statusCode === 410));
}

describe("exactly once, on either store", () => {
  test("SQLite: racing downloads of one pickup", () => racePickup(t.app));

  test("Redis: a file round trip, and racing downloads of one pickup", async () => {
    const redis = await startRedis();
    const onRedis = await makeTestApp({
      REDIS_URL: redis.url,
      RATE_LIMIT_ENABLED: "false",
      FILE_MAX_BYTES: String(MAX),
    });
    try {
      assert.equal(onRedis.deps.store.name, "redis");
      const v = visitor(onRedis.app);
      const { revealed } = await makeAndReveal(
        v,
        { secret: "" },
        { name: "r.bin", type: "", bytes: BINARY },
        onRedis.app,
      );
      const pickup = pickupOf(revealed) ?? "";
      assert.deepEqual(new Uint8Array((await v.post("/secret/download", { pickup })).rawPayload), BINARY);
      assert.equal((await v.post("/secret/download", { pickup })).statusCode, 410);
      await racePickup(onRedis.app);
    } finally {
      await onRedis.close();
      redis.kill();
    }
  });
});

test("attachment(): RFC 6266 with an ASCII fallback and RFC 8187's UTF-8 form", () => {
  assert.equal(attachment("a.txt"), `attachment; filename="a.txt"; filename*=UTF-8''a.txt`);
  assert.equal(
    attachment("été (1)'s;*.pdf"),
    `attachment; filename="_t_ (1)'s;*.pdf"; filename*=UTF-8''%C3%A9t%C3%A9%20%281%29%27s%3B%2A.pdf`,
  );
  assert.equal(attachment('a\\b"c'), `attachment; filename="a_b_c"; filename*=UTF-8''a%5Cb%22c`);
});

test("nothing of a file's name or bytes reached the log or the data directory", () => {
  const needles = [
    "FileMarker7c1e",
    "résumé",
    '"final"',
    "r%C3%A9sum",
    "empty.bin",
    "full.bin",
    "over.bin",
    "kept text",
  ];
  for (const line of t.logs) {
    for (const needle of needles) assert.ok(!line.includes(needle), `log line holds ${needle}: ${line}`);
  }
  scanDataDir(t.dataDir, needles);
});

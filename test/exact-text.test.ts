// A secret is stored exactly as sent or not at all. Text that UTF-8 cannot carry — a lone surrogate
// in JSON, bytes that are not UTF-8 in a form, a multipart field or a page's form — is refused with
// v1's "Incorrect payload format" or the create form's message; nothing is stored altered.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { expectError, ok, reveal } from "./support/v1-support.js";
import { en } from "./support/web-server.js";
import { alertText, shareLink, visitor } from "./support/web-support.js";

let t: TestApp;
before(async () => {
  t = await makeTestApp({ RATE_LIMIT_ENABLED: "false" });
});
after(() => t.close());

const BAD_PAYLOAD = { message: "Incorrect payload format" };
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));

const share = (headers: Record<string, string>, payload: string | Buffer) =>
  t.app.inject({ method: "POST", url: "/api/v1/share", headers, payload });

const JSON_TYPE = { "content-type": "application/json" };
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const BOUNDARY = "exact-text-boundary";
const MULTIPART = { "content-type": `multipart/form-data; boundary=${BOUNDARY}` };
const part = (value: Buffer, type = "") =>
  bytes(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="secret"\r\n${type === "" ? "" : `Content-Type: ${type}\r\n`}\r\n`,
    [...value],
    `\r\n--${BOUNDARY}--\r\n`,
  );

async function stored(res: Awaited<ReturnType<typeof share>>): Promise<string> {
  return String(ok(await reveal(t.app, ok(res).secret_key as string)).value);
}

describe("v1", () => {
  test("a JSON lone surrogate is refused, wherever it is", async () => {
    for (const body of [
      '{"secret":"a\\ud800b"}',
      '{"secret":"a\\udc00"}',
      '{"secret":"\\ud800"}',
      '{"secret":"ok","passphrase":"\\udfff"}',
      '{"secret":"ok","recipient":["\\ud83d"]}',
      '{"secret":"ok","\\ud800":"x"}',
    ]) {
      expectError(await share(JSON_TYPE, body), 400, BAD_PAYLOAD);
    }
  });

  test("a JSON surrogate pair, U+FFFD and other text are kept exactly", async () => {
    const text = "pair \ud83d\ude00, replacement \ufffd, nul \u0000, bom \ufeff";
    assert.equal(await stored(await share(JSON_TYPE, JSON.stringify({ secret: text }))), text);
  });

  test("a form: percent-encoded surrogates and bytes that are not UTF-8 are refused", async () => {
    for (const body of [
      "secret=a%ED%A0%80b",
      "secret=%ED%B0%80",
      "secret=%F0%9F",
      bytes("secret=a", [0xed, 0xa0, 0x80], "b"),
      bytes("secret=a", [0xff], "b"),
    ]) {
      expectError(await share(FORM, body), 400, BAD_PAYLOAD);
    }
    assert.equal(await stored(await share(FORM, "secret=%F0%9F%98%80")), "\u{1f600}");
  });

  test("multipart: bytes that are not UTF-8, a lone surrogate or U+FFFD are refused", async () => {
    for (const [value, type] of [
      [bytes("a", [0xed, 0xa0, 0x80], "b"), ""],
      [bytes("a", [0xff], "b"), ""],
      [bytes("a", [0xff], "b"), "text/plain; charset=utf-8"],
      [Buffer.from([0x61, 0x00, 0x00, 0xd8, 0x62, 0x00]), "text/plain; charset=utf-16le"],
      [Buffer.from("sent \ufffd on purpose"), ""],
    ] as const) {
      expectError(await share(MULTIPART, part(value, type)), 400, BAD_PAYLOAD);
    }
    assert.equal(await stored(await share(MULTIPART, part(Buffer.from("é \u{1f600}")))), "é \u{1f600}");
  });
});

describe("the create page", () => {
  for (const [name, secret] of [
    ["percent-encoded surrogate", "a%ED%A0%80b"],
    ["raw byte that is not UTF-8", bytes("a", [0xff], "b")],
    ["raw surrogate bytes", bytes("a", [0xed, 0xa0, 0x80], "b")],
  ] as const) {
    test(`${name}: the form says so and nothing is stored`, async () => {
      const v = visitor(t.app);
      await v.get("/");
      const cookie = [...v.cookies].map(([k, val]) => `${k}=${val}`).join("; ");
      const res = await t.app.inject({
        method: "POST",
        url: "/create",
        headers: { ...FORM, cookie },
        payload: bytes(`_csrf=${v.csrf}&ttl=3600&passphrase=kept&secret=`, [...Buffer.from(secret)]),
      });
      assert.equal(res.statusCode, 400, res.body.slice(0, 200));
      assert.equal(alertText(res), en("form.error.unreadable"));
      assert.match(res.body, /name="passphrase"[^>]*value="kept"/);
    });
  }

  test("raw UTF-8 bytes are read as text and kept exactly", async () => {
    const v = visitor(t.app);
    await v.get("/");
    const cookie = [...v.cookies].map(([k, val]) => `${k}=${val}`).join("; ");
    const res = await t.app.inject({
      method: "POST",
      url: "/create",
      headers: { ...FORM, cookie },
      payload: bytes(`_csrf=${v.csrf}&ttl=3600&secret=`, [...Buffer.from("é \u{1f600}")]),
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 200));
    const receipt = await v.get(String(res.headers.location));
    const key = new URL(shareLink(receipt)).pathname.split("/").pop() ?? "";
    assert.equal(ok(await reveal(t.app, key)).value, "é \u{1f600}");
  });

  test("any other form with a field that is not UTF-8 is refused (400), before its action runs", async () => {
    const v = visitor(t.app);
    await v.get("/");
    const cookie = [...v.cookies].map(([k, val]) => `${k}=${val}`).join("; ");
    const res = await t.app.inject({
      method: "POST",
      url: "/prefs",
      headers: { ...FORM, cookie },
      payload: bytes(`_csrf=${v.csrf}&theme=dark&next=/`, [0xff]),
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.cookies.length, 0);
  });
});

// Secrets never reach logs: a full lifecycle at debug (and trace) level, with secrets in query strings,
// passphrases right and wrong, API tokens right and wrong, and bad bodies carrying distinctive text.
// No line may contain any of it; request lines carry the path only, with keys cut. The readable
// format (LOG_FORMAT=pretty, or a terminal) shows the same records, one line each.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import type { InjectOptions } from "fastify";
import { issueToken } from "../src/actions/issue-token.js";
import { compiled } from "./support/compiled.js";
import { basic, makeAccount, makeTestApp, TEST_SECRET } from "./support/helpers.js";

const BOUNDARY = "logs-test-boundary";

function multipart(fields: Record<string, string>): string {
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return `${parts.join("")}--${BOUNDARY}--\r\n`;
}

for (const level of ["debug", "trace"] as const) {
  test(`a full lifecycle at ${level} level logs no plaintext, passphrase, key or token`, async () => {
    const t = await makeTestApp({ LOG_LEVEL: level });
    try {
      // Everything that must never appear in a log line.
      const forbidden = new Set<string>([TEST_SECRET]);
      const keep = (...values: string[]) => {
        for (const v of values) forbidden.add(v);
      };
      let requests = 0;
      const call = async (options: InjectOptions) => {
        requests++;
        return t.app.inject(options);
      };
      const form = { "content-type": "application/x-www-form-urlencoded" };
      const json = { "content-type": "application/json" };
      const mp = { "content-type": `multipart/form-data; boundary=${BOUNDARY}` };

      const account = await makeAccount(t.deps, "logger@example.com");
      keep(account.token, account.authorization.slice("Basic ".length));
      const auth = { authorization: account.authorization };

      // Shares: secret and passphrase in the query string, in a form, in JSON, in multipart.
      keep("PlainQuery7f3a", "PassQuery9c1e");
      const q = (
        await call({
          method: "POST",
          url: "/api/v1/share?secret=PlainQuery7f3a&passphrase=PassQuery9c1e&ttl=3600",
        })
      ).json();
      keep("PlainForm2b8d", "PassForm5e0c");
      const f = (
        await call({
          method: "POST",
          url: "/api/v1/share",
          headers: { ...form, ...auth },
          payload: "secret=PlainForm2b8d&passphrase=PassForm5e0c",
        })
      ).json();
      keep("PlainJson4d6f", "friend.logs@example.org");
      const j = (
        await call({
          method: "POST",
          url: "/api/v1/share",
          headers: { ...json, ...auth },
          payload: JSON.stringify({ secret: "PlainJson4d6f", recipient: ["friend.logs@example.org"] }),
        })
      ).json();
      keep("PlainMulti8a2c", "PassMulti1f7b");
      const m = (
        await call({
          method: "POST",
          url: "/api/v1/share",
          headers: mp,
          payload: multipart({ secret: "PlainMulti8a2c", passphrase: "PassMulti1f7b" }),
        })
      ).json();
      const g = (await call({ method: "POST", url: "/api/v1/generate", headers: auth })).json();
      for (const created of [q, f, j, m, g]) {
        assert.equal(typeof created.secret_key, "string");
        keep(created.secret_key, created.metadata_key);
      }
      keep(g.value, JSON.stringify(g.value).slice(1, -1));

      // Receipts, by every alias and method, and the owner's list.
      for (const [i, created] of [q, f, j, m, g].entries()) {
        const prefix = ["private", "metadata", "receipt"][i % 3];
        const res = await call({
          method: i % 2 ? "POST" : "GET",
          url: `/api/v1/${prefix}/${created.metadata_key}`,
        });
        assert.equal(res.statusCode, 200);
      }
      assert.equal(
        (await call({ method: "GET", url: "/api/v1/private/recent", headers: auth })).json().length,
        3,
      );

      // Wrong passphrases (query string, form, JSON), then the right ones.
      keep("WrongPass3e9a", "WrongPass6b2d", "WrongPass0c4f");
      await call({ method: "POST", url: `/api/v1/secret/${q.secret_key}?passphrase=WrongPass3e9a` });
      await call({
        method: "POST",
        url: `/api/v1/secret/${f.secret_key}`,
        headers: form,
        payload: "passphrase=WrongPass6b2d",
      });
      await call({
        method: "POST",
        url: `/api/v1/secret/${m.secret_key}`,
        headers: json,
        payload: JSON.stringify({ passphrase: "WrongPass0c4f" }),
      });
      const revealedQ = await call({
        method: "POST",
        url: `/api/v1/secret/${q.secret_key}?passphrase=PassQuery9c1e`,
      });
      assert.equal(revealedQ.json().value, "PlainQuery7f3a");
      const revealedF = await call({
        method: "POST",
        url: `/api/v1/secret/${f.secret_key}`,
        headers: form,
        payload: "passphrase=PassForm5e0c",
      });
      assert.equal(revealedF.json().value, "PlainForm2b8d");
      assert.equal(
        (await call({ method: "POST", url: `/api/v1/secret/${j.secret_key}` })).json().value,
        "PlainJson4d6f",
      );
      // Read twice: the second is unknown, and echoes the key in the body, never in the log.
      await call({ method: "POST", url: `/api/v1/secret/${j.secret_key}` });

      // Burns: wrong passphrase, then right, then again.
      keep("WrongBurn7d1e");
      await call({ method: "POST", url: `/api/v1/private/${m.metadata_key}/burn?passphrase=WrongBurn7d1e` });
      const burned = await call({
        method: "POST",
        url: `/api/v1/receipt/${m.metadata_key}/burn`,
        headers: { ...mp, ...auth },
        payload: multipart({ passphrase: "PassMulti1f7b" }),
      });
      assert.equal(burned.json().state.state, "burned");
      await call({ method: "POST", url: `/api/v1/metadata/${m.metadata_key}/burn`, headers: auth });
      await call({ method: "POST", url: `/api/v1/metadata/${g.metadata_key}/burn`, headers: auth });

      // Tokens: a wrong one, a replaced one, the new one.
      keep("BadToken5a9e0c", basic("logger@example.com", "BadToken5a9e0c").slice(6));
      await call({
        method: "GET",
        url: "/api/v1/authcheck",
        headers: { authorization: basic("logger@example.com", "BadToken5a9e0c") },
      });
      const newToken = await issueToken(t.deps, "logger@example.com");
      keep(newToken, basic("logger@example.com", newToken).slice(6));
      assert.equal((await call({ method: "GET", url: "/api/v1/authcheck", headers: auth })).statusCode, 404);
      const fresh = { authorization: basic("logger@example.com", newToken) };
      assert.equal((await call({ method: "GET", url: "/api/v1/authcheck", headers: fresh })).statusCode, 200);

      // Bad bodies and odd requests carrying distinctive text.
      keep("BadJson9f2e", "BadForm4c7a", "BadMulti2d5b", "BigBody8e1f", "BadQuery6a3c", "Lost404b7d2");
      await call({ method: "POST", url: "/api/v1/share", headers: json, payload: '{"secret":"BadJson9f2e"' });
      await call({ method: "POST", url: "/api/v1/share", headers: form, payload: "secret=BadForm4c7a%zz" });
      await call({
        method: "POST",
        url: "/api/v1/share",
        headers: mp,
        payload: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="secret"\r\n\r\nBadMulti2d5b`,
      });
      await call({
        method: "POST",
        url: "/api/v1/share",
        headers: form,
        payload: `secret=BigBody8e1f${"x".repeat(70000)}`,
      });
      await call({ method: "POST", url: "/api/v1/share?secret=BadQuery6a3c%zz" });
      await call({ method: "POST", url: `/api/v1/nowhere/${q.secret_key}?secret=Lost404b7d2` });
      await call({ method: "POST", url: `/api/v1/secret/${g.secret_key}/extra?passphrase=Lost404b7d2` });

      // The capture really is at this level, and every line is a pino JSON object.
      const lines = t.logs
        .join("")
        .split("\n")
        .filter((line) => line !== "");
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.ok(
        records.some((r) => r.msg === "starting multipart parsing"),
        "debug lines are captured",
      );
      if (level === "trace")
        assert.ok(
          records.some((r) => r.level === 10),
          "trace lines are captured",
        );

      for (const line of lines) {
        for (const value of forbidden) {
          assert.ok(!line.includes(value), `log line leaks ${JSON.stringify(value)}: ${line}`);
        }
      }

      // One request line per request: method, path (no query string, keys cut), status, time.
      const requestLines = records.filter((r) => r.msg === "request");
      assert.equal(requestLines.length, requests);
      for (const r of requestLines) {
        const path = String(r.path);
        assert.ok(!path.includes("?"), path);
        const segments = path.split("/");
        for (const [i, segment] of segments.entries()) {
          if (/^(secret|private|metadata|receipt)$/.test(segments[i - 1] ?? "") && segment !== "recent") {
            assert.ok(segment.length <= 5 && (segment.length <= 4 || segment.endsWith("…")), path);
          }
          assert.ok(segment.length <= 20, path);
        }
        assert.deepEqual(Object.keys(r).sort(), [
          "level",
          "method",
          "ms",
          "msg",
          "path",
          "reqId",
          "status",
          "time",
        ]);
      }
      assert.ok(requestLines.some((r) => r.path === `/api/v1/secret/${q.secret_key.slice(0, 4)}…`));
      assert.ok(requestLines.some((r) => r.path === `/api/v1/receipt/${m.metadata_key.slice(0, 4)}…/burn`));
      assert.ok(requestLines.some((r) => r.path === "/api/v1/share" && r.status === 404));
    } finally {
      await t.close();
    }
  });
}

test("LOG_FORMAT=pretty: one readable line per record, with no more in it than the JSON line", async () => {
  const t = await makeTestApp({ LOG_FORMAT: "pretty", LOG_LEVEL: "info" });
  try {
    const made = await t.app.inject({
      method: "POST",
      url: "/api/v1/share?secret=PrettyPlain5c2e&passphrase=PrettyPass8d1a",
    });
    const { secret_key } = made.json();
    await t.app.inject({ method: "POST", url: `/api/v1/secret/${secret_key}?passphrase=PrettyPass8d1a` });
    const lines = t.logs
      .join("")
      .split("\n")
      .filter((l) => l !== "");
    assert.ok(lines.length >= 2);
    for (const line of lines) {
      assert.match(line, /^\[\d\d:\d\d:\d\d\] (INFO|WARN|DEBUG): /, line);
      assert.ok(!line.includes("\u001b["), "no colours when the log is not a terminal");
      for (const value of ["PrettyPlain5c2e", "PrettyPass8d1a", secret_key, TEST_SECRET]) {
        assert.ok(!line.includes(value), `log line leaks ${value}: ${line}`);
      }
    }
    assert.ok(
      lines.some((l) => l.includes('INFO: request {"reqId":"req-1","method":"POST","path":"/api/v1/share"')),
      lines.join("\n"),
    );
  } finally {
    await t.close();
  }
});

/** What a process prints when it logs one line, through the real config, on a pipe or a terminal. */
function logOnce(env: Record<string, string>, { terminal }: { terminal: boolean }): string {
  const [config, log] = [compiled("src/config.ts"), compiled("src/server/log.ts")].map(
    (f) => pathToFileURL(f).href,
  );
  const program =
    `const { loadConfig } = await import(${JSON.stringify(config)}); const { createLogger } = await import(${JSON.stringify(log)});` +
    " createLogger(loadConfig()).info({ n: 1 }, 'hello');";
  const node = [process.execPath, "--input-type=module", "-e", program];
  const quoted = node.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  // script(1) runs the command on a pseudo-terminal: stdout is then a TTY, as in a shell.
  const [command, args] = terminal ? ["script", ["-qfec", quoted, "/dev/null"]] : [node[0], node.slice(1)];
  const run = spawnSync(command as string, args as string[], {
    cwd: join(import.meta.dirname, ".."),
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

test("LOG_FORMAT unset: readable on a terminal, JSON lines otherwise; LOG_FORMAT wins either way", (t) => {
  const piped = JSON.parse(logOnce({}, { terminal: false }));
  assert.deepEqual(piped, { level: 30, time: piped.time, n: 1, msg: "hello" });
  assert.match(
    logOnce({ LOG_FORMAT: "pretty" }, { terminal: false }),
    /^\[\d\d:\d\d:\d\d\] INFO: hello \{"n":1\}\n$/,
  );
  if (spawnSync("script", ["--version"]).error !== undefined) {
    t.skip("script(1) from util-linux is needed to run a process on a terminal");
    return;
  }
  const onTerminal = logOnce({}, { terminal: true });
  assert.match(onTerminal, /INFO.*hello/);
  assert.doesNotMatch(onTerminal, /"msg":"hello"/);
  assert.match(logOnce({ LOG_FORMAT: "json" }, { terminal: true }), /"msg":"hello"/);
});

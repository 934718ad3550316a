// The curl examples of the upstream documentation page "Création de secrets", kept verbatim in
// test/fixtures/seed-creating-secrets.fr.md, run as written against a real listening server: only the
// host, the credentials and the placeholders are replaced. The page is read at test time, so an
// updated copy of it is tested as it is. Nothing outside the repository is read.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { createAccount } from "../src/actions/create-account.js";
import { createRuntime } from "../src/server/runtime.js";
import { type RunningServer, startServer } from "../src/server/start.js";
import { TEST_SECRET } from "./support/helpers.js";
import { tempDir } from "./support/temp.js";
import { assertMetadataTypes, JSON_UTF8 } from "./support/v1-support.js";

const run = promisify(execFile);
const SEED = join(import.meta.dirname, "fixtures", "seed-creating-secrets.fr.md");
const UPSTREAM = "https://us.onetimesecret.com";
const EMAIL = "seed@example.com";
const SECRET_VALUE = "seed example secret";

const page = readFileSync(SEED, "utf8");

/**
 * The `curl` lines of every bash block. A fence opens with two or more backticks (the page has one
 * written with two) and the next fence closes it.
 */
function curlLines(markdown: string): string[] {
  const lines: string[] = [];
  let inBash = false;
  for (const line of markdown.split("\n")) {
    const fence = /^`{2,}\s*(\w*)\s*$/.exec(line.trim());
    if (fence) {
      inBash = !inBash && fence[1] === "bash";
      continue;
    }
    const command = line.trim().replace(/^\$\s*/, "");
    if (inBash && command.startsWith("curl ")) lines.push(command);
  }
  return lines;
}

/** The attribute names listed under the first "### Attributs" heading (`metadata\_key` unescaped). */
function documentedAttributes(markdown: string): string[] {
  const section = markdown.split(/^### Attributs\s*$/m)[1]?.split(/^#/m)[0] ?? "";
  return [...section.matchAll(/^- \*\*([a-z\\_]+)\*\*/gm)].map((m) => (m[1] as string).replace(/\\_/g, "_"));
}

/** Splits a shell command line into words: single and double quotes, no expansions. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  for (const match of command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
    words.push(match[1] ?? match[2] ?? (match[3] as string));
  }
  return words;
}

let server: RunningServer;
const dir = tempDir("onetime-seed-");
const dataDir = dir.path;
let token: string;

before(async () => {
  const env = {
    PORT: "0",
    BIND_ADDRESS: "127.0.0.1",
    DATA_DIR: dataDir,
    SECRET: TEST_SECRET,
    LOG_LEVEL: "silent",
  };
  // The account is made the way the CLI makes it, on the same data directory, before the server starts.
  const runtime = await createRuntime({ env });
  token = await createAccount(runtime.deps, EMAIL);
  await runtime.close();
  server = await startServer({ env });
});

after(async () => {
  await server.stop();
  dir.remove();
});

async function curl(command: string) {
  const [name, ...args] = shellWords(command).map((word) =>
    word
      .replace(UPSTREAM, server.url)
      .replace("USERNAME:APITOKEN", `${EMAIL}:${token}`)
      .replace("NUMBER_IN_SECONDS", "3600")
      .replace(/\bSECRET\b/, SECRET_VALUE),
  );
  assert.equal(name, "curl");
  const { stdout } = await run("curl", ["-s", "-w", "\n%{http_code} %{content_type}", ...args]);
  const cut = stdout.lastIndexOf("\n");
  const trailer = stdout.slice(cut + 1);
  const space = trailer.indexOf(" ");
  return {
    status: Number(trailer.slice(0, space)),
    contentType: trailer.slice(space + 1),
    body: stdout.slice(0, cut),
  };
}

describe("documentation examples (seed-creating-secrets.fr.md)", () => {
  const commands = curlLines(page);
  const attributes = documentedAttributes(page);

  test("the page has the four examples and the attribute list", () => {
    assert.equal(commands.length, 4, commands.join("\n"));
    assert.ok(attributes.includes("metadata_key") && attributes.includes("passphrase_required"));
  });

  for (const command of commands) {
    const authenticated = command.includes("USERNAME:APITOKEN");
    const generate = command.includes("/api/v1/generate");
    test(command, async () => {
      const res = await curl(command);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.contentType, JSON_UTF8);
      const m = JSON.parse(res.body) as Record<string, unknown>;
      for (const name of [...attributes, ...(generate ? ["value"] : [])]) {
        assert.ok(name in m, `missing documented attribute ${name}`);
      }
      assertMetadataTypes(m);
      assert.equal(m.custid, authenticated ? EMAIL : "anon");
      assert.equal(m.ttl, 3600);
      assert.equal(m.state, "new");
      assert.equal(m.passphrase_required, false);

      const revealed = await fetch(`${server.url}/api/v1/secret/${m.secret_key}`, { method: "POST" });
      assert.equal(revealed.status, 200);
      const { value } = (await revealed.json()) as { value: string };
      assert.equal(value, generate ? m.value : SECRET_VALUE);
    });
  }
});

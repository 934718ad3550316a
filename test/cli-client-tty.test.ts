// The client on a real pseudo-terminal (util-linux `script`): a passphrase is typed with echo off,
// so it never shows on the terminal, whether the secret comes from argv or through a pipe; `get`
// asks for it when API v2 says the secret has one (with v1, --ask-passphrase asks up front).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { onetime, onetimeOnTerminal, type TerminalSession } from "./support/cli-client.js";
import { TEST_SECRET } from "./support/helpers.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { tempDir } from "./support/temp.js";

/** Over API v2 the link ends in #k: this server takes client-encrypted secrets. */
const LINK = /http:\/\/127\.0\.0\.1:\d+\/secret\/[0-9a-z]+(?:#[\w-]{43})?/;

let server: Server;
let env: Record<string, string>;

before(async () => {
  // No fsync per commit: what is tested is the terminal dialogue, not a power loss.
  server = await startServerProcess({
    SECRET: TEST_SECRET,
    RATE_LIMIT_ENABLED: "false",
    SQLITE_SYNCHRONOUS: "normal",
  });
  env = { ONETIME_URL: server.base };
});
after(() => server?.stop());

/** Answers a prompt: waits for it to show, then types the line and Enter. */
async function answer(session: TerminalSession, prompt: string, line: string): Promise<void> {
  await session.waitFor(prompt);
  session.type(`${line}\r`);
}

for (const mode of [
  { label: "API v2 (detected)", flags: [] as string[], version: "v2" },
  { label: "API v1 (forced)", flags: ["--api", "v1"], version: "v1" },
] as const) {
  describe(`on a terminal, over ${mode.label}`, () => {
    test("share --ask-passphrase: asked twice, never echoed; get asks it and shows the secret", async () => {
      const passphrase = `tty-tulip-${mode.version}`;
      const text = `typed secret ${mode.version}`;
      const sharing = onetimeOnTerminal(["share", ...mode.flags, "--ask-passphrase", text], env);
      await answer(sharing, "Passphrase: ", passphrase);
      await answer(sharing, "Passphrase again: ", passphrase);
      assert.equal(await sharing.exited, 0, sharing.screen());
      const link = LINK.exec(sharing.screen())?.[0] ?? "";
      assert.ok(link !== "", sharing.screen());
      assert.ok(!sharing.screen().includes(passphrase), sharing.screen());

      // v2 looks first and asks; v1 cannot look, so the passphrase is asked for up front.
      const ask = mode.version === "v1" ? ["--ask-passphrase"] : [];
      const getting = onetimeOnTerminal(["get", ...mode.flags, ...ask, link], env);
      await answer(getting, "Passphrase: ", passphrase);
      assert.equal(await getting.exited, 0, getting.screen());
      assert.ok(getting.screen().includes(text), getting.screen());
      assert.ok(!getting.screen().includes(passphrase), getting.screen());
    });

    test("burn asks for the passphrase when the server wants it, echo off", async () => {
      const passphrase = `burn-tulip-${mode.version}`;
      using dir = tempDir("onetime-tty-");
      const file = join(dir.path, "passphrase");
      writeFileSync(file, passphrase);
      // Server-side: a client-encrypted secret burns without its passphrase (the server never had it).
      const serverSide = mode.version === "v2" ? ["--server-side"] : [];
      const shared = await onetime(
        ["share", ...mode.flags, ...serverSide, "--passphrase-file", file, "to burn"],
        {
          env,
        },
      );
      const receipt = /^receipt: (\S+)$/m.exec(shared.stderr)?.[1] ?? "";
      const burning = onetimeOnTerminal(["burn", ...mode.flags, receipt], env);
      await answer(burning, "The secret has a passphrase: ", passphrase);
      assert.equal(await burning.exited, 0, burning.screen());
      assert.match(burning.screen(), /state: +burned/);
      assert.ok(!burning.screen().includes(passphrase), burning.screen());
    });

    test("the secret through a pipe, the passphrase on the terminal (/dev/tty)", async () => {
      const passphrase = `piped-tulip-${mode.version}`;
      const text = `line one\nline two ${mode.version}\n`;
      const sharing = onetimeOnTerminal(["share", ...mode.flags, "--ask-passphrase"], env, text);
      await answer(sharing, "Passphrase: ", passphrase);
      await answer(sharing, "Passphrase again: ", passphrase);
      assert.equal(await sharing.exited, 0, sharing.screen());
      assert.ok(!sharing.screen().includes(passphrase), sharing.screen());
      const link = LINK.exec(sharing.screen())?.[0] ?? "";
      const getting = onetimeOnTerminal(["get", ...mode.flags, "--ask-passphrase", link], env);
      await answer(getting, "Passphrase: ", passphrase);
      assert.equal(await getting.exited, 0, getting.screen());
      assert.ok(getting.screen().replaceAll("\r\n", "\n").includes(text), getting.screen());
    });
  });
}

describe("on a terminal, whichever API", () => {
  test("different passphrases, or Ctrl-C at the prompt: exit 2 and nothing shared", async () => {
    const differ = onetimeOnTerminal(["share", "--ask-passphrase", "never shared"], env);
    await answer(differ, "Passphrase: ", "one-passphrase");
    await answer(differ, "Passphrase again: ", "another-passphrase");
    assert.equal(await differ.exited, 2);
    assert.match(differ.screen(), /onetime: the passphrases differ/);
    assert.doesNotMatch(differ.screen(), LINK);

    const cancelled = onetimeOnTerminal(["share", "--ask-passphrase", "never shared"], env);
    await cancelled.waitFor("Passphrase: ");
    cancelled.type("half\u0003");
    assert.equal(await cancelled.exited, 2);
    assert.match(cancelled.screen(), /onetime: cancelled/);
    assert.doesNotMatch(cancelled.screen(), LINK);
  });

  test("the passphrase, then the secret typed on the terminal, ended by Ctrl-D", async () => {
    const passphrase = "typed-after";
    const sharing = onetimeOnTerminal(["share", "--ask-passphrase"], env);
    await answer(sharing, "Passphrase: ", passphrase);
    await answer(sharing, "Passphrase again: ", passphrase);
    await sharing.waitFor("Ctrl-D");
    sharing.type("typed on the terminal\r\u0004");
    assert.equal(await sharing.exited, 0, sharing.screen());
    assert.ok(!sharing.screen().includes(passphrase), sharing.screen());
    const link = LINK.exec(sharing.screen())?.[0] ?? "";
    using dir = tempDir("onetime-tty-");
    const file = join(dir.path, "passphrase");
    writeFileSync(file, passphrase);
    const got = await onetime(["get", "--passphrase-file", file, link], { env });
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout, "typed on the terminal\n");
  });

  test("backspace edits the passphrase as typed; a secret without one is not asked for", async () => {
    const passphrase = "fixed-tulip";
    const sharing = onetimeOnTerminal(["share", "--ask-passphrase", "edited"], env);
    await answer(sharing, "Passphrase: ", "fixed-tulipX\u007f");
    await answer(sharing, "Passphrase again: ", passphrase);
    assert.equal(await sharing.exited, 0, sharing.screen());
    const link = LINK.exec(sharing.screen())?.[0] ?? "";
    using dir = tempDir("onetime-tty-");
    const file = join(dir.path, "passphrase");
    writeFileSync(file, passphrase);
    const got = await onetime(["get", "--passphrase-file", file, link], { env });
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout, "edited");

    const plain = await onetime(["share", "no passphrase"], { env });
    const getting = onetimeOnTerminal(["get", plain.stdout.trimEnd()], env);
    assert.equal(await getting.exited, 0, getting.screen());
    assert.doesNotMatch(getting.screen(), /Passphrase/);
    assert.match(getting.screen(), /no passphrase/);
  });
});

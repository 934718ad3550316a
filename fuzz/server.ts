// The fuzzer's target: a real `node src/main.ts` process on SQLite in a fresh data directory, with
// accounts, sign-up and mail (to an in-process SMTP sink) on, so that every route exists; then a
// few live secrets and a signed-in browser to aim at. Every line the process logs is read.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { freePort } from "../test/support/ports.js";
import { startSmtp, type TestSmtp } from "../test/support/smtp.js";
import { type TempDir, tempDir } from "../test/support/temp.js";
import type { Target } from "./target.js";

export interface LogWatch {
  /** Lines that contain the query-string mark (none may). */
  leaks: string[];
  /** Lines at level error (50) or above. */
  errors: string[];
  lines: number;
}

export interface FuzzServer {
  port: number;
  base: string;
  log: LogWatch;
  /** Why the process ended, or null while it runs. */
  exited(): string | null;
  stop(): Promise<void>;
}

const BODY_LIMIT = 65536;
const KEEP = 20;

export async function startTarget(
  root: string,
  mark: string,
): Promise<{ server: FuzzServer; target: Target }> {
  const smtp = await startSmtp(await freePort());
  const data = tempDir("onetime-fuzz-");
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      BIND_ADDRESS: "127.0.0.1",
      HOST: host,
      DATA_DIR: data.path,
      SECRET: randomBytes(32).toString("hex"),
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      RATE_LIMIT_ENABLED: "false",
      BODY_LIMIT: String(BODY_LIMIT),
      AUTH_SIGNUP: "true",
      AUTH_AUTOVERIFY: "true",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(smtp.port),
      FROM_EMAIL: "fuzz@example.org",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: LogWatch = { leaks: [], errors: [], lines: 0 };
  const listening = watchLog(child, mark, log);
  let exit: string | null = null;
  child.once("exit", (code, signal) => {
    exit = `exited with ${code ?? signal}`;
  });
  const server: FuzzServer = {
    port,
    base: `http://${host}`,
    log,
    exited: () => exit,
    stop: () => stop(child, smtp, data),
  };
  if (!(await listening)) {
    await server.stop();
    throw new Error(`the server did not start: ${log.errors.join("\n")}`);
  }
  try {
    return { server, target: await aim(server.base, host, mark) };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** Reads every line of the process's output; resolves true once it listens, false if it exits first. */
function watchLog(child: ChildProcess, mark: string, log: LogWatch): Promise<boolean> {
  return new Promise((resolve) => {
    const partial = { stdout: "", stderr: "" };
    const read = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
      const lines = (partial[stream] + chunk.toString()).split("\n");
      partial[stream] = lines.pop() ?? "";
      for (const line of lines) {
        log.lines++;
        if (line.includes(mark)) keep(log.leaks, line);
        const level = /"level":(\d+)/.exec(line)?.[1];
        if ((level !== undefined && Number(level) >= 50) || (stream === "stderr" && line.trim() !== "")) {
          keep(log.errors, line);
        }
        if (line.includes('"msg":"onetime listening"')) resolve(true);
      }
    };
    child.stdout?.on("data", read("stdout"));
    child.stderr?.on("data", read("stderr"));
    child.once("exit", () => resolve(false));
  });
}

function keep(list: string[], line: string): void {
  if (list.length < KEEP) list.push(line.slice(0, 2000));
}

async function stop(child: ChildProcess, smtp: TestSmtp, data: TempDir): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
  await smtp.close();
  data.remove();
}

/** Live secrets (some with a passphrase) and a signed-up, signed-in browser with its form token. */
async function aim(base: string, host: string, mark: string): Promise<Target> {
  const secretKeys: string[] = [];
  const metadataKeys: string[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await fetch(`${base}/api/v1/share`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ secret: `fuzz ${i}`, ...(i % 3 === 0 ? { passphrase: "pw" } : {}) }),
    });
    const made = (await res.json()) as { secret_key: string; metadata_key: string };
    secretKeys.push(made.secret_key);
    metadataKeys.push(made.metadata_key);
  }
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const remember = (res: Response) => {
    for (const set of res.headers.getSetCookie()) {
      const [pair = ""] = set.split(";");
      const eq = pair.indexOf("=");
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const page = await fetch(`${base}/signup`);
  remember(page);
  const signupToken = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (signupToken === undefined) throw new Error("no form token on /signup");
  const email = "fuzz@example.org";
  const signup = await fetch(`${base}/signup`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ _csrf: signupToken, email, password: "a long enough password" }),
  });
  remember(signup);
  if (signup.status !== 303) throw new Error(`sign-up answered ${signup.status}`);
  // Signed in now: form tokens are bound to the session, so take one from a page of this session.
  const home = await fetch(`${base}/`, { headers: { cookie: cookie() } });
  remember(home);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1];
  if (csrf === undefined) throw new Error("no form token on /");
  const created = await fetch(`${base}/create`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ _csrf: csrf, secret: "owned", passphrase: "pw", ttl: "3600" }),
  });
  const receipt = /\/receipt\/([0-9a-z]+)/.exec(created.headers.get("location") ?? "")?.[1];
  if (receipt === undefined) throw new Error(`the create form answered ${created.status}`);
  metadataKeys.push(receipt);
  return { host, secretKeys, metadataKeys, cookie: cookie(), csrf, email, mark, bodyLimit: BODY_LIMIT };
}

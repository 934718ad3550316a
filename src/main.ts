import { ConfigError } from "./config.js";
import { startServer } from "./server.js";

// The composition root for `npm start`: configuration problems end start-up with one line each;
// SIGTERM and SIGINT stop accepting, let in-flight requests finish, then close the store.
try {
  const server = await startServer();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, "shutting down");
    await server.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
} catch (err) {
  if (err instanceof ConfigError) {
    for (const problem of err.problems) console.error(`onetime: configuration: ${problem}`);
  } else {
    console.error(`onetime: cannot start: ${(err as Error).message}`);
  }
  process.exit(1);
}

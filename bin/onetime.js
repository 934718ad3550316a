#!/usr/bin/env node
// The `onetime` command (and `npm start`, as `onetime serve`) runs the compiled CLI. `npm install`
// builds dist/ through the prepare script; when it is not there, say what to run instead of
// printing a module-resolution stack trace. Any other error, a missing module inside dist/ or
// node_modules included, is shown as it is: it has another cause.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const entry = new URL("../dist/cli/bin.js", import.meta.url);
if (!existsSync(entry)) {
  let typescript = true;
  try {
    createRequire(import.meta.url).resolve("typescript");
  } catch {
    typescript = false;
  }
  console.error(
    typescript
      ? "onetime: dist/ is missing: run `npm run build`"
      : "onetime: dist/ is missing, and TypeScript is not installed here (a production install?):\n" +
          "  build with the dev dependencies (`npm ci && npm run build`), then `npm prune --omit=dev`",
  );
  process.exit(1);
}
await import(entry.href);

#!/usr/bin/env node
// The `onetime` command runs the compiled CLI (npm install builds dist/ through the prepare script).
import("../dist/cli/bin.js").catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND") {
    console.error("onetime: dist/ is missing; run `npm run build` first");
    process.exit(1);
  }
  throw err;
});

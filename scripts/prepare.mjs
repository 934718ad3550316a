// `npm install` and `npm ci` run this (the prepare script) in a checkout: it builds dist/ with
// `npm run build`. A production install (`npm ci --omit=dev`) has no TypeScript or esbuild to build
// with; then it says so and what to do instead, and lets the install succeed: the dependencies are
// in place, and `npm start` names the missing build if there is none.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const missing = ["typescript", "esbuild"].filter((name) => {
  try {
    require.resolve(name);
    return false;
  } catch {
    return true;
  }
});

if (missing.length === 0) {
  // npm sets npm_execpath to its own CLI script; run the build with the npm that runs this.
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm]] : ["npm", []];
  execFileSync(command, [...args, "run", "build"], { stdio: "inherit" });
} else {
  const built = existsSync(new URL("../dist/cli/bin.js", import.meta.url));
  console.error(
    `prepare: ${missing.join(" and ")} not installed (a production install?): ` +
      (built
        ? "keeping the dist/ already built"
        : "dist/ not built; build with the dev dependencies (`npm ci && npm run build`), then `npm prune --omit=dev`"),
  );
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle makes the order of module start-up matter; break it with a port or a type.",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "The domain holds rules only: it imports nothing else of src (not even Config: pass values).",
      from: { path: "^src/domain/" },
      to: { path: "^src/", pathNot: "^src/domain/" },
    },
    {
      name: "crypto-is-pure",
      severity: "error",
      comment: "Crypto primitives import nothing else of src (not even Config: pass values).",
      from: { path: "^src/crypto/" },
      to: { path: "^src/", pathNot: "^src/crypto/" },
    },
    {
      name: "webhook-delivery-is-pure",
      severity: "error",
      comment:
        "Signing, the address guard and one delivery attempt import nothing else of src (not even Config: the worker passes the policy).",
      from: { path: "^src/webhooks/(sign|address-guard|lookup|endpoint-url|deliver)\\.ts$" },
      to: { path: "^src/", pathNot: "^src/webhooks/" },
    },
    {
      name: "surfaces-not-store",
      severity: "error",
      comment: "HTTP and the CLI go through actions; only the composition root and actions see the store.",
      from: { path: "^src/(http|cli)/" },
      to: { path: "^src/store/" },
    },
    {
      name: "client-is-light",
      severity: "error",
      comment:
        "The terminal client's library talks HTTP to any server: it loads nothing of the server (no store, no config); it seals with the format's one implementation, src/crypto/zk.ts, and packs a file with src/crypto/envelope.ts (both import nothing).",
      from: { path: "^src/cli/client/" },
      to: { path: "^src/", pathNot: "^src/cli/client/|^src/crypto/(zk|envelope|request-key)\\.ts$" },
    },
    {
      name: "actions-not-http",
      severity: "error",
      comment: "Actions serve every surface; they never depend on one.",
      from: { path: "^src/actions/" },
      to: { path: "^src/(http|cli)/" },
    },
    {
      name: "store-is-an-adapter",
      severity: "error",
      comment: "Adapters implement the port; they call neither actions nor surfaces.",
      from: { path: "^src/store/" },
      to: { path: "^src/(actions|http|cli|mail)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};

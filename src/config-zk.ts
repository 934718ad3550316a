// The zero-knowledge block of loadConfig (config.ts): whether secrets encrypted by the sender's
// browser or terminal are accepted (docs/zero-knowledge.md).

import type { Reader } from "./config-reader.js";
import type { ZeroKnowledgeMode } from "./domain/client-secret.js";

/**
 * ZERO_KNOWLEDGE: `browser` (default) — the pages and the CLI encrypt on the client, the APIs still
 * take plaintext; `off` — no client secret is accepted, the pages encrypt on the server; `required`
 * — only client secrets are accepted, every plaintext create is refused (v1 clients break).
 */
export function zeroKnowledgeConfig(r: Reader): ZeroKnowledgeMode {
  return r.oneOf<ZeroKnowledgeMode>("ZERO_KNOWLEDGE", "browser", ["browser", "off", "required"]);
}

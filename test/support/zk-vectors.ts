import { readFileSync } from "node:fs";

/** One fixed vector of the zero-knowledge format (test/fixtures/zk-vectors.json): hex unless named. */
export interface ZkVector {
  name: string;
  text: string;
  /** A secret with a file: its plaintext is the content envelope of `text` and this file (bytes in hex). */
  file?: { name: string; type: string; bytes: string };
  /** The envelope's bytes, given with `file` (a text vector's plaintext is the text's UTF-8). */
  plaintext?: string;
  k: string;
  k_b64url: string;
  iv: string;
  passphrase?: string;
  salt?: string;
  iterations?: number;
  blob: string;
  proof: string;
}

/** The vectors that Node's and Chromium's runs of src/crypto/zk.ts must both reproduce. */
export const ZK_VECTORS: ZkVector[] = (
  JSON.parse(readFileSync(new URL("../fixtures/zk-vectors.json", import.meta.url), "utf8")) as {
    vectors: ZkVector[];
  }
).vectors;

import { readFileSync } from "node:fs";

/** One fixed vector of the zero-knowledge format (test/fixtures/zk-vectors.json): hex unless named. */
export interface ZkVector {
  name: string;
  text: string;
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

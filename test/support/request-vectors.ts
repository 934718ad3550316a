import { readFileSync } from "node:fs";

/** One fixed vector of the requests' key agreement (test/fixtures/request-vectors.json): hex unless named. */
export interface RequestVector {
  name: string;
  requester_private: string;
  requester_public_b64url: string;
  ephemeral_private: string;
  sender_key: string;
  k: string;
}

/** Made with node:crypto (createECDH, hkdfSync) from docs/requests.md: the WebCrypto module must agree. */
export const REQUEST_VECTORS: RequestVector[] = (
  JSON.parse(readFileSync(new URL("../fixtures/request-vectors.json", import.meta.url), "utf8")) as {
    vectors: RequestVector[];
  }
).vectors;

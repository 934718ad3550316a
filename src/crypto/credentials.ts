import { hkdfSync } from "node:crypto";
import { stretchPassphrase } from "./passphrase.js";

// A web password gives two keys from one argon2id run (m=19 MiB, t=2): a verifier the store keeps
// to check the password, and a wrapping key for the account's list key that the store never sees.
// With distinct HKDF labels, knowing the verifier says nothing about the wrapping key.

export interface PasswordKeys {
  verifier: Buffer;
  wrapKey: Buffer;
}

export async function passwordKeys(password: string, salt: Buffer): Promise<PasswordKeys> {
  const stretched = await stretchPassphrase(password, salt);
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", stretched, salt, info, 32));
  return { verifier: derive("password-verifier"), wrapKey: derive("password-list-wrap") };
}

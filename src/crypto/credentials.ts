import { hkdfSync } from "node:crypto";
import { stretchPassphrase } from "./passphrase.js";

// A web password gives two keys from one argon2id run (m=19 MiB, t=2): a verifier the store keeps
// to check the password, and a wrapping key for the account's list key that the store never sees.
// With distinct HKDF labels, knowing the verifier says nothing about the wrapping key.
//
// Both are keyed with a pepper, a sub-key of SECRET that the store never holds (the HKDF salt is
// pepper ‖ argon2 salt): a copy of the database alone cannot test a single password guess, nor
// unwrap the list key. With SECRET as well, guessing is what the server itself does (docs/security.md).

export interface PasswordKeys {
  verifier: Buffer;
  wrapKey: Buffer;
}

export interface PasswordKeySets {
  /** Keyed with the pepper: what every credential is written with. */
  peppered: PasswordKeys;
  /**
   * Without the pepper, as credentials were written before it (onetime 0.1.0 before issue 16): only
   * checked so that such a row still signs in once, and is then rewritten peppered.
   */
  unpeppered: PasswordKeys;
}

export async function passwordKeys(password: string, salt: Buffer, pepper: Buffer): Promise<PasswordKeySets> {
  const stretched = await stretchPassphrase(password, salt);
  const keys = (hkdfSalt: Buffer): PasswordKeys => {
    const derive = (info: string) => Buffer.from(hkdfSync("sha256", stretched, hkdfSalt, info, 32));
    return { verifier: derive("password-verifier"), wrapKey: derive("password-list-wrap") };
  };
  return { peppered: keys(Buffer.concat([pepper, salt])), unpeppered: keys(salt) };
}

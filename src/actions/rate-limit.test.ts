import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { test } from "node:test";
import { deriveServerKeys } from "../crypto/keys.js";
import { createVault } from "../crypto/vault.js";
import { clientGroup } from "../domain/client-address.js";
import type { Deps } from "./deps.js";
import { clientKey, SUBJECTS_KEPT } from "./rate-limit.js";

// clientKey remembers the pseudonyms it computed: whatever it remembers, the key must be the one
// computed afresh, for this vault and this IPv6 prefix.

const root = randomBytes(32);
const deps = (ipv6Prefix: number, vault = createVault(deriveServerKeys(root))) =>
  ({ vault, config: { abuse: { ipv6Prefix } } }) as unknown as Pick<Deps, "vault" | "config">;
const fresh = (d: Pick<Deps, "vault" | "config">, ip: string) =>
  d.vault.subject(clientGroup(ip, d.config.abuse.ipv6Prefix));

test("clientKey: the same pseudonym as computed afresh, asked once or many times, past the cache's size", () => {
  const d = deps(64);
  const ips = [
    "192.0.2.1",
    "::ffff:192.0.2.1",
    "2001:db8:1:2::1",
    "2001:db8:1:2:ffff::9",
    "2001:db8:1:3::1",
    "a name",
  ];
  for (let round = 0; round < 3; round++)
    for (const ip of ips) assert.equal(clientKey(d, { ip }), fresh(d, ip), ip);
  // One /64 is one client; its neighbour another; IPv4-mapped IPv6 is its IPv4 address.
  assert.equal(clientKey(d, { ip: "2001:db8:1:2::1" }), clientKey(d, { ip: "2001:db8:1:2:ffff::9" }));
  assert.notEqual(clientKey(d, { ip: "2001:db8:1:2::1" }), clientKey(d, { ip: "2001:db8:1:3::1" }));
  assert.equal(clientKey(d, { ip: "::ffff:192.0.2.1" }), clientKey(d, { ip: "192.0.2.1" }));
  for (let i = 0; i < SUBJECTS_KEPT + 10; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    assert.equal(clientKey(d, { ip }), fresh(d, ip));
  }
  for (const ip of ips) assert.equal(clientKey(d, { ip }), fresh(d, ip), `${ip} after the cache was cleared`);
});

test("clientKey: a keyed HMAC of the group, never the address; per vault and per IPv6 prefix", () => {
  const d64 = deps(64);
  const key = clientKey(d64, { ip: "2001:db8:1:2::1" });
  assert.match(key, /^[0-9a-f]{32}$/);
  assert.ok(!key.includes("2001"));
  // Another prefix groups differently, another SECRET keys differently: neither reuses a remembered key.
  const d48 = deps(48, d64.vault);
  assert.equal(clientKey(d48, { ip: "2001:db8:1:2::1" }), fresh(d48, "2001:db8:1:2::1"));
  assert.notEqual(clientKey(d48, { ip: "2001:db8:1:2::1" }), key);
  const other = deps(64, createVault(deriveServerKeys(randomBytes(32))));
  assert.notEqual(clientKey(other, { ip: "2001:db8:1:2::1" }), key);
  assert.equal(clientKey(other, { ip: "2001:db8:1:2::1" }), fresh(other, "2001:db8:1:2::1"));
  // Unkeyed, the same group would give another value: the pseudonym depends on the server's key.
  assert.notEqual(key, createHmac("sha256", "").update("2001:db8:1:2::/64").digest("hex").slice(0, 32));
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { clientGroup } from "./client-address.js";

test("an IPv4 address is its own group, also when a dual-stack socket reports it mapped", () => {
  assert.equal(clientGroup("192.0.2.1", 64), "192.0.2.1");
  assert.notEqual(clientGroup("192.0.2.1", 64), clientGroup("192.0.2.2", 64));
  assert.equal(clientGroup("::ffff:192.0.2.1", 64), "192.0.2.1");
  assert.equal(clientGroup("::ffff:c000:201", 64), "192.0.2.1");
});

test("IPv6 addresses in one /64 are one group, however they are written; the next /64 is another", () => {
  const group = clientGroup("2001:db8:1:2::1", 64);
  assert.equal(group, "2001:db8:1:2:0:0:0:0/64");
  for (const same of [
    "2001:db8:1:2:ffff:ffff:ffff:ffff",
    "2001:0DB8:0001:0002:0:0:0:9",
    "2001:db8:1:2::1%eth0",
  ]) {
    assert.equal(clientGroup(same, 64), group, same);
  }
  assert.notEqual(clientGroup("2001:db8:1:3::1", 64), group);
  assert.equal(clientGroup("2001:db8:1:2::a.b", 64), "2001:db8:1:2::a.b", "not an address: as given");
});

test("the prefix length is the operator's: /48 groups wider, /128 is exact, odd lengths mask within a word", () => {
  assert.equal(clientGroup("2001:db8:1:2::1", 48), clientGroup("2001:db8:1:ffff::1", 48));
  assert.notEqual(clientGroup("2001:db8::1", 128), clientGroup("2001:db8::2", 128));
  assert.equal(clientGroup("2001:db8::1", 128), "2001:db8:0:0:0:0:0:1/128");
  assert.equal(clientGroup("2001:db8:ffff::1", 36), "2001:db8:f000:0:0:0:0:0/36");
  assert.equal(clientGroup("::1", 64), "0:0:0:0:0:0:0:0/64");
  assert.equal(clientGroup("1:2:3:4:5:6:1.2.3.4", 128), "1:2:3:4:5:6:102:304/128");
});

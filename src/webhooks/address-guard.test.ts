import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { addressRange, isDeliverableAddress } from "./address-guard.js";

// Each refused address with the range it is refused as; public ones (documentation prefixes are
// reserved, so real public addresses stand in) must pass.
const REFUSED: Array<[string, string]> = [
  ["127.0.0.1", "loopback"],
  ["127.255.1.2", "loopback"],
  ["10.1.2.3", "private"],
  ["172.16.0.1", "private"],
  ["192.168.1.1", "private"],
  ["169.254.169.254", "linkLocal"],
  ["100.64.0.1", "carrierGradeNat"],
  ["100.100.100.200", "carrierGradeNat"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["224.0.0.1", "multicast"],
  ["255.255.255.255", "broadcast"],
  ["240.0.0.1", "reserved"],
  ["192.0.2.10", "reserved"],
  ["198.18.0.1", "reserved"],
  ["168.63.129.16", "metadata"],
  ["::1", "loopback"],
  ["::", "unspecified"],
  ["fe80::1", "linkLocal"],
  ["fe80::1%eth0", "zoned"],
  ["fc00::1", "uniqueLocal"],
  ["fd12:3456::1", "uniqueLocal"],
  ["fd00:ec2::254", "metadata"],
  ["ff02::1", "multicast"],
  ["fec0::1", "deprecatedSiteLocal"],
  ["2001:db8::1", "reserved"],
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::ffff:10.0.0.1", "private"],
  ["::ffff:169.254.169.254", "linkLocal"],
  ["::ffff:0:127.0.0.1", "loopback"],
  ["64:ff9b::127.0.0.1", "loopback"],
  ["64:ff9b::a9fe:a9fe", "linkLocal"],
  ["64:ff9b::10.0.0.1", "private"],
  ["64:ff9b:1::1", "rfc6052"],
  ["2002:7f00:1::1", "loopback"],
  ["2002:c0a8:101::1", "private"],
  ["2001:0:4136:e378::1", "teredo"],
  ["::127.0.0.1", "ipv4Compatible"],
  ["::8.8.8.8", "ipv4Compatible"],
  ["localhost", "invalid"],
  ["", "invalid"],
  ["1.2.3.4.5", "invalid"],
  ["::ffff:1.2.3.999", "invalid"],
];

const PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700:4700::1111", "2a00:1450:4007:80e::200e"];
const PUBLIC_VIA_IPV4 = ["::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"];

describe("address guard", () => {
  for (const [address, range] of REFUSED) {
    test(`refuses ${address || "(empty)"} as ${range}`, () => {
      assert.equal(addressRange(address), range);
      assert.equal(isDeliverableAddress(address), false);
    });
  }

  test("lets public unicast addresses through, also when IPv6 carries a public IPv4", () => {
    for (const address of [...PUBLIC, ...PUBLIC_VIA_IPV4]) {
      assert.equal(addressRange(address), "unicast", address);
      assert.equal(isDeliverableAddress(address), true, address);
    }
  });
});

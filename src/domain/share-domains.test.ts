import assert from "node:assert/strict";
import { test } from "node:test";
import { linkDomains, listedShareDomain } from "./share-domains.js";

test("linkDomains: the site's own host first, lowercased, no repeats; none without either", () => {
  assert.deepEqual(linkDomains("Onetime.Example", ["a.example", "onetime.example"]), [
    "onetime.example",
    "a.example",
  ]);
  assert.deepEqual(linkDomains(null, ["a.example"]), ["a.example"]);
  assert.deepEqual(linkDomains("", []), []);
});

test("listedShareDomain: '' for nothing or the own host, the domain when listed, null otherwise", () => {
  const listed = ["a.example"];
  assert.equal(listedShareDomain(undefined, "own.example", listed), "");
  assert.equal(listedShareDomain("  ", "own.example", listed), "");
  assert.equal(listedShareDomain("OWN.example", "own.example", listed), "");
  assert.equal(listedShareDomain(" A.Example ", "own.example", listed), "a.example");
  assert.equal(listedShareDomain("b.example", "own.example", listed), null);
  assert.equal(listedShareDomain("a.example.evil", "own.example", listed), null);
});

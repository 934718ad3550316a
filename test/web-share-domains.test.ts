// Share domains on the create form, in process (what a browser without JavaScript gets): the
// "Link domain" selector appears only when SHARE_DOMAINS lists some, preselects the host the page is
// served on, and each domain posted makes a link (and a receipt page) on that host; a domain posted
// by hand that the server does not list is refused on the form, with nothing stored. Chromium with
// JavaScript and zero-knowledge: browser-share-domains.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { secretRows } from "./support/actions.js";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { en } from "./support/web-server.js";
import { alertText, createViaForm, shareLink, unescapeHtml, visitor } from "./support/web-support.js";

const OWN = "onetime.example";
const DOMAINS = ["links.example.com", "share.example.org"];

let t: TestApp;
before(async () => {
  t = await makeTestApp({
    HOST: OWN,
    SHARE_DOMAINS: "Links.Example.com, share.example.org",
    RATE_LIMIT_ENABLED: "false",
  });
});
after(() => t.close());

/** The selector's options, and the one selected; null when there is no selector. */
function selector(body: string): { options: string[]; selected: string | undefined } | null {
  const select = /<select id="share_domain" name="share_domain"[^>]*>([\s\S]*?)<\/select>/.exec(body)?.[1];
  if (select === undefined) return null;
  const options = [...select.matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)];
  return {
    options: options.map((o) => unescapeHtml(o[1] ?? "")),
    selected: options.find((o) => o[2] !== undefined)?.[1],
  };
}

describe("the link domain selector", () => {
  test("lists the site's own host first, then SHARE_DOMAINS, labelled and described", async () => {
    const res = await visitor(t.app).get("/");
    assert.deepEqual(selector(res.body), { options: [OWN, ...DOMAINS], selected: OWN });
    assert.match(res.body, new RegExp(`<label for="share_domain">${en("home.share_domain.label")}</label>`));
    assert.match(
      res.body,
      /<select id="share_domain" name="share_domain" aria-describedby="share_domain-hint">/,
    );
    assert.match(res.body, new RegExp(`id="share_domain-hint">${en("home.share_domain.hint")}<`));
  });

  test("preselects the host the page is served on when it is one of them, else the site's own", async () => {
    const on = await visitor(t.app).get("/", { host: "share.example.org" });
    assert.equal(selector(on.body)?.selected, "share.example.org");
    const other = await visitor(t.app).get("/", { host: "elsewhere.example" });
    assert.equal(selector(other.body)?.selected, OWN);
  });

  test("without SHARE_DOMAINS there is no selector", async () => {
    const plain = await makeTestApp({ HOST: OWN });
    try {
      const res = await visitor(plain.app).get("/");
      assert.equal(selector(res.body), null);
      assert.doesNotMatch(res.body, /share_domain/);
    } finally {
      await plain.close();
    }
  });
});

describe("creating with a link domain", () => {
  for (const domain of [OWN, ...DOMAINS]) {
    test(`${domain}: the receipt page's link is on that host, and opens there`, async () => {
      const v = visitor(t.app);
      const made = await createViaForm(v, { secret: `for ${domain}`, share_domain: domain });
      const link = new URL(shareLink(made.receipt));
      assert.equal(link.host, domain);
      // The link's path works on this server whatever host reached it (the operator points them here).
      const page = await visitor(t.app).get(link.pathname, { host: domain });
      assert.equal(page.statusCode, 200);
    });
  }

  test("a domain posted in another case is the listed one", async () => {
    const made = await createViaForm(visitor(t.app), { secret: "cased", share_domain: "SHARE.example.ORG" });
    assert.equal(new URL(shareLink(made.receipt)).host, "share.example.org");
  });

  test("without share_domain the link is on the site's own host", async () => {
    const made = await createViaForm(visitor(t.app), { secret: "none" });
    assert.equal(new URL(shareLink(made.receipt)).host, OWN);
  });

  test("an unlisted domain is refused on the form: the text kept, nothing stored", async () => {
    const v = visitor(t.app);
    await v.get("/");
    const before = secretRows(t.dataDir);
    for (const domain of ["evil.example", "links.example.com.evil.example", "localhost:3000"]) {
      for (const mode of ["text", "generate"]) {
        const res = await v.post("/create", { secret: "kept text", share_domain: domain, mode });
        assert.equal(res.statusCode, 422, `${domain} ${mode}`);
        assert.equal(
          alertText(res),
          en("form.error.share_domain", { domains: [OWN, ...DOMAINS].join(", ") }),
        );
        assert.match(res.body, />\nkept text<\/textarea>/);
        assert.match(res.body, /aria-describedby="form-error"/);
        // The selector comes back on a listed choice.
        assert.equal(selector(res.body)?.selected, OWN);
      }
    }
    assert.deepEqual(secretRows(t.dataDir), before);
  });
});

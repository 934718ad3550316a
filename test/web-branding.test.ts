// An operator's branding on the pages, over app.inject(): the name, logo, accent stylesheet, footer,
// links and texts of a hand-built Branding (test/support/brand.ts), per language and per host; and,
// without one, pages exactly as before.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { DEFAULT_BRANDING, PLAIN_BRAND } from "../src/branding/brand.js";
import { SVG_ASSET_CSP } from "../src/http/security-headers.js";
import { brand, brandAsset, branding, solidPng } from "./support/brand.js";
import { makeTestApp, share, type TestApp } from "./support/helpers.js";
import { en, messages } from "./support/web-server.js";
import { heading, unescapeHtml, visitor } from "./support/web-support.js";

const ar = messages("ar");
const de = messages("de");

const logo = brandAsset("logo", "png", "image/png", solidPng(48, 16, [29, 78, 216]));
const shieldSvg = brandAsset(
  "logo",
  "svg",
  "image/svg+xml",
  '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><style>rect{fill:#c00}</style><rect width="32" height="32"/></svg>',
);
const ACME = brand({
  name: "Acme Secrets",
  logo,
  accent: { light: "#1d4ed8", lightText: "#ffffff", dark: "#93c5fd", darkText: "#0b1220" },
  support: "mailto:help@acme.example",
  footer: { en: "Acme Corp, 1 Main Street", fr: "Acme SARL, 1 rue Principale", ar: "شركة أكمي" },
  links: [
    { href: "https://acme.example/imprint", label: { en: "Imprint", de: "Impressum" } },
    { href: "https://acme.example/privacy", label: { en: "Privacy", fr: "Confidentialité" } },
  ],
  texts: {
    homeHeading: { en: "Send it safely", fr: "Envoyez-le en sécurité", ar: "أرسلها بأمان" },
    homeIntro: { en: "Acme's way to share a password once.", pt: "O jeito Acme de compartilhar." },
    revealNote: { en: "Acme staff never ask for this link.", de: "Acme fragt nie nach diesem Link." },
  },
});
const PARTNER = brand({ name: "Partner <script>alert(1)</script> & Co", logo: shieldSvg });
const BRANDING = branding(ACME, { "share.partner.example": PARTNER });

/** A browser's Accept header: a page not found is HTML, not the API's JSON. */
const HTML = { accept: "text/html,application/xhtml+xml" };
const csrfFree = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""');

describe("without a brand", () => {
  const apps: TestApp[] = [];
  before(async () => {
    // No branding at all, DEFAULT_BRANDING given, and a Branding whose brand is a copy of the plain one.
    for (const b of [undefined, DEFAULT_BRANDING, branding({ ...PLAIN_BRAND })])
      apps.push(await makeTestApp({ RATE_LIMIT_ENABLED: "false" }, { branding: b }));
  });
  after(() => Promise.all(apps.map((a) => a.close())));

  test("every page is the same byte for byte, and shows only the built-in name, icon and footer", async () => {
    const keys = await Promise.all(apps.map(async (a) => (await share(a.app, { secret: "x" })).secret_key));
    for (const path of ["/", "/?locale=ar", "/secret/KEY", "/nowhere"]) {
      const pages = await Promise.all(
        apps.map(async (a, i) => (await visitor(a.app).get(path.replace("KEY", keys[i] ?? ""), HTML)).body),
      );
      // The same but for the CSRF token and the secret's key.
      const same = pages.map((body, i) => csrfFree(body).replaceAll(keys[i] ?? "", "KEY"));
      assert.equal(same[1], same[0], `${path}: DEFAULT_BRANDING`);
      assert.equal(same[2], same[0], `${path}: a plain brand`);
      const page = pages[0] ?? "";
      assert.match(page, / · onetime<\/title>/);
      assert.match(
        page,
        /<a class="brand" href="[^"]*"><img src="\/assets\/icon\.[0-9a-f]{12}\.svg" alt="" width="24" height="24"> onetime<\/a>/,
      );
      assert.match(page, /<footer class="foot"><p>[^<]+<\/p><\/footer>/);
      assert.equal(page.match(/rel="stylesheet"/g)?.length, 1, `${path}: app.css alone`);
      assert.doesNotMatch(page, /class="(logo|foot-links|brand-note)"|aria-hidden="true">onetime/);
    }
    const plain = apps[0] as TestApp;
    const home = await visitor(plain.app).get("/");
    assert.equal(heading(home), en("home.title"));
    assert.match(home.body, new RegExp(`<footer class="foot"><p>${en("layout.footer")}</p></footer>`));
  });
});

describe("with a brand", () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp({ RATE_LIMIT_ENABLED: "false" }, { branding: BRANDING });
  });
  after(() => t.close());

  test("the name is in the title and the header, with the logo in place of the icon", async () => {
    const home = await visitor(t.app).get("/");
    assert.match(home.body, /<title>Send it safely · Acme Secrets<\/title>/);
    assert.ok(
      home.body.includes(
        `<a class="brand" href="/"><img class="logo" src="/assets/${logo.hashedName}" alt="Acme Secrets"> <span aria-hidden="true">Acme Secrets</span></a>`,
      ),
    );
    assert.doesNotMatch(home.body, /<img src="\/assets\/icon\./, "no built-in icon in the header");
    assert.doesNotMatch(home.body, / style="/, "sized by the stylesheet, not inline");
    const missing = await visitor(t.app).get("/nowhere", HTML);
    assert.match(missing.body, /<title>[^<]+ · Acme Secrets<\/title>/);
  });

  test("the logo is served under its hashed name with the right type, a year's cache and nosniff", async () => {
    const res = await t.app.inject({ method: "GET", url: `/assets/${logo.hashedName}` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["content-type"], "image/png");
    assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal(res.headers["x-content-type-options"], "nosniff");
    assert.deepEqual(res.rawPayload, logo.body);
    const unknown = await t.app.inject({ method: "GET", url: "/assets/logo.000000000000.png" });
    assert.equal(unknown.statusCode, 404);
  });

  test("an SVG, the brand's or the built-in icon, is sandboxed when opened on its own", async () => {
    const icon = /<link rel="icon" href="(\/assets\/icon\.[0-9a-f]{12}\.svg)"/.exec(
      (await visitor(t.app).get("/")).body,
    )?.[1];
    assert.ok(icon !== undefined);
    for (const url of [`/assets/${shieldSvg.hashedName}`, icon]) {
      const res = await t.app.inject({ method: "GET", url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers["content-type"]), /^image\/svg\+xml/);
      assert.equal(res.headers["content-security-policy"], SVG_ASSET_CSP, url);
      assert.equal(res.headers["x-content-type-options"], "nosniff");
      assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable");
    }
    // A stylesheet and a PNG keep the site's policy.
    const png = await t.app.inject({ method: "GET", url: `/assets/${logo.hashedName}` });
    assert.match(String(png.headers["content-security-policy"]), /^default-src 'none'; script-src 'self'/);
  });

  test("the accent stylesheet is linked after app.css, with an integrity that matches its body", async () => {
    const home = await visitor(t.app).get("/");
    const links = [...home.body.matchAll(/<link rel="stylesheet" href="([^"]+)" integrity="([^"]+)">/g)];
    assert.equal(links.length, 2);
    assert.match(links[0]?.[1] ?? "", /^\/assets\/app\.[0-9a-f]{12}\.css$/);
    const [, href, integrity] = links[1] ?? [];
    assert.equal(href, `/assets/${ACME.stylesheet?.hashedName}`);
    const css = await t.app.inject({ method: "GET", url: href ?? "" });
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers["content-type"]), /^text\/css/);
    assert.equal(integrity, `sha384-${createHash("sha384").update(css.rawPayload).digest("base64")}`);
    assert.match(css.body, /--accent: #1d4ed8/);
  });

  test("the footer has the brand's line, its links and the support link, in the page's language", async () => {
    const footer = async (query: string) => {
      const body = (await visitor(t.app).get(`/${query}`)).body;
      return /<footer class="foot">([\s\S]*?)<\/footer>/.exec(body)?.[1] ?? "";
    };
    const english = await footer("");
    assert.match(english, /^<p>Acme Corp, 1 Main Street<\/p>/);
    assert.doesNotMatch(english, new RegExp(en("layout.footer")));
    const links = (f: string) =>
      [...f.matchAll(/<li><a href="([^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(links(english), [
      ["https://acme.example/imprint", "Imprint"],
      ["https://acme.example/privacy", "Privacy"],
      ["mailto:help@acme.example", en("layout.support")],
    ]);
    // German: a label of its own, English for the rest (footer line, other label).
    const german = await footer("?locale=de");
    assert.match(german, /^<p>Acme Corp, 1 Main Street<\/p>/);
    assert.deepEqual(
      links(german).map(([, label]) => label),
      ["Impressum", "Privacy", de("layout.support")],
    );
    const french = await footer("?locale=fr");
    assert.match(french, /^<p>Acme SARL, 1 rue Principale<\/p>/);
    assert.match(french, />Confidentialité</);
  });

  test("the home heading and lead, and the note before a reveal, come from the brand's texts", async () => {
    const home = await visitor(t.app).get("/");
    assert.equal(heading(home), "Send it safely");
    assert.match(home.body, /<p class="lead">Acme&#39;s way to share a password once\.<\/p>/);
    // Brazilian Portuguese falls back to "pt" for the lead; the heading has neither, so English.
    const brazil = await visitor(t.app).get("/?locale=pt-BR");
    assert.equal(heading(brazil), "Send it safely");
    assert.match(brazil.body, /<p class="lead">O jeito Acme de compartilhar\.<\/p>/);
    const arabic = await visitor(t.app).get("/?locale=ar");
    assert.match(arabic.body, /<html lang="ar" dir="rtl"/);
    assert.equal(heading(arabic), "أرسلها بأمان");
    assert.match(arabic.body, /<p>شركة أكمي<\/p>/);
    assert.match(arabic.body, new RegExp(`>${ar("layout.support")}</a>`));

    const { secret_key } = await share(t.app, { secret: "x" });
    const confirm = await visitor(t.app).get(`/secret/${secret_key}`);
    assert.match(confirm.body, /<p class="brand-note">Acme staff never ask for this link\.<\/p>/);
    const german = await visitor(t.app).get(`/secret/${secret_key}?locale=de`);
    assert.match(german.body, /<p class="brand-note">Acme fragt nie nach diesem Link\.<\/p>/);
    // Only on the confirmation: the reveal itself and other pages have no note.
    assert.doesNotMatch((await visitor(t.app).get("/nowhere", HTML)).body, /brand-note/);
  });

  test("a share domain's own brand is chosen by the Host header, escaped; an unknown host gets the base", async () => {
    const partner = await visitor(t.app).get("/", { host: "share.partner.example:8443" });
    assert.doesNotMatch(partner.body, /<script>alert/);
    assert.match(
      partner.body,
      /<title>[^<]+ · Partner &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; Co<\/title>/,
    );
    assert.match(
      partner.body,
      new RegExp(
        `<img class="logo" src="/assets/${shieldSvg.hashedName}" alt="Partner &lt;script&gt;alert\\(1\\)&lt;/script&gt; &amp; Co">`,
      ),
    );
    assert.equal(
      unescapeHtml(/<span aria-hidden="true">([^<]*)<\/span>/.exec(partner.body)?.[1] ?? ""),
      PARTNER.name,
    );
    // The page shows the brand forHost() chose and nothing of another (filling a domain's gaps
    // from the instance's brand is the loader's work, tested in src/branding).
    assert.equal(heading(partner), en("home.title"));
    assert.doesNotMatch(partner.body, /Acme|foot-links|rel="stylesheet" href="\/assets\/brand\./);

    for (const host of ["other.example", "SHARE.partner.example.evil", "localhost:3000"]) {
      const page = await visitor(t.app).get("/", { host });
      assert.match(page.body, /<title>Send it safely · Acme Secrets<\/title>/, host);
    }
  });
});

// BRAND_FILE read whole: logos relative to the file, a stylesheet per distinct accent, share domains
// inheriting what they do not set, hosts matched without port or case, and every problem (format,
// logo, contrast) in one ConfigError.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../../test/support/temp.js";
import { ConfigError } from "../config-reader.js";
import { DEFAULT_BRANDING } from "./brand.js";
import { hostName, loadBranding } from "./load.js";

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>';
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const SETTINGS = {
  host: "secrets.acme.example:8443",
  shareDomains: ["links.acme.example", "plain.acme.example"],
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail("no ConfigError");
}

test("without BRAND_FILE nothing changes", () => {
  assert.equal(loadBranding({ brandFile: null, host: null, shareDomains: [] }), DEFAULT_BRANDING);
});

test("hosts are matched without their port, in lower case", () => {
  assert.equal(hostName("Links.Acme.Example:8443"), "links.acme.example");
  assert.equal(hostName("links.acme.example"), "links.acme.example");
  assert.equal(hostName("[::1]:3000"), "[::1]");
});

test("a full file: base brand, share domains inheriting what they do not set, assets by hashed name", () => {
  using dir = tempDir("onetime-brand-");
  mkdirSync(join(dir.path, "img"));
  writeFileSync(join(dir.path, "img", "acme.svg"), SVG);
  writeFileSync(join(dir.path, "links.png"), PNG);
  const brandFile = join(dir.path, "brand.json");
  writeFileSync(
    brandFile,
    JSON.stringify({
      name: "Acme Secrets",
      logo: "img/acme.svg",
      accent: "#0b5fff",
      support: "https://help.acme.example",
      footer: { en: "Acme Ltd", de: "Acme GmbH" },
      links: [{ href: "https://acme.example/imprint", label: { en: "Imprint", de: "Impressum" } }],
      texts: { reveal_note: "Policy 4.2." },
      domains: {
        "LINKS.acme.example": { name: "Acme Links", logo: join(dir.path, "links.png"), accent: "#8e24aa" },
        "plain.acme.example": { name: "Acme Plain" },
      },
    }),
  );
  const branding = loadBranding({ brandFile, ...SETTINGS });
  const { base } = branding;
  assert.equal(base.name, "Acme Secrets");
  assert.match(base.logo?.hashedName ?? "", /^logo\.[0-9a-f]{12}\.svg$/);
  assert.equal(base.accent?.light, "#0b5fff");
  assert.equal(base.support, "https://help.acme.example");
  assert.deepEqual(base.footer, { en: "Acme Ltd", de: "Acme GmbH" });
  assert.equal(base.links.length, 1);
  assert.deepEqual(base.texts, { revealNote: { en: "Policy 4.2." } });
  assert.ok(base.stylesheet);
  assert.ok(base.stylesheet.body.toString().includes("--accent: #0b5fff;"));

  const links = branding.forHost("Links.Acme.Example:443");
  assert.equal(links.name, "Acme Links");
  assert.equal(links.logo?.type, "image/png");
  assert.equal(links.accent?.light, "#8e24aa");
  assert.notEqual(links.stylesheet?.hashedName, base.stylesheet.hashedName, "its own stylesheet");
  // What it does not set is the instance's.
  assert.equal(links.support, base.support);
  assert.equal(links.footer, base.footer);
  assert.equal(links.links, base.links);
  assert.equal(links.texts, base.texts);

  const plain = branding.forHost("plain.acme.example");
  assert.equal(plain.name, "Acme Plain");
  assert.equal(plain.logo, base.logo);
  assert.deepEqual(plain.accent, base.accent);
  assert.equal(
    plain.stylesheet?.hashedName,
    base.stylesheet.hashedName,
    "the same accent, the same stylesheet",
  );

  for (const host of ["secrets.acme.example:8443", "unknown.example", ""])
    assert.equal(branding.forHost(host), base);

  for (const asset of [base.logo, base.stylesheet, links.logo, links.stylesheet]) {
    assert.ok(asset);
    assert.equal(branding.asset(asset.hashedName), asset);
  }
  assert.equal(branding.asset("app.css"), null);
  assert.equal(branding.asset("logo.000000000000.svg"), null);

  assert.equal(branding.notes.length, 2);
  assert.match(
    branding.notes[0] as string,
    /^BRAND_FILE accent_dark not set: using #[0-9a-f]{6} \(4\.\d\d:1 on the dark theme\) derived from accent #0b5fff$/,
  );
  assert.match(
    branding.notes[1] as string,
    /^BRAND_FILE domains\["links\.acme\.example"\]\.accent_dark not set: using #[0-9a-f]{6} .* derived from accent #8e24aa$/,
  );
});

test("a domain that sets only accent_dark keeps the instance's light accent", () => {
  using dir = tempDir("onetime-brand-");
  const brandFile = join(dir.path, "brand.json");
  writeFileSync(
    brandFile,
    JSON.stringify({ accent: "#0b5fff", domains: { "links.acme.example": { accent_dark: "#ffd400" } } }),
  );
  const branding = loadBranding({ brandFile, ...SETTINGS });
  const links = branding.forHost("links.acme.example");
  assert.equal(links.accent?.light, "#0b5fff");
  assert.equal(links.accent?.dark, "#ffd400");
  assert.equal(links.accent?.darkText, "#111111");
  assert.notEqual(links.stylesheet?.hashedName, branding.base.stylesheet?.hashedName);
  assert.equal(branding.notes.length, 1, "only the instance's dark accent was derived");
});

test("every problem at once: format, logos and colours, for the base and its domains", () => {
  using dir = tempDir("onetime-brand-");
  writeFileSync(join(dir.path, "logo.gif"), "GIF89a");
  const brandFile = join(dir.path, "brand.json");
  writeFileSync(
    brandFile,
    JSON.stringify({
      name: "Acme",
      logo: "logo.gif",
      accent: "#ff8800",
      colour: "#ff8800",
      domains: {
        "links.acme.example": { logo: "missing.png", accent_dark: "#333333" },
        "other.example": { name: "Other" },
      },
    }),
  );
  const problems = problemsOf(() => loadBranding({ brandFile, ...SETTINGS }));
  assert.deepEqual(problems, [
    "BRAND_FILE colour: unknown key (known here: name, logo, accent, accent_dark, support, footer, links, texts, domains)",
    'BRAND_FILE domains["other.example"]: "other.example" is neither HOST nor one of SHARE_DOMAINS (they are secrets.acme.example, links.acme.example, plain.acme.example)',
    "BRAND_FILE accent: #ff8800 reaches 2.22:1 against #f6f7f5 (the light theme's background), below 4.5:1; the nearest colour of the same hue that passes is #ad5c00 (4.53:1)",
    `BRAND_FILE logo: ${join(dir.path, "logo.gif")} is not a PNG, WebP, JPEG or SVG image (by its content)`,
    'BRAND_FILE domains["links.acme.example"].accent_dark: #333333 reaches 1.25:1 against #1d2421' +
      " (the dark theme's surface), below 4.5:1; the nearest colour of the same hue that passes is #898989 (4.52:1)",
    `BRAND_FILE domains["links.acme.example"].logo: cannot read ${join(dir.path, "missing.png")} (ENOENT)`,
  ]);
});

test("a file that cannot be read or is not JSON is one problem naming it", () => {
  using dir = tempDir("onetime-brand-");
  const missing = join(dir.path, "none.json");
  assert.deepEqual(
    problemsOf(() => loadBranding({ brandFile: missing, ...SETTINGS })),
    [`BRAND_FILE ${missing} cannot be read (ENOENT)`],
  );
  const broken = join(dir.path, "broken.json");
  writeFileSync(broken, '{"name": "Acme",}');
  const [problem, ...rest] = problemsOf(() => loadBranding({ brandFile: broken, ...SETTINGS }));
  assert.deepEqual(rest, []);
  assert.match(problem as string, new RegExp(`^BRAND_FILE ${broken} is not valid JSON \\(.+\\)$`));
});

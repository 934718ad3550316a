// BRAND_FILE's format: a full file reads as written; every problem is reported at once with its JSON
// path; unknown keys, unknown languages, control characters, over-long texts, odd URLs and domains
// that are neither HOST nor a share domain are refused.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type BrandFileRules, checkBrandFile } from "./brand-file.js";

const RULES: BrandFileRules = {
  locales: ["en", "de", "fr", "pt-BR"],
  hosts: ["secrets.acme.example", "links.acme.example"],
};

test("a full file reads as written; a plain text is English", () => {
  const { file, problems } = checkBrandFile(
    {
      name: "Acme Secrets",
      logo: "acme.svg",
      accent: "#0B5FFF",
      accent_dark: "#8ab4ff",
      support: "mailto:help@acme.example",
      footer: { en: "Acme Ltd, 1 Road", de: "Acme GmbH, Straße 1" },
      links: [{ href: "https://acme.example/imprint", label: { en: "Imprint", de: "Impressum" } }],
      texts: {
        home_heading: "Share a secret",
        home_intro: { fr: "Partagez" },
        reveal_note: "Policy 4.2 applies.",
      },
      domains: { "Links.Acme.Example": { name: "Acme Links", accent: "#05f" } },
    },
    RULES,
  );
  assert.deepEqual(problems, []);
  assert.equal(file.name, "Acme Secrets");
  assert.equal(file.logo, "acme.svg");
  assert.equal(file.accent, "#0b5fff");
  assert.equal(file.accentDark, "#8ab4ff");
  assert.equal(file.support, "mailto:help@acme.example");
  assert.deepEqual(file.footer, { en: "Acme Ltd, 1 Road", de: "Acme GmbH, Straße 1" });
  assert.deepEqual(file.links, [
    { href: "https://acme.example/imprint", label: { en: "Imprint", de: "Impressum" } },
  ]);
  assert.deepEqual(file.texts, {
    homeHeading: { en: "Share a secret" },
    homeIntro: { fr: "Partagez" },
    revealNote: { en: "Policy 4.2 applies." },
  });
  assert.deepEqual(
    [...file.domains],
    [["links.acme.example", { name: "Acme Links", logo: null, accent: "#0055ff", accentDark: null }]],
  );
});

test("an empty object is a valid file that sets nothing", () => {
  const { file, problems } = checkBrandFile({}, RULES);
  assert.deepEqual(problems, []);
  assert.deepEqual(file, {
    name: null,
    logo: null,
    accent: null,
    accentDark: null,
    support: null,
    footer: null,
    links: [],
    texts: {},
    domains: new Map(),
  });
});

test("every problem is reported at once, each with its JSON path", () => {
  const { problems } = checkBrandFile(
    {
      name: "A".repeat(61),
      nmae: "typo",
      accent: "blue",
      support: "ftp://acme.example",
      footer: { en: "ok", xx: "no such language", de: "line\nbreak" },
      links: [
        { href: "https://acme.example/ok", label: "OK" },
        { href: "javascript:alert(1)", label: "Bad" },
        { href: "https://acme.example/x", label: "", target: "_blank" },
        { label: "no href" },
        "not an object",
      ],
      texts: { home_heading: "x".repeat(501), home_intro: 42, reveal_notes: "typo" },
      domains: { "other.example": { name: "Other", colour: "#000000" } },
    },
    RULES,
  );
  assert.deepEqual(problems, [
    "BRAND_FILE nmae: unknown key (known here: name, logo, accent, accent_dark, support, footer, links, texts, domains)",
    "BRAND_FILE name: must be at most 60 characters",
    'BRAND_FILE accent: must be a colour like "#0b5fff" (or "#05f")',
    "BRAND_FILE support: must be an https: or mailto: URL",
    'BRAND_FILE footer.xx: "xx" is not a language with a catalogue (en, de, fr, pt-BR)',
    "BRAND_FILE footer.de: must not hold control characters (line breaks, tabs…)",
    "BRAND_FILE links[1].href: must be an https:, http: or mailto: URL",
    "BRAND_FILE links[2].target: unknown key (known here: href, label)",
    "BRAND_FILE links[2].label: must not be empty",
    "BRAND_FILE links[3]: needs an href",
    "BRAND_FILE links[4]: must be an object",
    "BRAND_FILE texts.reveal_notes: unknown key (known here: home_heading, home_intro, reveal_note)",
    "BRAND_FILE texts.home_heading: must be at most 500 characters",
    'BRAND_FILE texts.home_intro: must be a text, or texts by language like {"en": "…", "de": "…"}',
    'BRAND_FILE domains["other.example"]: "other.example" is neither HOST nor one of SHARE_DOMAINS (they are secrets.acme.example, links.acme.example)',
    'BRAND_FILE domains["other.example"].colour: unknown key (known here: name, logo, accent, accent_dark)',
  ]);
});

test("URLs need their host or address; a file must be an object; domains need hosts", () => {
  const urls = checkBrandFile(
    {
      support: "https://",
      links: [
        { href: "mailto:", label: "x" },
        { href: "http://intranet.acme.example/privacy", label: "Privacy" },
        { href: "https://acme.example/a b", label: "Space" },
      ],
    },
    RULES,
  );
  assert.deepEqual(urls.problems, [
    "BRAND_FILE support: must be an https: or mailto: URL",
    "BRAND_FILE links[0].href: must be an https:, http: or mailto: URL, with an address",
    "BRAND_FILE links[2].href: must be an https:, http: or mailto: URL",
  ]);
  assert.deepEqual(checkBrandFile([], RULES).problems, ["BRAND_FILE must hold one JSON object"]);
  assert.deepEqual(
    checkBrandFile({ domains: { "a.example": {} } }, { locales: ["en"], hosts: [] }).problems,
    ['BRAND_FILE domains["a.example"]: "a.example" is neither HOST nor one of SHARE_DOMAINS (none is set)'],
  );
  // Bidirectional overrides would let a name read differently from what it holds.
  assert.deepEqual(checkBrandFile({ name: "Acme\u202eevil" }, RULES).problems, [
    "BRAND_FILE name: must not hold control characters (line breaks, tabs…)",
  ]);
  assert.deepEqual(checkBrandFile({ links: {} }, RULES).problems, [
    "BRAND_FILE links: must be a list of links",
  ]);
  assert.deepEqual(checkBrandFile({ footer: {} }, RULES).problems, [
    "BRAND_FILE footer: must hold at least one language",
  ]);
});

// The documentation a newcomer reads: every relative link and image in README.md, README.fr.md and
// docs/*.md points at a file of the repository (and a `#anchor` into a markdown file at one of its
// headings), every table row has as many cells as its header, and the French README has the
// English one's sections, in the same order, with the same links to the docs.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, test } from "node:test";

const ROOT = resolve(import.meta.dirname, "..");
const DOCS = [
  "README.md",
  "README.fr.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`),
];

/**
 * The French title of each English heading of README.md (levels 1 to 3). A section added to one
 * README and not the other, or a new English title missing here, fails the parity test.
 */
const FRENCH_HEADINGS: Record<string, string> = {
  onetime: "onetime",
  "Set up": "Installation",
  "In a browser": "Dans un navigateur",
  "Use the API": "Utiliser l'API",
  Accounts: "Comptes",
  "Single sign-on and access policy": "Authentification unique et politique d'accès",
  "From a terminal": "Depuis un terminal",
  Files: "Fichiers",
  "Read notifications": "Notifications de lecture",
  "Secret requests": "Demandes de secret",
  Configure: "Configuration",
  Branding: "Image de marque",
  Operations: "Exploitation",
  "Admin pages and audit log": "Pages d'administration et journal d'audit",
  Documentation: "Documentation",
  Develop: "Développement",
};

/** The lines outside fenced code blocks (``` or ~~~); the fenced ones become empty lines. */
export function prose(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split("\n").map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && marker !== undefined) {
      fence = marker;
      return "";
    }
    if (fence !== null) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      return "";
    }
    return line;
  });
}

/** The text with its code spans blanked: `[x](y)` inside backticks is not a link. */
function withoutCodeSpans(text: string): string {
  return text.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, (span) => span.replace(/[^\n]/g, " "));
}

export interface Heading {
  level: number;
  title: string;
}

/** ATX headings outside code blocks, with inline markup reduced to its text. */
export function headings(markdown: string): Heading[] {
  const found: Heading[] = [];
  for (const line of prose(markdown)) {
    const m = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (m === null) continue;
    const title = (m[2] as string)
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/`+/g, "")
      .replace(/\*+/g, "")
      .trim();
    found.push({ level: (m[1] as string).length, title });
  }
  return found;
}

/** GitHub's anchors for a file's headings: lower case, punctuation dropped, spaces as `-`, repeats numbered. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const { title } of headings(markdown)) {
    const base = title
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const m of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) result.add(m[1] as string);
  return result;
}

export interface Link {
  target: string;
  image: boolean;
  line: number;
}

/** Inline links and images, reference definitions and HTML href/src, outside code. */
export function links(markdown: string): Link[] {
  const text = withoutCodeSpans(prose(markdown).join("\n"));
  const lineOf = (index: number) => text.slice(0, index).split("\n").length;
  const found: Link[] = [];
  const patterns: [RegExp, boolean | "image-if-bang"][] = [
    [/(!?)\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^()\s<>]+)>?(?:\s+"[^"]*")?\s*\)/g, "image-if-bang"],
    [/^ {0,3}()\[[^\]]+\]:\s*<?([^\s>]+)>?/gm, false],
    [/<a\s[^>]*?()href="([^"]+)"/g, false],
    [/<img\s[^>]*?()src="([^"]+)"/g, true],
  ];
  for (const [pattern, kind] of patterns) {
    for (const m of text.matchAll(pattern)) {
      const image = kind === "image-if-bang" ? m[1] === "!" : kind;
      found.push({ target: m[2] as string, image, line: lineOf(m.index ?? 0) });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** Links to another site or protocol (http:, mailto:, //host) are not checked here. */
function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//");
}

/** What is wrong with the relative links of `file` (a path under `root`); empty when nothing is. */
export function brokenLinks(root: string, file: string, markdown: string): string[] {
  const problems: string[] = [];
  for (const { target, line } of links(markdown)) {
    if (isExternal(target)) continue;
    const [pathPart = "", anchor] = target.split("#", 2);
    const where = `${file}:${line}: ${target}`;
    const path = pathPart === "" ? join(root, file) : resolve(root, dirname(file), decodeURI(pathPart));
    if (relative(root, path).split(sep)[0] === ".." || !path.startsWith(root)) {
      problems.push(`${where} points outside the repository`);
      continue;
    }
    if (!existsSync(path)) {
      problems.push(`${where} names a missing file`);
      continue;
    }
    if (anchor !== undefined && path.endsWith(".md")) {
      const target = pathPart === "" ? markdown : readFileSync(path, "utf8");
      if (!anchors(target).has(decodeURIComponent(anchor))) {
        problems.push(`${where} names a missing heading`);
      }
    }
  }
  return problems;
}

/** Table rows whose cell count differs from their header's (a `|` inside a cell must be `\|`). */
export function brokenTables(file: string, markdown: string): string[] {
  const problems: string[] = [];
  const cells = (row: string) => row.match(/(?<!\\)\|/g)?.length ?? 0;
  const lines = prose(markdown);
  let header: number | null = null;
  lines.forEach((line, i) => {
    const isRow = line.trimStart().startsWith("|");
    if (!isRow) {
      header = null;
      return;
    }
    if (header === null) {
      header = cells(line);
      return;
    }
    if (cells(line) !== header) {
      problems.push(`${file}:${i + 1}: ${cells(line)} cell separators where the header has ${header}`);
    }
  });
  return problems;
}

/** The sections of a document: its headings (levels 1 to 3), each with the links and images under it. */
function sections(markdown: string): { heading: Heading | null; links: string[]; images: number }[] {
  const result: { heading: Heading | null; links: string[]; images: number }[] = [];
  let heading: Heading | null = null;
  let text: string[] = [];
  const flush = () => {
    const found = links(text.join("\n")).filter((l) => !isExternal(l.target));
    // Each README links to the other: that link is the same section's, whatever its language.
    const pages = found.filter((l) => !l.image).map((l) => l.target.replace(/^README(\.fr)?\.md$/, "README"));
    result.push({ heading, links: [...new Set(pages)].sort(), images: found.length - pages.length });
  };
  const lines = markdown.split("\n");
  prose(markdown).forEach((line, i) => {
    const [found] = headings(line);
    if (found !== undefined && found.level <= 3) {
      flush();
      heading = found;
      text = [];
    } else {
      text.push(lines[i] as string);
    }
  });
  flush();
  return result;
}

describe("documentation", () => {
  for (const file of DOCS) {
    const markdown = readFileSync(join(ROOT, file), "utf8");
    test(`${file}: every relative link and image resolves inside the repository`, () => {
      assert.deepEqual(brokenLinks(ROOT, file, markdown), []);
    });
    test(`${file}: every table row has the header's number of cells`, () => {
      assert.deepEqual(brokenTables(file, markdown), []);
    });
  }

  test("README.fr.md has README.md's sections, in the same order, with the same links to the docs", () => {
    const english = sections(readFileSync(join(ROOT, "README.md"), "utf8"));
    const french = sections(readFileSync(join(ROOT, "README.fr.md"), "utf8"));
    const expected = english.map(({ heading }) => {
      if (heading === null) return null;
      const title = FRENCH_HEADINGS[heading.title];
      assert.ok(title !== undefined, `no French title for "${heading.title}": add it to FRENCH_HEADINGS`);
      return { level: heading.level, title };
    });
    assert.deepEqual(
      french.map(({ heading }) => heading),
      expected,
    );
    english.forEach((section, i) => {
      const name = section.heading?.title ?? "(introduction)";
      assert.deepEqual(french[i]?.links, section.links, `links of the section "${name}"`);
      if (section.images > 0) assert.ok((french[i]?.images ?? 0) > 0, `the section "${name}" has no images`);
    });
  });
});

describe("the checks themselves", () => {
  const root = ROOT;
  test("a link to a missing file, a missing heading or outside the repository is reported", () => {
    const md = [
      "[ok](docs/api-v1.md) [ok](docs/configuration.md#mail) ![ok](docs/screenshots/home.png)",
      "[gone](docs/nothing.md) [bad anchor](docs/configuration.md#no-such-heading)",
      "![gone](docs/screenshots/nothing.png) [out](../elsewhere/x.md)",
      "`[in code](nowhere.md)` [ext](https://example.com/x.md) [self](#a-title)",
      "```",
      "[in a block](nowhere.md)",
      "```",
      "## A title",
    ].join("\n");
    assert.deepEqual(brokenLinks(root, "README.md", md), [
      "README.md:2: docs/nothing.md names a missing file",
      "README.md:2: docs/configuration.md#no-such-heading names a missing heading",
      "README.md:3: docs/screenshots/nothing.png names a missing file",
      "README.md:3: ../elsewhere/x.md points outside the repository",
    ]);
  });

  test("anchors follow GitHub's: punctuation dropped, accents kept, repeats numbered", () => {
    const md = "# POST /share and `POST /create`\n## Déjà vu\n## Déjà vu\n```\n# not a heading\n```";
    assert.deepEqual([...anchors(md)], ["post-share-and-post-create", "déjà-vu", "déjà-vu-1"]);
  });

  test("an unescaped | inside a cell is reported; an escaped one is not", () => {
    const md = [
      "| A | B |",
      "| - | - |",
      "| `x` | ``a\\|b`` |",
      "| `x` | ``a|b`` |",
      "",
      "| C |",
      "| - |",
    ].join("\n");
    assert.deepEqual(brokenTables("t.md", md), ["t.md:4: 4 cell separators where the header has 3"]);
  });
});

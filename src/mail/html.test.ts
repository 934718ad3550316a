import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { MailContent } from "./content.js";
import { escapeHtml, type MailLook, mailHtml } from "./html.js";

const content: MailContent = {
  paragraphs: [
    ['Tom & "Jerry" <tj@example.com> wrote'],
    ["Open it:", { link: "https://s.example/secret/abc?x=1&y=2" }],
  ],
  footer: ["Sent by <b>&Co"],
};
const look: MailLook = {
  lang: "en",
  dir: "ltr",
  title: "A <title>",
  name: "Acme <b>& Secrets",
  accent: { background: "#0b5394", text: "#ffffff" },
};

/** The text between tags, entities left as they are. */
const textOf = (html: string) => html.replace(/<[^>]*>/g, "");

describe("mail HTML", () => {
  test("escapes every value: name, title, paragraphs, footer, link text and href", () => {
    const html = mailHtml(content, look);
    assert.ok(html.includes("Acme &lt;b&gt;&amp; Secrets"), "the name is escaped");
    assert.ok(!html.includes("<b>"), "no markup from a value");
    assert.ok(html.includes("<title>A &lt;title&gt;</title>"));
    assert.ok(html.includes("Tom &amp; &quot;Jerry&quot; &lt;tj@example.com&gt; wrote"));
    assert.ok(html.includes('href="https://s.example/secret/abc?x=1&amp;y=2"'));
    assert.ok(html.includes("Sent by &lt;b&gt;&amp;Co"));
    assert.equal(escapeHtml(`<a href='x'>&"`), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
  });

  test("says nothing the content does not: its text is the content's lines and the name", () => {
    const words = textOf(mailHtml(content, look))
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "");
    assert.deepEqual(words, [
      "A &lt;title&gt;",
      "Acme &lt;b&gt;&amp; Secrets",
      "Tom &amp; &quot;Jerry&quot; &lt;tj@example.com&gt; wrote",
      "Open it:https://s.example/secret/abc?x=1&amp;y=2",
      "Sent by &lt;b&gt;&amp;Co",
    ]);
  });

  test("the bar is in the accent with its text colour; links in the accent", () => {
    const html = mailHtml(content, look);
    assert.match(html, /background-color:#0b5394;color:#ffffff;[^"]*">Acme/);
    assert.match(html, /<a href="[^"]+" style="color:#0b5394;/);
  });

  test("a pale accent, unreadable on white, gives links its (dark) text colour", () => {
    const html = mailHtml(content, { ...look, accent: { background: "#ffd60a", text: "#1a1a1a" } });
    assert.match(html, /background-color:#ffd60a;color:#1a1a1a;/);
    assert.match(html, /<a href="[^"]+" style="color:#1a1a1a;/);
  });

  test("a colour that is not #rrggbb is not used: no CSS can be slipped in", () => {
    const html = mailHtml(content, {
      ...look,
      accent: { background: "red;background-image:url(https://t.example/p.gif)", text: "#fff" },
    });
    assert.ok(!html.includes("url("), "no url() in any style");
    assert.ok(!html.includes("red;"));
    assert.match(html, /background-color:#374151;color:#ffffff;/, "the neutral bar");
  });

  test("loads nothing from elsewhere: no image, stylesheet, script or url()", () => {
    const html = mailHtml(content, look);
    assert.doesNotMatch(html, /<img|<link|<script|<style|src=|url\(|@import/i);
    const urls = [...html.matchAll(/https?:\/\/[^"<\s]+/g)].map((m) => m[0]);
    assert.deepEqual(
      [...new Set(urls)],
      ["https://s.example/secret/abc?x=1&amp;y=2"],
      "only the content's link",
    );
  });

  test("only web links become anchors", () => {
    const html = mailHtml({ paragraphs: [[{ link: "javascript:alert(1)" }]], footer: [] }, look);
    assert.ok(!html.includes("<a "));
    assert.ok(html.includes("javascript:alert(1)"), "shown as text");
  });

  test("lang and dir follow the locale: Arabic is right to left, aligned right", () => {
    const html = mailHtml(content, { ...look, lang: "ar", dir: "rtl" });
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.match(html, /<td dir="rtl" align="right" style="[^"]*text-align:right">/);
    assert.doesNotMatch(html, /dir="ltr"|text-align:left/);
    const ltr = mailHtml(content, look);
    assert.match(ltr, /<html lang="en" dir="ltr">/);
    assert.doesNotMatch(ltr, /dir="rtl"|text-align:right/);
  });

  test("no footer row without footer lines; the same input gives the same bytes", () => {
    const bare = { paragraphs: content.paragraphs, footer: [] };
    assert.doesNotMatch(mailHtml(bare, look), /border-top/);
    assert.equal(mailHtml(content, look), mailHtml(content, look));
  });
});

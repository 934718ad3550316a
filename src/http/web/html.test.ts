import assert from "node:assert/strict";
import { test } from "node:test";
import { html, textareaContent, trusted } from "./html.js";

test("interpolated strings are escaped, in text and in attributes", () => {
  const evil = `<script>alert("x")</script>&'`;
  assert.equal(
    html`<p title="${evil}">${evil}</p>`.value,
    `<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>`,
  );
});

test("nested templates and trusted markup are kept; arrays join; null, undefined and false vanish", () => {
  const items = ["a<b", "c"].map((s) => html`<li>${s}</li>`);
  assert.equal(html`<ul>${items}</ul>`.value, "<ul><li>a&lt;b</li><li>c</li></ul>");
  assert.equal(html`${trusted("<svg/>")}`.value, "<svg/>");
  assert.equal(html`[${null}${undefined}${false}]`.value, "[]");
  assert.equal(html`${0} ${true}`.value, "0 true");
});

test("a string is never taken for markup, even one that looks like Html", () => {
  const lookalike = { value: "<b>" } as unknown as string;
  assert.equal(html`${lookalike}`.value, "[object Object]");
});

test("textarea content: a newline for the parser to drop, carriage returns as references, text escaped", () => {
  assert.equal(textareaContent("\nkey\r\n<x>").value, "\n\nkey&#13;\n&lt;x&gt;");
  assert.equal(html`<textarea>${textareaContent("")}</textarea>`.value, "<textarea>\n</textarea>");
});

// Typed, auto-escaping HTML templates. Every value interpolated into `html` is escaped unless it is
// itself Html (made by `html` or, for markup we generate ourselves, `trusted`), so a secret, a key
// or a translated string can never inject markup: forgetting to escape is not possible.

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  // null, undefined and false render nothing, so `${cond && html`…`}` reads naturally.
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? "");
  return new Html(out);
}

/**
 * The content of a `<textarea>`, to be placed right after its opening tag, so that the browser's
 * value is exactly `text`: the HTML parser drops a newline right after `<textarea>` (so one is added
 * for it to drop) and reads a carriage return as a line break (so each is written as a character
 * reference, which it keeps). A NUL cannot be carried by HTML at all; nothing else is altered.
 */
export function textareaContent(text: string): Html {
  return new Html(`\n${escapeHtml(text).replace(/\r/g, "&#13;")}`);
}

/** Markup this program generated itself (never user input), such as the QR code's SVG. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

// Progressive enhancement only: every page works without this script. It adds copy buttons, the
// passphrase show/hide toggle, the live byte count, the expiry countdown, an instant theme switch and
// a drop zone for the file input (file-drop.ts), and encrypts secrets, files included, in the
// browser (zk-create.ts, zk-reveal.ts: docs/web.md).
import { markDownloadsStarted } from "./file-download.js";
import { enhanceFileInputs } from "./file-drop.js";
import { keepFragmentForSignIn, keepFragmentThroughSwitch, restoreKeptFragment } from "./keep-fragment.js";
import { secretRequests } from "./requests.js";
import { dropSpentKeys, encryptCreates, showKeptLink } from "./zk-create.js";
import { revealInPage } from "./zk-reveal.js";

document.documentElement.classList.add("js");

function byId<T extends HTMLElement>(id: string | undefined): T | null {
  return id === undefined ? null : (document.getElementById(id) as T | null);
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function bindCopy(root: ParentNode): void {
  for (const button of root.querySelectorAll<HTMLButtonElement>("[data-copy]")) copyOnClick(button);
}

function copyOnClick(button: HTMLButtonElement): void {
  button.addEventListener("click", async () => {
    const source = byId<HTMLInputElement | HTMLTextAreaElement>(button.dataset.copy);
    if (source === null) return;
    // A textarea's value turns every CR into a line break; a read-only one (a revealed secret) still
    // holds the exact text as its default value.
    const exact = source instanceof HTMLTextAreaElement && source.readOnly;
    const copied = await copyText(exact ? source.defaultValue : source.value);
    if (!copied) {
      // No clipboard access (plain HTTP, or refused): select the text so that Ctrl+C is one step.
      source.focus();
      source.select();
      return;
    }
    const label = button.textContent;
    button.textContent = button.dataset.done ?? label;
    button.classList.add("done");
    setTimeout(() => {
      button.textContent = label;
      button.classList.remove("done");
    }, 2000);
  });
}

// Before the copy buttons bind: the receipt's link gains its key first.
showKeptLink();
dropSpentKeys();
bindCopy(document);
enhanceFileInputs();
markDownloadsStarted();
encryptCreates();
secretRequests();
// A link's key kept through a sign-in (keep-fragment.ts) is back before the reveal reads it.
keepFragmentForSignIn();
restoreKeptFragment();
revealInPage(bindCopy);

for (const button of document.querySelectorAll<HTMLButtonElement>("[data-toggle-password]")) {
  const input = byId<HTMLInputElement>(button.dataset.togglePassword);
  if (input === null) continue;
  button.addEventListener("click", () => {
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    button.setAttribute("aria-pressed", String(show));
    button.textContent = (show ? button.dataset.hide : button.dataset.show) ?? "";
    // The spoken name follows the visible text (WCAG 2.5.3).
    const label = show ? button.dataset.labelHide : button.dataset.labelShow;
    if (label !== undefined) button.setAttribute("aria-label", label);
  });
}

const encoder = new TextEncoder();
for (const area of document.querySelectorAll<HTMLTextAreaElement>("textarea[data-max-bytes]")) {
  const max = Number(area.dataset.maxBytes);
  const counter = byId(area.getAttribute("aria-describedby") ?? undefined);
  const template = counter?.dataset.template;
  if (counter === null || template === undefined) continue;
  const number = new Intl.NumberFormat(document.documentElement.lang);
  const update = () => {
    const used = encoder.encode(area.value).length;
    // The server wrote the limit in the template, in the plural form it needs.
    counter.textContent = template.replace("{used}", number.format(used));
    const over = used > max;
    counter.classList.toggle("over", over);
    area.setAttribute("aria-invalid", String(over));
  };
  area.addEventListener("input", update);
  update();
}

const countdowns = document.querySelectorAll<HTMLTimeElement>("time[data-countdown]");
if (countdowns.length > 0) {
  const lang = document.documentElement.lang;
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: "always" });
  // The last hour in minutes and seconds, in the page's language: "in 4 min 59 sec", "dans 4 min 59 s".
  const unit = (name: string) =>
    new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "short" });
  const minutes = unit("minute");
  const seconds = unit("second");
  const clock = (left: number) => {
    const m = Math.floor(left / 60);
    return m === 0 ? seconds.format(left) : `${minutes.format(m)} ${seconds.format(left % 60)}`;
  };
  const tick = () => {
    for (const el of countdowns) {
      const left = Math.floor((Date.parse(el.dateTime) - Date.now()) / 1000);
      if (left <= 0) el.textContent = el.dataset.expired ?? "";
      else if (left >= 86400) el.textContent = relative.format(Math.round(left / 86400), "day");
      else if (left >= 3600) el.textContent = relative.format(Math.round(left / 3600), "hour");
      else el.textContent = (el.dataset.left ?? "{time}").replace("{time}", clock(left));
    }
  };
  tick();
  setInterval(tick, 1000);
}

// The theme button posts a form (so it works without JavaScript); here it applies at once and
// saves the choice in the background.
const CYCLE: Record<string, string> = { auto: "dark", dark: "light", light: "auto" };
let saving: Promise<void> = Promise.resolve();
for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-theme-next]")) {
  const form = button.form;
  if (form === null) continue;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = button.dataset.themeNext ?? "auto";
    const root = document.documentElement;
    if (chosen === "auto") root.removeAttribute("data-theme");
    else root.dataset.theme = chosen;
    const body = new URLSearchParams(new FormData(form) as unknown as Record<string, string>);
    body.set("theme", chosen);
    // One save after the other, so fast clicks cannot leave a different theme saved than shown.
    saving = saving.then(() =>
      fetch(form.action, { method: "POST", body, redirect: "manual", credentials: "same-origin" }).then(
        () => undefined,
        () => undefined,
      ),
    );
    const next = CYCLE[chosen] ?? "auto";
    button.dataset.themeNext = next;
    button.value = next;
    const names = button.dataset;
    const name = (theme: string) => names[`name${theme[0]?.toUpperCase()}${theme.slice(1)}`] ?? theme;
    const label = button.querySelector(".theme-name");
    if (label !== null) label.textContent = name(chosen);
    const aria = names.ariaTemplate;
    if (aria !== undefined) {
      button.setAttribute(
        "aria-label",
        aria.replace("{current}", name(chosen)).replace("{next}", name(next)),
      );
    }
  });
}

// The language menu is not submitted on `change`: with the arrow keys on a closed menu, Windows and
// Linux browsers fire it at every step, so the first arrow would leave the page (WCAG 3.2.2). Its
// button confirms the choice, with or without this script (docs/web.md). A switch that reloads this
// page keeps the address's fragment, a browser-encrypted secret's key (keep-fragment.ts).
keepFragmentThroughSwitch();

// The create form with JavaScript: the text (or a password generated here), and the chosen file with
// its name and type in one content envelope, are encrypted in this tab and only the ciphertext and
// the reveal proof are posted; the key k goes into the link's fragment, kept in sessionStorage for the
// receipt page. Without this script the form posts the text and the file and the server encrypts
// them, as before.

import { encodeEnvelope } from "../src/crypto/envelope.js";
import { encodeKey, newKdf, newKey, type Sealed, seal, sealBytes, toBase64Url } from "../src/crypto/zk.js";
import { generatePassword, type PasswordRules } from "../src/domain/password.js";
import { forget, keep, kept } from "./zk-link.js";

const RECEIPT = /\/receipt\/([^/?#]+)$/;

function fail(form: HTMLFormElement, message: string): void {
  let alert = document.getElementById("form-error");
  if (alert === null) {
    alert = document.createElement("p");
    alert.id = "form-error";
    alert.className = "alert";
    alert.setAttribute("role", "alert");
    form.before(alert);
    form.setAttribute("aria-describedby", "form-error");
  }
  alert.textContent = message;
}

/** What went wrong, read from the page the server answered (the form again, or a message page). */
function problemOf(page: Document, fallback: string): string {
  const found = page.querySelector("#form-error") ?? page.querySelector("main .lead");
  return found?.textContent?.trim() || fallback;
}

interface Rules {
  maxBytes: number;
  fileMaxBytes: number;
  passphraseMin: number;
  passphraseMax: number;
}

function refusal(data: DOMStringMap, text: string, file: File | null, passphrase: string): string | null {
  const rules = JSON.parse(data.zkRules ?? "{}") as Rules;
  const length = [...passphrase].length;
  // With a file, the text is optional.
  if (text === "" && file === null) return data.zkEmpty ?? "";
  if (new TextEncoder().encode(text).length > rules.maxBytes) return data.zkLarge ?? "";
  if (file !== null && file.size > rules.fileMaxBytes) {
    return document.querySelector<HTMLElement>("[data-drop]")?.dataset.tooLarge ?? "";
  }
  if (passphrase !== "" && length < rules.passphraseMin) return data.zkShort ?? "";
  if (length > rules.passphraseMax) return data.zkLong ?? "";
  return null;
}

async function submit(form: HTMLFormElement, button: HTMLButtonElement | null): Promise<void> {
  const data = form.dataset;
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | null;
  const generate = (document.getElementById("mode-generate") as HTMLInputElement | null)?.checked === true;
  const rules = JSON.parse(data.passwordRules ?? "{}") as PasswordRules;
  const text = generate ? generatePassword(rules) : (field("secret")?.value ?? "");
  // A generated password goes alone, as on the server.
  const file = generate ? null : (field("file")?.files?.[0] ?? null);
  const passphrase = field("passphrase")?.value ?? "";
  // The server cannot check a text, a file and a passphrase it never gets: the same rules apply here.
  const problem = refusal(data, text, file, passphrase);
  if (problem !== null) {
    fail(form, problem);
    button?.removeAttribute("disabled");
    return;
  }
  const k = newKey();
  const kdf = passphrase === "" ? null : newKdf();
  const secret = kdf === null ? undefined : { ...kdf, passphrase };
  const { blob, proof } = await sealed(text, file, k, secret);

  // Everything the form holds but the text, the file and the passphrase (the lifetime, the views, the
  // link domain…), plus the ciphertext (as bytes: a file's would grow by a third in base64) and the proof.
  const body = new FormData();
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string" && name !== "secret" && name !== "passphrase") body.append(name, value);
  }
  body.set("zk_blob", new Blob([new Uint8Array(blob)], { type: "application/octet-stream" }), "blob");
  if (file !== null) body.set("zk_file", "1");
  body.set("zk_proof", toBase64Url(proof));
  if (kdf !== null) {
    body.set("zk_salt", toBase64Url(kdf.salt));
    body.set("zk_iterations", String(kdf.iterations));
  }
  const res = await fetch(form.action, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { accept: "application/json" },
  });
  // Made: the server names the receipt, where k is kept for this tab before going there.
  if (res.ok && res.headers.get("content-type")?.startsWith("application/json")) {
    const { receipt } = (await res.json()) as { receipt: string };
    const key = RECEIPT.exec(new URL(receipt, location.href).pathname)?.[1];
    if (key !== undefined) {
      keep(key, { k: encodeKey(k), ...(generate ? { generated: text } : {}) });
      location.assign(receipt);
      return;
    }
  }
  // Refused (expired form, limit, size…): the text stays in the form and the server's words show.
  const page = new DOMParser().parseFromString(await res.text(), "text/html");
  const token = page.querySelector<HTMLInputElement>("form.create input[name=_csrf]")?.value;
  const mine = field("_csrf");
  if (token !== undefined && mine !== null) mine.value = token;
  fail(form, problemOf(page, data.zkFailed ?? ""));
  button?.removeAttribute("disabled");
}

/** The text alone, as before files; with a file, the envelope of both, sealed with the file flag. */
async function sealed(
  text: string,
  file: File | null,
  k: Uint8Array,
  passphrase: Parameters<typeof seal>[2],
): Promise<Sealed> {
  if (file === null) return seal(text, k, passphrase);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const envelope = encodeEnvelope({ text, file: { name: file.name, type: file.type, bytes } });
  return sealBytes(envelope, k, { passphrase, file: true });
}

export function encryptCreates(): void {
  const form = document.querySelector<HTMLFormElement>("form.create[data-zk]");
  if (form === null || globalThis.crypto?.subtle === undefined) return;
  let busy = false;
  // The submit event comes after the browser's own checks (a required passphrase, the e-mail field).
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    button?.setAttribute("disabled", "");
    submit(form, button)
      .catch(() => {
        fail(form, form.dataset.zkFailed ?? "");
        button?.removeAttribute("disabled");
      })
      .finally(() => {
        busy = false;
      });
  });
}

/** The receipt of a client-encrypted secret: the full link (and a generated password once) from this tab. */
export function showKeptLink(): void {
  const share = document.querySelector<HTMLElement>("[data-zk-receipt]");
  const receipt = share?.dataset.zkReceipt;
  if (share === null || receipt === undefined) return;
  const saved = kept(receipt);
  if (saved === null) return;
  const input = document.getElementById("share-link") as HTMLInputElement | null;
  if (input === null) return;
  input.value = `${input.defaultValue}#${saved.k}`;
  for (const missing of share.querySelectorAll<HTMLElement>(".zk-missing")) missing.hidden = true;
  const template = document.getElementById("zk-generated") as HTMLTemplateElement | null;
  if (saved.generated !== undefined && template !== null) {
    const box = template.content.cloneNode(true) as DocumentFragment;
    const input = box.querySelector<HTMLInputElement>("#generated");
    if (input !== null) input.value = saved.generated;
    template.replaceWith(box);
    // Shown once, as the server does with its own generated passwords.
    keep(receipt, { k: saved.k });
  }
}

/** A receipt that is no longer live needs its key no more. */
export function dropSpentKeys(): void {
  for (const el of document.querySelectorAll<HTMLElement>("[data-zk-spent]")) {
    if (el.dataset.zkSpent !== undefined) forget(el.dataset.zkSpent);
  }
}

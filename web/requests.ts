// Secret requests (docs/requests.md): the requester's key pair is made here and its private half
// only ever goes into the requester link's fragment; a sender's answer is sealed here to the request
// link's fragment key (never the server's copy); the requester's page derives each answer's key from
// its own fragment and opens the answer through the zero-knowledge reveal.
import {
  answerKey,
  decodePrivateKey,
  decodePublicKey,
  encodeRequestKey,
  newRequesterKeys,
  openAnswerKey,
} from "../src/crypto/request-key.js";
import { fromBase64Url, open, proofFor, seal, toBase64Url } from "../src/crypto/zk.js";

function alertBefore(el: HTMLElement, message: string): void {
  let alert = el.previousElementSibling;
  if (!(alert instanceof HTMLParagraphElement) || !alert.classList.contains("alert")) {
    alert = document.createElement("p");
    (alert as HTMLElement).className = "alert";
    (alert as HTMLElement).setAttribute("role", "alert");
    el.before(alert);
  }
  (alert as HTMLElement).textContent = message;
}

async function post(
  action: string,
  body: URLSearchParams,
): Promise<{ ok: boolean; data: Record<string, unknown> }> {
  const res = await fetch(action, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { accept: "application/json" },
  });
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { ok: res.ok, data };
}

function onSubmit(form: HTMLFormElement, run: () => Promise<void>): void {
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
  button?.removeAttribute("disabled");
  let busy = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    button?.setAttribute("disabled", "");
    run()
      .catch(() => alertBefore(form, form.dataset.failed ?? ""))
      .finally(() => {
        busy = false;
        button?.removeAttribute("disabled");
      });
  });
}

function makeRequests(): void {
  const form = document.querySelector<HTMLFormElement>("form[data-request-new]");
  if (form === null) return;
  onSubmit(form, async () => {
    const keys = await newRequesterKeys();
    const body = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === "string") body.append(name, value);
    body.set("public_key", encodeRequestKey(keys.publicKey));
    const { ok, data } = await post(form.action, body);
    if (!ok) return alertBefore(form, String(data.error || form.dataset.failed || ""));
    const link = (path: unknown, key: Uint8Array) =>
      `${new URL(String(path), location.href).href}#${encodeRequestKey(key)}`;
    const request = document.getElementById("request-link") as HTMLInputElement | null;
    const requester = document.getElementById("requester-link") as HTMLInputElement | null;
    if (request === null || requester === null) return;
    request.value = link(data.request, keys.publicKey);
    requester.value = link(data.requester, keys.privateKey);
    const links = document.getElementById("request-links");
    if (links !== null) links.hidden = false;
    form.reset();
  });
}

function answerRequests(): void {
  const form = document.querySelector<HTMLFormElement>("form[data-request-answer]");
  if (form === null) return;
  onSubmit(form, async () => {
    let requester: Uint8Array;
    try {
      requester = decodePublicKey(location.hash);
    } catch {
      return alertBefore(form, form.dataset.badKey ?? "");
    }
    const text = (form.elements.namedItem("secret") as HTMLTextAreaElement).value;
    const { k, senderKey } = await answerKey(requester);
    const { blob, proof } = await seal(text, k);
    const body = new URLSearchParams();
    body.set("_csrf", (form.elements.namedItem("_csrf") as HTMLInputElement).value);
    body.set("zk_blob", toBase64Url(blob));
    body.set("zk_proof", toBase64Url(proof));
    body.set("sender_key", encodeRequestKey(senderKey));
    const { ok, data } = await post(form.action, body);
    if (!ok) return alertBefore(form, String(data.error || form.dataset.failed || ""));
    const sent = document.getElementById("answer-sent");
    if (sent !== null) sent.hidden = false;
    form.remove();
  });
}

function openAnswers(): void {
  const list = document.querySelector<HTMLElement>("[data-requester]");
  if (list === null) return;
  const failed = list.dataset.failed ?? "";
  for (const button of list.querySelectorAll<HTMLButtonElement>("button[data-open-answer]")) {
    const item = button.closest<HTMLElement>("[data-secret]");
    if (item === null) continue;
    button.removeAttribute("disabled");
    button.addEventListener("click", async () => {
      button.setAttribute("disabled", "");
      try {
        const k = await openAnswerKey(
          decodePrivateKey(location.hash),
          fromBase64Url(item.dataset.sender ?? ""),
        );
        const body = new URLSearchParams({
          _csrf: list.dataset.csrf ?? "",
          zk_proof: toBase64Url(await proofFor(k)),
          secret: item.dataset.secret ?? "",
        });
        const { ok, data } = await post(location.pathname, body);
        if (!ok || typeof data.blob !== "string") throw new Error(String(data.error ?? ""));
        const area = item.querySelector<HTMLTextAreaElement>("textarea");
        if (area === null) return;
        area.defaultValue = await open(fromBase64Url(data.blob), k);
        area.hidden = false;
        area.labels?.forEach((label) => {
          label.hidden = false;
        });
        button.remove();
      } catch {
        alertBefore(button, failed);
        button.removeAttribute("disabled");
      }
    });
  }
}

export function secretRequests(): void {
  if (globalThis.crypto?.subtle === undefined) return;
  makeRequests();
  answerRequests();
  openAnswers();
}

// Opening a client-encrypted link: the confirmation page is the server's (a GET consumes nothing);
// on "Reveal", this script derives the reveal proof from the link's fragment (and the passphrase),
// posts only the proof, decrypts the ciphertext it gets back, shows the text (and a file's name and
// size with a link that saves it, file-download.ts) and takes the key out of the address bar. A missing or wrong key, or a wrong passphrase, is refused before anything is
// consumed: the right link still works.
import { decodeEnvelope, type FileContent } from "../src/crypto/envelope.js";
import {
  decodeKey,
  fromBase64Url,
  open,
  openBytes,
  type Passphrase,
  proofFor,
  toBase64Url,
} from "../src/crypto/zk.js";
import { offerFile } from "./file-download.js";

interface Answer {
  blob?: string;
  /** The blob seals a content envelope: a text and a file. */
  file?: boolean;
  text?: string;
  /** The views the link allows after this one (0: it was the last). */
  viewsLeft?: number;
  error?: string;
  code?: string;
}

export function revealInPage(bindCopy: (root: ParentNode) => void): void {
  const form = document.querySelector<HTMLFormElement>("form.reveal[data-zk-reveal]");
  if (form === null) return;
  // Read once: the fragment is the key, and it leaves the address bar after the reveal.
  const fragment = location.hash.slice(1);
  const data = form.dataset;
  const kdf =
    data.zkSalt === undefined
      ? null
      : { salt: fromBase64Url(data.zkSalt), iterations: Number(data.zkIterations) };
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]");

  const fail = (message: string) => {
    let alert = document.getElementById("reveal-error");
    if (alert === null) {
      alert = document.createElement("p");
      alert.id = "reveal-error";
      alert.className = "alert";
      alert.setAttribute("role", "alert");
      form.before(alert);
    }
    alert.textContent = message;
    button?.removeAttribute("disabled");
  };

  const show = (text: string, viewsLeft: number, file: FileContent | null = null) => {
    const template = document.getElementById("zk-revealed") as HTMLTemplateElement | null;
    const main = document.getElementById("main");
    if (template === null || main === null) return;
    main.replaceChildren(template.content.cloneNode(true));
    const area = document.getElementById("revealed") as HTMLTextAreaElement | null;
    if (area !== null) {
      area.defaultValue = text;
      area.rows = Math.min(Math.max(text.split("\n").length, 2), 16);
    }
    if (file !== null) {
      offerFile(main, file);
      // A file sent without a text shows the file alone, as the server's page does.
      const textCard = main.querySelector<HTMLElement>(".revealed-text");
      if (textCard !== null && text === "") textCard.hidden = true;
    }
    // The template says "last view"; a link with views left says how many, in the page's words.
    const line = document.getElementById("revealed-views");
    if (line !== null && viewsLeft > 0) {
      // One data-more-<category> per plural form of the page's language (the server's catalogue).
      const lang = document.documentElement.lang;
      const category = new Intl.PluralRules(lang).select(viewsLeft);
      const form = line.getAttribute(`data-more-${category}`) ?? line.getAttribute("data-more-other");
      const words =
        viewsLeft === 1
          ? line.dataset.one
          : form?.replace("{count}", new Intl.NumberFormat(lang).format(viewsLeft));
      line.textContent = words ?? line.textContent;
    }
    bindCopy(main);
    // Screen readers and the keyboard start from the revealed page, as after a page load.
    main.focus();
    document.title = template.dataset.title ?? document.title;
    // The key leaves the address bar and the history entry; a reload then shows "not available".
    history.replaceState(null, "", location.pathname + location.search);
    // As on the server's revealed page: the switchers open a new tab instead of leaving this copy.
    for (const f of document.querySelectorAll<HTMLFormElement>("form.switch")) {
      f.target = "_blank";
      const next = f.elements.namedItem("next") as HTMLInputElement | null;
      if (next !== null) next.value = "/";
    }
  };

  const reveal = async () => {
    let k: Uint8Array;
    try {
      k = decodeKey(fragment);
    } catch {
      fail((fragment === "" ? data.zkNoKey : data.zkBadKey) ?? "");
      return;
    }
    const input = form.elements.namedItem("passphrase") as HTMLInputElement | null;
    const passphrase: Passphrase | undefined =
      kdf === null ? undefined : { ...kdf, passphrase: input?.value ?? "" };
    const proof = await proofFor(k, passphrase);
    const body = new URLSearchParams();
    body.set("_csrf", (form.elements.namedItem("_csrf") as HTMLInputElement | null)?.value ?? "");
    body.set("zk_proof", toBase64Url(proof));
    const res = await fetch(form.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { accept: "application/json" },
    });
    // Gone meanwhile (read, burned, expired): the server's own page says so.
    if (res.status === 404) {
      location.replace(location.pathname + location.search);
      return;
    }
    const answer = (await res.json()) as Answer;
    const viewsLeft = answer.viewsLeft ?? 0;
    if (answer.text !== undefined) {
      show(answer.text, viewsLeft);
      return;
    }
    if (answer.blob === undefined) {
      fail((answer.code === "wrong_passphrase" ? data.zkWrong : answer.error) ?? "");
      return;
    }
    const blob = blobBytes(answer.blob);
    if (answer.file !== true) {
      show(await open(blob, k, passphrase), viewsLeft);
      return;
    }
    // The envelope is checked as the server would check its own: a malformed one is refused.
    const { text, file } = decodeEnvelope(await openBytes(blob, k, { passphrase, file: true }));
    show(text, viewsLeft, file);
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (button?.hasAttribute("disabled")) return;
    button?.setAttribute("disabled", "");
    reveal().catch(() => fail(data.zkFailed ?? ""));
  });
}

/**
 * The blob's bytes. atob is the browser's own decoder: a 5 MiB file's blob in about 0.1 s, where the
 * format module's strict loop takes four times as long. Strictness adds nothing here: AES-GCM then
 * authenticates every byte, and a blob that does not decode is a failed reveal either way.
 */
function blobBytes(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

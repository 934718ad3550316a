// Saving a revealed file. A client-encrypted secret's file was decrypted in this page: it becomes a
// link to a Blob of type application/octet-stream (whatever type the sender's browser gave it, so
// nothing renders it) with the `download` attribute set to its cleaned name, which saves it and
// never opens it. A server secret's file is one POST away (its pickup, downloaded once): after the
// press, its button is disabled and says the download has started, since a second one cannot work.
import type { FileContent } from "../src/crypto/envelope.js";
import { fileSize } from "../src/i18n/file-size.js";

/** Shows the file section of the revealed page (filled from the template) for `file`. */
export function offerFile(root: HTMLElement, file: FileContent): void {
  const section = root.querySelector<HTMLElement>(".revealed-file");
  const link = root.querySelector<HTMLAnchorElement>("#file-download");
  if (section === null || link === null) return;
  const name = root.querySelector("#file-name");
  const size = root.querySelector("#file-size");
  if (name !== null) name.textContent = file.name;
  if (size !== null) size.textContent = fileSize(file.bytes.length, document.documentElement.lang);
  const url = URL.createObjectURL(
    new Blob([new Uint8Array(file.bytes)], { type: "application/octet-stream" }),
  );
  link.href = url;
  link.download = file.name;
  // The bytes stay in this page only as long as it is open.
  window.addEventListener("pagehide", () => URL.revokeObjectURL(url), { once: true });
  section.hidden = false;
}

export function markDownloadsStarted(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>("form.download")) {
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    form.addEventListener("submit", () => {
      // After the browser has taken the submission: disabling the button first would cancel it.
      setTimeout(() => {
        button?.setAttribute("disabled", "");
        const hint = document.getElementById("download-hint");
        if (hint !== null && button?.dataset.started !== undefined) hint.textContent = button.dataset.started;
      }, 0);
    });
  }
}

// The create form's file input, enhanced: its box takes a dropped file (into the same input, so the
// form sends it exactly as if it had been chosen), the chosen file is named with its size, one over
// FILE_MAX_BYTES is refused before anything is sent (the browser's own validity message, so the
// form cannot be submitted with it), and a button removes it. The input itself stays as it is:
// reachable and usable from the keyboard, and the whole feature without this script.
import { fileSize } from "../src/i18n/file-size.js";

export function enhanceFileInputs(): void {
  for (const zone of document.querySelectorAll<HTMLElement>("[data-drop]")) enhance(zone);
}

function enhance(zone: HTMLElement): void {
  const input = zone.querySelector<HTMLInputElement>("input[type=file]");
  if (input === null) return;
  const data = zone.dataset;
  const max = Number(data.maxBytes);
  const locale = data.locale ?? document.documentElement.lang;
  const chosen = document.getElementById("file-chosen");
  const clear = document.querySelector<HTMLButtonElement>(`[data-clear-file="${input.id}"]`);

  const describe = () => {
    const file = input.files?.[0];
    const size = file === undefined ? "" : fileSize(file.size, locale);
    const tooLarge = file !== undefined && file.size > max;
    // An empty message makes the input valid again.
    input.setCustomValidity(tooLarge ? (data.tooLarge ?? "") : "");
    if (chosen !== null) {
      chosen.textContent =
        file === undefined
          ? ""
          : tooLarge
            ? (data.tooLarge ?? "")
            : (data.chosen ?? "{name} ({size})").replace("{name}", file.name).replace("{size}", size);
      chosen.classList.toggle("over", tooLarge);
    }
    if (clear !== null) clear.hidden = file === undefined;
  };

  input.addEventListener("change", describe);
  clear?.addEventListener("click", () => {
    input.value = "";
    describe();
    input.focus();
  });

  const over = (on: boolean) => zone.classList.toggle("over", on);
  zone.addEventListener("dragover", (event) => {
    if (!event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    over(true);
  });
  zone.addEventListener("dragleave", (event) => {
    if (!zone.contains(event.relatedTarget as Node | null)) over(false);
  });
  zone.addEventListener("drop", (event) => {
    const file = event.dataTransfer?.files[0];
    if (file === undefined) return;
    event.preventDefault();
    over(false);
    // One file per secret: the first one dropped goes into the input, as if it had been chosen.
    const one = new DataTransfer();
    one.items.add(file);
    input.files = one.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  // A file dropped beside the box would make the browser leave the page, and the form with it.
  for (const type of ["dragover", "drop"] as const) {
    window.addEventListener(type, (event) => {
      if (event.dataTransfer?.types.includes("Files") && !zone.contains(event.target as Node)) {
        event.preventDefault();
      }
    });
  }
  // Back on a page the browser kept (history), the input may still hold a file.
  describe();
}

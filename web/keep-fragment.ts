// A client-encrypted link opened signed out under READ_POLICY=signed-in goes to /signin?next=/secret/…
// with its key in the fragment. The browser carries the fragment over that redirect, but not through
// the sign-in form's POST nor the single sign-on round trip, so the sign-in page keeps it in this
// tab's sessionStorage under the secret's path, and the secret page puts it back in the address bar
// before zk-reveal.ts reads it. The fragment never leaves the browser: it is in no request.

const PREFIX = "onetime.next.";
/** A kept fragment waits this long for its sign-in. */
const LIFETIME_MS = 15 * 60 * 1000;
/** The most a tab keeps at once; the oldest go first. */
const MOST = 4;

interface Held {
  fragment: string;
  at: number;
}

function read(slot: string): Held | null {
  try {
    const raw = sessionStorage.getItem(slot);
    if (raw === null) return null;
    const value = JSON.parse(raw) as Held;
    return typeof value.fragment === "string" && typeof value.at === "number" ? value : null;
  } catch {
    return null;
  }
}

/** Drops the stale ones and all but the newest `room`. */
function prune(room: number): void {
  const held: { slot: string; at: number }[] = [];
  for (let i = 0; i < sessionStorage.length; i++) {
    const slot = sessionStorage.key(i);
    if (slot === null || !slot.startsWith(PREFIX)) continue;
    const value = read(slot);
    held.push({ slot, at: value === null || Date.now() - value.at > LIFETIME_MS ? 0 : value.at });
  }
  held.sort((a, b) => b.at - a.at);
  for (const [index, { slot, at }] of held.entries()) {
    if (at === 0 || index >= room) sessionStorage.removeItem(slot);
  }
}

/** The secret's path a sign-in page returns to, or null when `next` is not a secret. */
function secretTarget(): string | null {
  const next = new URLSearchParams(location.search).get("next");
  if (next === null || !next.startsWith("/secret/")) return null;
  const target = new URL(next, location.origin);
  return target.origin === location.origin ? target.pathname : null;
}

/** On the sign-in page: keeps the fragment for the secret it returns to. */
export function keepFragmentForSignIn(): void {
  if (location.pathname !== "/signin" || location.hash.length <= 1) return;
  const target = secretTarget();
  if (target === null) return;
  try {
    prune(MOST - 1);
    const held: Held = { fragment: location.hash.slice(1), at: Date.now() };
    sessionStorage.setItem(PREFIX + target, JSON.stringify(held));
  } catch {
    // Storage refused (private mode, quota): the secret page then says the key is missing.
    return;
  }
  // Kept: the key leaves this page's address bar and history entry.
  history.replaceState(history.state, "", location.pathname + location.search);
}

/** On a secret page without a fragment: puts back the one kept for it, once. */
export function restoreKeptFragment(): void {
  if (!location.pathname.startsWith("/secret/") || location.hash.length > 1) return;
  try {
    prune(MOST);
    const slot = PREFIX + location.pathname;
    const held = read(slot);
    if (held === null) return;
    sessionStorage.removeItem(slot);
    history.replaceState(history.state, "", `${location.pathname}${location.search}#${held.fragment}`);
  } catch {
    // Nothing kept, nothing to restore.
  }
}

/**
 * The language switcher posts to /prefs, which redirects back to this page: without help the
 * fragment (the key of a browser-encrypted secret on /secret/<id>#<key>, the private key on
 * /requester/<m>#<key>) is lost and the page can no longer open its secret. The form's action gains
 * this page's fragment just before it is sent: a browser never sends a fragment, and a redirect whose
 * address has none keeps the request's (Fetch standard, RFC 9110 §10.2.2), so the page comes back
 * with it. Nothing is stored. Only for a switch that comes back to this very page in this tab: after
 * a reveal the switchers open the home page in a new tab, and the theme button, which saves in the
 * background (app.ts), never leaves the page at all.
 */
export function keepFragmentThroughSwitch(): void {
  // On the window: after the form's own listeners, so a submit they took over is left alone.
  window.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !form.matches("form.switch")) return;
    const next = form.elements.namedItem("next");
    const action = new URL(form.action, location.href);
    action.hash = "";
    if (
      location.hash.length > 1 &&
      form.target !== "_blank" &&
      next instanceof HTMLInputElement &&
      new URL(next.value, location.href).pathname === location.pathname
    ) {
      action.hash = location.hash;
    }
    form.action = action.href;
  });
}

import type { Assets } from "./assets.js";
import { type Html, html } from "./html.js";
import type { Messages } from "./i18n.js";

export type Theme = "auto" | "light" | "dark";

/** Everything a page template needs besides its own data. */
export interface View {
  m: Messages;
  t: Messages["t"];
  /** Every locale with its own name, for the switcher. */
  locales: { code: string; name: string }[];
  theme: Theme;
  /** The CSRF token every form carries. */
  csrf: string;
  /** The current path, where the switchers come back to. */
  path: string;
  /** A link to `path` that keeps an explicit `?locale=` of this request. */
  href(path: string): string;
  assets: Assets;
  now: number;
  /**
   * On a page that cannot be loaded again (a revealed secret), the switchers open a new tab so
   * that changing the language or theme does not throw the only copy of the secret away.
   */
  preserve?: boolean;
}

const NEXT_THEME: Record<Theme, Theme> = { auto: "dark", dark: "light", light: "auto" };

export function csrfField(view: View): Html {
  return html`<input type="hidden" name="_csrf" value="${view.csrf}">`;
}

export function layout(view: View, { title, main }: { title: string; main: Html }): Html {
  const { t } = view;
  const next = NEXT_THEME[view.theme];
  const target = view.preserve && html` target="_blank"`;
  return html`<!doctype html>
<html lang="${view.m.locale}"${view.theme === "auto" ? "" : html` data-theme="${view.theme}"`}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="color-scheme" content="light dark">
<title>${title} · ${t("site.name")}</title>
<link rel="icon" href="${view.assets.url("icon.svg")}" type="image/svg+xml">
<link rel="stylesheet" href="${view.assets.url("app.css")}">
<script src="${view.assets.url("app.js")}" defer></script>
</head>
<body>
<a class="skip" href="#main">${t("layout.skip")}</a>
<header class="bar">
  <a class="brand" href="${view.href("/")}"><img src="${view.assets.url("icon.svg")}" alt="" width="24" height="24"> ${t("site.name")}</a>
  <div class="switchers">
    <form method="post" action="/prefs" class="switch"${target} aria-label="${t("layout.language")}">
      ${csrfField(view)}<input type="hidden" name="next" value="${view.path}">
      ${view.locales.map((l) =>
        l.code === view.m.locale
          ? html`<span class="current" lang="${l.code}" aria-current="true">${l.name}</span>`
          : html`<button type="submit" name="locale" value="${l.code}" lang="${l.code}">${l.name}</button>`,
      )}
    </form>
    <form method="post" action="/prefs" class="switch"${target}>
      ${csrfField(view)}<input type="hidden" name="next" value="${view.path}">
      <button type="submit" name="theme" value="${next}" class="theme" data-theme-next="${next}"
        data-name-auto="${t("theme.auto")}" data-name-light="${t("theme.light")}" data-name-dark="${t("theme.dark")}"
        data-aria-template="${t("layout.theme", { current: "{current}", next: "{next}" })}"
        aria-label="${t("layout.theme", { current: t(`theme.${view.theme}`), next: t(`theme.${next}`) })}">
        <span aria-hidden="true">◐</span> <span class="theme-name">${t(`theme.${view.theme}`)}</span></button>
    </form>
  </div>
</header>
<main id="main" tabindex="-1">
${main}
</main>
<footer class="foot"><p>${t("layout.footer")}</p></footer>
</body>
</html>
`;
}

import { type Brand, localized } from "../../branding/brand.js";
import { direction } from "../../i18n/direction.js";
import type { Messages } from "../../i18n/i18n.js";
import type { Assets } from "./assets.js";
import { type Html, html } from "./html.js";

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
  /** The brand of the host the request came to (branding/brand.ts): PLAIN_BRAND without BRAND_FILE. */
  brand: Brand;
  now: number;
  /** The signed-in account's address, or null. */
  account: string | null;
  /** The signed-in account is an admin: the header links to /admin. */
  admin?: boolean;
  /**
   * Which account links the header offers: none without AUTH_ENABLED; sign-up only with AUTH_SIGNUP;
   * sign-in only where someone can have a web password (see plugin.ts).
   */
  auth: { enabled: boolean; signup: boolean; signin: boolean };
  /** A message about what just happened (after a redirect), shown above the page. */
  notice?: string;
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

/** The site's name as the pages show it: the brand's, else the catalogue's. */
export function siteName(view: View): string {
  return view.brand.name ?? view.t("site.name");
}

/** A brand text (BRAND_FILE `texts`) in the page's language, or null when the brand sets none. */
export function brandText(view: View, key: keyof Brand["texts"]): string | null {
  return localized(view.brand.texts[key], view.m.locale);
}

export function layout(
  view: View,
  {
    title,
    main,
    wide = false,
  }: { title: string; main: Html /** For tables: a wider column. */; wide?: boolean },
): Html {
  const { t, brand } = view;
  const name = siteName(view);
  const nextTheme = NEXT_THEME[view.theme];
  // From a revealed secret, the new tab goes home: its own address would only say "not available".
  const next = view.preserve ? "/" : view.path;
  const target = view.preserve && html` target="_blank"`;
  return html`<!doctype html>
<html lang="${view.m.locale}" dir="${direction(view.m.locale)}"${view.theme === "auto" ? "" : html` data-theme="${view.theme}"`}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="color-scheme" content="light dark">
<title>${title} · ${name}</title>
<link rel="icon" href="${view.assets.url("icon.svg")}" type="image/svg+xml">
<link rel="stylesheet" href="${view.assets.url("app.css")}" integrity="${view.assets.integrity("app.css")}">${
    brand.stylesheet &&
    html`
<link rel="stylesheet" href="/assets/${brand.stylesheet.hashedName}" integrity="${brand.stylesheet.integrity}">`
  }
<script src="${view.assets.url("app.js")}" integrity="${view.assets.integrity("app.js")}" defer></script>
</head>
<body>
<a class="skip" href="#main">${t("layout.skip")}</a>
<header class="bar">
  <a class="brand" href="${view.href("/")}">${brandMark(view, name)}</a>
  ${view.auth.enabled && nav(view)}
  <div class="switchers">
    <form method="post" action="/prefs" class="switch language"${target}>
      ${csrfField(view)}<input type="hidden" name="next" value="${next}">
      <label for="language-menu">${t("layout.language")}</label>
      <select id="language-menu" name="locale">
        ${view.locales.map(
          (l) =>
            html`<option value="${l.code}" lang="${l.code}" dir="${direction(l.code)}"${l.code === view.m.locale && html` selected`}>${l.name}</option>`,
        )}
      </select>
      <button type="submit">${t("layout.language.submit")}</button>
    </form>
    <form method="post" action="/prefs" class="switch"${target}>
      ${csrfField(view)}<input type="hidden" name="next" value="${next}">
      <button type="submit" name="theme" value="${nextTheme}" class="theme" data-theme-next="${nextTheme}"
        data-name-auto="${t("theme.auto")}" data-name-light="${t("theme.light")}" data-name-dark="${t("theme.dark")}"
        data-aria-template="${t("layout.theme", { current: "{current}", next: "{next}" })}"
        aria-label="${t("layout.theme", { current: t(`theme.${view.theme}`), next: t(`theme.${nextTheme}`) })}">
        <span aria-hidden="true">◐</span> <span class="theme-name">${t(`theme.${view.theme}`)}</span></button>
    </form>
  </div>
</header>
<main id="main" tabindex="-1"${wide && html` class="wide"`}>
${view.notice && html`<p class="notice" role="status">${view.notice}</p>`}
${main}
</main>
<footer class="foot"><p>${localized(brand.footer, view.m.locale) ?? t("layout.footer")}</p>${footLinks(view)}</footer>
</body>
</html>
`;
}

/**
 * The header's mark and name: the built-in icon, or the brand's logo. The logo's alt text is the name
 * and the visible name beside it is hidden from screen readers, so that the link is named once.
 */
function brandMark(view: View, name: string): Html {
  const { logo } = view.brand;
  if (logo === null)
    return html`<img src="${view.assets.url("icon.svg")}" alt="" width="24" height="24"> ${name}`;
  return html`<img class="logo" src="/assets/${logo.hashedName}" alt="${name}"> <span aria-hidden="true">${name}</span>`;
}

/** The brand's footer links, then its support link; nothing without either. */
function footLinks(view: View): Html | false {
  const { links, support } = view.brand;
  if (links.length === 0 && support === null) return false;
  return html`
<ul class="foot-links">
${links.map((l) => html`<li><a href="${l.href}">${localized(l.label, view.m.locale) ?? l.href}</a></li>`)}
${support !== null && html`<li><a href="${support}">${view.t("layout.support")}</a></li>`}
</ul>`;
}

/**
 * The account links: sign in / sign up (those that can be used; none at all when neither can), or
 * dashboard / account / sign out (a POST, CSRF-checked).
 */
function nav(view: View): Html | false {
  const { t } = view;
  const link = (path: string, label: string, extra = "") =>
    html`<a href="${view.href(path)}"${extra && html` class="${extra}"`}${view.path === path && html` aria-current="page"`}>${label}</a>`;
  if (view.account !== null) {
    return html`<nav class="nav" aria-label="${t("nav.label")}">
    ${link("/dashboard", t("nav.dashboard"))}
    ${link("/account", t("nav.account"))}
    ${view.admin === true && link("/admin", t("nav.admin"))}
    <form method="post" action="/signout" class="signout">${csrfField(view)}<button type="submit">${t("nav.signout")}</button></form>
  </nav>`;
  }
  if (!view.auth.signin && !view.auth.signup) return false;
  return html`<nav class="nav" aria-label="${t("nav.label")}">
    ${view.auth.signin && link("/signin", t("nav.signin"))}
    ${view.auth.signup && link("/signup", t("nav.signup"), "button primary")}
  </nav>`;
}

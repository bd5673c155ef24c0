//! The frame around every page: skip link, header with navigation (a menu on phones),
//! language switcher, theme toggle and the account corner, and the footer with the legal
//! links.

use crate::{
    components::account_menu::{AccountArea, HeaderBalance, close_menu, close_on_escape},
    i18n::{Locale, t, use_locale},
    site::Theme,
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Filled in by the account corner as the header renders, before the page's content:
    // pages (the workbench) keep the credits shown current through it.
    let balance = HeaderBalance(RwSignal::new(None));
    provide_context(balance);
    view! {
        <a class="skip-link" href="#main">
            {t("nav-skip")}
        </a>
        // Above everything else, in the flow of the page: it covers nothing while it asks.
        <crate::components::consent::ConsentBanner />
        <SiteHeader balance />
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <Footer />
    }
}

#[component]
fn SiteHeader(balance: HeaderBalance) -> impl IntoView {
    let locale = use_locale();
    let href = move |page: &str| locale.path(page);
    view! {
        <header class="site-header">
            <div class="container header-row">
                <a class="brand" href=href("/") aria-label=t("brand-home")>
                    <img src="/favicon.svg" width="28" height="28" alt="" />
                    <span>"banana nano"</span>
                </a>
                <nav class="primary-nav" aria-label=t("nav-primary")>
                    <a href=href("/workbench")>{t("nav-workbench")}</a>
                    <a href=href("/pricing")>{t("nav-pricing")}</a>
                </nav>
                <div class="header-actions">
                    <LanguageSwitcher />
                    <ThemeToggle />
                    <AccountArea balance />
                    <PhoneMenu signed_in=Signal::derive(move || balance.0.get().is_some()) />
                </div>
            </div>
        </header>
    }
    .into_any()
}

/// The main navigation on screens too narrow for it in the header: a menu button that
/// opens it (a `<details>`, so it works without JavaScript too).
#[component]
fn PhoneMenu(signed_in: Signal<bool>) -> impl IntoView {
    let locale = use_locale();
    let details = NodeRef::<leptos::html::Details>::new();
    let link = move |page: &'static str, key: &'static str| {
        view! {
            <li>
                <a href=locale.path(page) on:click=close_menu(details)>
                    {t(key)}
                </a>
            </li>
        }
    };
    view! {
        <details class="phone-menu menu" node_ref=details on:keydown=close_on_escape(details)>
            <summary class="icon-button" aria-label=t("nav-menu") title=t("nav-menu")>
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path d="M4 7h16M4 12h16M4 17h16" />
                </svg>
            </summary>
            <nav class="menu-panel phone-panel" aria-label=t("nav-menu")>
                <ul class="menu-links">
                    {link("/workbench", "nav-workbench")}
                    {link("/pricing", "nav-pricing")}
                    {link("/support", "nav-support")}
                    {(!signed_in.get_untracked()).then(|| link("/sign-up", "nav-sign-up"))}
                </ul>
            </nav>
        </details>
    }
}

/// The current page's path inside its locale (`/zh-CN/pricing` → `/pricing`), following
/// client-side navigation.
fn use_page_path() -> Signal<String> {
    let location = use_location();
    Signal::derive(move || Locale::split_path(&location.pathname.get()).1.to_string())
}

/// Percent-encodes a path for use as a query value.
fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Links to the current page in every locale. Each goes through `/lang/<tag>`, which
/// remembers the choice in a cookie and redirects to the same page in that language.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let current = use_locale();
    let page = use_page_path();
    let links = Locale::ALL
        .into_iter()
        .map(|locale| {
            let href = move || {
                format!(
                    "/lang/{}?to={}",
                    locale.tag(),
                    encode_query_value(&page.get())
                )
            };
            view! {
                <li>
                    <a
                        href=href
                        hreflang=locale.tag()
                        lang=locale.tag()
                        rel="external"
                        aria-current=(locale == current).then_some("true")
                    >
                        {locale.native_name()}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="lang-switcher" aria-label=t("nav-language")>
            <ul>{links}</ul>
        </nav>
    }
}

/// Switches between light and dark. Without JavaScript it is a form posting to
/// `/prefs/theme`; once hydrated it flips the theme in place. Either way the choice is kept
/// in the `theme` cookie, so the server renders the right theme and nothing flashes.
#[component]
fn ThemeToggle() -> impl IntoView {
    let page = use_page_path();
    let locale = use_locale();
    let choose = move |theme: Theme| {
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            apply_theme(theme);
        }
    };
    view! {
        <form class="theme-toggle" method="post" action="/prefs/theme">
            <input type="hidden" name="to" value=move || locale.path(&page.get()) />
            <button
                type="submit"
                name="theme"
                value="dark"
                class="icon-button to-dark"
                title=t("theme-to-dark")
                aria-label=t("theme-to-dark")
                on:click=choose(Theme::Dark)
            >
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path d="M20 14.5A8.5 8.5 0 0 1 9.5 4a8.5 8.5 0 1 0 10.5 10.5z" />
                </svg>
            </button>
            <button
                type="submit"
                name="theme"
                value="light"
                class="icon-button to-light"
                title=t("theme-to-light")
                aria-label=t("theme-to-light")
                on:click=choose(Theme::Light)
            >
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <circle cx="12" cy="12" r="4.5" />
                    <path d="M12 1.5v3M12 19.5v3M1.5 12h3M19.5 12h3M4.6 4.6l2.1 2.1M17.3 17.3l2.1 2.1M4.6 19.4l2.1-2.1M17.3 6.7l2.1-2.1" />
                </svg>
            </button>
        </form>
    }
}

/// Applies a theme in the browser and remembers it for a year.
fn apply_theme(theme: Theme) {
    use leptos::wasm_bindgen::JsCast;
    let document = document();
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
    if let Ok(document) = document.dyn_into::<web_sys::HtmlDocument>() {
        let _ = document.set_cookie(&format!(
            "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            Theme::COOKIE,
            theme.as_str()
        ));
    }
}

#[component]
fn Footer() -> impl IntoView {
    let locale = use_locale();
    let href = move |page: &str| locale.path(page);
    view! {
        <footer class="site-footer">
            <div class="container footer-grid">
                <div class="footer-brand">
                    <p class="brand">
                        <img src="/favicon.svg" width="24" height="24" alt="" />
                        <span>"banana nano"</span>
                    </p>
                    <p class="muted">{t("footer-tagline")}</p>
                </div>
                <nav aria-label=t("footer-product")>
                    <h2>{t("footer-product")}</h2>
                    <ul>
                        <li><a href=href("/workbench")>{t("nav-workbench")}</a></li>
                        <li><a href=href("/pricing")>{t("nav-pricing")}</a></li>
                        <li><a href=href("/support")>{t("footer-support")}</a></li>
                    </ul>
                </nav>
                <nav aria-label=t("footer-legal")>
                    <h2>{t("footer-legal")}</h2>
                    <ul>
                        <li><a href=href("/privacy")>{t("footer-privacy")}</a></li>
                        <li><a href=href("/terms")>{t("footer-terms")}</a></li>
                        <li><a href=href("/cookies")>{t("footer-cookies")}</a></li>
                        <li><a href=href("/legal/subprocessors")>{t("footer-subprocessors")}</a></li>
                    </ul>
                </nav>
            </div>
            <div class="container footer-bottom">
                <p class="muted">{t("footer-rights")}</p>
            </div>
        </footer>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode_query_value("/pricing"), "/pricing");
        assert_eq!(encode_query_value("/a b?c=d&e#f"), "/a%20b%3Fc%3Dd%26e%23f");
        assert_eq!(encode_query_value("/价"), "/%E4%BB%B7");
    }
}

//! The header's account corner: "Sign in" and "Try it free" for visitors; for a signed-in
//! person a menu with their picture, name, email and credits, the way to their pages and
//! the sign-out button. The menu is a `<details>`, so it opens without JavaScript and is
//! announced as a button that expands.

use crate::components::forms::{Avatar, CsrfField};
use crate::i18n::{t, use_locale};
use crate::model::HeaderAccount;
use leptos::prelude::*;
use leptos::server::SharedValue;

/// The credits the header shows, for pages that learn of a new balance (the workbench,
/// after a generation) to keep it current without a reload. `None` for visitors.
#[derive(Clone, Copy)]
pub struct HeaderBalance(pub RwSignal<Option<i64>>);

impl HeaderBalance {
    /// Tells the header the signed-in person's new balance (nothing for visitors).
    pub fn set(self, credits: i64) {
        if self.0.with_untracked(Option::is_some) {
            self.0.set(Some(credits));
        }
    }
}

/// Who is asking: decided by the server before rendering (see the server's account
/// middleware) and carried to the browser with the page, so the header is in the first
/// HTML and hydrates as it was rendered.
pub fn use_header_account() -> Option<HeaderAccount> {
    SharedValue::new(current_account).into_inner()
}

fn current_account() -> Option<HeaderAccount> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<HeaderAccount>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// "Sign in" and "Try it free", or the signed-in person's menu; tells `balance` what they
/// can spend.
///
/// Who is asking is read here, where the header renders (after the consent banner), not
/// at the top of the frame: values carried from the server are paired with their readers
/// by a counter, and read at the top of the frame the browser paired the consent
/// banner's decision with this value instead, so hydration failed on every page (the
/// hydrated Playwright specs catch this).
#[component]
pub fn AccountArea(balance: HeaderBalance) -> impl IntoView {
    let locale = use_locale();
    let account = use_header_account();
    balance
        .0
        .set(account.as_ref().map(|account| account.balance));
    match account {
        Some(account) => view! { <AccountMenu account balance /> }.into_any(),
        None => view! {
            <a class="button small" href=locale.path("/sign-in")>
                {t("nav-sign-in")}
            </a>
            <a class="button small primary header-try" href=locale.path("/workbench")>
                {t("nav-try-free")}
            </a>
        }
        .into_any(),
    }
}

fn credits_text(credits: i64) -> String {
    use_locale().t_args("nav-credits", &[("credits", credits.into())])
}

/// Closes the `<details>` that holds a followed link, so a menu does not stay open over
/// the next page after a client-side navigation (nothing to do on the server).
pub fn close_menu(details: NodeRef<leptos::html::Details>) -> impl Fn(leptos::ev::MouseEvent) {
    move |_| {
        if let Some(details) = details.get_untracked() {
            details.set_open(false);
        }
    }
}

/// Escape closes an open menu and gives the focus back to its button.
pub fn close_on_escape(
    details: NodeRef<leptos::html::Details>,
) -> impl Fn(leptos::ev::KeyboardEvent) {
    move |ev| {
        if ev.key() != "Escape" {
            return;
        }
        if let Some(details) = details.get_untracked()
            && details.open()
        {
            details.set_open(false);
            if let Some(summary) = details.first_element_child() {
                use leptos::wasm_bindgen::JsCast;
                if let Ok(summary) = summary.dyn_into::<web_sys::HtmlElement>() {
                    let _ = summary.focus();
                }
            }
        }
    }
}

#[component]
fn AccountMenu(account: HeaderAccount, balance: HeaderBalance) -> impl IntoView {
    let locale = use_locale();
    let details = NodeRef::<leptos::html::Details>::new();
    // Effects run only in the browser: the mark says the menu's handlers are live.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let credits = move || credits_text(balance.0.get().unwrap_or(account.balance));
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
        <details
            class="account-menu menu"
            node_ref=details
            on:keydown=close_on_escape(details)
            data-testid="account-menu"
            data-hydrated=move || hydrated.get().then_some("true")
        >
            // Named by what it shows (the name and credits where there is room), after a
            // word for what it is that only screen readers hear.
            <summary class="account-button">
                <span class="visually-hidden">{t("nav-account-menu")}</span>
                <Avatar url=account.avatar_url.clone() name=account.display_name.clone() size=32 />
                <span class="account-name">{account.display_name.clone()}</span>
                <span class="account-credits" data-testid="header-balance">
                    {credits}
                </span>
            </summary>
            <div class="menu-panel account-panel">
                <div class="account-who">
                    <p class="account-panel-name">{account.display_name.clone()}</p>
                    <p class="muted small">{account.email.clone()}</p>
                    <p class="account-panel-credits">
                        <span>{credits}</span>
                        " "
                        <a href=locale.path("/pricing") on:click=close_menu(details)>
                            {t("nav-buy-credits")}
                        </a>
                    </p>
                </div>
                <ul class="menu-links">
                    {link("/dashboard", "nav-dashboard")}
                    {link("/workbench", "nav-workbench")}
                    {link("/settings/billing", "nav-billing")}
                    {link("/settings/profile", "nav-settings")}
                    {link("/support", "nav-support")}
                    {account.is_admin.then(|| link("/admin", "nav-admin"))}
                </ul>
                <form class="menu-sign-out" method="post" action="/sign-out">
                    <CsrfField token=account.csrf.clone() />
                    <button type="submit" class="button small">
                        {t("nav-sign-out")}
                    </button>
                </form>
            </div>
        </details>
    }
}

//! The frame of every account page: the section navigation beside the page, and what a
//! page shows to someone not signed in.

use crate::api::load_page_context;
use crate::components::forms::{AccountHead, Avatar, CsrfField, LoadFailed, Loading};
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, Viewer};
use leptos::prelude::*;

/// Which page of the settings area is showing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsSection {
    Profile,
    Security,
    /// Credits, orders, subscriptions.
    Billing,
    /// Consent, export, processing choices, rights requests, deletion.
    Privacy,
    /// One order's receipt, under the billing entry.
    Receipt,
    /// The person's support tickets.
    Support,
    /// One ticket's thread, under the support entry.
    SupportThread,
    Admin,
    /// Two-factor enrolment, under the admin entry.
    AdminTwoFactor,
    /// Payment disputes, under the admin entry.
    AdminDisputes,
}

/// The frame of every settings and admin page: who is signed in, the section navigation
/// with the sign-out button, and the page beside (or, on phones, below) it.
#[component]
pub fn SettingsShell(
    viewer: Viewer,
    csrf: String,
    section: SettingsSection,
    heading: String,
    children: Children,
) -> impl IntoView {
    let is_admin = viewer.role == "admin";
    view! {
        <div class="settings container">
            <aside class="settings-side">
                <div class="settings-who">
                    <Avatar url=viewer.avatar_url.clone() name=viewer.display_name.clone() />
                    <div>
                        <p class="settings-name">{viewer.display_name.clone()}</p>
                        <p class="settings-email muted">{viewer.email.clone()}</p>
                    </div>
                </div>
                <nav class="settings-nav" aria-label=t("settings-nav")>
                    <SettingsLinks section is_admin />
                    <form class="sign-out" method="post" action="/sign-out">
                        <CsrfField token=csrf />
                        <button type="submit" class="button small">
                            {t("settings-sign-out")}
                        </button>
                    </form>
                </nav>
            </aside>
            <div class="settings-main">
                <h1>{heading}</h1>
                {children()}
            </div>
        </div>
    }
    .into_any()
}

/// A page for signed-in people: the page context and the page's own `data` load together,
/// then `render` shows them; visitors get the sign-in prompt, and a page context that
/// failed to load a notice.
#[component]
pub fn SignedInPage<T, F, V>(
    title: String,
    data: Resource<Result<T, ServerFnError>>,
    render: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(PageContext, Viewer, Option<T>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let ctx = Resource::new(|| (), |_| load_page_context());
    view! {
        <AccountHead title />
        <Suspense fallback=|| view! { <Loading /> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match (ctx.await, data.await) {
                        (Ok(ctx), data) => match ctx.viewer.clone() {
                            Some(viewer) => render(ctx, viewer, data.ok()).into_any(),
                            None => view! { <SignInPrompt /> }.into_any(),
                        },
                        (Err(_), _) => view! { <LoadFailed /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// Shown in place of a settings page when nobody is signed in (the server normally
/// redirects before this can happen).
#[component]
pub fn SignInPrompt() -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="auth-page">
            <section class="auth-card" aria-labelledby="sign-in-prompt">
                <h1 id="sign-in-prompt">{t("settings-signed-out-heading")}</h1>
                <p class="lead">{t("settings-signed-out-body")}</p>
                <a class="button primary block" href=locale.path("/sign-in")>
                    {t("nav-sign-in")}
                </a>
            </section>
        </div>
    }
    .into_any()
}

/// The settings sections, the current one marked; the admin pages for admins.
#[component]
fn SettingsLinks(section: SettingsSection, is_admin: bool) -> impl IntoView {
    let locale = use_locale();
    let link = move |page: &'static str, key: &'static str, here: bool, within: bool| {
        view! {
            <li>
                <a
                    href=locale.path(page)
                    class=within.then_some("active")
                    aria-current=here.then_some("page")
                >
                    {t(key)}
                </a>
            </li>
        }
    };
    view! {
        <ul>
            {link(
                "/settings/profile",
                "settings-nav-profile",
                section == SettingsSection::Profile,
                section == SettingsSection::Profile,
            )}
            {link(
                "/settings/security",
                "settings-nav-security",
                section == SettingsSection::Security,
                section == SettingsSection::Security,
            )}
            {link(
                "/settings/billing",
                "settings-nav-billing",
                section == SettingsSection::Billing,
                matches!(section, SettingsSection::Billing | SettingsSection::Receipt),
            )}
            {link(
                "/settings/privacy",
                "settings-nav-privacy",
                section == SettingsSection::Privacy,
                section == SettingsSection::Privacy,
            )}
            {link(
                "/settings/support",
                "settings-nav-support",
                section == SettingsSection::Support,
                matches!(section, SettingsSection::Support | SettingsSection::SupportThread),
            )}
            {is_admin
                .then(|| {
                    link(
                        "/admin",
                        "settings-nav-admin",
                        section == SettingsSection::Admin,
                        matches!(
                            section,
                            SettingsSection::Admin
                                | SettingsSection::AdminTwoFactor
                                | SettingsSection::AdminDisputes
                        ),
                    )
                })}
        </ul>
    }
}

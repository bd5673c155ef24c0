//! The security settings (`/settings/security`): email, password, two-step verification,
//! signed-in devices and linked providers.

mod devices;
mod email;
mod password;
mod providers;

use super::{SettingsSection, SettingsShell, SignedInPage};
use crate::api::load_security_overview;
use crate::components::forms::{FlashMessages, LoadFailed};
use crate::i18n::t;
use crate::model::{PageContext, SecurityOverview, Viewer};
use devices::DevicesPanel;
use email::EmailPanel;
use leptos::prelude::*;
use password::{PasswordPanel, TwoFactorPanel};
use providers::ProvidersPanel;

/// Revoking a device and signing out everywhere both report as `devices`; unlinking as
/// `identities`.
const SECURITY_FORMS: &[&str] = &["email", "password", "devices", "identities"];

#[component]
pub fn SecurityPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_security_overview());
    view! {
        <SignedInPage
            title=t("security-title")
            data=overview
            render=|ctx, viewer, overview| view! { <Security ctx viewer overview=overview /> }
        />
    }
    .into_any()
}

#[component]
pub(crate) fn Security(
    ctx: PageContext,
    viewer: Viewer,
    overview: Option<SecurityOverview>,
) -> impl IntoView {
    let lists = match overview {
        Some(overview) => view! {
            <DevicesPanel ctx=ctx.clone() devices=overview.devices />
            <ProvidersPanel ctx=ctx.clone() identities=overview.identities />
        }
        .into_any(),
        None => view! { <LoadFailed /> }.into_any(),
    };
    view! {
        <SettingsShell
            viewer=viewer.clone()
            csrf=ctx.csrf.clone()
            section=SettingsSection::Security
            heading=t("security-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=SECURITY_FORMS />
            <EmailPanel ctx=ctx.clone() viewer=viewer.clone() />
            <PasswordPanel ctx=ctx.clone() viewer=viewer.clone() />
            {(viewer.role == "admin").then(|| view! { <TwoFactorPanel viewer=viewer.clone() /> })}
            {lists}
        </SettingsShell>
    }
    .into_any()
}

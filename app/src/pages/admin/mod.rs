//! The admin pages: the overview (`/admin`), two-step verification (`/admin/two-factor`)
//! and payment disputes (`/admin/disputes`).

pub mod disputes;
mod panels;
#[cfg(all(test, feature = "ssr"))]
mod render_tests;
#[cfg(test)]
mod tests;
pub mod two_factor;

use super::settings::{SettingsSection, SettingsShell, SignedInPage};
use crate::api::load_admin_overview;
use crate::components::forms::FlashMessages;
use crate::i18n::t;
use crate::model::{AdminOverview, PageContext, Viewer};
use leptos::prelude::*;
use panels::{AccountsPanel, AuditPanel, PaymentsPanel};

/// The end of an id: enough to tell entries apart at a glance. UUIDv7 ids begin with
/// their creation time, so it is the end, not the start, that differs.
pub(crate) fn short_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        id.to_string()
    } else {
        let tail: String = chars[chars.len() - 8..].iter().collect();
        format!("…{tail}")
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_admin_overview());
    view! {
        <SignedInPage
            title=t("admin-title")
            data=overview
            render=|ctx, viewer, overview| view! { <Admin ctx viewer overview=overview /> }
        />
    }
    .into_any()
}

#[component]
pub(crate) fn Admin(
    ctx: PageContext,
    viewer: Viewer,
    overview: Option<AdminOverview>,
) -> impl IntoView {
    let body = match overview {
        Some(overview) => view! {
            <AccountsPanel counts=overview.accounts_by_role />
            <PaymentsPanel />
            <AuditPanel entries=overview.recent_audit />
        }
        .into_any(),
        // Not an admin, or not past two-step verification in this session.
        None => view! {
            <div class="alert error" role="alert">
                {t("admin-forbidden")}
            </div>
        }
        .into_any(),
    };
    view! {
        <SettingsShell
            viewer
            csrf=ctx.csrf.clone()
            section=SettingsSection::Admin
            heading=t("admin-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            {body}
        </SettingsShell>
    }
    .into_any()
}

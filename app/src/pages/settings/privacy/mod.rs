//! /settings/privacy: every right the privacy policy promises, usable by the person on
//! their own — cookie choices and their history, a download of their data, correcting it,
//! restricting or objecting to processing, marketing email, their rights requests, and
//! deleting the account. Every control is a plain form post.

mod consent;
mod delete;
mod export;
mod processing;
mod requests;

use super::{SettingsSection, SettingsShell, SignedInPage};
use crate::api::load_privacy_overview;
use crate::components::forms::FlashMessages;
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, PrivacyOverview, Viewer};
use consent::ConsentPanel;
use delete::DeletePanel;
use export::{CorrectPanel, ExportPanel};
use fluent_templates::fluent_bundle::FluentValue;
use leptos::prelude::*;
use processing::{MarketingPanel, ProcessingPanel};
use requests::RequestsPanel;

const PRIVACY_FORMS: &[&str] = &[
    "privacy-consent",
    "privacy-export",
    "privacy-processing",
    "privacy-marketing",
    "privacy-delete",
];

#[component]
pub fn PrivacySettingsPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_privacy_overview());
    view! {
        <SignedInPage
            title=t("privacy-settings-title")
            data=overview
            render=|ctx, viewer, overview| view! { <PrivacySettings ctx viewer overview /> }
        />
    }
    .into_any()
}

#[component]
fn PrivacySettings(
    ctx: PageContext,
    viewer: Viewer,
    overview: Option<PrivacyOverview>,
) -> impl IntoView {
    let body = match overview {
        Some(overview) => view! {
            <ConsentPanel ctx=ctx.clone() overview=overview.clone() />
            <ExportPanel ctx=ctx.clone() overview=overview.clone() />
            <CorrectPanel />
            <ProcessingPanel ctx=ctx.clone() overview=overview.clone() />
            <MarketingPanel ctx=ctx.clone() subscribed=overview.marketing />
            <RequestsPanel overview=overview.clone() />
            <DeletePanel ctx=ctx.clone() viewer=viewer.clone() overview />
        }
        .into_any(),
        None => view! { <crate::components::forms::LoadFailed /> }.into_any(),
    };
    view! {
        <SettingsShell
            viewer
            csrf=ctx.csrf.clone()
            section=SettingsSection::Privacy
            heading=t("privacy-settings-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=PRIVACY_FORMS />
            <p class="lead">
                {t("privacy-settings-intro")} " "
                <a href=use_locale().path("/privacy")>{t("privacy-settings-policy-link")}</a>
            </p>
            {body}
        </SettingsShell>
    }
    .into_any()
}

/// A table of the person's records under a caption; `columns` and `caption` are locale keys.
#[component]
pub(crate) fn RecordTable(
    caption: &'static str,
    columns: &'static [&'static str],
    children: Children,
) -> impl IntoView {
    let heads = columns
        .iter()
        .map(|key| view! { <th scope="col">{t(key)}</th> })
        .collect_view();
    view! {
        <table class="data-table">
            <caption>{t(caption)}</caption>
            <thead>
                <tr>{heads}</tr>
            </thead>
            <tbody>{children()}</tbody>
        </table>
    }
}

/// Looks `key` up in the page's locale with text arguments.
pub(crate) fn t_args(key: &str, args: &[(&'static str, String)]) -> String {
    let args: Vec<(&'static str, FluentValue<'static>)> = args
        .iter()
        .map(|(name, value)| (*name, FluentValue::from(value.clone())))
        .collect();
    use_locale().t_args(key, &args)
}

pub(crate) fn yes_no(value: bool) -> String {
    t(if value { "privacy-on" } else { "privacy-off" })
}

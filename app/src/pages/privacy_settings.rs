//! /settings/privacy: every right the privacy policy promises, usable by the person on
//! their own — cookie choices and their history, a download of their data, correcting it,
//! restricting or objecting to processing, marketing email, their rights requests, and
//! deleting the account. Every control is a plain form post.

use crate::api::load_privacy_overview;
use crate::components::consent::ConsentCategories;
use crate::components::forms::{CsrfField, Field, FlashMessages, FormAlert, FormFeedback};
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, PrivacyOverview, Viewer};
use crate::pages::settings::{SettingsSection, SettingsShell, SignedInPage, UtcTime};
use fluent_templates::fluent_bundle::FluentValue;
use leptos::prelude::*;

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
fn RecordTable(
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
fn t_args(key: &str, args: &[(&'static str, String)]) -> String {
    let args: Vec<(&'static str, FluentValue<'static>)> = args
        .iter()
        .map(|(name, value)| (*name, FluentValue::from(value.clone())))
        .collect();
    use_locale().t_args(key, &args)
}

fn yes_no(value: bool) -> String {
    t(if value { "privacy-on" } else { "privacy-off" })
}

#[component]
fn ConsentPanel(ctx: PageContext, overview: PrivacyOverview) -> impl IntoView {
    let locale = use_locale();
    let consent = overview.consent.clone();
    let feedback = FormFeedback::new(&ctx, "privacy-consent");
    let status = if consent.gpc {
        t("privacy-consent-gpc")
    } else if consent.undecided {
        t("privacy-consent-undecided")
    } else {
        t_args(
            "privacy-consent-current",
            &[
                ("analytics", yes_no(consent.analytics)),
                ("marketing", yes_no(consent.marketing)),
            ],
        )
    };
    let history = overview
        .history
        .iter()
        .map(|line| {
            view! {
                <tr>
                    <td><UtcTime ms=line.created_at /></td>
                    <td>{yes_no(line.analytics)}</td>
                    <td>{yes_no(line.marketing)}</td>
                    <td>{t(&format!("privacy-source-{}", line.source))}</td>
                    <td>{line.policy_version.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let has_history = !overview.history.is_empty();
    let to = locale.path("/settings/privacy");
    view! {
        <section class="panel" aria-labelledby="privacy-consent-heading" data-testid="privacy-consent">
            <h2 id="privacy-consent-heading">{t("privacy-consent-heading")}</h2>
            <FormAlert feedback=feedback />
            <p data-testid="privacy-consent-status">{status}</p>
            <form class="stack" method="post" action="/consent">
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="source" value="settings" />
                <input type="hidden" name="to" value=to.clone() />
                <ConsentCategories analytics=consent.analytics marketing=consent.marketing />
                <div class="form-actions">
                    <button type="submit" name="choice" value="custom" class="button primary small">
                        {t("consent-save")}
                    </button>
                    <button type="submit" name="choice" value="withdraw" class="button small">
                        {t("privacy-consent-withdraw")}
                    </button>
                </div>
            </form>
            {has_history
                .then(|| {
                    view! {
                        <RecordTable caption="privacy-consent-history" columns=&["privacy-col-when", "consent-analytics", "consent-marketing", "privacy-col-where", "privacy-col-version"]>
                            {history}
                        </RecordTable>
                    }
                })}
        </section>
    }
    .into_any()
}

#[component]
fn ExportPanel(ctx: PageContext, overview: PrivacyOverview) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "privacy-export");
    let rows = overview
        .exports
        .iter()
        .map(|export| {
            let expires = export.expires_at.map(|ms| view! { <UtcTime ms /> });
            let size = export
                .size_bytes
                .map(|b| format!("{:.1} MB", b as f64 / 1_000_000.0));
            view! {
                <tr>
                    <td><UtcTime ms=export.created_at /></td>
                    <td>{t(&format!("privacy-export-status-{}", export.status))}</td>
                    <td>{expires}</td>
                    <td>{size}</td>
                </tr>
            }
        })
        .collect_view();
    let has_exports = !overview.exports.is_empty();
    view! {
        <section class="panel" aria-labelledby="privacy-export-heading">
            <h2 id="privacy-export-heading">{t("privacy-export-heading")}</h2>
            <FormAlert feedback=feedback />
            <p>
                {t_args(
                    "privacy-export-body",
                    &[("days", overview.export_days.to_string())],
                )}
            </p>
            <form method="post" action=locale.path("/settings/privacy/export")>
                <CsrfField token=ctx.csrf.clone() />
                <button
                    type="submit"
                    class="button primary small"
                    disabled=overview.export_pending
                >
                    {t("privacy-export-button")}
                </button>
            </form>
            {has_exports
                .then(|| {
                    view! {
                        <RecordTable caption="privacy-export-list" columns=&["privacy-col-when", "privacy-col-status", "privacy-col-expires", "privacy-col-size"]>
                            {rows}
                        </RecordTable>
                    }
                })}
        </section>
    }
    .into_any()
}

#[component]
fn CorrectPanel() -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="panel" aria-labelledby="privacy-correct-heading">
            <h2 id="privacy-correct-heading">{t("privacy-correct-heading")}</h2>
            <p>{t("privacy-correct-body")}</p>
            <p>
                <a class="button small" href=locale.path("/settings/profile")>
                    {t("privacy-correct-profile")}
                </a>
                " "
                <a class="button small" href=locale.path("/settings/security")>
                    {t("privacy-correct-security")}
                </a>
            </p>
        </section>
    }
    .into_any()
}

#[component]
fn ProcessingPanel(ctx: PageContext, overview: PrivacyOverview) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "privacy-processing");
    view! {
        <section class="panel" aria-labelledby="privacy-processing-heading">
            <h2 id="privacy-processing-heading">{t("privacy-processing-heading")}</h2>
            <FormAlert feedback=feedback />
            <p>{t("privacy-processing-body")}</p>
            <form class="stack" method="post" action=locale.path("/settings/privacy/processing")>
                <CsrfField token=ctx.csrf.clone() />
                <label class="check">
                    <input type="checkbox" name="restrict" value="on" checked=overview.restricted />
                    <span>
                        <strong>{t("privacy-restrict")}</strong>
                        " — "
                        {t("privacy-restrict-hint")}
                    </span>
                </label>
                <label class="check">
                    <input type="checkbox" name="object" value="on" checked=overview.objected />
                    <span>
                        <strong>{t("privacy-object")}</strong>
                        " — "
                        {t("privacy-object-hint")}
                    </span>
                </label>
                <div class="form-actions">
                    <button type="submit" class="button primary small">
                        {t("privacy-processing-save")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn MarketingPanel(ctx: PageContext, subscribed: bool) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "privacy-marketing");
    let (status, value, label) = if subscribed {
        ("privacy-marketing-on", "0", "privacy-marketing-unsubscribe")
    } else {
        ("privacy-marketing-off", "1", "privacy-marketing-subscribe")
    };
    view! {
        <section class="panel" aria-labelledby="privacy-marketing-heading">
            <h2 id="privacy-marketing-heading">{t("privacy-marketing-heading")}</h2>
            <FormAlert feedback=feedback />
            <p>{t(status)}</p>
            <form method="post" action=locale.path("/settings/privacy/marketing")>
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="subscribe" value=value />
                <button type="submit" class="button small">{t(label)}</button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn RequestsPanel(overview: PrivacyOverview) -> impl IntoView {
    let locale = use_locale();
    let rows = overview
        .requests
        .iter()
        .map(|request| {
            let due = request.due_at.map(|ms| view! { <UtcTime ms /> });
            let href = locale.path(&format!("/privacy/requests/{}", request.id));
            view! {
                <tr>
                    <td>
                        <a href=href>{t(&format!("privacy-request-kind-{}", request.kind))}</a>
                    </td>
                    <td>{t(&format!("privacy-request-status-{}", request.status))}</td>
                    <td><UtcTime ms=request.created_at /></td>
                    <td>{due}</td>
                </tr>
            }
        })
        .collect_view();
    let has_requests = !overview.requests.is_empty();
    view! {
        <section class="panel" aria-labelledby="privacy-rights-heading">
            <h2 id="privacy-rights-heading">{t("privacy-rights-heading")}</h2>
            <p>{t("privacy-rights-body")}</p>
            <p>
                <a class="button small" href=locale.path("/privacy/requests")>
                    {t("privacy-rights-new")}
                </a>
            </p>
            {has_requests
                .then(|| {
                    view! {
                        <RecordTable caption="privacy-rights-list" columns=&["privacy-col-kind", "privacy-col-status", "privacy-col-when", "privacy-col-due"]>
                            {rows}
                        </RecordTable>
                    }
                })}
        </section>
    }
    .into_any()
}

#[component]
fn DeletePanel(ctx: PageContext, viewer: Viewer, overview: PrivacyOverview) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "privacy-delete");
    let reauth = if overview.has_password {
        view! {
            <Field
                feedback=feedback.clone()
                name="password"
                label=t("privacy-delete-password")
                kind="password"
                autocomplete="current-password"
                required=true
            />
        }
        .into_any()
    } else {
        view! { <p class="muted">{t("privacy-delete-recent-sign-in")}</p> }.into_any()
    };
    let code = overview.two_factor.then(|| {
        view! {
            <Field
                feedback=feedback.clone()
                name="code"
                label=t("privacy-delete-code")
                autocomplete="one-time-code"
                inputmode="numeric"
                required=true
            />
        }
    });
    view! {
        <section class="panel danger" aria-labelledby="privacy-delete-heading">
            <h2 id="privacy-delete-heading">{t("privacy-delete-heading")}</h2>
            <FormAlert feedback=feedback.clone() />
            <p>
                {t_args("privacy-delete-body", &[("days", overview.hold_days.to_string())])}
            </p>
            <form class="stack" method="post" action=locale.path("/settings/privacy/delete")>
                <CsrfField token=ctx.csrf.clone() />
                {reauth}
                {code}
                <Field
                    feedback=feedback.clone()
                    name="confirm_email"
                    label=t_args("privacy-delete-confirm", &[("email", viewer.email.clone())])
                    kind="email"
                    autocomplete="off"
                    required=true
                />
                <div class="form-actions">
                    <button type="submit" class="button danger">
                        {t("privacy-delete-button")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

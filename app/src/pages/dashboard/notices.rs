//! The notices: what needs the person, each with a link to the page where they act on it.

use crate::format::format_utc_date;
use crate::i18n::{Locale, t, use_locale};
use crate::model::NoticeView;
use fluent_templates::fluent_bundle::FluentValue;
use leptos::prelude::*;

/// A notice as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct NoticeText {
    /// What happened.
    pub(super) text: String,
    /// Where the person acts on it, and what the link says.
    pub(super) href: String,
    pub(super) action: String,
    /// `error` for what went wrong, `info` for the rest.
    pub(super) tone: &'static str,
    /// Names the notice for tests: `policy`, `payment`, `export`, `request`.
    pub(super) kind: &'static str,
}

/// The path of a legal document's page.
fn doc_path(doc: &str) -> String {
    match doc {
        "subprocessors" => "/legal/subprocessors".to_string(),
        doc => format!("/{doc}"),
    }
}

pub(super) fn notice_text(locale: Locale, notice: &NoticeView) -> NoticeText {
    let arg = |value: String| FluentValue::from(value);
    match notice {
        NoticeView::PolicyChanged { doc, effective_at } => NoticeText {
            text: locale.t_args(
                "dashboard-notice-policy",
                &[
                    ("doc", arg(doc.clone())),
                    ("date", arg(format_utc_date(*effective_at))),
                ],
            ),
            href: locale.path(&doc_path(doc)),
            action: locale.t("dashboard-notice-policy-action"),
            tone: "info",
            kind: "policy",
        },
        NoticeView::PaymentFailed { number, ordered_at } => NoticeText {
            text: locale.t_args(
                "dashboard-notice-payment",
                &[
                    ("number", arg(number.clone())),
                    ("date", arg(format_utc_date(*ordered_at))),
                ],
            ),
            href: locale.path("/pricing"),
            action: locale.t("dashboard-notice-payment-action"),
            tone: "error",
            kind: "payment",
        },
        NoticeView::ExportReady { expires_at } => NoticeText {
            text: locale.t_args(
                "dashboard-notice-export",
                &[("date", arg(format_utc_date(*expires_at)))],
            ),
            href: format!(
                "{}#privacy-export-heading",
                locale.path("/settings/privacy")
            ),
            action: locale.t("dashboard-notice-export-action"),
            tone: "info",
            kind: "export",
        },
        NoticeView::RequestAnswered { id, kind, status } => NoticeText {
            text: locale.t_args(
                "dashboard-notice-request",
                &[
                    (
                        "kind",
                        arg(locale.t(&format!("privacy-request-kind-{kind}"))),
                    ),
                    ("status", arg(status.clone())),
                ],
            ),
            href: locale.path(&format!("/privacy/requests/{id}")),
            action: locale.t("dashboard-notice-request-action"),
            tone: "info",
            kind: "request",
        },
    }
}

#[component]
pub(super) fn Notices(notices: Vec<NoticeView>) -> impl IntoView {
    let locale = use_locale();
    (!notices.is_empty()).then(|| {
        let items = notices
            .iter()
            .map(|notice| {
                let notice = notice_text(locale, notice);
                view! {
                    <li class=format!("alert {}", notice.tone) data-notice=notice.kind>
                        {notice.text} " " <a href=notice.href>{notice.action}</a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="dashboard-notices" aria-labelledby="dashboard-notices-heading">
                <h2 id="dashboard-notices-heading" class="visually-hidden">
                    {t("dashboard-notices-heading")}
                </h2>
                <ul>{items}</ul>
            </section>
        }
    })
}

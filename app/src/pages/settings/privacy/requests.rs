//! The person's rights requests and their states.

use super::RecordTable;
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::PrivacyOverview;
use leptos::prelude::*;

#[component]
pub(crate) fn RequestsPanel(overview: PrivacyOverview) -> impl IntoView {
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

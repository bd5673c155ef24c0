//! Exporting one's data, and where to correct it.

use super::{RecordTable, t_args};
use crate::components::forms::{CsrfField, FormAlert, FormFeedback};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, PrivacyOverview};
use leptos::prelude::*;

#[component]
pub(crate) fn ExportPanel(ctx: PageContext, overview: PrivacyOverview) -> impl IntoView {
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
pub(crate) fn CorrectPanel() -> impl IntoView {
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

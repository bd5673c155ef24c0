//! The consent panel: the choices in force and their history.

use super::{RecordTable, t_args, yes_no};
use crate::components::consent::ConsentCategories;
use crate::components::forms::{CsrfField, FormAlert, FormFeedback};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, PrivacyOverview};
use leptos::prelude::*;

#[component]
pub(crate) fn ConsentPanel(ctx: PageContext, overview: PrivacyOverview) -> impl IntoView {
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

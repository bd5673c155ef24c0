//! Restricting or objecting to processing, and marketing email.

use crate::components::forms::{CsrfField, FormAlert, FormFeedback};
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, PrivacyOverview};
use leptos::prelude::*;

#[component]
pub(crate) fn ProcessingPanel(ctx: PageContext, overview: PrivacyOverview) -> impl IntoView {
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
pub(crate) fn MarketingPanel(ctx: PageContext, subscribed: bool) -> impl IntoView {
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

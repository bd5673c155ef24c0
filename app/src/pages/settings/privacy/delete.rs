//! Deleting the account: the grace period, and the form that starts or cancels it.

use super::t_args;
use crate::components::forms::{CsrfField, Field, FormAlert, FormFeedback};
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, PrivacyOverview, Viewer};
use leptos::prelude::*;

#[component]
pub(crate) fn DeletePanel(
    ctx: PageContext,
    viewer: Viewer,
    overview: PrivacyOverview,
) -> impl IntoView {
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

//! Changing the account's email address.

use crate::components::forms::{CsrfField, Field, FormAlert, FormFeedback};
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, Viewer};
use leptos::prelude::*;

#[component]
pub(crate) fn EmailPanel(ctx: PageContext, viewer: Viewer) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "email");
    let status = if viewer.email_verified {
        view! { <span class="badge ok">{t("security-email-verified")}</span> }.into_any()
    } else {
        view! {
            <span class="badge warn">{t("security-email-unverified")}</span>
            " "
            <a href=locale.path("/verify-email")>{t("security-email-verify-link")}</a>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="email-heading">
            <h2 id="email-heading">{t("security-email-heading")}</h2>
            <p>
                {t("security-email-current")} " " <strong>{viewer.email.clone()}</strong> " "
                {status}
            </p>
            <form class="stack" method="post" action=locale.path("/settings/security/email")>
                <CsrfField token=ctx.csrf.clone() />
                <FormAlert feedback=feedback.clone() />
                <Field
                    feedback=feedback.clone()
                    name="new_email"
                    label=t("security-new-email")
                    kind="email"
                    autocomplete="email"
                    required=true
                    value=feedback.value_or("new_email", "")
                    hint=t("security-new-email-hint")
                />
                {viewer
                    .has_password
                    .then(|| {
                        view! {
                            <Field
                                feedback=feedback.clone()
                                name="current_password"
                                label=t("form-current-password")
                                kind="password"
                                autocomplete="current-password"
                                required=true
                            />
                        }
                    })}
                <div class="form-actions">
                    <button type="submit" class="button primary">
                        {t("security-email-submit")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

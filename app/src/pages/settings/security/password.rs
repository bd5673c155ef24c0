//! Setting or changing the password, and the state of two-step verification.

use crate::components::forms::{CsrfField, Field, FormAlert, FormFeedback};
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, Viewer};
use leptos::prelude::*;

#[component]
pub(crate) fn PasswordPanel(ctx: PageContext, viewer: Viewer) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "password");
    let (heading, lead, submit) = if viewer.has_password {
        (
            "security-password-heading",
            "security-password-lead",
            "security-password-submit",
        )
    } else {
        (
            "security-password-add-heading",
            "security-password-add-lead",
            "security-password-add-submit",
        )
    };
    view! {
        <section class="panel" aria-labelledby="password-heading">
            <h2 id="password-heading">{t(heading)}</h2>
            <p class="muted">{t(lead)}</p>
            <form class="stack" method="post" action=locale.path("/settings/security/password")>
                <CsrfField token=ctx.csrf.clone() />
                // Lets password managers file the new password under the right account.
                // No name: it is not sent.
                <input
                    type="text"
                    hidden
                    autocomplete="username"
                    value=viewer.email.clone()
                    readonly
                />
                <FormAlert feedback=feedback.clone() />
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
                <Field
                    feedback=feedback.clone()
                    name="new_password"
                    label=t("form-new-password")
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    minlength=8
                    hint=t("form-password-hint")
                />
                <div class="form-actions">
                    <button type="submit" class="button primary">
                        {t(submit)}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
pub(crate) fn TwoFactorPanel(viewer: Viewer) -> impl IntoView {
    let locale = use_locale();
    let (status, class) = if viewer.two_factor_enabled {
        ("security-two-factor-on", "badge ok")
    } else {
        ("security-two-factor-off", "badge warn")
    };
    view! {
        <section class="panel" aria-labelledby="two-factor-heading">
            <h2 id="two-factor-heading">{t("security-two-factor-heading")}</h2>
            <p>
                <span class=class>{t(status)}</span> " " {t("security-two-factor-body")}
            </p>
            <p>
                <a class="button small" href=locale.path("/admin/two-factor")>
                    {t("security-two-factor-link")}
                </a>
            </p>
        </section>
    }
    .into_any()
}

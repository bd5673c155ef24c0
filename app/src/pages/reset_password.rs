//! Choosing a new password from a reset link (`/reset-password`).

use crate::components::auth_card::{AuthCard, query_param};
use crate::components::forms::{
    AccountHead, CsrfField, Field, FlashMessages, FormAlert, FormFeedback, WithPageContext,
};
use crate::i18n::{t, use_locale};
use crate::model::PageContext;
use leptos::prelude::*;

const RESET_PASSWORD_FORMS: &[&str] = &["reset-password"];

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = query_param("token");
    view! {
        <AccountHead title=t("reset-password-title") />
        <AuthCard heading=t("reset-password-heading") lead=t("reset-password-lead")>
            <WithPageContext render=move |ctx| {
                view! { <ResetPasswordForm ctx token=token.clone() /> }
            } />
        </AuthCard>
    }
    .into_any()
}

#[component]
pub(crate) fn ResetPasswordForm(ctx: PageContext, token: Option<String>) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "reset-password");
    // A refused form is shown again at the form's address, without the query: the token
    // comes back in the flash, when the server sends it.
    let token = token.or_else(|| feedback.value("token"));
    let failed = feedback.message(locale).is_some();
    let form = match token {
        Some(token) => view! {
            <form class="stack" method="post" action=locale.path("/reset-password")>
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="token" value=token />
                <FormAlert feedback=feedback.clone() />
                <Field
                    feedback=feedback.clone()
                    name="password"
                    label=t("form-new-password")
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    minlength=8
                    hint=t("form-password-hint")
                />
                <button type="submit" class="button primary block">
                    {t("reset-password-submit")}
                </button>
            </form>
        }
        .into_any(),
        None => view! {
            <FormAlert feedback=feedback.clone() />
            <p>
                {t(if failed { "reset-password-retry" } else { "reset-password-no-token" })}
            </p>
        }
        .into_any(),
    };
    view! {
        <FlashMessages flash=ctx.flash.clone() forms=RESET_PASSWORD_FORMS />
        {form}
        <p class="auth-switch">
            <a href=locale.path("/forgot-password")>{t("reset-password-new-link")}</a>
        </p>
    }
    .into_any()
}

//! Asking for a password reset link (`/forgot-password`).

use crate::components::auth_card::AuthCard;
use crate::components::forms::{
    AccountHead, CsrfField, DevMailHint, Field, FlashMessages, FormAlert, FormFeedback,
    WithPageContext,
};
use crate::i18n::{t, use_locale};
use crate::model::PageContext;
use leptos::prelude::*;

const FORGOT_PASSWORD_FORMS: &[&str] = &["forgot-password"];

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    view! {
        <AccountHead title=t("forgot-password-title") />
        <AuthCard heading=t("forgot-password-heading") lead=t("forgot-password-lead")>
            <WithPageContext render=|ctx| view! { <ForgotPasswordForm ctx /> } />
        </AuthCard>
    }
    .into_any()
}

#[component]
pub(crate) fn ForgotPasswordForm(ctx: PageContext) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "forgot-password");
    // A known address is not confirmed or denied: the same notice follows either way.
    let email = feedback.value_or(
        "email",
        ctx.viewer
            .as_ref()
            .map(|v| v.email.as_str())
            .unwrap_or_default(),
    );
    view! {
        <FlashMessages flash=ctx.flash.clone() forms=FORGOT_PASSWORD_FORMS />
        <form class="stack" method="post" action=locale.path("/forgot-password")>
            <CsrfField token=ctx.csrf.clone() />
            <FormAlert feedback=feedback.clone() />
            <Field
                feedback=feedback.clone()
                name="email"
                label=t("form-email")
                kind="email"
                autocomplete="email"
                required=true
                value=email
            />
            <button type="submit" class="button primary block">
                {t("forgot-password-submit")}
            </button>
        </form>
        <DevMailHint show=ctx.dev_mail />
        <p class="auth-switch">
            <a href=locale.path("/sign-in")>{t("forgot-password-back")}</a>
        </p>
    }
    .into_any()
}

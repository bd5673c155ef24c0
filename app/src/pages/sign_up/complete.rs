//! Finishing an account begun with Google or GitHub (`/sign-up/complete`).

use crate::components::auth_card::AuthCard;
use crate::components::forms::{
    AccountHead, ConsentChecks, CsrfField, Field, FlashMessages, FormAlert, FormFeedback,
    WithPageContext,
};
use crate::i18n::{t, use_locale};
use crate::model::PageContext;
use leptos::prelude::*;

const COMPLETE_SIGN_UP_FORMS: &[&str] = &["complete-sign-up"];

#[component]
pub fn CompleteSignUpPage() -> impl IntoView {
    view! {
        <AccountHead title=t("complete-sign-up-title") />
        <AuthCard heading=t("complete-sign-up-heading") lead=t("complete-sign-up-lead")>
            <WithPageContext render=|ctx| view! { <CompleteSignUpForm ctx /> } />
        </AuthCard>
    }
    .into_any()
}

/// After a first sign-in with Google or GitHub: the name to use, and the age and terms
/// confirmations a provider cannot give for the person.
#[component]
pub(crate) fn CompleteSignUpForm(ctx: PageContext) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "complete-sign-up");
    // The server suggests the provider's name; it may arrive under this form or alone.
    let flash_field = |name: &str| {
        ctx.flash
            .as_ref()
            .and_then(|flash| flash.field(name))
            .map(str::to_string)
    };
    let display_name = flash_field("display_name").unwrap_or_default();
    let email = flash_field("email").map(|email| {
        view! {
            <p class="muted">
                {locale.t_args("complete-sign-up-as", &[("email", email.into())])}
            </p>
        }
    });
    view! {
        <FlashMessages flash=ctx.flash.clone() forms=COMPLETE_SIGN_UP_FORMS />
        {email}
        <form class="stack" method="post" action=locale.path("/sign-up/complete")>
            <CsrfField token=ctx.csrf.clone() />
            <FormAlert feedback=feedback.clone() />
            <Field
                feedback=feedback.clone()
                name="display_name"
                label=t("form-display-name")
                autocomplete="name"
                required=true
                maxlength=50
                value=display_name
                hint=t("form-display-name-hint")
            />
            <ConsentChecks feedback=feedback.clone() />
            <button type="submit" class="button primary block">
                {t("complete-sign-up-submit")}
            </button>
        </form>
        <p class="auth-switch">
            <a href=locale.path("/sign-in")>{t("complete-sign-up-cancel")}</a>
        </p>
    }
    .into_any()
}

//! Creating an account (`/sign-up`).

pub mod complete;

use crate::components::auth_card::{AlreadySignedIn, AuthCard};
use crate::components::forms::{
    AccountHead, ConsentChecks, CsrfField, Field, FlashMessages, FormAlert, FormFeedback,
    ProviderLinks, Turnstile, WithPageContext,
};
use crate::i18n::{t, use_locale};
use crate::model::PageContext;
use leptos::prelude::*;

const SIGN_UP_FORMS: &[&str] = &["sign-up"];

#[component]
pub fn SignUpPage() -> impl IntoView {
    view! {
        <AccountHead title=t("sign-up-title") />
        <AuthCard heading=t("sign-up-heading") lead=t("sign-up-lead")>
            <WithPageContext render=|ctx| view! { <SignUpForm ctx /> } />
        </AuthCard>
    }
    .into_any()
}

#[component]
pub(crate) fn SignUpForm(ctx: PageContext) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "sign-up");
    view! {
        <FlashMessages flash=ctx.flash.clone() forms=SIGN_UP_FORMS />
        <AlreadySignedIn ctx=ctx.clone() />
        <ProviderLinks providers=ctx.providers.clone() />
        <form class="stack" method="post" action=locale.path("/sign-up")>
            <CsrfField token=ctx.csrf.clone() />
            <FormAlert feedback=feedback.clone() />
            <Field
                feedback=feedback.clone()
                name="display_name"
                label=t("form-display-name")
                autocomplete="name"
                required=true
                maxlength=50
                value=feedback.value_or("display_name", "")
                hint=t("form-display-name-hint")
            />
            <Field
                feedback=feedback.clone()
                name="email"
                label=t("form-email")
                kind="email"
                autocomplete="email"
                required=true
                value=feedback.value_or("email", "")
            />
            <Field
                feedback=feedback.clone()
                name="password"
                label=t("form-password")
                kind="password"
                autocomplete="new-password"
                required=true
                minlength=8
                hint=t("form-password-hint")
            />
            <ConsentChecks feedback=feedback.clone() />
            <Turnstile site_key=ctx.turnstile_site_key.clone() action="sign-up" />
            <button type="submit" class="button primary block">
                {t("sign-up-submit")}
            </button>
        </form>
        <p class="auth-switch">
            {t("sign-up-have-account")} " "
            <a href=locale.path("/sign-in")>{t("sign-up-to-sign-in")}</a>
        </p>
    }
    .into_any()
}

//! Signing in (`/sign-in`): email and password, or Google and GitHub.

pub mod two_factor;

use crate::components::auth_card::{AlreadySignedIn, AuthCard};
use crate::components::forms::{
    AccountHead, CsrfField, Field, FlashMessages, FormAlert, FormFeedback, ProviderLinks,
    Turnstile, WithPageContext,
};
use crate::i18n::{t, use_locale};
use crate::model::PageContext;
use leptos::prelude::*;

const SIGN_IN_FORMS: &[&str] = &["sign-in"];

#[component]
pub fn SignInPage() -> impl IntoView {
    view! {
        <AccountHead title=t("sign-in-title") />
        <AuthCard heading=t("sign-in-heading") lead=t("sign-in-lead")>
            <WithPageContext render=|ctx| view! { <SignInForm ctx /> } />
        </AuthCard>
    }
    .into_any()
}

#[component]
pub(crate) fn SignInForm(ctx: PageContext) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "sign-in");
    view! {
        <FlashMessages flash=ctx.flash.clone() forms=SIGN_IN_FORMS />
        <AlreadySignedIn ctx=ctx.clone() />
        <ProviderLinks providers=ctx.providers.clone() />
        <form class="stack" method="post" action=locale.path("/sign-in")>
            <CsrfField token=ctx.csrf.clone() />
            <FormAlert feedback=feedback.clone() />
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
                autocomplete="current-password"
                required=true
            />
            <Turnstile site_key=ctx.turnstile_site_key.clone() action="sign-in" />
            <button type="submit" class="button primary block">
                {t("sign-in-submit")}
            </button>
        </form>
        <p class="form-aside">
            <a href=locale.path("/forgot-password")>{t("sign-in-forgot")}</a>
        </p>
        <p class="auth-switch">
            {t("sign-in-new-here")} " "
            <a href=locale.path("/sign-up")>{t("sign-in-to-sign-up")}</a>
        </p>
    }
    .into_any()
}

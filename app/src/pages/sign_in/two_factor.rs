//! The second step of signing in (`/sign-in/two-factor`): a code from the app or a
//! recovery code.

use crate::components::auth_card::AuthCard;
use crate::components::forms::{
    AccountHead, CsrfField, Field, FlashMessages, FormAlert, FormFeedback, WithPageContext,
};
use crate::i18n::{t, use_locale};
use crate::model::PageContext;
use leptos::prelude::*;

const TWO_FACTOR_FORMS: &[&str] = &["two-factor"];

#[component]
pub fn TwoFactorSignInPage() -> impl IntoView {
    view! {
        <AccountHead title=t("two-factor-title") />
        <AuthCard heading=t("two-factor-heading") lead=t("two-factor-lead")>
            <WithPageContext render=|ctx| view! { <TwoFactorForm ctx /> } />
        </AuthCard>
    }
    .into_any()
}

/// The code from the app; a recovery code goes into a second, text-friendly field (a
/// numeric keypad cannot type its letters), posted to the same place.
#[component]
pub(crate) fn TwoFactorForm(ctx: PageContext) -> impl IntoView {
    let locale = use_locale();
    let action = locale.path("/sign-in/two-factor");
    let feedback = FormFeedback::new(&ctx, "two-factor");
    // The recovery form has its own ids; it shares the error shown above the first form.
    let recovery = FormFeedback::empty("two-factor-recovery");
    view! {
        <FlashMessages flash=ctx.flash.clone() forms=TWO_FACTOR_FORMS />
        <form class="stack" method="post" action=action.clone()>
            <CsrfField token=ctx.csrf.clone() />
            <FormAlert feedback=feedback.clone() />
            <Field
                feedback=feedback.clone()
                name="code"
                label=t("two-factor-code")
                inputmode="numeric"
                autocomplete="one-time-code"
                required=true
                hint=t("two-factor-code-hint")
            />
            <button type="submit" class="button primary block">
                {t("two-factor-submit")}
            </button>
        </form>
        <details class="recovery">
            <summary>{t("two-factor-recovery-summary")}</summary>
            <form class="stack" method="post" action=action>
                <CsrfField token=ctx.csrf.clone() />
                <Field
                    feedback=recovery
                    name="code"
                    label=t("two-factor-recovery-code")
                    autocomplete="off"
                    required=true
                    hint=t("two-factor-recovery-hint")
                />
                <button type="submit" class="button block">
                    {t("two-factor-recovery-submit")}
                </button>
            </form>
        </details>
        <p class="auth-switch">
            <a href=locale.path("/sign-in")>{t("two-factor-start-over")}</a>
        </p>
    }
    .into_any()
}

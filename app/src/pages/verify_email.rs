//! Confirming an email address (`/verify-email`), or asking for a new link.

use crate::components::auth_card::{AuthCard, query_param};
use crate::components::forms::{
    AccountHead, CsrfField, DevMailHint, FlashMessages, FormAlert, FormFeedback, WithPageContext,
};
use crate::i18n::{t, use_locale};
use crate::model::PageContext;
use leptos::prelude::*;

const VERIFY_EMAIL_FORMS: &[&str] = &["verify-email", "resend"];

/// Without the confirm button, its error shows at the top of the page.
const VERIFY_EMAIL_INBOX_FORMS: &[&str] = &["resend"];

/// Confirming an address. Opening the link only shows a button: mail scanners fetch links
/// to check them, and must not confirm an address (or an email change) on the person's
/// behalf.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let token = query_param("token");
    let change = query_param("change").unwrap_or_default();
    view! {
        <AccountHead title=t("verify-email-title") />
        <WithPageContext render=move |ctx| {
            view! { <VerifyEmail ctx token=token.clone() change=change.clone() /> }
        } />
    }
    .into_any()
}

#[component]
pub(crate) fn VerifyEmail(
    ctx: PageContext,
    token: Option<String>,
    change: String,
) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "verify-email");
    // A refused confirmation comes back without the query; the flash may carry it.
    let token = token.or_else(|| feedback.value("token"));
    let change = feedback.value_or("change", &change);
    if let Some(token) = token {
        return view! { <ConfirmEmail ctx feedback token change /> }.into_any();
    }
    let flash = view! { <FlashMessages flash=ctx.flash.clone() forms=VERIFY_EMAIL_INBOX_FORMS /> };
    let dev_hint = view! { <DevMailHint show=ctx.dev_mail /> };
    match ctx.viewer.clone() {
        Some(viewer) if viewer.email_verified => view! {
            <AuthCard heading=t("verify-email-done-heading")>
                {flash}
                <p>
                    {locale.t_args("verify-email-done-body", &[("email", viewer.email.into())])}
                </p>
                <p>
                    <a class="button primary block" href=locale.path("/settings/profile")>
                        {t("auth-go-to-settings")}
                    </a>
                </p>
            </AuthCard>
        }
        .into_any(),
        viewer => {
            let resend = viewer.map(|viewer| {
                let feedback = FormFeedback::new(&ctx, "resend");
                view! {
                    <p>{locale.t_args("verify-email-sent-to", &[("email", viewer.email.into())])}</p>
                    <form class="stack" method="post" action=locale.path("/verify-email/resend")>
                        <CsrfField token=ctx.csrf.clone() />
                        <FormAlert feedback />
                        <button type="submit" class="button block">
                            {t("verify-email-resend")}
                        </button>
                    </form>
                }
            });
            view! {
                <AuthCard heading=t("verify-email-inbox-heading") lead=t("verify-email-inbox-lead")>
                    {flash}
                    {resend}
                    {dev_hint}
                </AuthCard>
            }
            .into_any()
        }
    }
}

/// A confirmation link followed: the button that confirms the address (or the change).
#[component]
fn ConfirmEmail(
    ctx: PageContext,
    feedback: FormFeedback,
    token: String,
    change: String,
) -> impl IntoView {
    let locale = use_locale();
    let (heading, lead, submit) = if change == "1" {
        (
            "verify-email-change-heading",
            "verify-email-change-lead",
            "verify-email-change-submit",
        )
    } else {
        (
            "verify-email-heading",
            "verify-email-lead",
            "verify-email-submit",
        )
    };
    // A sign-up link also lets the holder of the address say they never signed up.
    let not_me = (change != "1").then(|| {
        view! {
            <form class="stack not-me" method="post" action=locale.path("/verify-email/not-me")>
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="token" value=token.clone() />
                <p class="muted">{t("verify-email-not-me-lead")}</p>
                <button type="submit" class="button block">
                    {t("verify-email-not-me")}
                </button>
            </form>
        }
    });
    view! {
        <AuthCard heading=t(heading) lead=t(lead)>
            <FlashMessages flash=ctx.flash.clone() forms=VERIFY_EMAIL_FORMS />
            <form class="stack" method="post" action=locale.path("/verify-email")>
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="token" value=token.clone() />
                <input type="hidden" name="change" value=change />
                <FormAlert feedback />
                <button type="submit" class="button primary block">
                    {t(submit)}
                </button>
            </form>
            {not_me}
        </AuthCard>
    }
}

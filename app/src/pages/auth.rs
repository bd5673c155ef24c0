//! Signing in and up: email and password, Google and GitHub, two-step codes, password
//! resets and email confirmation. Each page is a plain HTML form that posts to the server,
//! which answers with a redirect (post/redirect/get) and, on error, a flash message that
//! brings the form back with what was typed.

use crate::components::forms::{
    AccountHead, ConsentChecks, CsrfField, DevMailHint, Field, FlashMessages, FormAlert,
    FormFeedback, ProviderLinks, Turnstile, WithPageContext,
};
use crate::i18n::{t, use_locale};
use crate::model::PageContext;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A centred card with the page's heading, which the card's landmark is named after.
#[component]
fn AuthCard(
    heading: String,
    #[prop(optional, into)] lead: String,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="auth-page">
            <section class="auth-card" aria-labelledby="auth-heading">
                <h1 id="auth-heading">{heading}</h1>
                {(!lead.is_empty()).then(|| view! { <p class="lead">{lead}</p> })}
                {children()}
            </section>
        </div>
    }
    .into_any()
}

/// When someone already signed in opens a sign-in or sign-up page.
#[component]
fn AlreadySignedIn(ctx: PageContext) -> impl IntoView {
    let locale = use_locale();
    ctx.viewer.map(|viewer| {
        let text = locale.t_args(
            "auth-already-signed-in",
            &[("name", viewer.display_name.into())],
        );
        view! {
            <p class="alert info">
                {text} " "
                <a href=locale.path("/settings/profile")>{t("auth-go-to-settings")}</a>
            </p>
        }
    })
}

/// A query parameter of the current URL, when present and not empty.
fn query_param(name: &'static str) -> Option<String> {
    use_query_map()
        .with_untracked(|query| query.get(name))
        .filter(|value| !value.is_empty())
}

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
fn SignInForm(ctx: PageContext) -> impl IntoView {
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
fn TwoFactorForm(ctx: PageContext) -> impl IntoView {
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
fn SignUpForm(ctx: PageContext) -> impl IntoView {
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
fn CompleteSignUpForm(ctx: PageContext) -> impl IntoView {
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
fn ForgotPasswordForm(ctx: PageContext) -> impl IntoView {
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
fn ResetPasswordForm(ctx: PageContext, token: Option<String>) -> impl IntoView {
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
fn VerifyEmail(ctx: PageContext, token: Option<String>, change: String) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "verify-email");
    // A refused confirmation comes back without the query; the flash may carry it.
    let token = token.or_else(|| feedback.value("token"));
    let change = feedback.value_or("change", &change);
    let forms = if token.is_some() {
        VERIFY_EMAIL_FORMS
    } else {
        VERIFY_EMAIL_INBOX_FORMS
    };
    let flash = view! { <FlashMessages flash=ctx.flash.clone() forms /> };
    let dev_hint = view! { <DevMailHint show=ctx.dev_mail /> };
    if let Some(token) = token {
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
        return view! {
            <AuthCard heading=t(heading) lead=t(lead)>
                {flash}
                <form class="stack" method="post" action=locale.path("/verify-email")>
                    <CsrfField token=ctx.csrf.clone() />
                    <input type="hidden" name="token" value=token />
                    <input type="hidden" name="change" value=change />
                    <FormAlert feedback />
                    <button type="submit" class="button primary block">
                        {t(submit)}
                    </button>
                </form>
            </AuthCard>
        }
        .into_any();
    }
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

#[cfg(all(test, feature = "ssr"))]
mod render_tests {
    use super::*;
    use crate::components::forms::test_support::{check, ctx, error, render, viewer};
    use crate::i18n::Locale;

    fn action(locale: Locale, page: &str) -> String {
        format!(r#"action="{}""#, locale.path(page))
    }

    #[test]
    fn sign_in_and_two_factor_forms_follow_the_contract() {
        for locale in Locale::ALL {
            let mut context = ctx(
                None,
                error(
                    "sign-in",
                    "auth-error-credentials",
                    &[("email", "ada@example.com")],
                ),
            );
            context.turnstile_site_key = Some("site-key".into());
            let html = render(locale, || view! { <SignInForm ctx=context.clone() /> });
            check(&format!("sign-in-{}", locale.tag()), &html);
            assert!(html.contains(&action(locale, "/sign-in")));
            assert!(html.contains(r#"name="email""#) && html.contains(r#"name="password""#));
            assert!(html.contains(r#"value="ada@example.com""#));
            assert!(html.contains(r#"role="alert""#));
            assert!(html.contains(r#"aria-invalid="true""#));
            assert!(html.contains(r#"aria-describedby="sign-in-error""#));
            assert!(html.contains(r#"href="/auth/google/start""#));
            assert!(html.contains(r#"href="/auth/github/start""#));
            assert!(html.contains(r#"data-sitekey="site-key""#));
            assert!(html.contains(r#"data-action="sign-in""#));

            let context = ctx(None, error("two-factor", "auth-error-totp", &[]));
            let html = render(locale, || view! { <TwoFactorForm ctx=context.clone() /> });
            check(&format!("two-factor-{}", locale.tag()), &html);
            assert_eq!(
                html.matches(&action(locale, "/sign-in/two-factor")).count(),
                2
            );
            assert!(html.contains(r#"autocomplete="one-time-code""#));
            assert!(html.contains(r#"inputmode="numeric""#));
        }
    }

    #[test]
    fn sign_up_forms_ask_for_age_and_terms() {
        for locale in Locale::ALL {
            let context = ctx(
                None,
                error(
                    "sign-up",
                    "auth-error-age",
                    &[
                        ("display_name", "Ada"),
                        ("email", "ada@example.com"),
                        ("terms_accepted", "on"),
                    ],
                ),
            );
            let html = render(locale, || view! { <SignUpForm ctx=context.clone() /> });
            check(&format!("sign-up-{}", locale.tag()), &html);
            assert!(html.contains(&action(locale, "/sign-up")));
            for name in [
                "display_name",
                "email",
                "password",
                "age_confirmed",
                "terms_accepted",
            ] {
                assert!(html.contains(&format!(r#"name="{name}""#)), "{name}");
            }
            assert!(html.contains(r#"autocomplete="new-password""#));
            assert!(html.contains(&format!(r#"href="{}""#, locale.path("/terms"))));
            assert!(html.contains(&format!(r#"href="{}""#, locale.path("/privacy"))));
            assert_eq!(
                html.matches("checked").count(),
                1,
                "terms stay ticked, age not"
            );

            let mut flash = error("complete-sign-up", "auth-error-terms", &[]).unwrap();
            flash.error = None;
            flash.fields = vec![("display_name".into(), "Ada from Google".into())];
            let context = ctx(None, Some(flash));
            let html = render(
                locale,
                || view! { <CompleteSignUpForm ctx=context.clone() /> },
            );
            check(&format!("complete-sign-up-{}", locale.tag()), &html);
            assert!(html.contains(&action(locale, "/sign-up/complete")));
            assert!(html.contains(r#"value="Ada from Google""#));
        }
    }

    #[test]
    fn password_and_email_links_post_their_token() {
        for locale in Locale::ALL {
            let mut flash = error("forgot-password", "auth-error-email", &[]).unwrap();
            flash.error = None;
            flash.notice = Some("auth-notice-reset-sent".into());
            let context = ctx(None, Some(flash));
            let html = render(
                locale,
                || view! { <ForgotPasswordForm ctx=context.clone() /> },
            );
            check(&format!("forgot-password-{}", locale.tag()), &html);
            assert!(html.contains(&action(locale, "/forgot-password")));
            assert!(html.contains(r#"role="status""#));

            let context = ctx(
                None,
                error("reset-password", "auth-error-link-expired", &[]),
            );
            let html = render(locale, || {
                view! { <ResetPasswordForm ctx=context.clone() token=Some("t0k".into()) /> }
            });
            check(&format!("reset-password-{}", locale.tag()), &html);
            assert!(html.contains(&action(locale, "/reset-password")));
            assert!(html.contains(r#"name="token" value="t0k""#));

            let html = render(locale, || {
                view! { <VerifyEmail ctx=ctx(None, None) token=Some("t0k".into()) change="1".into() /> }
            });
            check(&format!("verify-email-{}", locale.tag()), &html);
            assert!(html.contains(&action(locale, "/verify-email")));
            assert!(html.contains(r#"name="change" value="1""#));

            let mut unverified = viewer();
            unverified.email_verified = false;
            let html = render(locale, || {
                view! { <VerifyEmail ctx=ctx(Some(unverified.clone()), None) token=None change=String::new() /> }
            });
            check(&format!("verify-email-inbox-{}", locale.tag()), &html);
            assert!(html.contains(&action(locale, "/verify-email/resend")));
            assert!(html.contains(r#"href="/dev/mail""#));

            // Refused, the page comes back without the query: the error still shows.
            let refused = error("verify-email", "auth-error-link-used", &[]);
            let html = render(locale, || {
                view! { <VerifyEmail ctx=ctx(None, refused.clone()) token=None change=String::new() /> }
            });
            check(&format!("verify-email-refused-{}", locale.tag()), &html);
            assert!(html.contains(r#"role="alert""#));
        }
    }
}

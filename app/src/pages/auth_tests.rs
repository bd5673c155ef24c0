//! Render tests of the sign-in, sign-up, password and email confirmation pages.

use super::forgot_password::ForgotPasswordForm;
use super::reset_password::ResetPasswordForm;
use super::sign_in::SignInForm;
use super::sign_in::two_factor::TwoFactorForm;
use super::sign_up::SignUpForm;
use super::sign_up::complete::CompleteSignUpForm;
use super::verify_email::VerifyEmail;
use crate::components::forms::test_support::{check, ctx, error, render, viewer};
use crate::i18n::Locale;
use leptos::prelude::*;

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

//! Verifying an email address (the link's form), and sending the link again.

use super::{Arriving, arrive};
use crate::http::{CurrentUser, FormContext, HttpError, MaybeUser, response::query_value};
use axum::{Form, response::Response};
use domain::{
    accounts::{self, sessions},
    ratelimit::limits,
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    change: String,
}

pub async fn verify_email(
    ctx: FormContext,
    current: Result<MaybeUser, HttpError>,
    Form(form): Form<VerifyForm>,
) -> Response {
    let result: Result<Response, HttpError> = async {
        ctx.limit(&[(format!("verify:ip:{}", ctx.client.ip), limits::VERIFY_IP)])
            .await?;
        if form.change == "1" {
            accounts::confirm_email_change(&ctx.state, &form.token)
                .await
                .map_err(HttpError::domain)?;
            return Ok(ctx
                .done(&ctx.path("/settings/security"), "auth-notice-email-changed")
                .await);
        }
        let user = accounts::verify_email(&ctx.state, &form.token)
            .await
            .map_err(HttpError::domain)?;
        // The link proved the person holds the address. It signs in only the browser that
        // signed up (anyone can sign up with someone else's address and be signed in
        // there), and never past a second factor. Any other browser is asked to sign in.
        let MaybeUser(current) = current?;
        if current.as_ref().map(|u| u.id.as_str()) == Some(user.id.as_str()) {
            return Ok(ctx
                .done(&ctx.path("/dashboard"), "auth-notice-email-verified")
                .await);
        }
        let signed_up_here = ctx
            .session
            .get::<String>(sessions::flow::SIGNED_UP)
            .await
            .ok()
            .flatten()
            .is_some_and(|id| id == user.id);
        if !signed_up_here || user.totp_enabled {
            return Ok(ctx
                .done(&ctx.path("/sign-in"), "auth-notice-email-verified-sign-in")
                .await);
        }
        let _ = ctx
            .session
            .remove::<String>(sessions::flow::SIGNED_UP)
            .await;
        sessions::begin(&ctx.session, &user.id, ctx.client.device()).await?;
        arrive(&ctx, &user.id, Arriving::SignIn).await;
        Ok(ctx
            .done(&ctx.path("/dashboard"), "auth-notice-email-verified")
            .await)
    }
    .await;
    match result {
        Ok(response) => response,
        Err(error) => {
            let page = format!(
                "{}?token={}&change={}",
                ctx.path("/verify-email"),
                query_value(&form.token),
                query_value(&form.change)
            );
            ctx.refuse_at(&page, "verify-email", error, &[]).await
        }
    }
}

#[derive(Deserialize)]
pub struct NotMeForm {
    #[serde(default)]
    token: String,
}

/// "I did not sign up": the link's holder takes the account back (see
/// [`accounts::disown_sign_up`]) and goes on to choose a password of their own.
pub async fn not_me(ctx: FormContext, Form(form): Form<NotMeForm>) -> Response {
    let result: Result<String, HttpError> = async {
        ctx.limit(&[(format!("verify:ip:{}", ctx.client.ip), limits::VERIFY_IP)])
            .await?;
        let reset = accounts::disown_sign_up(&ctx.state, &form.token)
            .await
            .map_err(HttpError::domain)?;
        // Whoever was signed in here is not the holder's business any more.
        let _ = ctx.session.flush().await;
        Ok(reset)
    }
    .await;
    match result {
        Ok(reset) => {
            let page = format!(
                "{}?token={}",
                ctx.path("/reset-password"),
                query_value(&reset)
            );
            ctx.done(&page, "auth-notice-account-taken-back").await
        }
        Err(error) => {
            let page = format!(
                "{}?token={}",
                ctx.path("/verify-email"),
                query_value(&form.token)
            );
            ctx.refuse_at(&page, "verify-email", error, &[]).await
        }
    }
}

pub async fn resend_verification(ctx: FormContext, CurrentUser(user): CurrentUser) -> Response {
    let result: Result<(), HttpError> = async {
        ctx.limit(&[(
            format!("verify:account:{}", user.id),
            limits::VERIFY_ACCOUNT,
        )])
        .await?;
        accounts::send_verification(&ctx.state, &user)
            .await
            .map_err(HttpError::domain)?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            ctx.done(
                &ctx.path("/verify-email"),
                "auth-notice-verification-resent",
            )
            .await
        }
        Err(error) => ctx.refuse("resend", error, &[]).await,
    }
}

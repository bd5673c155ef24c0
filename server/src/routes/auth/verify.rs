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
        // The link proved the person holds the address: sign them in here, unless this
        // browser is already signed in as them or the account needs its second factor.
        let MaybeUser(current) = current?;
        if current.as_ref().map(|u| u.id.as_str()) != Some(user.id.as_str()) && !user.totp_enabled {
            sessions::begin(&ctx.session, &user.id, ctx.client.device()).await?;
            arrive(&ctx, &user.id, Arriving::SignIn).await;
        }
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

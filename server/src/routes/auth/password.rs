//! Forgotten passwords: the reset link by email, and the new password it lets one set.

use crate::http::{FormContext, HttpError, response::query_value};
use axum::{Form, response::Response};
use domain::{
    accounts::{self, AccountError},
    ratelimit::limits,
};
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub async fn forgot_password(ctx: FormContext, Form(form): Form<EmailForm>) -> Response {
    let fields = [("email", form.email.as_str())];
    let result: Result<(), HttpError> = async {
        ctx.limit(&[
            (format!("reset:ip:{}", ctx.client.ip), limits::RESET_IP),
            (
                domain::ratelimit::account_key("reset", &form.email),
                limits::RESET_ACCOUNT,
            ),
        ])
        .await?;
        if accounts::EmailAddress::parse(&form.email).is_err() {
            return Err(HttpError::domain(AccountError::Profile(
                accounts::ProfileError::Email,
            )));
        }
        accounts::request_password_reset(&ctx.state, &form.email)
            .await
            .map_err(HttpError::domain)?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            ctx.done(&ctx.path("/forgot-password"), "auth-notice-reset-sent")
                .await
        }
        Err(error) => ctx.refuse("forgot-password", error, &fields).await,
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

pub async fn reset_password(ctx: FormContext, Form(form): Form<ResetForm>) -> Response {
    let result: Result<(), HttpError> = async {
        ctx.limit(&[(format!("reset:ip:{}", ctx.client.ip), limits::RESET_IP)])
            .await?;
        accounts::reset_password(
            &ctx.state,
            &form.token,
            SecretString::from(form.password.clone()),
        )
        .await
        .map_err(HttpError::domain)?;
        // Every session of the account ended, this browser's included.
        ctx.session.flush().await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            ctx.done(&ctx.path("/sign-in"), "auth-notice-password-reset")
                .await
        }
        Err(error) => {
            let page = format!(
                "{}?token={}",
                ctx.path("/reset-password"),
                query_value(&form.token)
            );
            ctx.refuse_at(&page, "reset-password", error, &[]).await
        }
    }
}

//! `/settings/security`: the signed-in person's email, password, devices and linked
//! providers. Each handler acts only on the account of the session it comes with.

use crate::http::{CurrentUser, FormContext, HttpError};
use axum::{Form, http::StatusCode, response::Response};
use domain::accounts::{self, oauth::Provider, sessions};
use secrecy::SecretString;
use serde::Deserialize;

/// Guessing the current password through these forms is as slow as through sign-in: a few
/// tries per account per quarter hour.
async fn password_check_allowed(ctx: &FormContext, user: &accounts::User) -> Result<(), HttpError> {
    ctx.limit(&[(
        format!("password-check:{}", user.id),
        domain::ratelimit::limits::PASSWORD_CHECK_ACCOUNT,
    )])
    .await
}

#[derive(Deserialize)]
pub struct EmailChangeForm {
    #[serde(default)]
    new_email: String,
    current_password: Option<String>,
}

pub async fn change_email(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<EmailChangeForm>,
) -> Response {
    let fields = [("new_email", form.new_email.as_str())];
    let result = async {
        password_check_allowed(&ctx, &user).await?;
        sessions::require_fresh_sign_in(&ctx.session, &user, domain::now_ms())
            .await
            .map_err(HttpError::domain)?;
        accounts::request_email_change(
            &ctx.state,
            &user.id,
            &form.new_email,
            form.current_password.map(SecretString::from),
        )
        .await
        .map_err(HttpError::domain)
    }
    .await;
    match result {
        Ok(()) => {
            ctx.done(
                &ctx.path("/settings/security"),
                "auth-notice-email-change-sent",
            )
            .await
        }
        Err(error) => ctx.refuse("email", error, &fields).await,
    }
}

#[derive(Deserialize)]
pub struct PasswordChangeForm {
    current_password: Option<String>,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<PasswordChangeForm>,
) -> Response {
    let result: Result<(), HttpError> = async {
        password_check_allowed(&ctx, &user).await?;
        sessions::require_fresh_sign_in(&ctx.session, &user, domain::now_ms())
            .await
            .map_err(HttpError::domain)?;
        // A privilege change: this browser gets a new session id, every other one ends.
        ctx.session.cycle_id().await?;
        let current = ctx.session.id().map(|id| id.to_string());
        accounts::change_password(
            &ctx.state,
            &user.id,
            form.current_password.clone().map(SecretString::from),
            SecretString::from(form.new_password.clone()),
            current.as_deref(),
        )
        .await
        .map_err(HttpError::domain)?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            ctx.done(
                &ctx.path("/settings/security"),
                "auth-notice-password-changed",
            )
            .await
        }
        Err(error) => ctx.refuse("password", error, &[]).await,
    }
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    handle: String,
}

pub async fn revoke_device(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<RevokeForm>,
) -> Response {
    match sessions::revoke_device(&ctx.state.db, &user.id, &form.handle).await {
        Ok(_) => {
            ctx.done(
                &ctx.path("/settings/security"),
                "auth-notice-device-revoked",
            )
            .await
        }
        Err(e) => {
            ctx.refuse(
                "devices",
                HttpError::domain(accounts::AccountError::from(e)),
                &[],
            )
            .await
        }
    }
}

pub async fn sign_out_everywhere(ctx: FormContext, CurrentUser(user): CurrentUser) -> Response {
    if let Err(e) = sessions::revoke_all(&ctx.state.db, &user.id).await {
        return ctx
            .refuse(
                "devices",
                HttpError::domain(accounts::AccountError::from(e)),
                &[],
            )
            .await;
    }
    let _ = ctx.session.flush().await;
    ctx.done(&ctx.path("/sign-in"), "auth-notice-signed-out-everywhere")
        .await
}

#[derive(Deserialize)]
pub struct UnlinkForm {
    #[serde(default)]
    provider: String,
}

pub async fn unlink(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<UnlinkForm>,
) -> Response {
    let Some(provider) = Provider::parse(&form.provider) else {
        return ctx
            .refuse(
                "identities",
                HttpError::new(
                    "auth-error-provider-disabled",
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                &[],
            )
            .await;
    };
    match accounts::oauth::unlink(&ctx.state, &user.id, provider).await {
        Ok(()) => {
            ctx.done(
                &ctx.path("/settings/security"),
                "auth-notice-identity-unlinked",
            )
            .await
        }
        Err(e) => ctx.refuse("identities", HttpError::domain(e), &[]).await,
    }
}

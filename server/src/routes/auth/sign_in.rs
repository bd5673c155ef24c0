//! Sign-in (with the two-factor step) and sign-out.

use super::{Arriving, arrive};
use crate::http::{
    FormContext, HttpError, MaybeUser, extract::AFTER_SIGN_IN, local_path, see_other,
};
use axum::{Form, response::Response};
use domain::{
    accounts::{
        self,
        sessions::{self, flow},
    },
    ratelimit::limits,
};
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(rename = "cf-turnstile-response")]
    turnstile: Option<String>,
}

pub async fn sign_in(ctx: FormContext, Form(form): Form<SignInForm>) -> Response {
    let fields = [("email", form.email.as_str())];
    let account_key = domain::ratelimit::account_key("sign-in", &form.email);
    let result: Result<Response, HttpError> = async {
        ctx.limit(&[
            (format!("sign-in:ip:{}", ctx.client.ip), limits::SIGN_IN_IP),
            (account_key.clone(), limits::SIGN_IN_ACCOUNT),
        ])
        .await?;
        ctx.challenge(form.turnstile.as_deref(), "sign-in").await?;
        let user = accounts::authenticate(
            &ctx.state,
            &form.email,
            SecretString::from(form.password.clone()),
        )
        .await
        .map_err(HttpError::domain)?;
        let _ = domain::ratelimit::clear(&ctx.state.db, &account_key).await;
        if user.totp_enabled {
            // The password was right; the account is not signed in until the code is.
            ctx.session.cycle_id().await?;
            ctx.session
                .insert(flow::PENDING_TWO_FACTOR, &user.id)
                .await?;
            return Ok(see_other(&ctx.path("/sign-in/two-factor")));
        }
        sessions::begin(&ctx.session, &user.id, ctx.client.device()).await?;
        arrive(&ctx, &user.id, Arriving::SignIn).await;
        Ok(see_other(&after_sign_in(&ctx).await))
    }
    .await;
    match result {
        Ok(response) => response,
        Err(error) => ctx.refuse("sign-in", error, &fields).await,
    }
}

/// Where a fresh sign-in continues: the page the person was turned away from, else their
/// dashboard.
async fn after_sign_in(ctx: &FormContext) -> String {
    let next: Option<String> = ctx.session.remove(AFTER_SIGN_IN).await.ok().flatten();
    local_path(next.as_deref())
        .map(str::to_owned)
        .unwrap_or_else(|| ctx.path("/dashboard"))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn two_factor(ctx: FormContext, Form(form): Form<CodeForm>) -> Response {
    let result: Result<Response, HttpError> = async {
        let Some(user_id) = ctx.session.get::<String>(flow::PENDING_TWO_FACTOR).await? else {
            return Ok(see_other(&ctx.path("/sign-in")));
        };
        ctx.limit(&[(format!("two-factor:{user_id}"), limits::TOTP_ACCOUNT)])
            .await?;
        let user = accounts::two_factor::verify(&ctx.state, &user_id, &form.code)
            .await
            .map_err(HttpError::domain)?;
        sessions::begin(&ctx.session, &user.id, ctx.client.device()).await?;
        arrive(&ctx, &user.id, Arriving::SignIn).await;
        sessions::record_second_factor(&ctx.session, &user.id).await?;
        Ok(see_other(&after_sign_in(&ctx).await))
    }
    .await;
    match result {
        Ok(response) => response,
        Err(error) => ctx.refuse("two-factor", error, &[]).await,
    }
}

/// Ends the session (a failure to read who it was only skips the audit entry).
pub async fn sign_out(ctx: FormContext, user: Result<MaybeUser, HttpError>) -> Response {
    if let Ok(MaybeUser(Some(user))) = user {
        let _ = domain::audit::record(
            ctx.state.db.pool(),
            Some(&user.id),
            Some(&user.id),
            "session.signed_out",
            serde_json::json!({}),
            Some(&ctx.client.ip),
        )
        .await;
    }
    if let Err(e) = ctx.session.flush().await {
        tracing::error!(error = %e, "could not end the session");
    }
    see_other(&ctx.path("/"))
}

//! Sign-up, sign-in (with the admin two-factor step), sign-out, verification and reset.

use super::{AFTER_SIGN_IN, FormContext, Refusal, local_path, see_other};
use axum::{Form, response::Response};
use domain::{
    accounts::{
        self, AccountError, NewAccount, SignUp,
        sessions::{self, flow},
    },
    ratelimit::limits,
};
use secrecy::SecretString;
use serde::Deserialize;

/// A value as it may appear in a query string.
fn query_value(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Checkbox values: present ("on") when ticked, absent otherwise.
fn ticked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty())
}

#[derive(Deserialize)]
pub struct SignUpForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    age_confirmed: Option<String>,
    terms_accepted: Option<String>,
    #[serde(rename = "cf-turnstile-response")]
    turnstile: Option<String>,
}

pub async fn sign_up(ctx: FormContext, Form(form): Form<SignUpForm>) -> Response {
    let fields = [
        ("email", form.email.as_str()),
        ("display_name", form.display_name.as_str()),
    ];
    let result: Result<(), Refusal> = async {
        ctx.limit(&[(format!("sign-up:ip:{}", ctx.client.ip), limits::SIGN_UP_IP)])
            .await?;
        ctx.challenge(form.turnstile.as_deref(), "sign-up").await?;
        let outcome = accounts::sign_up(
            &ctx.state,
            NewAccount {
                email: form.email.clone(),
                password: SecretString::from(form.password.clone()),
                display_name: form.display_name.clone(),
                locale: ctx.locale.tag().to_string(),
                age_confirmed: ticked(&form.age_confirmed),
                terms_accepted: ticked(&form.terms_accepted),
            },
        )
        .await?;
        if let SignUp::Created(user) = outcome {
            tracing::info!(user = %user.id, "account created");
            crate::billing::attribute_referral(&ctx.state, &ctx.session, &user.id).await;
            crate::generation::adopt_guest(&ctx.state, ctx.headers(), &user.id).await;
        }
        Ok(())
    }
    .await;
    match result {
        // The same answer whether or not the address was new.
        Ok(()) => {
            ctx.done(&ctx.path("/verify-email"), "auth-notice-check-inbox")
                .await
        }
        Err(refusal) => ctx.refuse("sign-up", refusal, &fields).await,
    }
}

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
    let result: Result<Response, Refusal> = async {
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
        .await?;
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
        crate::generation::adopt_guest(&ctx.state, ctx.headers(), &user.id).await;
        Ok(see_other(&after_sign_in(&ctx).await))
    }
    .await;
    match result {
        Ok(response) => response,
        Err(refusal) => ctx.refuse("sign-in", refusal, &fields).await,
    }
}

/// Where a fresh sign-in continues: the page the person was turned away from, else their
/// profile.
async fn after_sign_in(ctx: &FormContext) -> String {
    let next: Option<String> = ctx.session.remove(AFTER_SIGN_IN).await.ok().flatten();
    local_path(next.as_deref())
        .map(str::to_owned)
        .unwrap_or_else(|| ctx.path("/settings/profile"))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn two_factor(ctx: FormContext, Form(form): Form<CodeForm>) -> Response {
    let result: Result<Response, Refusal> = async {
        let Some(user_id) = ctx.session.get::<String>(flow::PENDING_TWO_FACTOR).await? else {
            return Ok(see_other(&ctx.path("/sign-in")));
        };
        ctx.limit(&[(format!("two-factor:{user_id}"), limits::TOTP_ACCOUNT)])
            .await?;
        let user = accounts::two_factor::verify(&ctx.state, &user_id, &form.code).await?;
        sessions::begin(&ctx.session, &user.id, ctx.client.device()).await?;
        crate::generation::adopt_guest(&ctx.state, ctx.headers(), &user.id).await;
        ctx.session.insert(flow::TWO_FACTOR_OK, true).await?;
        Ok(see_other(&after_sign_in(&ctx).await))
    }
    .await;
    match result {
        Ok(response) => response,
        Err(refusal) => ctx.refuse("two-factor", refusal, &[]).await,
    }
}

pub async fn sign_out(ctx: FormContext) -> Response {
    if let Ok(Some(user)) = ctx.user().await {
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

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub async fn forgot_password(ctx: FormContext, Form(form): Form<EmailForm>) -> Response {
    let fields = [("email", form.email.as_str())];
    let result: Result<(), Refusal> = async {
        ctx.limit(&[
            (format!("reset:ip:{}", ctx.client.ip), limits::RESET_IP),
            (
                domain::ratelimit::account_key("reset", &form.email),
                limits::RESET_ACCOUNT,
            ),
        ])
        .await?;
        if accounts::EmailAddress::parse(&form.email).is_err() {
            return Err(AccountError::Profile(accounts::ProfileError::Email).into());
        }
        accounts::request_password_reset(&ctx.state, &form.email).await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            ctx.done(&ctx.path("/forgot-password"), "auth-notice-reset-sent")
                .await
        }
        Err(refusal) => ctx.refuse("forgot-password", refusal, &fields).await,
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
    let result: Result<(), Refusal> = async {
        ctx.limit(&[(format!("reset:ip:{}", ctx.client.ip), limits::RESET_IP)])
            .await?;
        accounts::reset_password(
            &ctx.state,
            &form.token,
            SecretString::from(form.password.clone()),
        )
        .await?;
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
        Err(refusal) => {
            let page = format!(
                "{}?token={}",
                ctx.path("/reset-password"),
                query_value(&form.token)
            );
            ctx.refuse_at(&page, "reset-password", refusal, &[]).await
        }
    }
}

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    change: String,
}

pub async fn verify_email(ctx: FormContext, Form(form): Form<VerifyForm>) -> Response {
    let result: Result<Response, Refusal> = async {
        ctx.limit(&[(format!("verify:ip:{}", ctx.client.ip), limits::VERIFY_IP)])
            .await?;
        if form.change == "1" {
            accounts::confirm_email_change(&ctx.state, &form.token).await?;
            return Ok(ctx
                .done(&ctx.path("/settings/security"), "auth-notice-email-changed")
                .await);
        }
        let user = accounts::verify_email(&ctx.state, &form.token).await?;
        // The link proved the person holds the address: sign them in here, unless this
        // browser is already signed in as them or the account needs its second factor.
        let current = ctx.user().await?;
        if current.as_ref().map(|u| u.id.as_str()) != Some(user.id.as_str()) && !user.totp_enabled {
            sessions::begin(&ctx.session, &user.id, ctx.client.device()).await?;
            crate::generation::adopt_guest(&ctx.state, ctx.headers(), &user.id).await;
        }
        Ok(ctx
            .done(&ctx.path("/settings/profile"), "auth-notice-email-verified")
            .await)
    }
    .await;
    match result {
        Ok(response) => response,
        Err(refusal) => {
            let page = format!(
                "{}?token={}&change={}",
                ctx.path("/verify-email"),
                query_value(&form.token),
                query_value(&form.change)
            );
            ctx.refuse_at(&page, "verify-email", refusal, &[]).await
        }
    }
}

pub async fn resend_verification(ctx: FormContext) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let result: Result<(), Refusal> = async {
        ctx.limit(&[(
            format!("verify:account:{}", user.id),
            limits::VERIFY_ACCOUNT,
        )])
        .await?;
        accounts::send_verification(&ctx.state, &user).await?;
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
        Err(refusal) => ctx.refuse("resend", refusal, &[]).await,
    }
}

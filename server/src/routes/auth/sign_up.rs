//! Sign-up with an email address and a password.

use super::{Arriving, arrive};
use crate::http::{FormContext, HttpError};
use axum::{Form, response::Response};
use domain::{
    accounts::{self, NewAccount, SignUp, sessions},
    ratelimit::limits,
};
use secrecy::SecretString;
use serde::Deserialize;

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
    let result: Result<(), HttpError> = async {
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
        .await
        .map_err(HttpError::domain)?;
        if let SignUp::Created(user) = outcome {
            tracing::info!(user = %user.id, "account created");
            // Only this browser is signed in by the confirmation link later.
            ctx.session
                .insert(sessions::flow::SIGNED_UP, &user.id)
                .await
                .map_err(HttpError::internal)?;
            arrive(&ctx, &user.id, Arriving::NewAccount).await;
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
        Err(error) => ctx.refuse("sign-up", error, &fields).await,
    }
}

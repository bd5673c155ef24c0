//! Rights requests over HTTP: the form that sends one (it works without JavaScript) and the
//! confirmation of a request through the link mailed to its address. The pages themselves
//! (the form, the confirmation button, the status) are the app's; these handlers take their
//! posts and answer with a redirect (post/redirect/get) or the page again with its error.

use crate::http::{FormContext, HttpError, MaybeUser, response::query_value};
use axum::{Form, response::Response};
use domain::privacy::requests::{self, NewRequest, RequestStatus};
use serde::Deserialize;

/// The form's name in flash messages, as the page shows its errors.
const FORM: &str = "privacy-request";
const VERIFY_FORM: &str = "privacy-request-verify";

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    details: String,
    #[serde(rename = "cf-turnstile-response")]
    turnstile: Option<String>,
}

/// Sends a request. Signed in with the account's address, it is verified by the login and
/// its status shows at once; otherwise the address gets a confirmation link, and the page
/// says so in the same words whether or not the address has an account.
pub async fn submit(
    ctx: FormContext,
    user: Result<MaybeUser, HttpError>,
    Form(form): Form<RequestForm>,
) -> Response {
    let fields = [
        ("kind", form.kind.as_str()),
        ("email", form.email.as_str()),
        ("details", form.details.as_str()),
    ];
    let result: Result<Response, HttpError> = async {
        let MaybeUser(user) = user?;
        // Signed-in people passed a challenge when they signed in.
        if user.is_none() {
            ctx.challenge(form.turnstile.as_deref(), "privacy-request")
                .await?;
        }
        let submitted = requests::submit(
            &ctx.state,
            NewRequest {
                kind: form.kind.clone(),
                email: form.email.clone(),
                details: form.details.clone(),
                locale: ctx.locale.tag().to_string(),
                signed_in_user: user.map(|u| u.id),
                ip: Some(ctx.client.ip.clone()),
            },
            domain::now_ms(),
        )
        .await
        .map_err(HttpError::domain)?;
        Ok(match submitted.status {
            // The owner sees their request signed in: no secret in the address bar.
            RequestStatus::Open => {
                ctx.done(
                    &ctx.path(&format!("/privacy/requests/{}", submitted.id)),
                    "privacy-requests-notice-received",
                )
                .await
            }
            _ => {
                ctx.done(
                    &ctx.path("/privacy/requests"),
                    "privacy-requests-notice-check-inbox",
                )
                .await
            }
        })
    }
    .await;
    match result {
        Ok(response) => response,
        Err(error) => ctx.refuse(FORM, error, &fields).await,
    }
}

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    token: String,
}

/// Confirms a request with the token of its emailed link (the page's button posts it; a
/// mail scanner opening the link confirms nothing), then shows its status.
pub async fn verify(ctx: FormContext, Form(form): Form<VerifyForm>) -> Response {
    let result: Result<Response, HttpError> = async {
        ctx.limit(&[(
            format!("privacy-request-verify:ip:{}", ctx.client.ip),
            domain::ratelimit::limits::VERIFY_IP,
        )])
        .await?;
        let verified = requests::verify(&ctx.state, &form.token, domain::now_ms())
            .await
            .map_err(HttpError::domain)?;
        let status = format!(
            "{}?token={}",
            ctx.path(&format!("/privacy/requests/{}", verified.id)),
            query_value(&verified.status_token)
        );
        Ok(ctx.done(&status, "privacy-requests-notice-verified").await)
    }
    .await;
    match result {
        Ok(response) => response,
        Err(error) => {
            let page = format!(
                "{}?token={}",
                ctx.path("/privacy/requests/verify"),
                query_value(&form.token)
            );
            ctx.refuse_at(&page, VERIFY_FORM, error, &[]).await
        }
    }
}

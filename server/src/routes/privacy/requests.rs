//! Rights requests over HTTP: the form that sends one (it works without JavaScript) and the
//! confirmation of a request through the link mailed to its address. The pages themselves
//! (the form, the confirmation button, the status) are the app's; these handlers take their
//! posts and answer with a redirect (post/redirect/get) or the page again with its error.

use crate::auth::{AuthState, FormContext, Refusal};
use app::i18n::Locale;
use axum::{Form, Router, http::StatusCode, response::Response, routing::post};
use domain::privacy::requests::{self, NewRequest, RequestError, RequestStatus};
use serde::Deserialize;

/// The form's name in flash messages, as the page shows its errors.
const FORM: &str = "privacy-request";
const VERIFY_FORM: &str = "privacy-request-verify";

/// The POST targets, on the same paths as the pages they serve, in every locale.
pub fn routes(state: AuthState) -> Router {
    let mut router = Router::new();
    for locale in Locale::ALL {
        router = router
            .route(&locale.path("/privacy/requests"), post(submit))
            .route(&locale.path("/privacy/requests/verify"), post(verify));
    }
    router.with_state(state)
}

impl From<RequestError> for Refusal {
    fn from(e: RequestError) -> Refusal {
        let status = match &e {
            RequestError::Internal(cause) => {
                tracing::error!(error = %cause, "privacy request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
            RequestError::Limited { seconds } => return Refusal::limited(*seconds),
            RequestError::LinkInvalid | RequestError::LinkExpired => StatusCode::GONE,
            RequestError::NotFound => StatusCode::NOT_FOUND,
            RequestError::NotOpen | RequestError::AlreadyExtended | RequestError::PastDue => {
                StatusCode::CONFLICT
            }
            RequestError::UnknownKind
            | RequestError::Email
            | RequestError::DetailsMissing
            | RequestError::DetailsTooLong
            | RequestError::NoteMissing
            | RequestError::NoteTooLong => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let mut refusal = Refusal::new(e.message_key(), status);
        match e {
            RequestError::DetailsTooLong => refusal
                .args
                .push(("max".into(), requests::MAX_DETAILS.to_string())),
            RequestError::NoteTooLong => refusal
                .args
                .push(("max".into(), requests::MAX_NOTE.to_string())),
            _ => {}
        }
        refusal
    }
}

/// A value as it may appear in a query string.
fn query_value(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

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
pub async fn submit(ctx: FormContext, Form(form): Form<RequestForm>) -> Response {
    let fields = [
        ("kind", form.kind.as_str()),
        ("email", form.email.as_str()),
        ("details", form.details.as_str()),
    ];
    let result: Result<Response, Refusal> = async {
        let user = ctx.user().await?;
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
        .await?;
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
        Err(refusal) => ctx.refuse(FORM, refusal, &fields).await,
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
    let result: Result<Response, Refusal> = async {
        ctx.limit(&[(
            format!("privacy-request-verify:ip:{}", ctx.client.ip),
            domain::ratelimit::limits::VERIFY_IP,
        )])
        .await?;
        let verified = requests::verify(&ctx.state, &form.token, domain::now_ms()).await?;
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
        Err(refusal) => {
            let page = format!(
                "{}?token={}",
                ctx.path("/privacy/requests/verify"),
                query_value(&form.token)
            );
            ctx.refuse_at(&page, VERIFY_FORM, refusal, &[]).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_carry_fitting_statuses() {
        let status = |e: RequestError| Refusal::from(e).status;
        assert_eq!(
            status(RequestError::Email),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(status(RequestError::LinkExpired), StatusCode::GONE);
        assert_eq!(status(RequestError::NotFound), StatusCode::NOT_FOUND);
        assert_eq!(status(RequestError::AlreadyExtended), StatusCode::CONFLICT);
        let limited = Refusal::from(RequestError::Limited { seconds: 30 });
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(limited.retry_after, Some(30));
        let long = Refusal::from(RequestError::DetailsTooLong);
        assert_eq!(
            long.args,
            vec![("max".to_string(), requests::MAX_DETAILS.to_string())]
        );
    }
}

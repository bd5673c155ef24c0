//! `POST /webhooks/{provider}`: the payment providers' events, outside the session and the
//! anti-forgery guard (they are signed instead).

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use domain::{
    AppState,
    billing::{self, Applied, BillingError},
};

/// `POST /webhooks/{provider}`: signature on the raw body first, then the event, once.
/// 400 for a bad signature or payload (nothing changes), 409 for an event about a payment
/// not recorded yet (the provider redelivers it), 200 otherwise.
pub async fn webhook(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(gateway) = state.payments.webhook_gateway(&provider) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let signature = headers
        .get(gateway.signature_header())
        .and_then(|v| v.to_str().ok());
    match billing::receive_webhook(&state, &provider, signature, &body).await {
        Ok(Applied::Done) | Ok(Applied::Duplicate) => StatusCode::OK.into_response(),
        Ok(Applied::NotYet(why)) => (StatusCode::CONFLICT, why).into_response(),
        Err(BillingError::BadSignature) => {
            tracing::warn!(provider, "webhook refused: bad or stale signature");
            (StatusCode::BAD_REQUEST, "bad signature").into_response()
        }
        Err(BillingError::BadPayload(reason)) => {
            tracing::warn!(provider, reason, "webhook refused: bad payload");
            (StatusCode::BAD_REQUEST, "bad payload").into_response()
        }
        Err(e) => {
            tracing::error!(provider, error = %e, "webhook failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

//! `POST /callbacks/{provider}`: a provider says a job finished.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use domain::{
    AppState,
    generation::{ProviderKind, events::Event, provider::CallbackRequest},
};

/// `POST /callbacks/{provider}`: a provider says a job finished. The signature is checked;
/// then the worker waiting on that job (in any process) is woken to re-read the job from
/// the provider itself. The body's claims are never applied directly.
pub async fn callback(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(kind) = ProviderKind::parse(&provider).filter(|k| *k != ProviderKind::Local) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(adapter) = state.providers.get(kind) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let request = CallbackRequest {
        headers: headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect(),
        body: body.to_vec(),
    };
    match adapter.verify_callback(&request, domain::now_ms()) {
        Ok(remote_id) => {
            tracing::info!(provider = %provider, "provider callback verified");
            state
                .events
                .publish(
                    &state.db,
                    Event::Callback {
                        provider: kind.as_str().to_string(),
                        remote_id,
                    },
                )
                .await;
            StatusCode::OK.into_response()
        }
        Err(error) => {
            tracing::info!(provider = %provider, %error, "provider callback refused");
            (StatusCode::BAD_REQUEST, error.to_string()).into_response()
        }
    }
}

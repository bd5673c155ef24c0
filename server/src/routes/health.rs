//! `/healthz`: whether this instance can serve (its database answers).

use axum::{
    Json,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use domain::AppState;
use std::time::Duration;

/// 200 when the database answers, 503 otherwise; never the error's text.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let database = state.db.backend().name();
    match tokio::time::timeout(Duration::from_secs(3), state.db.ping()).await {
        Ok(Ok(())) => {
            Json(serde_json::json!({ "status": "ok", "database": database })).into_response()
        }
        outcome => {
            if let Ok(Err(e)) = outcome {
                tracing::warn!(error = %e, "health check: database unavailable");
            } else {
                tracing::warn!("health check: database timed out");
            }
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": database })),
            )
                .into_response()
        }
    }
}

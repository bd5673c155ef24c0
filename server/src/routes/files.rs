//! Private files (avatars now, images later) served only through signed, expiring links:
//! `/files/<key>?expires=<unix ms>&sig=<hex>`.

use crate::http::{HttpError, HttpState};
use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use domain::{AppState, storage::StorageKey};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Signature {
    expires: Option<i64>,
    sig: Option<String>,
}

pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/files/{*key}", get(serve))
        .with_state(state)
}

async fn serve(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(signature): Query<Signature>,
) -> Response {
    let not_found = || HttpError::not_found().into_response();
    let (Some(expires), Some(sig)) = (signature.expires, signature.sig) else {
        return not_found();
    };
    let Ok(key) = StorageKey::parse(key) else {
        return not_found();
    };
    if !state.storage.verify(&key, expires, &sig, domain::now_ms()) {
        return HttpError::forbidden().into_response();
    }
    match state.storage.get(&key).await {
        Ok(Some(file)) => {
            let mut response = file.bytes.into_response();
            let headers = response.headers_mut();
            if let Ok(ct) = HeaderValue::from_str(&file.content_type) {
                headers.insert(header::CONTENT_TYPE, ct);
            }
            // Private: the browser may keep it until the link expires, no shared cache.
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            );
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline"),
            );
            response
        }
        Ok(None) => not_found(),
        Err(e) => HttpError::internal(format_args!("storage: {e}")).into_response(),
    }
}

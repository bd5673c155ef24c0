//! A stand-in for `POST /emails` that behaves as Resend documents: bearer key,
//! `Idempotency-Key` deduplication, its error shape, and rate limiting on request.

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use serde_json::{Value, json};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

pub const API_KEY: &str = "re_test_9fJ2kQx7_peer_secret";

#[derive(Default)]
pub struct PeerState {
    /// Answer this many calls with 429 before serving again.
    pub rate_limited_calls: u32,
    /// Answer this many calls with 500 before serving again.
    pub failing_calls: u32,
    /// Idempotency key → (Resend id, the request that first used it).
    pub delivered: HashMap<String, (String, Value)>,
    /// Every 200 answer's id, in order.
    pub answered_ids: Vec<String>,
}

pub type Shared = Arc<Mutex<PeerState>>;

/// Serves on a free loopback port; returns its base URL and state.
pub async fn start() -> (String, Shared) {
    let state = Shared::default();
    let app = Router::new()
        .route("/emails", post(emails))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, state)
}

fn error(status: StatusCode, name: &str, message: &str) -> Response {
    let body = json!({ "statusCode": status.as_u16(), "name": name, "message": message });
    (status, Json(body)).into_response()
}

async fn emails(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match bearer {
        None => {
            return error(
                StatusCode::UNAUTHORIZED,
                "missing_api_key",
                "Missing API key in the authorization header.",
            );
        }
        // Resend answers a wrong key with 403. This peer also repeats the key, as a
        // careless service might, to prove the adapter never passes it on.
        Some(key) if key != API_KEY => {
            return error(
                StatusCode::FORBIDDEN,
                "invalid_api_key",
                &format!("API key {key} is invalid."),
            );
        }
        Some(_) => {}
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if key.is_empty() || key.len() > 256 {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_idempotency_key",
            "The key must be between 1-256 chars.",
        );
    }
    let mut state = state.lock().unwrap();
    if state.rate_limited_calls > 0 {
        state.rate_limited_calls -= 1;
        let mut response = error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limit_exceeded",
            "Too many requests. You can only make 2 requests per second.",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, "1".parse().unwrap());
        return response;
    }
    if state.failing_calls > 0 {
        state.failing_calls -= 1;
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "application_error",
            "An unexpected error occurred.",
        );
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_error",
            "Invalid JSON.",
        );
    };
    for field in ["from", "subject"] {
        if request[field].as_str().is_none_or(|s| s.trim().is_empty()) {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_error",
                &format!("Missing `{field}` field."),
            );
        }
    }
    if request["to"].as_array().is_none_or(|to| to.is_empty()) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_error",
            "Missing `to` field.",
        );
    }
    let id = match state.delivered.get(&key) {
        Some((_, first)) if *first != request => {
            return error(
                StatusCode::CONFLICT,
                "invalid_idempotent_request",
                "Same idempotency key used with a different request payload.",
            );
        }
        Some((id, _)) => id.clone(),
        None => {
            let id = uuid::Uuid::new_v4().to_string();
            state.delivered.insert(key, (id.clone(), request));
            id
        }
    };
    state.answered_ids.push(id.clone());
    Json(json!({ "id": id })).into_response()
}

//! Replicate's predictions API: create (by version or on an official model), read, and the
//! signed webhook.

use super::{
    Peer, Shared, bearer, dimensions, has, now_ms, prompt_colour, retry_after_one, serve, solid,
};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, Uri, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use domain::generation::providers::replicate::{
    ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign,
};
use image::ImageFormat;
use serde_json::{Value, json};
use std::time::Duration;

const API_KEY: &str = "r8_PeerReplicateToken4c2e9a71b0";
/// Official models this peer runs by name.
const MODELS: &[&str] = &[
    "black-forest-labs/flux-schnell",
    "black-forest-labs/flux-dev",
    "black-forest-labs/flux-1.1-pro",
    "google/nano-banana",
];
/// The aspect ratios FLUX accepts.
const RATIOS: &[&str] = &[
    "1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21",
];
const EVENTS: &[&str] = &["start", "output", "logs", "completed"];

pub(super) async fn start(webhook_secret: &str) -> Peer {
    assert!(
        sign("msg_check", 0, b"", webhook_secret).is_some(),
        "a Replicate webhook secret is whsec_ and a base64 key"
    );
    let routes = Router::new()
        .route("/v1/predictions", post(create_versioned))
        .route(
            "/v1/models/{owner}/{name}/predictions",
            post(create_on_model),
        )
        .route("/v1/predictions/{id}", get(read));
    serve(API_KEY, Some(webhook_secret), routes).await
}

/// Replicate's errors are problem documents.
fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    let body = json!({ "title": title, "detail": detail, "status": status.as_u16() });
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

fn invalid(field: &str, description: &str) -> Response {
    let body = json!({
        "title": "Input validation failed",
        "detail": format!("- {field}: {description}\n"),
        "status": 422,
        "invalid_fields": [{ "type": "invalid", "field": field, "description": description }],
    });
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

/// The vendor's answer to a missing or wrong key, if it is.
fn check_key(state: &Shared, headers: &HeaderMap) -> Option<Response> {
    // Replicate takes `Bearer` (and the older `Token`) schemes.
    let token = bearer(headers).or_else(|| {
        headers
            .get(header::AUTHORIZATION)?
            .to_str()
            .ok()?
            .strip_prefix("Token ")
    });
    let ok = token == Some(state.api_key.as_str());
    state.authorized(ok);
    (!ok).then(|| {
        problem(
            StatusCode::UNAUTHORIZED,
            "Unauthenticated",
            "You did not pass a valid authentication token",
        )
    })
}

async fn create_versioned(
    State(state): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: Option<Value> = serde_json::from_slice(&body).ok();
    state.record_create(&uri, &headers, request.clone());
    if let Some(denied) = check_key(&state, &headers) {
        return denied;
    }
    let Some(request) = request.filter(Value::is_object) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad request",
            "The request body is not valid JSON",
        );
    };
    let version = request
        .get("version")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if version.len() != 64 || !version.bytes().all(|b| b.is_ascii_hexdigit()) {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid version or not permitted",
            "The specified version does not exist (or perhaps you don't have permission to use it?)",
        );
    }
    create(
        state,
        request,
        "replicate-peer/versioned-model".into(),
        version,
    )
    .await
}

async fn create_on_model(
    State(state): State<Shared>,
    Path((owner, name)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: Option<Value> = serde_json::from_slice(&body).ok();
    state.record_create(&uri, &headers, request.clone());
    if let Some(denied) = check_key(&state, &headers) {
        return denied;
    }
    let model = format!("{owner}/{name}");
    if !MODELS.contains(&model.as_str()) {
        return problem(
            StatusCode::NOT_FOUND,
            "Not found",
            "The requested resource could not be found.",
        );
    }
    let Some(request) = request.filter(Value::is_object) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad request",
            "The request body is not valid JSON",
        );
    };
    create(state, request, model, "hidden".into()).await
}

/// A prediction as the peer runs it.
struct Run {
    prompt: String,
    ratio: String,
    format: ImageFormat,
    seed: Option<u64>,
    webhook: Option<String>,
    events: Vec<String>,
}

async fn create(state: Shared, request: Value, model: String, version: String) -> Response {
    let run = match check(&state, &request).await {
        Ok(run) => run,
        Err(response) => return response,
    };
    if has(&run.prompt, "[ratelimit]") && state.first_call("[ratelimit]", &run.prompt) {
        return retry_after_one(problem(
            StatusCode::TOO_MANY_REQUESTS,
            "Too Many Requests",
            "Request was throttled. Expected available in 1 second.",
        ));
    }
    if has(&run.prompt, "[flaky]") && state.first_call("[flaky]", &run.prompt) {
        return problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "An unexpected error occurred. Please try again.",
        );
    }
    let id = state.new_id("");
    let prediction = json!({
        "id": id,
        "model": model,
        "version": version,
        "input": request["input"],
        "logs": "",
        "output": null,
        "data_removed": false,
        "error": null,
        "status": "starting",
        "created_at": timestamp(now_ms()),
        "started_at": null,
        "completed_at": null,
        "urls": {
            "get": format!("{}/v1/predictions/{id}", state.url),
            "cancel": format!("{}/v1/predictions/{id}/cancel", state.url),
            "web": format!("https://replicate.com/p/{id}"),
        },
        "metrics": {},
    });
    state
        .jobs
        .lock()
        .expect("peer jobs")
        .insert(id.clone(), prediction.clone());
    tokio::spawn(execute(state.clone(), id, run));
    (StatusCode::CREATED, Json(prediction)).into_response()
}

async fn read(State(state): State<Shared>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    state.record_poll();
    if let Some(denied) = check_key(&state, &headers) {
        return denied;
    }
    match state.jobs.lock().expect("peer jobs").get(&id) {
        Some(prediction) => Json(prediction.clone()).into_response(),
        None => problem(
            StatusCode::NOT_FOUND,
            "Not found",
            "The requested resource could not be found.",
        ),
    }
}

/// Checks a create body as Replicate's input validation does (422 on failure).
async fn check(state: &Shared, request: &Value) -> Result<Run, Response> {
    let Some(input) = request.get("input").filter(|i| i.is_object()) else {
        return Err(invalid("input", "input is required"));
    };
    let prompt = input
        .get("prompt")
        .and_then(Value::as_str)
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| invalid("input.prompt", "prompt is required"))?
        .to_string();
    let ratio = match input.get("aspect_ratio") {
        None => "1:1".to_string(),
        Some(Value::String(r)) if RATIOS.contains(&r.as_str()) => r.clone(),
        Some(_) => {
            return Err(invalid(
                "input.aspect_ratio",
                &format!(
                    "aspect_ratio must be one of the following: {}",
                    RATIOS.join(", ")
                ),
            ));
        }
    };
    let format = match input.get("output_format").and_then(Value::as_str) {
        None | Some("webp") => ImageFormat::WebP,
        Some("jpg") => ImageFormat::Jpeg,
        Some("png") => ImageFormat::Png,
        Some(_) => {
            return Err(invalid(
                "input.output_format",
                "output_format must be one of the following: webp, jpg, png",
            ));
        }
    };
    if let Some(n) = input.get("num_outputs")
        && !n.as_u64().is_some_and(|n| (1..=4).contains(&n))
    {
        return Err(invalid(
            "input.num_outputs",
            "num_outputs must be an integer from 1 to 4",
        ));
    }
    let seed = match input.get("seed") {
        None => None,
        Some(seed) => Some(
            seed.as_u64()
                .ok_or_else(|| invalid("input.seed", "seed must be a non-negative integer"))?,
        ),
    };
    if let Some(image) = input.get("image") {
        let decoded = match image.as_str() {
            Some(uri) if uri.starts_with("data:") => uri
                .split_once(";base64,")
                .and_then(|(_, data)| BASE64.decode(data).ok())
                .and_then(|bytes| image::load_from_memory(&bytes).ok())
                .is_some(),
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                state.fetch(url).await.is_ok()
            }
            _ => false,
        };
        if !decoded {
            return Err(invalid(
                "input.image",
                "image must be a URL or data URI of an image",
            ));
        }
    }
    let webhook = match request.get("webhook") {
        None => None,
        Some(Value::String(url)) if url.starts_with("http://") || url.starts_with("https://") => {
            Some(url.clone())
        }
        Some(_) => return Err(invalid("webhook", "webhook must be an HTTP(S) URL")),
    };
    let events = match request.get("webhook_events_filter") {
        None => EVENTS.iter().map(|e| e.to_string()).collect(),
        Some(Value::Array(events)) => {
            let events: Option<Vec<String>> = events
                .iter()
                .map(|e| {
                    e.as_str()
                        .filter(|e| EVENTS.contains(e))
                        .map(str::to_string)
                })
                .collect();
            events.ok_or_else(|| {
                invalid(
                    "webhook_events_filter",
                    "webhook_events_filter values must be start, output, logs or completed",
                )
            })?
        }
        Some(_) => {
            return Err(invalid(
                "webhook_events_filter",
                "webhook_events_filter must be a list",
            ));
        }
    };
    Ok(Run {
        prompt,
        ratio,
        format,
        seed,
        webhook,
        events,
    })
}

/// Runs a prediction in the background, then sends the webhook events asked for.
async fn execute(state: Shared, id: String, run: Run) {
    tokio::time::sleep(Duration::from_millis(30)).await;
    let seed = run.seed.unwrap_or(42);
    let started = state.update_job(&id, |p| {
        p["status"] = json!("processing");
        p["started_at"] = json!(timestamp(now_ms()));
        p["logs"] = json!(format!(
            "Using seed: {seed}\n 50%|█████     | 2/4 [00:00<00:00, 20.1it/s]\n"
        ));
    });
    if let Some(prediction) = started {
        send(&state, &run, "start", &prediction).await;
    }
    if has(&run.prompt, "[hang]") {
        return;
    }
    tokio::time::sleep(Duration::from_millis(70)).await;
    let error = if has(&run.prompt, "[refuse]") {
        Some("NSFW content detected. Try running it again, or try a different prompt.")
    } else if has(&run.prompt, "[fail]") {
        Some(
            "Prediction failed: the model raised an exception while running (ValueError: invalid latent shape).",
        )
    } else {
        None
    };
    let output = match error {
        Some(_) => Value::Null,
        None => {
            let bytes = solid(
                prompt_colour(&run.prompt),
                dimensions(&run.ratio),
                run.format,
            );
            json!([state.store(bytes, run.format)])
        }
    };
    let finished = state.update_job(&id, |p| {
        p["status"] = json!(if error.is_some() { "failed" } else { "succeeded" });
        p["error"] = json!(error);
        p["output"] = output;
        p["completed_at"] = json!(timestamp(now_ms()));
        p["logs"] = json!(format!(
            "Using seed: {seed}\n 50%|█████     | 2/4 [00:00<00:00, 20.1it/s]\n100%|██████████| 4/4 [00:00<00:00, 20.3it/s]\n"
        ));
        p["metrics"] = json!({ "predict_time": 0.07, "total_time": 0.1 });
    });
    if let Some(prediction) = finished {
        send(&state, &run, "completed", &prediction).await;
    }
}

/// Sends a webhook for `event` when the create request asked for it.
async fn send(state: &Shared, run: &Run, event: &str, prediction: &Value) {
    let Some(url) = &run.webhook else {
        return;
    };
    if !run.events.iter().any(|e| e == event) {
        return;
    }
    let body = prediction.to_string().into_bytes();
    let message = state.new_id("msg_");
    let timestamp = now_ms() / 1000;
    let secret = state.callback_secret.clone().unwrap_or_default();
    let signature = sign(&message, timestamp, &body, &secret).unwrap_or_default();
    let headers = vec![
        (ID_HEADER, message),
        (TIMESTAMP_HEADER, timestamp.to_string()),
        (SIGNATURE_HEADER, signature),
    ];
    state.deliver(url, headers, body).await;
}

/// An RFC 3339 UTC time, as Replicate writes it.
fn timestamp(ms: i64) -> String {
    let time = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second(),
        time.millisecond()
    )
}

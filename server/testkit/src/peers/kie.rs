//! Kie.ai's jobs API: `POST /api/v1/jobs/createTask`, `GET /api/v1/jobs/recordInfo`, and
//! the signed completion callback, for the Nano Banana models.

use super::{
    Peer, RATIOS, Shared, bearer, dimensions, has, now_ms, prompt_colour, retry_after_one, serve,
    solid,
};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use domain::generation::providers::kie::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};
use image::ImageFormat;
use serde_json::{Value, json};
use std::{collections::HashMap, time::Duration};

const API_KEY: &str = "kie-peer-3f9c1d7e5b2a8640";

pub(super) async fn start(hmac_key: &str) -> Peer {
    let routes = Router::new()
        .route("/api/v1/jobs/createTask", post(create_task))
        .route("/api/v1/jobs/recordInfo", get(record_info));
    serve(API_KEY, Some(hmac_key), routes).await
}

/// Kie's envelope: `{code, msg, data}`. Kie reports most errors in `code` with HTTP 200.
fn answer(status: StatusCode, code: u16, msg: &str, data: Value) -> Response {
    (
        status,
        Json(json!({ "code": code, "msg": msg, "data": data })),
    )
        .into_response()
}

/// The vendor's answer to a missing or wrong key, if it is.
fn check_key(state: &Shared, headers: &HeaderMap) -> Option<Response> {
    let ok = bearer(headers) == Some(state.api_key.as_str());
    state.authorized(ok);
    (!ok).then(|| {
        answer(
            StatusCode::UNAUTHORIZED,
            401,
            "You do not have access permissions",
            Value::Null,
        )
    })
}

/// A task as the peer runs it.
struct Task {
    prompt: String,
    ratio: String,
    format: ImageFormat,
    image_urls: Vec<String>,
    callback: Option<String>,
}

async fn create_task(
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
        return answer(
            StatusCode::OK,
            422,
            "The request body is not valid JSON",
            Value::Null,
        );
    };
    let task = match check(&request) {
        Ok(task) => task,
        Err(message) => return answer(StatusCode::OK, 422, &message, Value::Null),
    };
    if has(&task.prompt, "[ratelimit]") && state.first_call("[ratelimit]", &task.prompt) {
        return retry_after_one(answer(
            StatusCode::TOO_MANY_REQUESTS,
            429,
            "The request rate limit has been exceeded. Please try again later.",
            Value::Null,
        ));
    }
    if has(&task.prompt, "[flaky]") && state.first_call("[flaky]", &task.prompt) {
        return answer(
            StatusCode::OK,
            500,
            "Server exception, please try again later or contact customer service",
            Value::Null,
        );
    }
    let id = state.new_id("");
    let now = now_ms();
    let record = json!({
        "taskId": id,
        "model": request["model"],
        "state": "waiting",
        "param": request.to_string(),
        "resultJson": "",
        "failCode": "",
        "failMsg": "",
        "costTime": 0,
        "completeTime": null,
        "createTime": now,
        "updateTime": now,
    });
    state
        .jobs
        .lock()
        .expect("peer jobs")
        .insert(id.clone(), record);
    tokio::spawn(run(state.clone(), id.clone(), task));
    answer(StatusCode::OK, 200, "success", json!({ "taskId": id }))
}

async fn record_info(
    State(state): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    state.record_poll();
    if let Some(denied) = check_key(&state, &headers) {
        return denied;
    }
    let Some(id) = query.get("taskId").filter(|id| !id.is_empty()) else {
        return answer(StatusCode::OK, 422, "taskId is required", Value::Null);
    };
    match state.jobs.lock().expect("peer jobs").get(id) {
        Some(record) => answer(StatusCode::OK, 200, "success", record.clone()),
        None => answer(StatusCode::OK, 404, "The task does not exist", Value::Null),
    }
}

/// Checks a createTask body per model, as Kie's validation does (code 422 on failure).
fn check(request: &Value) -> Result<Task, String> {
    let model = request
        .get("model")
        .and_then(Value::as_str)
        .ok_or("model is required")?;
    let input = request
        .get("input")
        .filter(|i| i.is_object())
        .ok_or("input is required")?;
    let callback = match request.get("callBackUrl") {
        None => None,
        Some(Value::String(url)) if url.starts_with("http://") || url.starts_with("https://") => {
            Some(url.clone())
        }
        Some(_) => return Err("callBackUrl must be an http(s) URL".into()),
    };
    let prompt = input
        .get("prompt")
        .and_then(Value::as_str)
        .filter(|p| !p.trim().is_empty())
        .ok_or("input.prompt is required")?
        .to_string();
    let text = |field: &str, allowed: &[&str], default: &str| -> Result<String, String> {
        match input.get(field) {
            None => Ok(default.to_string()),
            Some(Value::String(v)) if allowed.contains(&v.as_str()) => Ok(v.clone()),
            Some(other) => Err(format!(
                "input.{field}: {other} is not one of {}",
                allowed.join(", ")
            )),
        }
    };
    let urls = |field: &str, required: bool, max: usize| -> Result<Vec<String>, String> {
        let list = match input.get(field) {
            None if !required => return Ok(Vec::new()),
            None => return Err(format!("input.{field} is required")),
            Some(Value::Array(list)) => list,
            Some(_) => return Err(format!("input.{field} must be a list of URLs")),
        };
        if (required && list.is_empty()) || list.len() > max {
            return Err(format!("input.{field} takes 1 to {max} URLs"));
        }
        list.iter()
            .map(|u| match u.as_str() {
                Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
                    Ok(u.to_string())
                }
                _ => Err(format!("input.{field} must hold http(s) URLs")),
            })
            .collect()
    };
    let ratios_and_auto: Vec<&str> = RATIOS.iter().copied().chain(["auto"]).collect();
    let flash_format = |v: String| {
        if v == "jpeg" {
            ImageFormat::Jpeg
        } else {
            ImageFormat::Png
        }
    };
    let (limit, ratio, format, image_urls) = match model {
        "google/nano-banana" => {
            if input.get("image_urls").is_some() {
                return Err(
                    "google/nano-banana takes no image_urls; use google/nano-banana-edit".into(),
                );
            }
            let ratio = text("image_size", &ratios_and_auto, "1:1")?;
            let format = flash_format(text("output_format", &["png", "jpeg"], "png")?);
            (5000, ratio, format, Vec::new())
        }
        "google/nano-banana-edit" => {
            let image_urls = urls("image_urls", true, 10)?;
            let ratio = text("aspect_ratio", &ratios_and_auto, "1:1")?;
            let format = flash_format(text("output_format", &["png", "jpeg"], "png")?);
            (5000, ratio, format, image_urls)
        }
        "nano-banana-pro" | "nano-banana-2" => {
            let image_urls = urls("image_input", false, 8)?;
            let ratio = text("aspect_ratio", &ratios_and_auto, "1:1")?;
            text("resolution", &["1K", "2K", "4K"], "1K")?;
            let format = match text("output_format", &["png", "jpg"], "png")?.as_str() {
                "jpg" => ImageFormat::Jpeg,
                _ => ImageFormat::Png,
            };
            (10000, ratio, format, image_urls)
        }
        other => return Err(format!("model {other} is not supported")),
    };
    if prompt.chars().count() > limit {
        return Err(format!("input.prompt is longer than {limit} characters"));
    }
    Ok(Task {
        prompt,
        ratio,
        format,
        image_urls,
        callback,
    })
}

/// Runs a task in the background: fetches its images, makes the result, then calls back.
async fn run(state: Shared, id: String, task: Task) {
    tokio::time::sleep(Duration::from_millis(30)).await;
    state.update_job(&id, |r| {
        r["state"] = json!("generating");
        r["updateTime"] = json!(now_ms());
    });
    if has(&task.prompt, "[hang]") {
        return;
    }
    let mut fetch_error = None;
    for (i, url) in task.image_urls.iter().enumerate() {
        if let Err(e) = state.fetch(url).await {
            fetch_error = Some(format!("Failed to fetch image_urls[{i}]: {e}"));
            break;
        }
    }
    tokio::time::sleep(Duration::from_millis(70)).await;
    let failure = if let Some(message) = fetch_error {
        Some(("422", message))
    } else if has(&task.prompt, "[refuse]") {
        Some((
            "400",
            "Your prompt was flagged by the content safety system as sensitive. Please revise it and try again."
                .to_string(),
        ))
    } else if has(&task.prompt, "[fail]") {
        Some((
            "500",
            "Image generation ended without a result: the model returned no image.".to_string(),
        ))
    } else {
        None
    };
    let result = match &failure {
        None => {
            let ratio = if task.ratio == "auto" {
                "1:1"
            } else {
                &task.ratio
            };
            let bytes = solid(prompt_colour(&task.prompt), dimensions(ratio), task.format);
            let url = state.store(bytes, task.format);
            json!({ "resultUrls": [url] }).to_string()
        }
        Some(_) => String::new(),
    };
    let now = now_ms();
    let Some(record) = state.update_job(&id, |r| {
        let (code, message) = failure.clone().unwrap_or_default();
        r["state"] = json!(if failure.is_some() { "fail" } else { "success" });
        r["resultJson"] = json!(result);
        r["failCode"] = json!(code);
        r["failMsg"] = json!(message);
        r["completeTime"] = json!(now);
        r["updateTime"] = json!(now);
        r["costTime"] = json!(1);
    }) else {
        return;
    };
    let Some(url) = task.callback else {
        return;
    };
    let (code, msg) = match &failure {
        None => (200, "Image generated successfully.".to_string()),
        Some((_, message)) => (501, message.clone()),
    };
    let mut data = record;
    data["creditsConsumed"] = json!(if failure.is_some() { 0 } else { 4 });
    let body = json!({ "code": code, "msg": msg, "data": data });
    let key = state.callback_secret.clone().unwrap_or_default();
    let timestamp = now / 1000;
    let headers = vec![
        (TIMESTAMP_HEADER, timestamp.to_string()),
        (SIGNATURE_HEADER, sign(&id, timestamp, &key)),
    ];
    state
        .deliver(&url, headers, body.to_string().into_bytes())
        .await;
}

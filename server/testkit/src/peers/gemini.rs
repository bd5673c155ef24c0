//! `POST /v1beta/models/{model}:generateContent`, as Google's Gemini API answers it.

use super::{
    Peer, RATIOS, Shared, dimensions, hang, has, prompt_colour, retry_after_one, serve, solid,
};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::post,
};
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use image::ImageFormat;
use serde_json::{Value, json};
use std::collections::HashMap;

const API_KEY: &str = "AIzaSyPeer-gemini-5Jq8vT2mWx";
const MODELS: &[&str] = &[
    "gemini-2.5-flash-image",
    "gemini-2.5-flash-image-preview",
    "gemini-3-pro-image-preview",
    "gemini-3.1-flash-image-preview",
];
const IMAGE_MIME_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/heic",
    "image/heif",
];

pub(super) async fn start() -> Peer {
    let routes = Router::new().route("/v1beta/models/{call}", post(generate_content));
    serve(API_KEY, None, routes).await
}

fn error(status: StatusCode, name: &str, message: &str, details: Value) -> Response {
    let mut error = json!({ "code": status.as_u16(), "message": message, "status": name });
    if !details.is_null() {
        error["details"] = details;
    }
    (status, Json(json!({ "error": error }))).into_response()
}

fn invalid(message: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "INVALID_ARGUMENT",
        message,
        Value::Null,
    )
}

async fn generate_content(
    State(state): State<Shared>,
    Path(call): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: Option<Value> = serde_json::from_slice(&body).ok();
    state.record_create(&uri, &headers, request.clone());
    let key = headers
        .get("x-goog-api-key")
        .and_then(|v| v.to_str().ok())
        .or(query.get("key").map(String::as_str));
    match key {
        None => {
            state.authorized(false);
            return error(
                StatusCode::FORBIDDEN,
                "PERMISSION_DENIED",
                "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
                Value::Null,
            );
        }
        Some(key) if key != state.api_key => {
            state.authorized(false);
            return error(
                StatusCode::BAD_REQUEST,
                "INVALID_ARGUMENT",
                "API key not valid. Please pass a valid API key.",
                json!([{
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                }]),
            );
        }
        Some(_) => state.authorized(true),
    }
    let model = match call.split_once(':') {
        Some((model, "generateContent")) if MODELS.contains(&model) => model.to_string(),
        _ => {
            let model = call.split(':').next().unwrap_or_default();
            return error(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                &format!(
                    "models/{model} is not found for API version v1beta, or is not supported for generateContent."
                ),
                Value::Null,
            );
        }
    };
    let Some(request) = request else {
        return invalid("Invalid JSON payload received.");
    };
    let (prompt, ratio) = match check(&request) {
        Ok(checked) => checked,
        Err(message) => return invalid(&message),
    };
    let usage = json!({
        "promptTokenCount": prompt.len() / 4 + 1,
        "candidatesTokenCount": 1290,
        "totalTokenCount": prompt.len() / 4 + 1291,
    });
    if has(&prompt, "[hang]") {
        hang().await;
    }
    if has(&prompt, "[ratelimit]") && state.first_call("[ratelimit]", &prompt) {
        return retry_after_one(error(
            StatusCode::TOO_MANY_REQUESTS,
            "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details.",
            json!([{ "@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1s" }]),
        ));
    }
    if has(&prompt, "[flaky]") && state.first_call("[flaky]", &prompt) {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
            Value::Null,
        );
    }
    let answer = if has(&prompt, "[refuse]") {
        json!({
            "promptFeedback": { "blockReason": "PROHIBITED_CONTENT" },
            "usageMetadata": usage,
            "modelVersion": model,
        })
    } else if has(&prompt, "[refuse-image]") {
        json!({
            "candidates": [{ "content": { "role": "model", "parts": [] }, "finishReason": "IMAGE_SAFETY", "index": 0 }],
            "usageMetadata": usage,
            "modelVersion": model,
        })
    } else if has(&prompt, "[fail]") {
        json!({
            "candidates": [{
                "content": { "role": "model", "parts": [{ "text": "I can describe this scene, but I was not able to draw it." }] },
                "finishReason": "NO_IMAGE",
                "index": 0,
            }],
            "usageMetadata": usage,
            "modelVersion": model,
        })
    } else {
        let png = solid(prompt_colour(&prompt), dimensions(&ratio), ImageFormat::Png);
        json!({
            "candidates": [{
                "content": {
                    "role": "model",
                    "parts": [
                        { "text": "Here is the image." },
                        { "inlineData": { "mimeType": "image/png", "data": BASE64.encode(png) } },
                    ],
                },
                "finishReason": "STOP",
                "index": 0,
            }],
            "usageMetadata": usage,
            "modelVersion": model,
        })
    };
    Json(answer).into_response()
}

/// Checks the request as the API does; returns the prompt (every text part, joined) and
/// the aspect ratio asked for.
fn check(request: &Value) -> Result<(String, String), String> {
    let contents = request
        .get("contents")
        .and_then(Value::as_array)
        .filter(|c| !c.is_empty())
        .ok_or("* GenerateContentRequest.contents: contents is not specified")?;
    let mut texts = Vec::new();
    for (i, content) in contents.iter().enumerate() {
        let parts = content
            .get("parts")
            .and_then(Value::as_array)
            .filter(|p| !p.is_empty())
            .ok_or(format!(
                "* GenerateContentRequest.contents[{i}].parts: contents.parts must not be empty."
            ))?;
        for (j, part) in parts.iter().enumerate() {
            if let Some(text) = part.get("text") {
                texts.push(
                    text.as_str()
                        .ok_or(format!("Invalid value at 'contents[{i}].parts[{j}].text'"))?
                        .to_string(),
                );
                continue;
            }
            let inline = part
                .get("inline_data")
                .or_else(|| part.get("inlineData"))
                .ok_or(format!("* GenerateContentRequest.contents[{i}].parts[{j}].data: required oneof field 'data' must have one initialized field"))?;
            let mime = inline
                .get("mime_type")
                .or_else(|| inline.get("mimeType"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !IMAGE_MIME_TYPES.contains(&mime) {
                return Err(format!("Unsupported MIME type: {mime}"));
            }
            let data = inline
                .get("data")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let bytes = BASE64
                .decode(data)
                .map_err(|_| format!("Invalid value at 'contents[{i}].parts[{j}].inline_data.data' (TYPE_BYTES), Base64 decoding failed"))?;
            image::load_from_memory(&bytes)
                .map_err(|_| "Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting".to_string())?;
        }
    }
    let config = request
        .get("generationConfig")
        .cloned()
        .unwrap_or(Value::Null);
    let modalities: Vec<&str> = config
        .get("responseModalities")
        .and_then(Value::as_array)
        .map(|m| m.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !modalities.contains(&"IMAGE") {
        return Err("This model only supports text and image output: responseModalities must include IMAGE.".into());
    }
    let image_config = config.get("imageConfig").cloned().unwrap_or(Value::Null);
    let ratio = match image_config.get("aspectRatio") {
        None => "1:1".to_string(),
        Some(Value::String(r)) if RATIOS.contains(&r.as_str()) => r.clone(),
        Some(other) => return Err(format!("Unsupported aspect ratio: {other}")),
    };
    match image_config.get("imageSize") {
        None => {}
        Some(Value::String(size)) if ["1K", "2K", "4K"].contains(&size.as_str()) => {}
        Some(other) => {
            return Err(format!(
                "Invalid value at 'generation_config.image_config.image_size': {other}; use 1K, 2K or 4K"
            ));
        }
    }
    if texts.is_empty() {
        return Err("A text part with the prompt is required.".into());
    }
    Ok((texts.join("\n"), ratio))
}

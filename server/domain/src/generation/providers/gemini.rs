//! Google's Gemini API (`generateContent` on the Nano Banana models): one synchronous call
//! that answers with the image inline, or with the reason there is none.
//!
//! The prompt goes first, then each reference image inline, then the mask with a sentence
//! saying what it means (Gemini takes no separate mask). The aspect ratio always rides in
//! `imageConfig`; the size only for Pro models, the only ones that take it. A blocked
//! prompt (`promptFeedback.blockReason`) or a safety stop is a refusal; an answer without
//! an image (text only, `NO_IMAGE`) is a failure.

use super::http;
use crate::config::ProviderApi;
use crate::generation::{
    GeneratedImage, ImageProvider, InputImage, ProviderError, ProviderJob, RemoteTracker,
};
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use std::time::Duration;

/// What the models are told about a mask sent as the last image. Kie's Nano Banana models
/// (Gemini underneath) are told the same.
pub(super) const MASK_INSTRUCTION: &str = "The last image is a mask for the first image. \
Change only the part of the first image that lies under the white area of the mask, and keep \
everything under the black area exactly as it is.";

/// Finish reasons that mean a safety or policy stop: refusals, never retried.
const REFUSAL_REASONS: &[&str] = &[
    "SAFETY",
    "IMAGE_SAFETY",
    "IMAGE_PROHIBITED_CONTENT",
    "PROHIBITED_CONTENT",
    "BLOCKLIST",
    "SPII",
    "RECITATION",
    "IMAGE_RECITATION",
];

/// Gemini, called directly with an AI Studio API key.
pub struct Gemini {
    api: ProviderApi,
    http: reqwest::Client,
}

impl Gemini {
    pub fn new(api: ProviderApi, http: reqwest::Client) -> Gemini {
        Gemini { api, http }
    }
}

#[async_trait::async_trait]
impl ImageProvider for Gemini {
    async fn generate(
        &self,
        job: &ProviderJob,
        _tracker: &dyn RemoteTracker,
    ) -> Result<Vec<GeneratedImage>, ProviderError> {
        let url = format!(
            "{}/v1beta/models/{}:generateContent",
            self.api.api_url, job.remote_model
        );
        let request = self
            .http
            .post(url)
            .header("x-goog-api-key", self.api.api_key.expose_secret())
            .json(&request_body(job));
        let answer = http::send(request, "Gemini", &self.api).await?;
        let body = answer.json();
        if !answer.is_success() {
            return Err(error_answer(&answer, body.as_ref(), &self.api));
        }
        let body = body.ok_or_else(|| {
            ProviderError::failed(http::reason(
                &format!(
                    "Gemini answered {} with no JSON: {}",
                    answer.status,
                    answer.text()
                ),
                &self.api,
            ))
        })?;
        read_images(&body)
    }
}

/// Whether a model takes `imageConfig.imageSize` (the Pro models do; Flash ones make 1K).
fn takes_image_size(remote_model: &str) -> bool {
    remote_model.contains("pro")
}

fn inline_image(image: &InputImage) -> Value {
    json!({
        "inline_data": {
            "mime_type": image.kind.content_type(),
            "data": BASE64.encode(&image.bytes),
        }
    })
}

/// The `generateContent` body for `job`.
pub(super) fn request_body(job: &ProviderJob) -> Value {
    let mut parts = vec![json!({ "text": job.full_prompt })];
    parts.extend(job.references.iter().map(inline_image));
    if let Some(mask) = &job.mask {
        parts.push(inline_image(mask));
        parts.push(json!({ "text": MASK_INSTRUCTION }));
    }
    let mut image_config = json!({ "aspectRatio": job.aspect_ratio.as_str() });
    if takes_image_size(&job.remote_model) {
        image_config["imageSize"] = json!(job.resolution.as_str());
    }
    json!({
        "contents": [{ "role": "user", "parts": parts }],
        "generationConfig": {
            "responseModalities": ["TEXT", "IMAGE"],
            "imageConfig": image_config,
        },
    })
}

/// The images in a successful answer, or why there are none.
pub(super) fn read_images(body: &Value) -> Result<Vec<GeneratedImage>, ProviderError> {
    if let Some(block) = body
        .pointer("/promptFeedback/blockReason")
        .and_then(Value::as_str)
    {
        let message = body
            .pointer("/promptFeedback/blockReasonMessage")
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Err(ProviderError::refused(http::clip(&format!(
            "Gemini blocked the prompt: {block} {message}"
        ))));
    }
    let candidates = body
        .get("candidates")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let finish_reasons: Vec<&str> = candidates
        .iter()
        .filter_map(|c| c.get("finishReason").and_then(Value::as_str))
        .collect();
    if let Some(refusal) = finish_reasons
        .iter()
        .find(|reason| REFUSAL_REASONS.contains(reason))
    {
        return Err(ProviderError::refused(format!(
            "Gemini stopped for safety: finishReason {refusal}"
        )));
    }
    let mut images = Vec::new();
    let mut text = String::new();
    for part in candidates
        .iter()
        .filter_map(|c| c.pointer("/content/parts").and_then(Value::as_array))
        .flatten()
    {
        if let Some(t) = part.get("text").and_then(Value::as_str) {
            text.push_str(t);
        }
        let Some(inline) = part.get("inlineData").or_else(|| part.get("inline_data")) else {
            continue;
        };
        let mime = inline
            .get("mimeType")
            .or_else(|| inline.get("mime_type"))
            .and_then(Value::as_str)
            .unwrap_or("image/png");
        if !mime.starts_with("image/") {
            continue;
        }
        let data = inline
            .get("data")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let bytes = BASE64.decode(data).map_err(|e| {
            ProviderError::failed(format!("Gemini sent an image that is not base64: {e}"))
        })?;
        if bytes.is_empty() {
            return Err(ProviderError::failed("Gemini sent an empty image"));
        }
        images.push(GeneratedImage { bytes });
    }
    if images.is_empty() {
        let finish = if finish_reasons.is_empty() {
            "none".to_string()
        } else {
            finish_reasons.join(",")
        };
        return Err(ProviderError::failed(http::clip(&format!(
            "Gemini returned no image (finishReason {finish}): {text}"
        ))));
    }
    Ok(images)
}

/// An error answer (`{"error":{"code","message","status","details"}}`) as a provider error.
fn error_answer(answer: &http::Answer, body: Option<&Value>, api: &ProviderApi) -> ProviderError {
    let error = body.and_then(|b| b.get("error"));
    let field = |name: &str| {
        error
            .and_then(|e| e.get(name))
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let details = error
        .and_then(|e| e.get("details"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let code = details
        .iter()
        .find_map(|d| d.get("reason").and_then(Value::as_str))
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    // Google states its back-off in a RetryInfo detail ("31s"); the header wins if sent.
    let retry_info = details.iter().find_map(|d| {
        let delay = d.get("retryDelay")?.as_str()?.strip_suffix('s')?;
        delay.parse::<f64>().ok().map(Duration::from_secs_f64)
    });
    let text = if error.is_some() {
        format!(
            "Gemini HTTP {} {}{}: {}",
            answer.status,
            field("status"),
            code,
            field("message")
        )
    } else {
        format!("Gemini HTTP {}: {}", answer.status, answer.text())
    };
    ProviderError::from_status(
        answer.status,
        http::reason(&text, api),
        answer.retry_after.or(retry_info),
    )
}

//! OpenAI's Images API (GPT Image models): `generations` with JSON for a prompt alone,
//! `edits` with multipart/form-data when there are reference images. Both answer with the
//! images base64-encoded in `data[].b64_json`.
//!
//! OpenAI's mask convention is the inverse of ours: its transparent pixels are the area to
//! edit. A mask is converted ([`openai_mask`]) and sized to the first reference, which is
//! the image it applies to.

use super::http;
use crate::config::ProviderApi;
use crate::generation::{
    AspectRatio, GeneratedImage, ImageProvider, InputImage, OutputFormat, ProviderError,
    ProviderJob, RemoteTracker,
};
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use image::{GrayImage, ImageFormat, Rgba, RgbaImage, imageops::FilterType};
use reqwest::multipart::{Form, Part};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use std::io::Cursor;

/// OpenAI's GPT Image models.
pub struct OpenAi {
    api: ProviderApi,
    http: reqwest::Client,
}

impl OpenAi {
    pub fn new(api: ProviderApi, http: reqwest::Client) -> OpenAi {
        OpenAi { api, http }
    }

    async fn edit_form(&self, job: &ProviderJob) -> Result<Form, ProviderError> {
        let mut form = Form::new();
        for (i, image) in job.references.iter().enumerate() {
            form = form.part("image[]", file_part(image.bytes.clone(), image, i + 1)?);
        }
        if let (Some(mask), Some(first)) = (&job.mask, job.references.first()) {
            let (bytes, width, height) = (mask.bytes.clone(), first.width, first.height);
            let png = tokio::task::spawn_blocking(move || openai_mask(&bytes, width, height))
                .await
                .map_err(|e| ProviderError::failed(format!("converting the mask stopped: {e}")))?
                .map_err(|e| ProviderError::failed(format!("the mask cannot be read: {e}")))?;
            let part = Part::bytes(png)
                .file_name("mask.png")
                .mime_str("image/png")
                .map_err(|e| ProviderError::failed(format!("mask part: {e}")))?;
            form = form.part("mask", part);
        }
        Ok(form
            .text("prompt", job.full_prompt.clone())
            .text("model", job.remote_model.clone())
            .text("n", "1")
            .text("size", size(job.aspect_ratio))
            .text("quality", "auto")
            .text("output_format", output_format(job.format)))
    }
}

#[async_trait::async_trait]
impl ImageProvider for OpenAi {
    async fn generate(
        &self,
        job: &ProviderJob,
        _tracker: &dyn RemoteTracker,
    ) -> Result<Vec<GeneratedImage>, ProviderError> {
        let key = self.api.api_key.expose_secret();
        let request = if job.references.is_empty() {
            self.http
                .post(format!("{}/v1/images/generations", self.api.api_url))
                .bearer_auth(key)
                .json(&generation_body(job))
        } else {
            self.http
                .post(format!("{}/v1/images/edits", self.api.api_url))
                .bearer_auth(key)
                .multipart(self.edit_form(job).await?)
        };
        let answer = http::send(request, "OpenAI", &self.api).await?;
        let body = answer.json();
        if !answer.is_success() {
            return Err(error_answer(&answer, body.as_ref(), &self.api));
        }
        let body = body.ok_or_else(|| {
            ProviderError::failed(http::reason(
                &format!(
                    "OpenAI answered {} with no JSON: {}",
                    answer.status,
                    answer.text()
                ),
                &self.api,
            ))
        })?;
        read_images(&body)
    }
}

/// The size OpenAI offers closest to `ratio`: square, landscape 3:2, portrait 2:3, or
/// `auto` (the model's choice) for the near-square ratios between.
pub(super) fn size(ratio: AspectRatio) -> &'static str {
    let (w, h) = ratio.ratio();
    if w == h {
        "1024x1024"
    } else if 2 * w >= 3 * h {
        "1536x1024"
    } else if 2 * h >= 3 * w {
        "1024x1536"
    } else {
        "auto"
    }
}

fn output_format(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Png => "png",
        OutputFormat::Jpeg => "jpeg",
        OutputFormat::Webp => "webp",
    }
}

fn generation_body(job: &ProviderJob) -> Value {
    json!({
        "model": job.remote_model,
        "prompt": job.full_prompt,
        "n": 1,
        "size": size(job.aspect_ratio),
        "quality": "auto",
        "output_format": output_format(job.format),
    })
}

fn file_part(bytes: Vec<u8>, image: &InputImage, number: usize) -> Result<Part, ProviderError> {
    Part::bytes(bytes)
        .file_name(format!("reference-{number}.{}", image.kind.extension()))
        .mime_str(image.kind.content_type())
        .map_err(|e| ProviderError::failed(format!("reference part: {e}")))
}

/// Our mask (white or opaque = repaint, black or transparent = keep) as OpenAI wants it: a
/// `width`×`height` PNG, transparent where the image may change and opaque elsewhere. A
/// mask that uses transparency is read by its alpha; an opaque one by its brightness.
pub fn openai_mask(mask: &[u8], width: u32, height: u32) -> Result<Vec<u8>, image::ImageError> {
    let rgba = image::load_from_memory(mask)?.to_rgba8();
    let uses_alpha = rgba.pixels().any(|p| p.0[3] < 255);
    let repaint = GrayImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        if uses_alpha {
            image::Luma([a])
        } else {
            let luma = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000;
            image::Luma([luma as u8])
        }
    });
    let (width, height) = if width == 0 || height == 0 {
        repaint.dimensions()
    } else {
        (width, height)
    };
    let repaint = if repaint.dimensions() == (width, height) {
        repaint
    } else {
        image::imageops::resize(&repaint, width, height, FilterType::Triangle)
    };
    let out = RgbaImage::from_fn(width, height, |x, y| {
        if repaint.get_pixel(x, y).0[0] >= 128 {
            Rgba([0, 0, 0, 0])
        } else {
            Rgba([0, 0, 0, 255])
        }
    });
    let mut png = Vec::new();
    out.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)?;
    Ok(png)
}

/// The images of a successful answer.
fn read_images(body: &Value) -> Result<Vec<GeneratedImage>, ProviderError> {
    let mut images = Vec::new();
    for item in body
        .get("data")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let Some(data) = item.get("b64_json").and_then(Value::as_str) else {
            continue;
        };
        let bytes = BASE64.decode(data).map_err(|e| {
            ProviderError::failed(format!("OpenAI sent an image that is not base64: {e}"))
        })?;
        if !bytes.is_empty() {
            images.push(GeneratedImage { bytes });
        }
    }
    if images.is_empty() {
        return Err(ProviderError::failed("OpenAI answered without an image"));
    }
    Ok(images)
}

/// An error answer (`{"error":{"message","type","param","code"}}`) as a provider error.
fn error_answer(answer: &http::Answer, body: Option<&Value>, api: &ProviderApi) -> ProviderError {
    let error = body.and_then(|b| b.get("error"));
    let field = |name: &str| {
        error
            .and_then(|e| e.get(name))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let (message, kind, code) = (field("message"), field("type"), field("code"));
    let text = if error.is_some() {
        format!("OpenAI HTTP {} {kind} {code}: {message}", answer.status)
    } else {
        format!("OpenAI HTTP {}: {}", answer.status, answer.text())
    };
    let reason = http::reason(&text, api);
    let safety = code == "moderation_blocked"
        || code == "content_policy_violation"
        || message.to_lowercase().contains("safety system");
    if safety {
        ProviderError::refused(reason)
    } else if answer.status == 429 && (code == "insufficient_quota" || kind == "insufficient_quota")
    {
        // Out of credit with OpenAI: waiting does not help.
        ProviderError::failed(reason)
    } else {
        ProviderError::from_status(answer.status, reason, answer.retry_after)
    }
}

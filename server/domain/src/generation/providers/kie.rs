//! Kie.ai's jobs API for the Nano Banana models: create a task, then wait for its signed
//! callback or poll `recordInfo` until it ends, then download the result URLs.
//!
//! Every answer is `{code, msg, data}`, and the business `code` counts as much as the HTTP
//! status. The task id is reported to the worker as soon as the task exists, so a retry
//! resumes it rather than paying for another. Kie takes images by URL only: references go
//! as our signed links, and a mask as one more image with a sentence saying what it is.

use super::{gemini::MASK_INSTRUCTION, http};
use crate::config::ProviderApi;
use crate::generation::{
    CallbackRequest, GeneratedImage, ImageProvider, OutputFormat, ProviderError, ProviderJob,
    RemoteTracker, provider::CallbackError,
};
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use sha2::Sha256;
use std::time::Duration;

/// How often a task is re-read when no callback arrives, unless configured.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(3);
/// How far a callback's timestamp may be from our clock, in seconds.
pub const TOLERANCE_SECS: i64 = 300;
/// The callback headers, lower-case.
pub const TIMESTAMP_HEADER: &str = "x-webhook-timestamp";
pub const SIGNATURE_HEADER: &str = "x-webhook-signature";

/// The longest prompt the Flash models take, in characters.
const FLASH_PROMPT_CHARS: usize = 5000;
/// The longest prompt the Pro and 2 models take, in characters.
const PRO_PROMPT_CHARS: usize = 10000;

/// Business codes worth retrying: upstream timeout, rate limit, maintenance, server error
/// (and the gateway errors a proxy in front of Kie answers with).
const TRANSIENT_CODES: &[i64] = &[408, 429, 455, 500, 502, 503, 504];

/// Kie.ai, with its API key and (optionally) its webhook HMAC key.
pub struct Kie {
    api: ProviderApi,
    http: reqwest::Client,
    poll_interval: Duration,
}

impl Kie {
    pub fn new(api: ProviderApi, http: reqwest::Client) -> Kie {
        Kie {
            api,
            http,
            poll_interval: DEFAULT_POLL_INTERVAL,
        }
    }

    /// Re-reads a running task this often when no callback arrives first.
    pub fn with_poll_interval(mut self, interval: Duration) -> Kie {
        self.poll_interval = interval;
        self
    }

    /// Sends `request` with the key and returns the answer's `data`, or the error its HTTP
    /// status or business code stands for.
    async fn call(
        &self,
        request: reqwest::RequestBuilder,
        what: &str,
    ) -> Result<Value, ProviderError> {
        let request = request.bearer_auth(self.api.api_key.expose_secret());
        let answer = http::send(request, "Kie", &self.api).await?;
        let body = answer.json();
        let code = body.as_ref().and_then(|b| match b.get("code") {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        });
        if answer.is_success() && code == Some(200) {
            return Ok(body
                .and_then(|mut b| b.get_mut("data").map(Value::take))
                .unwrap_or(Value::Null));
        }
        let message = body
            .as_ref()
            .and_then(|b| b.get("msg"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| answer.text());
        let text = match code {
            Some(code) => format!("Kie {what}: HTTP {} code {code}: {message}", answer.status),
            None => format!("Kie {what}: HTTP {}: {message}", answer.status),
        };
        let reason = http::reason(&text, &self.api);
        Err(match code.filter(|c| *c != 200) {
            Some(code) if TRANSIENT_CODES.contains(&code) => ProviderError::Transient {
                reason,
                retry_after: answer.retry_after,
            },
            Some(_) => ProviderError::failed(reason),
            None => ProviderError::from_status(answer.status, reason, answer.retry_after),
        })
    }

    async fn create(&self, job: &ProviderJob) -> Result<String, ProviderError> {
        let url = format!("{}/api/v1/jobs/createTask", self.api.api_url);
        let data = self
            .call(self.http.post(url).json(&create_body(job)), "createTask")
            .await?;
        data.get("taskId")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .ok_or_else(|| ProviderError::failed("Kie createTask answered without a taskId"))
    }

    async fn record(&self, task_id: &str) -> Result<Value, ProviderError> {
        let url = format!("{}/api/v1/jobs/recordInfo", self.api.api_url);
        let data = self
            .call(
                self.http.get(url).query(&[("taskId", task_id)]),
                "recordInfo",
            )
            .await?;
        if data.is_object() {
            Ok(data)
        } else {
            Err(ProviderError::failed(format!(
                "Kie recordInfo answered without the task {task_id}"
            )))
        }
    }

    async fn results(&self, record: &Value) -> Result<Vec<GeneratedImage>, ProviderError> {
        let urls = result_urls(record)?;
        let downloads = urls
            .iter()
            .map(|url| http::download(&self.http, url, "Kie", &self.api));
        futures::future::try_join_all(downloads).await
    }
}

#[async_trait::async_trait]
impl ImageProvider for Kie {
    async fn generate(
        &self,
        job: &ProviderJob,
        tracker: &dyn RemoteTracker,
    ) -> Result<Vec<GeneratedImage>, ProviderError> {
        let read = |task_id: String| async move {
            let record = self.record(&task_id).await?;
            let state = record.get("state").and_then(Value::as_str).unwrap_or("");
            Ok(match state {
                "success" => http::Poll::Done(self.results(&record).await),
                "fail" => http::Poll::Done(Err(failure(&record))),
                // Kie tells no percentage: the stages stand in for one.
                "generating" => http::Poll::Running(Some(50)),
                _ => http::Poll::Running(Some(5)),
            })
        };
        let create = self.create(job);
        http::follow_job("Kie", job, tracker, self.poll_interval, create, read).await
    }

    fn verify_callback(
        &self,
        request: &CallbackRequest,
        now_ms: i64,
    ) -> Result<String, CallbackError> {
        let key = self
            .api
            .callback_secret
            .as_ref()
            .ok_or(CallbackError::Signature)?;
        let timestamp = request
            .header(TIMESTAMP_HEADER)
            .ok_or(CallbackError::Signature)?
            .trim();
        let signature = request
            .header(SIGNATURE_HEADER)
            .ok_or(CallbackError::Signature)?;
        let body: Value =
            serde_json::from_slice(&request.body).map_err(|_| CallbackError::Malformed)?;
        let task_id = ["/data/taskId", "/data/task_id"]
            .iter()
            .find_map(|p| body.pointer(p).and_then(Value::as_str))
            .filter(|id| !id.is_empty())
            .ok_or(CallbackError::Malformed)?;
        let signature = BASE64
            .decode(signature.trim())
            .map_err(|_| CallbackError::Signature)?;
        let mut mac = Hmac::<Sha256>::new_from_slice(key.expose_secret().as_bytes())
            .expect("HMAC takes any key");
        mac.update(format!("{task_id}.{timestamp}").as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| CallbackError::Signature)?;
        let seconds: i64 = timestamp.parse().map_err(|_| CallbackError::Signature)?;
        if (now_ms.div_euclid(1000) - seconds).abs() > TOLERANCE_SECS {
            return Err(CallbackError::Stale);
        }
        Ok(task_id.to_string())
    }
}

/// The signature Kie sends with a callback for `task_id` at `timestamp` (Unix seconds):
/// base64 of HMAC-SHA256 over `"{task_id}.{timestamp}"` under the webhook HMAC key.
pub fn sign(task_id: &str, timestamp: i64, key: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(format!("{task_id}.{timestamp}").as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// Whether a model takes the Pro input (`image_input`, `resolution`, `jpg`): Nano Banana
/// Pro and Nano Banana 2.
fn is_pro_family(remote_model: &str) -> bool {
    remote_model.starts_with("nano-banana-pro") || remote_model.starts_with("nano-banana-2")
}

/// `text` cut to `max` characters. The person's own words come first and are within every
/// model's limit; only the folded-in directions can run over.
fn limit_prompt(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((cut, _)) => {
            tracing::debug!(
                chars = text.chars().count(),
                max,
                "prompt cut to Kie's limit"
            );
            &text[..cut]
        }
        None => text,
    }
}

/// The `createTask` body for `job`.
pub(super) fn create_body(job: &ProviderJob) -> Value {
    let mut urls: Vec<&str> = job.references.iter().map(|r| r.url.as_str()).collect();
    let mut prompt = job.full_prompt.clone();
    if let Some(mask) = &job.mask {
        urls.push(&mask.url);
        prompt = format!("{MASK_INSTRUCTION}\n\n{prompt}");
    }
    let (model, input) = if is_pro_family(&job.remote_model) {
        let format = match job.format {
            OutputFormat::Jpeg => "jpg",
            OutputFormat::Png | OutputFormat::Webp => "png",
        };
        let input = json!({
            "prompt": limit_prompt(&prompt, PRO_PROMPT_CHARS),
            "image_input": urls,
            "aspect_ratio": job.aspect_ratio.as_str(),
            "resolution": job.resolution.as_str(),
            "output_format": format,
        });
        (job.remote_model.as_str(), input)
    } else {
        // The Flash models make PNG or JPEG; WebP is converted from PNG by the worker.
        let format = match job.format {
            OutputFormat::Jpeg => "jpeg",
            OutputFormat::Png | OutputFormat::Webp => "png",
        };
        let prompt = limit_prompt(&prompt, FLASH_PROMPT_CHARS);
        if urls.is_empty() {
            let input = json!({
                "prompt": prompt,
                "output_format": format,
                "image_size": job.aspect_ratio.as_str(),
            });
            ("google/nano-banana", input)
        } else {
            let input = json!({
                "prompt": prompt,
                "image_urls": urls,
                "output_format": format,
                "aspect_ratio": job.aspect_ratio.as_str(),
            });
            ("google/nano-banana-edit", input)
        }
    };
    let mut body = json!({ "model": model, "input": input });
    if let Some(callback) = &job.callback_url {
        body["callBackUrl"] = json!(callback);
    }
    body
}

/// The result URLs of a successful task (`resultJson` is a JSON document in a string).
fn result_urls(record: &Value) -> Result<Vec<String>, ProviderError> {
    let result: Value = match record.get("resultJson") {
        Some(Value::String(text)) => serde_json::from_str(text)
            .map_err(|e| ProviderError::failed(format!("Kie resultJson is not JSON: {e}")))?,
        Some(other) if other.is_object() => other.clone(),
        _ => Value::Null,
    };
    let urls: Vec<String> = result
        .get("resultUrls")
        .and_then(Value::as_array)
        .map(|urls| {
            urls.iter()
                .filter_map(Value::as_str)
                .filter(|u| !u.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if urls.is_empty() {
        return Err(ProviderError::failed(
            "Kie reported success without result URLs",
        ));
    }
    Ok(urls)
}

/// A failed task: a refusal when Kie's message speaks of a content policy, else a failure.
fn failure(record: &Value) -> ProviderError {
    let text = |field: &str| match record.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let (code, message) = (text("failCode"), text("failMsg"));
    let reason = http::clip(&format!("Kie task failed: code {code}: {message}"));
    if http::mentions_policy(&message) {
        ProviderError::refused(reason)
    } else {
        ProviderError::failed(reason)
    }
}

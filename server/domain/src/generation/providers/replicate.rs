//! Replicate's predictions API: create a prediction (by version, or on an official model),
//! then wait for its signed webhook or poll it until it ends, then download its output.
//!
//! The prediction id is reported to the worker as soon as it exists, so a retry resumes it
//! rather than paying for another. Webhooks are signed the Standard Webhooks way: an
//! HMAC-SHA256 over `"{id}.{timestamp}.{body}"` under the base64 key after `whsec_`.

use super::http;
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

/// How often a prediction is re-read when no webhook arrives, unless configured.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(3);
/// How far a webhook's timestamp may be from our clock, in seconds.
pub const TOLERANCE_SECS: i64 = 300;
/// The webhook headers, lower-case.
pub const ID_HEADER: &str = "webhook-id";
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// Replicate, with its API token and the account's webhook signing secret.
pub struct Replicate {
    api: ProviderApi,
    http: reqwest::Client,
    poll_interval: Duration,
}

impl Replicate {
    pub fn new(api: ProviderApi, http: reqwest::Client) -> Replicate {
        Replicate {
            api,
            http,
            poll_interval: DEFAULT_POLL_INTERVAL,
        }
    }

    /// Re-reads a running prediction this often when no webhook arrives first.
    pub fn with_poll_interval(mut self, interval: Duration) -> Replicate {
        self.poll_interval = interval;
        self
    }

    /// Sends `request` with the token and returns the prediction it answers with.
    async fn call(
        &self,
        request: reqwest::RequestBuilder,
        what: &str,
    ) -> Result<Value, ProviderError> {
        let request = request.bearer_auth(self.api.api_key.expose_secret());
        let answer = http::send(request, "Replicate", &self.api).await?;
        let body = answer.json();
        if answer.is_success() {
            return body.filter(Value::is_object).ok_or_else(|| {
                ProviderError::failed(http::reason(
                    &format!(
                        "Replicate {what} answered {} with no prediction: {}",
                        answer.status,
                        answer.text()
                    ),
                    &self.api,
                ))
            });
        }
        // Errors are problem documents: {"title","detail","status"}.
        let field = |name: &str| {
            body.as_ref()
                .and_then(|b| b.get(name))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let text = match (field("title"), field("detail")) {
            (None, None) => format!(
                "Replicate {what}: HTTP {}: {}",
                answer.status,
                answer.text()
            ),
            (title, detail) => format!(
                "Replicate {what}: HTTP {} {}: {}",
                answer.status,
                title.unwrap_or_default(),
                detail.unwrap_or_default()
            ),
        };
        Err(ProviderError::from_status(
            answer.status,
            http::reason(&text, &self.api),
            answer.retry_after,
        ))
    }

    async fn create(&self, job: &ProviderJob) -> Result<String, ProviderError> {
        let (url, body) = create_request(&self.api.api_url, job)?;
        let prediction = self.call(self.http.post(url).json(&body), "create").await?;
        prediction
            .get("id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .ok_or_else(|| ProviderError::failed("Replicate created a prediction without an id"))
    }

    async fn read(&self, id: &str) -> Result<Value, ProviderError> {
        let url = format!("{}/v1/predictions/{id}", self.api.api_url);
        self.call(self.http.get(url), "get").await
    }

    async fn results(&self, prediction: &Value) -> Result<Vec<GeneratedImage>, ProviderError> {
        let outputs = outputs(prediction);
        if outputs.is_empty() {
            return Err(ProviderError::failed(
                "Replicate reported success without output",
            ));
        }
        let fetches = outputs.into_iter().map(|output| async move {
            match data_uri(&output) {
                Some(decoded) => decoded.map(|bytes| GeneratedImage { bytes }),
                None => http::download(&self.http, &output, "Replicate", &self.api).await,
            }
        });
        futures::future::try_join_all(fetches).await
    }
}

#[async_trait::async_trait]
impl ImageProvider for Replicate {
    async fn generate(
        &self,
        job: &ProviderJob,
        tracker: &dyn RemoteTracker,
    ) -> Result<Vec<GeneratedImage>, ProviderError> {
        let read = |id: String| async move {
            let prediction = self.read(&id).await?;
            let status = prediction
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("");
            Ok(match status {
                "succeeded" => http::Poll::Done(self.results(&prediction).await),
                "failed" => http::Poll::Done(Err(failure(&prediction))),
                "canceled" => http::Poll::Done(Err(ProviderError::failed(format!(
                    "Replicate prediction {id} was canceled"
                )))),
                _ => {
                    let logs = prediction.get("logs").and_then(Value::as_str).unwrap_or("");
                    http::Poll::Running(progress_from_logs(logs))
                }
            })
        };
        let create = self.create(job);
        http::follow_job("Replicate", job, tracker, self.poll_interval, create, read).await
    }

    fn verify_callback(
        &self,
        request: &CallbackRequest,
        now_ms: i64,
    ) -> Result<String, CallbackError> {
        let secret = self
            .api
            .callback_secret
            .as_ref()
            .ok_or(CallbackError::Signature)?;
        let key = webhook_key(secret.expose_secret()).ok_or(CallbackError::Signature)?;
        let id = request.header(ID_HEADER).ok_or(CallbackError::Signature)?;
        let timestamp = request
            .header(TIMESTAMP_HEADER)
            .ok_or(CallbackError::Signature)?
            .trim();
        let signatures = request
            .header(SIGNATURE_HEADER)
            .ok_or(CallbackError::Signature)?;
        let mac = signed_content(&key, id, timestamp, &request.body);
        let matches = signatures.split_whitespace().any(|entry| {
            let Some(("v1", encoded)) = entry.split_once(',') else {
                return false;
            };
            BASE64
                .decode(encoded)
                .is_ok_and(|signature| mac.clone().verify_slice(&signature).is_ok())
        });
        if !matches {
            return Err(CallbackError::Signature);
        }
        let seconds: i64 = timestamp.parse().map_err(|_| CallbackError::Signature)?;
        if (now_ms.div_euclid(1000) - seconds).abs() > TOLERANCE_SECS {
            return Err(CallbackError::Stale);
        }
        let body: Value =
            serde_json::from_slice(&request.body).map_err(|_| CallbackError::Malformed)?;
        body.get("id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .ok_or(CallbackError::Malformed)
    }
}

/// The HMAC key of a `whsec_…` secret: the base64 after the prefix.
fn webhook_key(secret: &str) -> Option<Vec<u8>> {
    let encoded = secret.trim();
    let encoded = encoded.strip_prefix("whsec_").unwrap_or(encoded);
    BASE64.decode(encoded).ok().filter(|k| !k.is_empty())
}

fn signed_content(key: &[u8], id: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `webhook-signature` entry Replicate sends for `body` (`v1,<base64>`), or `None` when
/// `secret` is not a `whsec_` secret with a base64 key.
pub fn sign(id: &str, timestamp: i64, body: &[u8], secret: &str) -> Option<String> {
    let key = webhook_key(secret)?;
    let mac = signed_content(&key, id, &timestamp.to_string(), body);
    Some(format!("v1,{}", BASE64.encode(mac.finalize().into_bytes())))
}

/// Where to create a prediction for `job`, and the body: `owner/name:version` goes to
/// `/v1/predictions` with the version, `owner/name` to the official model's endpoint.
pub(super) fn create_request(
    api_url: &str,
    job: &ProviderJob,
) -> Result<(String, Value), ProviderError> {
    let format = match job.format {
        OutputFormat::Png => "png",
        OutputFormat::Jpeg => "jpg",
        OutputFormat::Webp => "webp",
    };
    let mut input = json!({
        "prompt": job.full_prompt,
        "aspect_ratio": job.aspect_ratio.as_str(),
        "output_format": format,
        "seed": job.seed,
        "num_outputs": 1,
    });
    if let Some(first) = job.references.first() {
        input["image"] = json!(format!(
            "data:{};base64,{}",
            first.kind.content_type(),
            BASE64.encode(&first.bytes)
        ));
    }
    let mut body = json!({ "input": input });
    if let Some(webhook) = &job.callback_url {
        body["webhook"] = json!(webhook);
        body["webhook_events_filter"] = json!(["completed"]);
    }
    let bad_model = || {
        ProviderError::failed(format!(
            "Replicate model {:?} is neither owner/name nor owner/name:version",
            job.remote_model
        ))
    };
    match job.remote_model.split_once(':') {
        Some((_, version)) if !version.is_empty() => {
            body["version"] = json!(version);
            Ok((format!("{api_url}/v1/predictions"), body))
        }
        Some(_) => Err(bad_model()),
        None => {
            let (owner, name) = job.remote_model.split_once('/').ok_or_else(bad_model)?;
            if owner.is_empty() || name.is_empty() || name.contains('/') {
                return Err(bad_model());
            }
            Ok((
                format!("{api_url}/v1/models/{owner}/{name}/predictions"),
                body,
            ))
        }
    }
}

/// A prediction's output: one URL (or data URI), or a list of them.
pub(super) fn outputs(prediction: &Value) -> Vec<String> {
    match prediction.get("output") {
        Some(Value::String(url)) if !url.is_empty() => vec![url.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .filter(|url| !url.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The bytes of a `data:…;base64,…` URI, or `None` for any other URL.
pub(super) fn data_uri(output: &str) -> Option<Result<Vec<u8>, ProviderError>> {
    let rest = output.strip_prefix("data:")?;
    let Some((meta, data)) = rest.split_once(',') else {
        return Some(Err(ProviderError::failed(
            "Replicate sent a data URI without data",
        )));
    };
    if !meta.ends_with(";base64") {
        return Some(Err(ProviderError::failed(
            "Replicate sent a data URI that is not base64",
        )));
    }
    Some(
        BASE64
            .decode(data)
            .map_err(|e| ProviderError::failed(format!("Replicate data URI: {e}")))
            .and_then(|bytes| {
                if bytes.is_empty() {
                    Err(ProviderError::failed("Replicate sent an empty data URI"))
                } else {
                    Ok(bytes)
                }
            }),
    )
}

/// The last percentage a model's progress bar printed (`" 50%|█████     | 2/4"`).
pub(super) fn progress_from_logs(logs: &str) -> Option<u8> {
    let line = logs.lines().rev().find(|line| line.contains("%|"))?;
    let before = &line[..line.find("%|")?];
    let digits: String = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse::<u8>().ok().filter(|p| *p <= 100)
}

/// A failed prediction: a refusal when its error speaks of NSFW or safety, else a failure.
fn failure(prediction: &Value) -> ProviderError {
    let error = match prediction.get("error") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let reason = http::clip(&format!("Replicate prediction failed: {error}"));
    if http::mentions_policy(&error) {
        ProviderError::refused(reason)
    } else {
        ProviderError::failed(reason)
    }
}

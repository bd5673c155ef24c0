//! What the four remote adapters share: sending a request and reading the answer,
//! classifying transport errors, `Retry-After`, downloads, and keeping keys out of reasons.

use crate::config::ProviderApi;
use crate::generation::{GeneratedImage, ProviderError, ProviderJob, RemoteTracker};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use secrecy::ExposeSecret;
use serde_json::Value;
use std::time::Duration;

/// The longest reason kept from a provider's answer, in characters.
pub const REASON_CHARS: usize = 300;
/// The largest answer read from a provider: a 4K image, base64-encoded in JSON, with
/// room to spare.
pub const MAX_ANSWER_BYTES: usize = 96 * 1024 * 1024;

/// `text`, trimmed and cut to [`REASON_CHARS`] characters.
pub fn clip(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(REASON_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// An operator's reason: `text` with the API key blanked wherever it appears (some
/// vendors repeat a rejected key), then clipped.
pub fn reason(text: &str, api: &ProviderApi) -> String {
    let key = api.api_key.expose_secret();
    if key.is_empty() {
        clip(text)
    } else {
        clip(&text.replace(key, "[api key]"))
    }
}

/// `Retry-After` in whole seconds, when sent.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// A request that got no complete answer: connection failures, timeouts and cut-off
/// bodies are worth retrying; a request that could not even be built is not.
pub fn transport_error(vendor: &str, error: reqwest::Error, api: &ProviderApi) -> ProviderError {
    let mut text = format!("{vendor}: {error}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    let text = reason(&text, api);
    if error.is_builder() || error.is_redirect() {
        ProviderError::failed(text)
    } else {
        ProviderError::transient(text)
    }
}

/// A provider's answer, read whole.
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body as text, for a reason.
    pub fn text(&self) -> String {
        clip(&String::from_utf8_lossy(&self.body))
    }
}

/// Sends `request` and reads its answer, up to `MAX_ANSWER_BYTES`.
pub async fn send(
    request: reqwest::RequestBuilder,
    vendor: &str,
    api: &ProviderApi,
) -> Result<Answer, ProviderError> {
    let response = request
        .send()
        .await
        .map_err(|e| transport_error(vendor, e, api))?;
    read(response, MAX_ANSWER_BYTES, vendor, api).await
}

async fn read(
    mut response: reqwest::Response,
    limit: usize,
    vendor: &str,
    api: &ProviderApi,
) -> Result<Answer, ProviderError> {
    let status = response.status().as_u16();
    let retry_after = retry_after(response.headers());
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(vendor, e, api))?
    {
        if body.len() + chunk.len() > limit {
            return Err(ProviderError::failed(format!(
                "{vendor} answered with more than {limit} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        retry_after,
        body,
    })
}

/// Fetches a result file from the URL a provider gave. The API key is not sent: result
/// URLs are public, and may be on another host.
pub async fn download(
    client: &reqwest::Client,
    url: &str,
    vendor: &str,
    api: &ProviderApi,
) -> Result<GeneratedImage, ProviderError> {
    let response = client
        .get(url)
        .send()
        .await
        .map_err(|e| transport_error(vendor, e, api))?;
    let answer = read(response, MAX_ANSWER_BYTES, vendor, api).await?;
    if !answer.is_success() {
        return Err(ProviderError::from_status(
            answer.status,
            reason(
                &format!("{vendor} result download answered {}", answer.status),
                api,
            ),
            answer.retry_after,
        ));
    }
    if answer.body.is_empty() {
        return Err(ProviderError::failed(format!(
            "{vendor} result download was empty"
        )));
    }
    Ok(GeneratedImage { bytes: answer.body })
}

/// Whether a provider's failure text speaks of a safety or content-policy block.
pub fn mentions_policy(text: &str) -> bool {
    let text = text.to_lowercase();
    [
        "sensitive",
        "safety",
        "policy",
        "flagged",
        "prohibited",
        "nsfw",
    ]
    .iter()
    .any(|word| text.contains(word))
}

/// What one read of a remote job says.
pub enum Poll {
    /// It ended: the images, or why there are none.
    Done(Result<Vec<GeneratedImage>, ProviderError>),
    /// Still running, with a percentage when the vendor tells one.
    Running(Option<u8>),
}

/// Follows a vendor's asynchronous job to its end: resumes `job.remote_id` (reading it at
/// once, since it may have ended while nobody watched) or creates one and reports its id;
/// then waits for a callback or the poll interval and reads it, until it ends. A transient
/// error while reading is no reason to give up on a job that runs on at the vendor: it is
/// logged and read again. The worker's timeout bounds the whole.
pub async fn follow_job<R>(
    vendor: &'static str,
    job: &ProviderJob,
    tracker: &dyn RemoteTracker,
    poll_interval: Duration,
    create: impl Future<Output = Result<String, ProviderError>>,
    read: impl Fn(String) -> R,
) -> Result<Vec<GeneratedImage>, ProviderError>
where
    R: Future<Output = Result<Poll, ProviderError>>,
{
    // `create` runs only when awaited: a resumed job creates nothing.
    let (remote_id, mut wait) = match &job.remote_id {
        Some(id) => (id.clone(), false),
        None => {
            let id = create.await?;
            tracker.remote_started(&id).await;
            (id, true)
        }
    };
    let mut reported = None;
    loop {
        if wait {
            tracker.wait_for_callback(poll_interval).await;
        }
        wait = true;
        match read(remote_id.clone()).await {
            Ok(Poll::Done(outcome)) => return outcome,
            Ok(Poll::Running(Some(percent))) if reported != Some(percent) => {
                tracker.progress(percent).await;
                reported = Some(percent);
            }
            Ok(Poll::Running(_)) => {}
            Err(ProviderError::Transient {
                reason,
                retry_after,
            }) => {
                tracing::warn!(task = %job.task_id, vendor, remote = %remote_id, %reason, "reading a remote job failed; trying again");
                if let Some(delay) = retry_after {
                    tokio::time::sleep(delay).await;
                }
            }
            Err(other) => return Err(other),
        }
    }
}

//! The one interface every image provider implements, and what passes through it.

use super::request::{AspectRatio, Camera, OutputFormat, Resolution};
use crate::images::ImageKind;
use std::{fmt, time::Duration};

/// An input image, read from our storage, with a link the provider may fetch it from (for
/// providers that take URLs only, such as Kie).
#[derive(Clone)]
pub struct InputImage {
    pub bytes: Vec<u8>,
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
    /// An absolute, signed, expiring URL of this image on our site.
    pub url: String,
}

impl fmt::Debug for InputImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InputImage")
            .field("bytes", &self.bytes.len())
            .field("kind", &self.kind)
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

/// One image to make: everything a provider needs, already validated.
#[derive(Clone, Debug)]
pub struct ProviderJob {
    /// Our task id (also Kie's and Replicate's correlation for callbacks).
    pub task_id: String,
    /// The provider's model name (`ModelSpec::remote_model`).
    pub remote_model: String,
    /// The person's prompt alone.
    pub prompt: String,
    /// The prompt with style, camera, character and negative directions folded in: what
    /// a remote model receives.
    pub full_prompt: String,
    pub negative_prompt: Option<String>,
    /// The style preset id, if any (the local engine picks its palette from it).
    pub style: Option<String>,
    pub camera: Camera,
    pub seed: u64,
    pub aspect_ratio: AspectRatio,
    pub resolution: Resolution,
    pub format: OutputFormat,
    /// In the person's order; a mask applies to the first.
    pub references: Vec<InputImage>,
    /// White (or opaque) = repaint, black (or transparent) = keep; PNG.
    pub mask: Option<InputImage>,
    /// The provider's job id from an earlier attempt of this task, if one was created: the
    /// adapter resumes it rather than starting (and paying for) another.
    pub remote_id: Option<String>,
    /// Where the provider should POST its completion callback, if it sends one.
    pub callback_url: Option<String>,
}

/// An image a provider returned, in whatever format it chose; the worker checks it,
/// converts it to the requested format and stores it.
#[derive(Clone, PartialEq, Eq)]
pub struct GeneratedImage {
    pub bytes: Vec<u8>,
}

impl fmt::Debug for GeneratedImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedImage")
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// How a provider call ended, when it did not yield images. The `reason` strings are for
/// operators (logged, stored in `tasks.error_detail`); a browser only ever sees the kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// Worth retrying later: 408, 429, 5xx, timeouts, connection failures, a remote job
    /// still running when our wait ended.
    #[error("transient: {reason}")]
    Transient {
        reason: String,
        /// The provider's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },
    /// A safety block or policy refusal: never retried, never charged.
    #[error("refused: {reason}")]
    Refused { reason: String },
    /// Anything else that will not get better by retrying (bad request, bad key, no image
    /// in the answer): failed, never charged.
    #[error("failed: {reason}")]
    Failed { reason: String },
}

impl ProviderError {
    pub fn transient(reason: impl Into<String>) -> ProviderError {
        ProviderError::Transient {
            reason: reason.into(),
            retry_after: None,
        }
    }

    pub fn refused(reason: impl Into<String>) -> ProviderError {
        ProviderError::Refused {
            reason: reason.into(),
        }
    }

    pub fn failed(reason: impl Into<String>) -> ProviderError {
        ProviderError::Failed {
            reason: reason.into(),
        }
    }

    /// The class of an HTTP status per the providers' documentation: 408, 429 and 5xx are
    /// transient, everything else a failure.
    pub fn from_status(
        status: u16,
        reason: impl Into<String>,
        retry_after: Option<Duration>,
    ) -> ProviderError {
        if status == 408 || status == 429 || status >= 500 {
            ProviderError::Transient {
                reason: reason.into(),
                retry_after,
            }
        } else {
            ProviderError::Failed {
                reason: reason.into(),
            }
        }
    }
}

/// What a worker offers an adapter while it runs one job.
#[async_trait::async_trait]
pub trait RemoteTracker: Send + Sync {
    /// Records the provider's job id before waiting on it, so a retry or another worker
    /// resumes that job instead of creating another.
    async fn remote_started(&self, remote_id: &str);
    /// Reports progress (0–100) where the provider tells it.
    async fn progress(&self, percent: u8);
    /// Returns when a verified callback for this job arrived, or after `max` (the
    /// polling fallback), whichever comes first.
    async fn wait_for_callback(&self, max: Duration);
}

/// A callback as it arrived: header names lower-case, the body untouched.
#[derive(Clone, Debug, Default)]
pub struct CallbackRequest {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl CallbackRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a callback is not accepted (the route answers 400 and records nothing).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    #[error("missing or invalid signature")]
    Signature,
    #[error("timestamp outside the tolerance")]
    Stale,
    #[error("malformed body")]
    Malformed,
    #[error("this provider sends no callbacks")]
    Unsupported,
}

/// An image model provider.
#[async_trait::async_trait]
pub trait ImageProvider: Send + Sync {
    /// Makes the job's image(s). Long-running providers create a remote job, report its
    /// id through `tracker`, then wait for a callback or poll until it ends.
    async fn generate(
        &self,
        job: &ProviderJob,
        tracker: &dyn RemoteTracker,
    ) -> Result<Vec<GeneratedImage>, ProviderError>;

    /// Verifies a callback's signature and returns the provider's job id it is about.
    /// The body is not trusted beyond that: the adapter re-reads the job's state itself.
    fn verify_callback(
        &self,
        _request: &CallbackRequest,
        _now_ms: i64,
    ) -> Result<String, CallbackError> {
        Err(CallbackError::Unsupported)
    }
}

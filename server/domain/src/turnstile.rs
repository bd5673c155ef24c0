//! Cloudflare Turnstile: the server-side check of the token a challenge widget gives the
//! browser (the siteverify protocol). Used on sign-up, sign-in and guest generation when a
//! secret is configured. Tokens are single-use: Cloudflare refuses a replay with
//! `timeout-or-duplicate`, and we never cache a success.

use crate::config::TurnstileConfig;
use secrecy::ExposeSecret;
use serde::Deserialize;
use std::time::Duration;

/// The form field the widget fills in.
pub const RESPONSE_FIELD: &str = "cf-turnstile-response";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TurnstileError {
    /// No token came with the form.
    #[error("challenge not completed")]
    Missing,
    /// Cloudflare refused the token (expired, replayed, invalid, wrong hostname or action).
    #[error("challenge refused: {0}")]
    Refused(String),
    /// Cloudflare could not be asked or answered nonsense; the form may be retried.
    #[error("challenge could not be checked")]
    Unavailable,
}

impl TurnstileError {
    pub fn message_key(&self) -> &'static str {
        match self {
            TurnstileError::Missing | TurnstileError::Refused(_) => "auth-error-captcha",
            TurnstileError::Unavailable => "auth-error-captcha-unavailable",
        }
    }
}

#[derive(Deserialize)]
struct SiteverifyResponse {
    success: bool,
    #[serde(default, rename = "error-codes")]
    error_codes: Vec<String>,
    hostname: Option<String>,
    action: Option<String>,
}

/// Asks siteverify about `token`. `expected_hostname` (our public host) and
/// `expected_action` are compared when Cloudflare reports them.
pub async fn verify(
    http: &reqwest::Client,
    config: &TurnstileConfig,
    token: Option<&str>,
    remote_ip: Option<&str>,
    expected_hostname: Option<&str>,
    expected_action: &str,
) -> Result<(), TurnstileError> {
    let token = token
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(TurnstileError::Missing)?;
    if token.len() > 2048 {
        return Err(TurnstileError::Refused("invalid-input-response".into()));
    }
    let mut form = vec![
        ("secret", config.secret_key.expose_secret().to_owned()),
        ("response", token.to_owned()),
        ("idempotency_key", uuid::Uuid::new_v4().to_string()),
    ];
    if let Some(ip) = remote_ip {
        form.push(("remoteip", ip.to_owned()));
    }
    let response = http
        .post(&config.verify_url)
        .timeout(Duration::from_secs(10))
        .form(&form)
        .send()
        .await
        .map_err(|_| TurnstileError::Unavailable)?;
    if !response.status().is_success() {
        return Err(TurnstileError::Unavailable);
    }
    let body: SiteverifyResponse = response
        .json()
        .await
        .map_err(|_| TurnstileError::Unavailable)?;
    if !body.success {
        if body.error_codes.iter().any(|c| c == "internal-error") {
            return Err(TurnstileError::Unavailable);
        }
        return Err(TurnstileError::Refused(body.error_codes.join(",")));
    }
    if let (Some(expected), Some(got)) = (expected_hostname, body.hostname.as_deref())
        && expected != got
    {
        return Err(TurnstileError::Refused("hostname-mismatch".into()));
    }
    if let Some(got) = body.action.as_deref()
        && !got.is_empty()
        && got != expected_action
    {
        return Err(TurnstileError::Refused("action-mismatch".into()));
    }
    Ok(())
}

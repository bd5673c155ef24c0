//! Delivery through Resend's HTTP API: `POST {resend_api_url}/emails` with a bearer key and
//! an `Idempotency-Key`, so a retried request within a day returns the first delivery
//! instead of sending twice. Errors follow Resend's documented shape,
//! `{"statusCode":422,"name":"validation_error","message":"…"}`.

use super::{Email, EmailError, error_chain, provider_detail, redact};
use lettre::message::Mailbox;
use reqwest::{StatusCode, header};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::{collections::BTreeMap, time::Duration};

pub(super) const TRANSPORT: &str = "resend";

/// A shared HTTP client and the key it authenticates with.
pub(super) struct ResendClient {
    http: reqwest::Client,
    endpoint: String,
    api_key: SecretString,
}

/// A successful send.
#[derive(Deserialize)]
struct Sent {
    id: String,
}

/// Resend's error body; both fields are read leniently since a proxy may answer instead.
#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

impl ResendClient {
    pub(super) fn new(api_url: &str, api_key: &SecretString) -> Result<ResendClient, EmailError> {
        match url::Url::parse(api_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {}
            _ => {
                return Err(EmailError::Misconfigured(format!(
                    "resend_api_url `{api_url}` is not an http(s) URL"
                )));
            }
        }
        let key = api_key.expose_secret();
        // The key goes into a header as it is; refuse what a header cannot carry rather than
        // fail on every send.
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(EmailError::Misconfigured(
                "resend_api_key is empty or has characters an HTTP header cannot carry".into(),
            ));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("banana-nano/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| EmailError::Misconfigured(format!("HTTP client: {}", error_chain(&e))))?;
        Ok(ResendClient {
            http,
            endpoint: format!("{}/emails", api_url.trim_end_matches('/')),
            api_key: api_key.clone(),
        })
    }

    /// Sends `email`; returns Resend's id for it.
    pub(super) async fn send(&self, from: &Mailbox, email: &Email) -> Result<String, EmailError> {
        let headers: BTreeMap<&str, &str> = email.extra_headers().into_iter().collect();
        let body = serde_json::json!({
            "from": from.to_string(),
            "to": [email.to],
            "subject": email.subject,
            "html": email.html,
            "text": email.text,
            "headers": headers,
        });
        let secrets = [self.api_key.expose_secret()];
        let response = self
            .http
            .post(&self.endpoint)
            // bearer_auth marks the header sensitive, so reqwest's own Debug hides it too.
            .bearer_auth(self.api_key.expose_secret())
            .header("Idempotency-Key", &email.idempotency_key)
            .json(&body)
            .send()
            .await
            .map_err(|e| {
                let detail = redact(&error_chain(&e), &secrets);
                if e.is_builder() {
                    EmailError::Misconfigured(format!(
                        "the Resend request cannot be built: {detail}"
                    ))
                } else {
                    EmailError::Unreachable {
                        transport: TRANSPORT,
                        detail,
                    }
                }
            })?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        if status.is_success() {
            // Accepted is accepted: a body we cannot read does not make it unsent, and
            // reporting failure would invite a second email.
            let id = match response.json::<Sent>().await {
                Ok(sent) => sent.id,
                Err(_) => "unknown".to_string(),
            };
            return Ok(id);
        }
        let body = response.bytes().await.unwrap_or_default();
        Err(classify(status, &body, retry_after, &secrets))
    }
}

/// Sorts a Resend error response into retryable and permanent failures, by its `name` where
/// the status alone is ambiguous (a 403 is a bad key or an unverified domain; a 429 is a
/// burst or the month's quota).
fn classify(
    status: StatusCode,
    body: &[u8],
    retry_after: Option<Duration>,
    secrets: &[&str],
) -> EmailError {
    let ErrorBody { name, message } = serde_json::from_slice(body).unwrap_or_default();
    // Names are identifiers like `validation_error`; anything else is not worth keeping.
    let code = name.filter(|n| {
        !n.is_empty() && n.len() <= 64 && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    let detail = message
        .map(|m| provider_detail(&m, secrets))
        .unwrap_or_else(|| {
            status
                .canonical_reason()
                .unwrap_or("no explanation")
                .to_string()
        });
    let status_code = status.as_u16();
    let credential_code = matches!(
        code.as_deref(),
        Some("missing_api_key" | "invalid_api_key" | "restricted_api_key")
    );
    match status_code {
        401 => EmailError::Unauthorized {
            transport: TRANSPORT,
            status: status_code,
            code,
        },
        403 if credential_code || code.is_none() => EmailError::Unauthorized {
            transport: TRANSPORT,
            status: status_code,
            code,
        },
        // The month's quota does not come back by waiting a little.
        429 if code.as_deref() == Some("monthly_quota_exceeded") => EmailError::Rejected {
            transport: TRANSPORT,
            status: status_code,
            code,
            detail,
        },
        429 => EmailError::RateLimited {
            transport: TRANSPORT,
            code,
            retry_after,
        },
        // The same key is still being processed: the first request will settle it.
        409 if code.as_deref() == Some("concurrent_idempotent_requests") => EmailError::Temporary {
            transport: TRANSPORT,
            status: status_code,
            code,
            detail,
        },
        408 | 500..=599 => EmailError::Temporary {
            transport: TRANSPORT,
            status: status_code,
            code,
            detail,
        },
        _ => EmailError::Rejected {
            transport: TRANSPORT,
            status: status_code,
            code,
            detail,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(status: u16, name: &str, message: &str, retry_after: Option<u64>) -> EmailError {
        let body = serde_json::json!({ "statusCode": status, "name": name, "message": message });
        classify(
            StatusCode::from_u16(status).unwrap(),
            body.to_string().as_bytes(),
            retry_after.map(Duration::from_secs),
            &["re_secret_key"],
        )
    }

    #[test]
    fn resend_errors_are_sorted_into_retryable_and_permanent() {
        let cases = [
            (400, "validation_error", false),
            (400, "invalid_idempotency_key", false),
            (401, "missing_api_key", false),
            (401, "restricted_api_key", false),
            (403, "invalid_api_key", false),
            (403, "validation_error", false),
            (404, "not_found", false),
            (409, "invalid_idempotent_request", false),
            (409, "concurrent_idempotent_requests", true),
            (422, "validation_error", false),
            (422, "missing_required_field", false),
            (429, "rate_limit_exceeded", true),
            (429, "daily_quota_exceeded", true),
            (429, "monthly_quota_exceeded", false),
            (451, "security_error", false),
            (500, "application_error", true),
            (500, "internal_server_error", true),
            (502, "", true),
            (503, "", true),
        ];
        for (status, name, retryable) in cases {
            let err = error(status, name, "something", None);
            assert_eq!(err.is_retryable(), retryable, "{status} {name}: {err}");
        }
        assert!(matches!(
            error(403, "invalid_api_key", "API key is invalid", None),
            EmailError::Unauthorized { status: 403, .. }
        ));
        assert!(matches!(
            error(401, "missing_api_key", "Missing API key", None),
            EmailError::Unauthorized { status: 401, .. }
        ));
        // A 403 about an unverified domain is about the email, not the key.
        assert!(matches!(
            error(
                403,
                "validation_error",
                "The example.com domain is not verified.",
                None
            ),
            EmailError::Rejected { status: 403, .. }
        ));
        let limited = error(429, "rate_limit_exceeded", "Too many requests.", Some(2));
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(2)));
        assert_eq!(
            limited.to_string(),
            "resend is rate limiting us (rate_limit_exceeded); retry after 2s"
        );
    }

    #[test]
    fn provider_messages_lose_secrets_and_links_and_stay_short() {
        let err = error(
            422,
            "validation_error",
            "Invalid `html`: <a href=\"https://studio.test/reset?token=abc\">x</a> with key re_secret_key",
            None,
        );
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("re_secret_key"), "{shown}");
        assert!(!shown.contains("token=abc"), "{shown}");
        assert!(shown.contains("422 validation_error"), "{shown}");
        let long = error(422, "validation_error", &"x ".repeat(1000), None).to_string();
        assert!(long.len() < 400, "{long}");
    }

    #[test]
    fn bodies_that_are_not_resend_json_still_classify_by_status() {
        let err = classify(
            StatusCode::BAD_GATEWAY,
            b"<html>upstream down</html>",
            None,
            &[],
        );
        assert!(err.is_retryable());
        assert_eq!(
            err.to_string(),
            "resend failed temporarily (502): Bad Gateway"
        );
        let err = classify(StatusCode::FORBIDDEN, b"", None, &[]);
        assert!(matches!(err, EmailError::Unauthorized { .. }));
    }
}

//! Transactional email: the messages accounts send (verification, password reset, address
//! change, admin invitations), rendered in the recipient's language, and the one `Mailer`
//! that delivers them through the configured transport — the dev outbox, SMTP or Resend.
//!
//! Every email carries an idempotency key. The outbox stores one row per key; Resend
//! deduplicates by it for a day; SMTP cannot, so the key becomes the `Message-ID` seed and an
//! `X-Entity-Ref-ID` header. Retrying is the caller's decision, guided by
//! [`EmailError::is_retryable`]. Errors and logs never carry an API key, an SMTP password or
//! a body (bodies hold one-time links).

mod outbox;
mod resend;
mod smtp;
mod templates;

pub use outbox::{OutboxMessage, outbox_get, outbox_latest_to, outbox_list};
pub use templates::{Message, Rendered};

use crate::{
    config::{Config, EmailTransport},
    db::{Db, DbError},
};
use lettre::message::Mailbox;
use sha2::{Digest, Sha256};
use std::{fmt, sync::Arc, time::Duration};

/// The longest idempotency key we accept: Resend's limit.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 256;

/// Names the idempotency key in SMTP messages and in Resend's `headers`. Gmail also reads it
/// to keep similar notices from collapsing into one thread.
const ENTITY_REF_HEADER: &str = "X-Entity-Ref-ID";

/// One email, ready to send: rendered, addressed, and keyed for deduplication.
#[derive(Clone, PartialEq, Eq)]
pub struct Email {
    /// The recipient's address, without a display name.
    pub to: String,
    pub subject: String,
    pub html: String,
    pub text: String,
    /// What this email is ([`Message::kind`]), for the outbox and logs.
    pub kind: String,
    /// The language it is written in (`en`, `zh-CN`).
    pub locale: String,
    /// Stable across retries of the same intent (e.g. `verify-email:<token id>`); 1–256
    /// visible ASCII characters.
    pub idempotency_key: String,
    /// Further mail headers, name and value, that every transport carries (e.g. RFC 8058's
    /// `List-Unsubscribe` on marketing email). Names are header tokens; values one line.
    pub headers: Vec<(String, String)>,
}

impl Email {
    /// Renders `message` in `locale` (see [`Message::render`]) into an email to `to`.
    pub fn compose(
        to: impl Into<String>,
        message: &Message,
        locale: &str,
        public_url: &str,
        idempotency_key: impl Into<String>,
    ) -> Email {
        let Rendered {
            subject,
            html,
            text,
        } = message.render(locale, public_url);
        Email {
            to: to.into(),
            subject,
            html,
            text,
            kind: message.kind().to_string(),
            locale: templates::resolve_locale(locale).to_string(),
            idempotency_key: idempotency_key.into(),
            headers: message.headers(),
        }
    }

    /// What every transport needs before it accepts an email; failures are permanent.
    fn check(&self) -> Result<(), EmailError> {
        if self.to.parse::<lettre::Address>().is_err() {
            return Err(EmailError::Invalid(
                "the recipient is not an email address".into(),
            ));
        }
        let key = &self.idempotency_key;
        // Visible ASCII only: the key travels in mail and HTTP headers as it is.
        if key.is_empty()
            || key.len() > MAX_IDEMPOTENCY_KEY_LEN
            || !key.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(EmailError::Invalid(format!(
                "the idempotency key must be 1–{MAX_IDEMPOTENCY_KEY_LEN} visible ASCII characters"
            )));
        }
        for (name, value) in &self.headers {
            if !is_header_name(name)
                || RESERVED_HEADERS
                    .iter()
                    .any(|r| r.eq_ignore_ascii_case(name))
            {
                return Err(EmailError::Invalid(format!(
                    "`{name}` cannot be an extra header"
                )));
            }
            // One line of printable text: a line break would start a header of its own.
            if value.is_empty() || value.len() > 900 || value.chars().any(char::is_control) {
                return Err(EmailError::Invalid(format!(
                    "the `{name}` header must be one line of at most 900 bytes"
                )));
            }
        }
        Ok(())
    }

    /// Headers every transport adds: the idempotency key, RFC 3834's mark that no person
    /// wrote this (auto-responders then stay quiet), and the email's own extra headers.
    fn extra_headers(&self) -> Vec<(&str, &str)> {
        let mut headers = vec![
            (ENTITY_REF_HEADER, self.idempotency_key.as_str()),
            ("Auto-Submitted", "auto-generated"),
        ];
        headers.extend(
            self.headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );
        headers
    }

    /// The value of extra header `name` (compared case-insensitively), if the email has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Headers the transports write themselves; an extra header must not replace or repeat one.
const RESERVED_HEADERS: &[&str] = &[
    "From",
    "To",
    "Cc",
    "Bcc",
    "Reply-To",
    "Sender",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Content-Language",
    ENTITY_REF_HEADER,
    "Auto-Submitted",
];

/// An RFC 5322 field name: printable ASCII without the colon, here also without spaces.
fn is_header_name(name: &str) -> bool {
    (1..=76).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The body holds one-time links, so it never reaches a log through `{:?}`.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Email")
            .field("kind", &self.kind)
            .field("locale", &self.locale)
            .field("idempotency_key", &self.idempotency_key)
            .finish_non_exhaustive()
    }
}

/// Why an email was not sent. Displays as one line for the operator; never contains an API
/// key, an SMTP password or the email's body.
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    /// The settings cannot work (From address, SMTP URL, API key or URL). Fix configuration.
    #[error("email settings: {0}")]
    Misconfigured(String),
    /// This email cannot be sent as it is (recipient, idempotency key).
    #[error("email not sendable: {0}")]
    Invalid(String),
    /// The dev outbox could not store it.
    #[error("email outbox: {0}")]
    Outbox(#[from] DbError),
    /// No usable answer: connection refused or dropped, timeout, TLS failure.
    #[error("{transport} is unreachable: {detail}")]
    Unreachable {
        transport: &'static str,
        detail: String,
    },
    /// Too many requests (or today's quota is used up); try later.
    #[error("{transport} is rate limiting us{}{}", code_in_parens(.code), retry_suffix(.retry_after))]
    RateLimited {
        transport: &'static str,
        code: Option<String>,
        retry_after: Option<Duration>,
    },
    /// The service answered with a temporary failure (HTTP 5xx, SMTP 4xx).
    #[error("{transport} failed temporarily ({status}{}): {detail}", code_suffix(.code))]
    Temporary {
        transport: &'static str,
        status: u16,
        code: Option<String>,
        detail: String,
    },
    /// The API key or SMTP login was refused.
    #[error("{transport} refused our credentials ({status}{}); check the API key or SMTP login", code_suffix(.code))]
    Unauthorized {
        transport: &'static str,
        status: u16,
        code: Option<String>,
    },
    /// The service refused this email for good (validation, unknown mailbox, unverified
    /// sender domain, quota for the month).
    #[error("{transport} rejected the email ({status}{}): {detail}", code_suffix(.code))]
    Rejected {
        transport: &'static str,
        status: u16,
        code: Option<String>,
        detail: String,
    },
}

fn code_suffix(code: &Option<String>) -> String {
    code.as_deref().map(|c| format!(" {c}")).unwrap_or_default()
}

fn code_in_parens(code: &Option<String>) -> String {
    code.as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default()
}

fn retry_suffix(retry_after: &Option<Duration>) -> String {
    retry_after
        .map(|d| format!("; retry after {}s", d.as_secs()))
        .unwrap_or_default()
}

impl EmailError {
    /// Whether sending the same email again later may succeed. Configuration, invalid emails,
    /// refused credentials and rejections are permanent until someone changes something.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            EmailError::Outbox(_)
                | EmailError::Unreachable { .. }
                | EmailError::RateLimited { .. }
                | EmailError::Temporary { .. }
        )
    }

    /// How long the service asked us to wait, when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            EmailError::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Sends email through the configured transport. Cheap to clone: one shared connection pool
/// (SMTP) or HTTP client (Resend).
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
}

struct Inner {
    from: Mailbox,
    public_url: String,
    transport: Transport,
}

enum Transport {
    Outbox(Db),
    Smtp(smtp::SmtpSender),
    Resend(resend::ResendClient),
}

impl Transport {
    fn name(&self) -> &'static str {
        match self {
            Transport::Outbox(_) => "outbox",
            Transport::Smtp(_) => smtp::TRANSPORT,
            Transport::Resend(_) => resend::TRANSPORT,
        }
    }
}

impl Mailer {
    /// Prepares the transport `config` names. Nothing is contacted yet: an unreachable mail
    /// server shows up as a retryable error on the first send, not as a failed start.
    pub fn new(config: &Config, db: Db) -> Result<Mailer, EmailError> {
        let from: Mailbox = config.email_from.parse().map_err(|_| {
            EmailError::Misconfigured(
                "email_from is not an address like `banana nano <no-reply@example.com>`".into(),
            )
        })?;
        let transport = match config.email_transport {
            EmailTransport::Outbox => Transport::Outbox(db),
            EmailTransport::Smtp => {
                let url = config.smtp_url.as_ref().ok_or_else(|| {
                    EmailError::Misconfigured(
                        "smtp_url is required with email_transport=smtp".into(),
                    )
                })?;
                Transport::Smtp(smtp::SmtpSender::new(url)?)
            }
            EmailTransport::Resend => {
                let key = config.resend_api_key.as_ref().ok_or_else(|| {
                    EmailError::Misconfigured(
                        "resend_api_key is required with email_transport=resend".into(),
                    )
                })?;
                Transport::Resend(resend::ResendClient::new(&config.resend_api_url, key)?)
            }
        };
        Ok(Mailer {
            inner: Arc::new(Inner {
                from,
                public_url: config.public_url.clone(),
                transport,
            }),
        })
    }

    /// `outbox`, `smtp` or `resend`, for the start-up log.
    pub fn transport_name(&self) -> &'static str {
        self.inner.transport.name()
    }

    /// Sends `email`. Sending the same idempotency key again is harmless: the outbox keeps
    /// the first, Resend answers with the first delivery. Failures are returned, not logged:
    /// the caller knows whether a failure matters.
    pub async fn send(&self, email: &Email) -> Result<(), EmailError> {
        email.check()?;
        let receipt = match &self.inner.transport {
            Transport::Outbox(db) => outbox::store(db, email).await?,
            Transport::Smtp(sender) => sender.send(&self.inner.from, email).await?,
            Transport::Resend(client) => client.send(&self.inner.from, email).await?,
        };
        tracing::info!(
            transport = self.transport_name(),
            kind = %email.kind,
            locale = %email.locale,
            idempotency_key = %email.idempotency_key,
            receipt = %receipt,
            "email sent"
        );
        Ok(())
    }

    /// Renders `message` for `to` in `locale` with this instance's public URL, and sends it.
    pub async fn send_message(
        &self,
        to: &str,
        message: &Message,
        locale: &str,
        idempotency_key: &str,
    ) -> Result<(), EmailError> {
        let email = Email::compose(to, message, locale, &self.inner.public_url, idempotency_key);
        self.send(&email).await
    }
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("transport", &self.transport_name())
            .field("from", &self.inner.from.to_string())
            .finish_non_exhaustive()
    }
}

/// A `Message-ID` derived from the idempotency key: a retried SMTP send carries the same id,
/// so receiving systems that deduplicate by it show the email once.
fn message_id(idempotency_key: &str, from: &Mailbox) -> String {
    let digest = Sha256::digest(idempotency_key.as_bytes());
    format!(
        "<bn.{}@{}>",
        hex::encode(&digest[..20]),
        from.email.domain()
    )
}

/// Text a mail service sent back, made safe to keep in an error: secrets we hold are cut out,
/// as is any link (a provider echoing our body would echo a one-time link), and the length is
/// capped.
fn provider_detail(text: &str, secrets: &[&str]) -> String {
    const LIMIT: usize = 300;
    let mut cleaned = redact(text, secrets)
        .split_whitespace()
        .map(|word| if word.contains("://") { "[link]" } else { word })
        .collect::<Vec<_>>()
        .join(" ");
    if let Some((cut, _)) = cleaned.char_indices().nth(LIMIT) {
        cleaned.truncate(cut);
        cleaned.push('…');
    }
    cleaned
}

/// Replaces every occurrence of each (non-empty) secret.
fn redact(text: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_string(), |text, secret| {
            text.replace(secret, "[redacted]")
        })
}

/// An error and its causes on one line (`a: b: c`), as libraries nest the useful part.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = cause.source();
    }
    line
}

#[cfg(test)]
mod tests;

//! Rights requests written in: access, correction, deletion, restriction, objection and
//! portability, for people who cannot use the self-service pages or prefer to ask. A
//! request counts once its sender is verified — at once when sent signed in with the
//! account's own address (the login challenge), otherwise by a link mailed to the address.
//! From verification the answer is due within [`REQUEST_DEADLINE`](super::REQUEST_DEADLINE), extendable
//! once by [`REQUEST_EXTENSION`](super::REQUEST_EXTENSION) with notice and a reason.
//!
//! The link mailed to the address carries one secret that both confirms the request and,
//! afterwards, shows its status; only keyed hashes of it are stored. A person who sends a
//! request for someone else's address never sees that secret, so they never see the request
//! again. No answer says whether an address has an account.

mod answer;
mod sender;

pub use answer::{complete, extend, refuse};
pub use sender::{pending, status, submit, verify};

use crate::{
    AppState, accounts,
    db::Db,
    ratelimit::{Limit, RateLimitError},
};
use std::time::Duration;

/// How long the confirmation link of a request sent without signing in works. Requests
/// never confirmed are forgotten after it ([`forget_unverified`]).
pub const VERIFY_LINK_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);
/// The longest description of a request, in characters.
pub const MAX_DETAILS: usize = 5000;
/// The longest extension reason or resolution an operator writes, in characters.
pub const MAX_NOTE: usize = 2000;
/// Requests per IP address: generous for shared addresses, small enough to stop a flood
/// of confirmation emails.
pub const SUBMIT_IP: Limit = Limit::new(10, 3600);
/// Requests per email address and day: no mailbox gets more than a few confirmations.
pub const SUBMIT_EMAIL: Limit = Limit::new(5, 24 * 3600);

/// What a request asks for (GDPR Art. 15–21).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// A copy of the personal data we hold (Art. 15).
    Access,
    /// Correct or complete inaccurate data (Art. 16).
    Correct,
    /// Delete the data (Art. 17).
    Delete,
    /// Restrict processing (Art. 18).
    Restrict,
    /// Object to processing based on legitimate interests (Art. 21).
    Object,
    /// A machine-readable copy to take elsewhere (Art. 20).
    Port,
}

impl RequestKind {
    pub const ALL: [RequestKind; 6] = [
        RequestKind::Access,
        RequestKind::Correct,
        RequestKind::Delete,
        RequestKind::Restrict,
        RequestKind::Object,
        RequestKind::Port,
    ];

    /// The stored value, the form value and the locale key suffix.
    pub fn id(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Correct => "correct",
            RequestKind::Delete => "delete",
            RequestKind::Restrict => "restrict",
            RequestKind::Object => "object",
            RequestKind::Port => "port",
        }
    }

    pub fn parse(value: &str) -> Option<RequestKind> {
        RequestKind::ALL
            .into_iter()
            .find(|kind| kind.id() == value.trim())
    }

    /// A correction cannot be made without knowing what is wrong.
    pub fn needs_details(self) -> bool {
        self == RequestKind::Correct
    }
}

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestStatus {
    /// Waiting for the sender to follow the link mailed to the address; no clock runs.
    Unverified,
    /// Verified; due at `due_at`.
    Open,
    /// Verified and given its one extension.
    Extended,
    Completed,
    Refused,
}

impl RequestStatus {
    pub fn id(self) -> &'static str {
        match self {
            RequestStatus::Unverified => "unverified",
            RequestStatus::Open => "open",
            RequestStatus::Extended => "extended",
            RequestStatus::Completed => "completed",
            RequestStatus::Refused => "refused",
        }
    }

    pub fn parse(value: &str) -> Option<RequestStatus> {
        [
            RequestStatus::Unverified,
            RequestStatus::Open,
            RequestStatus::Extended,
            RequestStatus::Completed,
            RequestStatus::Refused,
        ]
        .into_iter()
        .find(|status| status.id() == value)
    }

    /// Verified and not yet answered: the clock runs.
    pub fn is_pending(self) -> bool {
        matches!(self, RequestStatus::Open | RequestStatus::Extended)
    }
}

/// A request as a form sends it.
#[derive(Clone, Debug, Default)]
pub struct NewRequest {
    /// A [`RequestKind`] id.
    pub kind: String,
    pub email: String,
    pub details: String,
    /// The language of the page it was sent from; its emails are written in it.
    pub locale: String,
    /// The account of the session it was sent from, if any.
    pub signed_in_user: Option<String>,
    /// The sender's IP address, for the rate limit.
    pub ip: Option<String>,
}

/// A request just stored.
#[derive(Clone, Debug)]
pub struct Submitted {
    pub id: String,
    /// `Open` when verified by the login, `Unverified` when a link went to the address.
    pub status: RequestStatus,
    /// The secret of the status link, when the sender proved who they are by signing in.
    /// A request waiting for its emailed link has none here: the secret goes only to the
    /// address, so whoever typed someone else's address never holds it.
    pub status_token: Option<String>,
}

/// A request confirmed through its emailed link, and the secret that shows its status.
#[derive(Clone, Debug)]
pub struct Verified {
    pub id: String,
    pub status_token: String,
}

/// What the confirmation page shows before the person confirms.
#[derive(Clone, Debug)]
pub struct PendingRequest {
    pub id: String,
    pub kind: RequestKind,
    pub created_at: i64,
    /// Already confirmed (the link was followed before): nothing left to confirm.
    pub verified: bool,
}

/// A request as its sender sees it.
#[derive(Clone, Debug)]
pub struct RequestView {
    pub id: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub details: String,
    pub created_at: i64,
    pub verified_at: Option<i64>,
    pub due_at: Option<i64>,
    pub extended_at: Option<i64>,
    pub extension_reason: Option<String>,
    pub resolution: Option<String>,
    pub closed_at: Option<i64>,
}

/// One line of a person's list of their requests (the privacy settings page).
#[derive(Clone, Debug)]
pub struct RequestSummary {
    pub id: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub created_at: i64,
    pub due_at: Option<i64>,
    pub extended: bool,
    pub closed_at: Option<i64>,
}

/// A request as operators handle it.
#[derive(Clone, Debug)]
pub struct PrivacyRequest {
    pub id: String,
    pub user_id: Option<String>,
    pub email: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub details: String,
    pub locale: String,
    pub verified_by: Option<String>,
    pub created_at: i64,
    pub verified_at: Option<i64>,
    pub due_at: Option<i64>,
    pub extended_at: Option<i64>,
    pub extension_reason: Option<String>,
    pub resolution: Option<String>,
    pub closed_at: Option<i64>,
}

impl PrivacyRequest {
    fn view(self) -> RequestView {
        RequestView {
            id: self.id,
            kind: self.kind,
            status: self.status,
            details: self.details,
            created_at: self.created_at,
            verified_at: self.verified_at,
            due_at: self.due_at,
            extended_at: self.extended_at,
            extension_reason: self.extension_reason,
            resolution: self.resolution,
            closed_at: self.closed_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: String,
    user_id: Option<String>,
    email: String,
    kind: String,
    status: String,
    details: String,
    locale: String,
    verified_by: Option<String>,
    created_at: i64,
    verified_at: Option<i64>,
    due_at: Option<i64>,
    extended_at: Option<i64>,
    extension_reason: Option<String>,
    resolution: Option<String>,
    closed_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, email, kind, status, details, locale, verified_by, \
    created_at, verified_at, due_at, extended_at, extension_reason, resolution, closed_at";

impl TryFrom<RequestRow> for PrivacyRequest {
    type Error = RequestError;

    fn try_from(row: RequestRow) -> Result<Self, RequestError> {
        let corrupt =
            || RequestError::Internal(format!("request {} has bad values", row.id).into());
        Ok(PrivacyRequest {
            kind: RequestKind::parse(&row.kind).ok_or_else(corrupt)?,
            status: RequestStatus::parse(&row.status).ok_or_else(corrupt)?,
            id: row.id,
            user_id: row.user_id,
            email: row.email,
            details: row.details,
            locale: row.locale,
            verified_by: row.verified_by,
            created_at: row.created_at,
            verified_at: row.verified_at,
            due_at: row.due_at,
            extended_at: row.extended_at,
            extension_reason: row.extension_reason,
            resolution: row.resolution,
            closed_at: row.closed_at,
        })
    }
}

/// Why a request operation did not happen. `message_key` names the localized text; internal
/// failures carry nothing a browser may see.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("unknown request kind")]
    UnknownKind,
    #[error("invalid email address")]
    Email,
    #[error("the request needs a description")]
    DetailsMissing,
    #[error("the description is too long")]
    DetailsTooLong,
    #[error("a reason or resolution is needed")]
    NoteMissing,
    #[error("the reason or resolution is too long")]
    NoteTooLong,
    #[error("too many requests; try again in {seconds} s")]
    Limited { seconds: u64 },
    #[error("link invalid")]
    LinkInvalid,
    #[error("link expired")]
    LinkExpired,
    /// Unknown, or not this person's: the two look the same.
    #[error("request not found")]
    NotFound,
    #[error("the request is not open")]
    NotOpen,
    #[error("the request was already extended")]
    AlreadyExtended,
    /// An extension must be announced before the deadline it moves.
    #[error("the request is past its due date")]
    PastDue,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl RequestError {
    /// The fluent key of the message shown to the person.
    pub fn message_key(&self) -> &'static str {
        match self {
            RequestError::UnknownKind => "privacy-requests-error-kind",
            RequestError::Email => "auth-error-email",
            RequestError::DetailsMissing => "privacy-requests-error-details-missing",
            RequestError::DetailsTooLong => "privacy-requests-error-details-long",
            RequestError::NoteMissing => "privacy-requests-error-note-missing",
            RequestError::NoteTooLong => "privacy-requests-error-note-long",
            RequestError::Limited { .. } => "auth-error-rate-limited",
            RequestError::LinkInvalid => "privacy-requests-error-link-invalid",
            RequestError::LinkExpired => "privacy-requests-error-link-expired",
            RequestError::NotFound => "privacy-requests-error-not-found",
            RequestError::NotOpen => "privacy-requests-error-not-open",
            RequestError::AlreadyExtended => "privacy-requests-error-already-extended",
            RequestError::PastDue => "privacy-requests-error-past-due",
            RequestError::Internal(_) => "error-internal",
        }
    }

    fn internal(e: impl std::error::Error + Send + Sync + 'static) -> RequestError {
        RequestError::Internal(Box::new(e))
    }
}

impl From<sqlx::Error> for RequestError {
    fn from(e: sqlx::Error) -> Self {
        RequestError::internal(e)
    }
}

impl From<accounts::AccountError> for RequestError {
    fn from(e: accounts::AccountError) -> Self {
        RequestError::internal(e)
    }
}

impl From<crate::email::EmailError> for RequestError {
    fn from(e: crate::email::EmailError) -> Self {
        RequestError::internal(e)
    }
}

impl From<RateLimitError> for RequestError {
    fn from(e: RateLimitError) -> Self {
        match e {
            RateLimitError::Limited(l) => RequestError::Limited {
                seconds: l.retry_after_seconds,
            },
            RateLimitError::Db(e) => e.into(),
        }
    }
}

const VERIFY_PURPOSE: &str = "privacy-request-verify";
const STATUS_PURPOSE: &str = "privacy-request-status";

fn ms(duration: Duration) -> i64 {
    duration.as_millis() as i64
}

/// The languages emails and pages are written in; anything else is English.
fn locale_of(tag: &str) -> &'static str {
    if tag.trim().eq_ignore_ascii_case("zh-CN") {
        "zh-CN"
    } else {
        "en"
    }
}

fn prefix(locale: &str) -> &'static str {
    if locale == "zh-CN" { "/zh-CN" } else { "" }
}

fn status_link(state: &AppState, request: &PrivacyRequest, token: &str) -> String {
    format!(
        "{}{}/privacy/requests/{}?token={token}",
        state.config.public_url,
        prefix(&request.locale),
        request.id
    )
}

/// A due date as the emails state it: the calendar day in UTC.
pub fn due_date(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

/// Text typed into a form: trimmed, without control characters other than line breaks
/// and tabs (which a textarea legitimately holds).
fn clean_text(raw: &str) -> String {
    raw.replace("\r\n", "\n")
        .trim()
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

fn note(raw: &str) -> Result<String, RequestError> {
    let text = clean_text(raw);
    if text.is_empty() {
        return Err(RequestError::NoteMissing);
    }
    if text.chars().count() > MAX_NOTE {
        return Err(RequestError::NoteTooLong);
    }
    Ok(text)
}

async fn load(db: &Db, id: &str) -> Result<Option<PrivacyRequest>, RequestError> {
    let row: Option<RequestRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM privacy_requests WHERE id = $1"
    ))
    .bind(id.to_owned())
    .fetch_optional(db.pool())
    .await?;
    row.map(PrivacyRequest::try_from).transpose()
}

/// The requests verified as a person's, newest first.
pub async fn list_for_user(db: &Db, user_id: &str) -> Result<Vec<RequestSummary>, RequestError> {
    let rows: Vec<RequestRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM privacy_requests WHERE user_id = $1 \
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(user_id.to_owned())
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|row| {
            let request = PrivacyRequest::try_from(row)?;
            Ok(RequestSummary {
                extended: request.extended_at.is_some(),
                id: request.id,
                kind: request.kind,
                status: request.status,
                created_at: request.created_at,
                due_at: request.due_at,
                closed_at: request.closed_at,
            })
        })
        .collect()
}

/// One request, for operators.
pub async fn get(db: &Db, id: &str) -> Result<Option<PrivacyRequest>, RequestError> {
    load(db, id).await
}

/// Verified requests past their due date and still unanswered, the most overdue first:
/// the operators' queue of what must be done now.
pub async fn overdue(db: &Db, now_ms: i64) -> Result<Vec<PrivacyRequest>, RequestError> {
    let rows: Vec<RequestRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM privacy_requests \
         WHERE status IN ('open', 'extended') AND due_at < $1 ORDER BY due_at, id"
    ))
    .bind(now_ms)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(PrivacyRequest::try_from).collect()
}

/// Deletes requests whose confirmation link expired unused: an address typed by someone
/// else, or a request given up, is not kept. Returns how many went.
pub async fn forget_unverified(db: &Db, now_ms: i64) -> Result<u64, RequestError> {
    Ok(
        sqlx::query("DELETE FROM privacy_requests WHERE status = 'unverified' AND created_at < $1")
            .bind(now_ms - ms(VERIFY_LINK_LIFETIME))
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}

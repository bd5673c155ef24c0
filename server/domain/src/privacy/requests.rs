//! Rights requests written in: access, correction, deletion, restriction, objection and
//! portability, for people who cannot use the self-service pages or prefer to ask. A
//! request counts once its sender is verified — at once when sent signed in with the
//! account's own address (the login challenge), otherwise by a link mailed to the address.
//! From verification the answer is due within [`REQUEST_DEADLINE`], extendable once by
//! [`REQUEST_EXTENSION`] with notice and a reason.
//!
//! The link mailed to the address carries one secret that both confirms the request and,
//! afterwards, shows its status; only keyed hashes of it are stored. A person who sends a
//! request for someone else's address never sees that secret, so they never see the request
//! again. No answer says whether an address has an account.

use super::{REQUEST_DEADLINE, REQUEST_EXTENSION, keyed_hash};
use crate::{
    AppState,
    accounts::{self, EmailAddress},
    audit,
    db::Db,
    email::Message,
    ratelimit::{self, Limit, RateLimitError},
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

/// Stores a request. Sent signed in with the account's own address, it is verified by the
/// login at once and its answer is due [`REQUEST_DEADLINE`] from `now_ms`; otherwise the
/// address gets a confirmation link and no clock runs until it is followed. Either way the
/// answer looks the same whether or not the address has an account.
pub async fn submit(
    state: &AppState,
    request: NewRequest,
    now_ms: i64,
) -> Result<Submitted, RequestError> {
    let kind = RequestKind::parse(&request.kind).ok_or(RequestError::UnknownKind)?;
    let email = EmailAddress::parse(&request.email).map_err(|_| RequestError::Email)?;
    let details = clean_text(&request.details);
    if details.chars().count() > MAX_DETAILS {
        return Err(RequestError::DetailsTooLong);
    }
    if details.is_empty() && kind.needs_details() {
        return Err(RequestError::DetailsMissing);
    }
    if let Some(ip) = &request.ip {
        ratelimit::hit(
            &state.db,
            &format!("privacy-request:ip:{ip}"),
            SUBMIT_IP,
            now_ms,
        )
        .await?;
    }
    ratelimit::hit(
        &state.db,
        &ratelimit::account_key("privacy-request", email.as_ref()),
        SUBMIT_EMAIL,
        now_ms,
    )
    .await?;

    // The login challenge proves the sender is the account holder, but only for the
    // account's own address.
    let login = match &request.signed_in_user {
        Some(user_id) => accounts::find_user(&state.db, user_id)
            .await?
            .filter(|user| user.email == email.as_ref()),
        None => None,
    };
    let locale = locale_of(&request.locale);
    let id = crate::new_id();
    let secret = crate::secrets::random_hex(32);
    let stored = PrivacyRequest {
        id: id.clone(),
        user_id: login.as_ref().map(|user| user.id.clone()),
        email: email.as_ref().to_owned(),
        kind,
        status: if login.is_some() {
            RequestStatus::Open
        } else {
            RequestStatus::Unverified
        },
        details,
        locale: locale.to_owned(),
        verified_by: login.as_ref().map(|_| "login".to_owned()),
        created_at: now_ms,
        verified_at: login.as_ref().map(|_| now_ms),
        due_at: login.as_ref().map(|_| now_ms + ms(REQUEST_DEADLINE)),
        extended_at: None,
        extension_reason: None,
        resolution: None,
        closed_at: None,
    };
    let mut tx = state.db.begin_write().await?;
    sqlx::query(
        "INSERT INTO privacy_requests (id, user_id, email, kind, details, locale, status, \
         verified_by, verified_at, verify_token_hash, status_token_hash, due_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(stored.id.clone())
    .bind(stored.user_id.clone())
    .bind(stored.email.clone())
    .bind(kind.id())
    .bind(stored.details.clone())
    .bind(locale)
    .bind(stored.status.id())
    .bind(stored.verified_by.clone())
    .bind(stored.verified_at)
    .bind(
        login
            .is_none()
            .then(|| keyed_hash(state, VERIFY_PURPOSE, &secret)),
    )
    .bind(keyed_hash(state, STATUS_PURPOSE, &secret))
    .bind(stored.due_at)
    .bind(now_ms)
    .execute(tx.conn())
    .await?;
    audit::record(
        tx.conn(),
        stored.user_id.as_deref(),
        stored.user_id.as_deref(),
        "privacy_request.submitted",
        serde_json::json!({ "request": id, "kind": kind.id(), "verified_by": stored.verified_by }),
        request.ip.as_deref(),
    )
    .await?;
    tx.commit().await?;

    let (message, key) = if login.is_some() {
        (
            received_message(state, &stored, &secret),
            format!("privacy-request-received/{id}"),
        )
    } else {
        (
            Message::PrivacyRequestVerify {
                kind: kind.id().to_owned(),
                link: format!(
                    "{}{}/privacy/requests/verify?token={secret}",
                    state.config.public_url,
                    prefix(locale)
                ),
            },
            format!("privacy-request-verify/{id}"),
        )
    };
    // A request whose sender got no email could be neither confirmed nor followed: it is
    // taken back, and the person is told to try again.
    if let Err(e) = state
        .mailer
        .send_message(&stored.email, &message, locale, &key)
        .await
    {
        sqlx::query("DELETE FROM privacy_requests WHERE id = $1")
            .bind(id.clone())
            .execute(state.db.pool())
            .await?;
        return Err(e.into());
    }
    Ok(Submitted {
        id,
        status: stored.status,
        status_token: login.map(|_| secret),
    })
}

fn received_message(state: &AppState, request: &PrivacyRequest, token: &str) -> Message {
    Message::PrivacyRequestReceived {
        kind: request.kind.id().to_owned(),
        due: due_date(request.due_at.unwrap_or(request.created_at)),
        link: status_link(state, request, token),
    }
}

async fn by_verify_token(state: &AppState, token: &str) -> Result<PrivacyRequest, RequestError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(RequestError::LinkInvalid);
    }
    let row: Option<RequestRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM privacy_requests WHERE verify_token_hash = $1"
    ))
    .bind(keyed_hash(state, VERIFY_PURPOSE, token))
    .fetch_optional(state.db.pool())
    .await?;
    row.map(PrivacyRequest::try_from)
        .transpose()?
        .ok_or(RequestError::LinkInvalid)
}

fn link_expired(request: &PrivacyRequest, now_ms: i64) -> bool {
    now_ms > request.created_at + ms(VERIFY_LINK_LIFETIME)
}

/// The request a confirmation link is for, to show before the person confirms it (mail
/// scanners open links; only the button confirms).
pub async fn pending(
    state: &AppState,
    token: &str,
    now_ms: i64,
) -> Result<PendingRequest, RequestError> {
    let request = by_verify_token(state, token).await?;
    let verified = request.status != RequestStatus::Unverified;
    if !verified && link_expired(&request, now_ms) {
        return Err(RequestError::LinkExpired);
    }
    Ok(PendingRequest {
        id: request.id,
        kind: request.kind,
        created_at: request.created_at,
        verified,
    })
}

/// Confirms a request through the link mailed to its address: from `now_ms` its answer is
/// due within [`REQUEST_DEADLINE`], and it is linked to the account with that address, if
/// any (so an account's deletion finds it). Following the link again changes nothing and
/// leads to the status again.
pub async fn verify(state: &AppState, token: &str, now_ms: i64) -> Result<Verified, RequestError> {
    let request = by_verify_token(state, token).await?;
    let token = token.trim().to_owned();
    if request.status != RequestStatus::Unverified {
        return Ok(Verified {
            id: request.id,
            status_token: token,
        });
    }
    if link_expired(&request, now_ms) {
        return Err(RequestError::LinkExpired);
    }
    let account = accounts::find_user_by_email(&state.db, &request.email).await?;
    let user_id = account.map(|user| user.id);
    let due_at = now_ms + ms(REQUEST_DEADLINE);
    let mut tx = state.db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE privacy_requests SET status = 'open', verified_by = 'email', verified_at = $1, \
         due_at = $2, user_id = $3 WHERE id = $4 AND status = 'unverified'",
    )
    .bind(now_ms)
    .bind(due_at)
    .bind(user_id.clone())
    .bind(request.id.clone())
    .execute(tx.conn())
    .await?
    .rows_affected();
    if updated == 0 {
        // Confirmed a moment ago by another click on the same link.
        return Ok(Verified {
            id: request.id,
            status_token: token,
        });
    }
    audit::record(
        tx.conn(),
        user_id.as_deref(),
        user_id.as_deref(),
        "privacy_request.verified",
        serde_json::json!({ "request": request.id, "kind": request.kind.id(), "verified_by": "email" }),
        None,
    )
    .await?;
    tx.commit().await?;
    let verified = PrivacyRequest {
        status: RequestStatus::Open,
        verified_at: Some(now_ms),
        due_at: Some(due_at),
        user_id,
        ..request
    };
    let sent = state
        .mailer
        .send_message(
            &verified.email,
            &received_message(state, &verified, &token),
            &verified.locale,
            &format!("privacy-request-received/{}", verified.id),
        )
        .await;
    if let Err(e) = sent {
        // Without the email the person has no lasting way back to the request: it waits
        // for the link again, whose clock has not started.
        sqlx::query(
            "UPDATE privacy_requests SET status = 'unverified', verified_by = NULL, \
             verified_at = NULL, due_at = NULL, user_id = NULL \
             WHERE id = $1 AND status = 'open' AND verified_at = $2",
        )
        .bind(verified.id.clone())
        .bind(now_ms)
        .execute(state.db.pool())
        .await?;
        return Err(e.into());
    }
    Ok(Verified {
        id: verified.id,
        status_token: token,
    })
}

/// A request as its sender sees it: for the holder of its status link (`token`), or for
/// the signed-in account it belongs to (`user_id`). Anyone else gets [`RequestError::NotFound`],
/// the same answer as for a request that does not exist.
pub async fn status(
    state: &AppState,
    id: &str,
    token: Option<&str>,
    user_id: Option<&str>,
) -> Result<RequestView, RequestError> {
    let Some(request) = load(&state.db, id).await? else {
        return Err(RequestError::NotFound);
    };
    let by_token = match token.map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => {
            let stored: Option<String> =
                sqlx::query_scalar("SELECT status_token_hash FROM privacy_requests WHERE id = $1")
                    .bind(id.to_owned())
                    .fetch_optional(state.db.pool())
                    .await?;
            let presented = keyed_hash(state, STATUS_PURPOSE, token);
            stored.is_some_and(|stored| {
                use subtle::ConstantTimeEq;
                bool::from(stored.as_bytes().ct_eq(presented.as_bytes()))
            })
        }
        None => false,
    };
    let by_owner = user_id.is_some() && request.user_id.as_deref() == user_id;
    if by_token || by_owner {
        Ok(request.view())
    } else {
        Err(RequestError::NotFound)
    }
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

/// Gives an open request its one extension of [`REQUEST_EXTENSION`], before its deadline,
/// and tells the sender the new due date and why. A second extension is refused.
pub async fn extend(
    state: &AppState,
    id: &str,
    reason: &str,
    actor_id: &str,
    now_ms: i64,
) -> Result<PrivacyRequest, RequestError> {
    let reason = note(reason)?;
    let request = load(&state.db, id).await?.ok_or(RequestError::NotFound)?;
    match request.status {
        RequestStatus::Open => {}
        RequestStatus::Extended => return Err(RequestError::AlreadyExtended),
        _ => return Err(RequestError::NotOpen),
    }
    let due_at = request.due_at.unwrap_or(request.created_at);
    if now_ms > due_at {
        return Err(RequestError::PastDue);
    }
    let new_due = due_at + ms(REQUEST_EXTENSION);
    let mut tx = state.db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE privacy_requests SET status = 'extended', extended_at = $1, \
         extension_reason = $2, due_at = $3 WHERE id = $4 AND status = 'open' AND due_at = $5",
    )
    .bind(now_ms)
    .bind(reason.clone())
    .bind(new_due)
    .bind(id.to_owned())
    .bind(due_at)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if updated == 0 {
        // Changed meanwhile: report what it is now.
        drop(tx);
        let now = load(&state.db, id).await?.ok_or(RequestError::NotFound)?;
        return Err(match now.status {
            RequestStatus::Extended => RequestError::AlreadyExtended,
            _ => RequestError::NotOpen,
        });
    }
    audit::record(
        tx.conn(),
        Some(actor_id),
        request.user_id.as_deref(),
        "privacy_request.extended",
        serde_json::json!({ "request": id, "kind": request.kind.id(), "due_at": new_due }),
        None,
    )
    .await?;
    tx.commit().await?;
    let extended = PrivacyRequest {
        status: RequestStatus::Extended,
        extended_at: Some(now_ms),
        extension_reason: Some(reason.clone()),
        due_at: Some(new_due),
        ..request
    };
    let sent = state
        .mailer
        .send_message(
            &extended.email,
            &Message::PrivacyRequestExtended {
                kind: extended.kind.id().to_owned(),
                due: due_date(new_due),
                reason,
            },
            &extended.locale,
            &format!("privacy-request-extended/{id}"),
        )
        .await;
    if let Err(e) = sent {
        // An extension nobody was told of does not count: undone, to be tried again.
        undo(
            state,
            sqlx::query(
                "UPDATE privacy_requests SET status = 'open', extended_at = NULL, \
                 extension_reason = NULL, due_at = $1 \
                 WHERE id = $2 AND status = 'extended' AND extended_at = $3",
            )
            .bind(due_at)
            .bind(id.to_owned())
            .bind(now_ms),
            &extended,
            "privacy_request.extension_undone",
            actor_id,
        )
        .await?;
        return Err(e.into());
    }
    Ok(extended)
}

/// Puts a request back as it was when the email announcing a change could not be sent
/// (`restore` does it), and records that in the audit log next to the change.
async fn undo<'q>(
    state: &AppState,
    restore: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    request: &PrivacyRequest,
    action: &str,
    actor_id: &str,
) -> Result<(), RequestError> {
    let mut tx = state.db.begin_write().await?;
    restore.execute(tx.conn()).await?;
    audit::record(
        tx.conn(),
        Some(actor_id),
        request.user_id.as_deref(),
        action,
        serde_json::json!({ "request": request.id, "cause": "email not sent" }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Completed,
    Refused,
}

/// Marks a verified request done, with what was done, and tells the sender.
pub async fn complete(
    state: &AppState,
    id: &str,
    resolution: &str,
    actor_id: &str,
    now_ms: i64,
) -> Result<PrivacyRequest, RequestError> {
    close(state, id, resolution, actor_id, now_ms, Outcome::Completed).await
}

/// Refuses a verified request, with the reason, and tells the sender (with their right to
/// complain to a supervisory authority).
pub async fn refuse(
    state: &AppState,
    id: &str,
    reason: &str,
    actor_id: &str,
    now_ms: i64,
) -> Result<PrivacyRequest, RequestError> {
    close(state, id, reason, actor_id, now_ms, Outcome::Refused).await
}

async fn close(
    state: &AppState,
    id: &str,
    resolution: &str,
    actor_id: &str,
    now_ms: i64,
    outcome: Outcome,
) -> Result<PrivacyRequest, RequestError> {
    let resolution = note(resolution)?;
    let request = load(&state.db, id).await?.ok_or(RequestError::NotFound)?;
    if !request.status.is_pending() {
        return Err(RequestError::NotOpen);
    }
    let (status, action) = match outcome {
        Outcome::Completed => (RequestStatus::Completed, "privacy_request.completed"),
        Outcome::Refused => (RequestStatus::Refused, "privacy_request.refused"),
    };
    let mut tx = state.db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE privacy_requests SET status = $1, resolution = $2, closed_at = $3 \
         WHERE id = $4 AND status = $5",
    )
    .bind(status.id())
    .bind(resolution.clone())
    .bind(now_ms)
    .bind(id.to_owned())
    .bind(request.status.id())
    .execute(tx.conn())
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(RequestError::NotOpen);
    }
    audit::record(
        tx.conn(),
        Some(actor_id),
        request.user_id.as_deref(),
        action,
        serde_json::json!({ "request": id, "kind": request.kind.id() }),
        None,
    )
    .await?;
    tx.commit().await?;
    let previous = request.status;
    let closed = PrivacyRequest {
        status,
        resolution: Some(resolution.clone()),
        closed_at: Some(now_ms),
        ..request
    };
    let sent = state
        .mailer
        .send_message(
            &closed.email,
            &Message::PrivacyRequestClosed {
                kind: closed.kind.id().to_owned(),
                outcome: status.id().to_owned(),
                resolution,
            },
            &closed.locale,
            &format!("privacy-request-closed/{id}"),
        )
        .await;
    if let Err(e) = sent {
        // The answer is the email: without it the request stays open, to be answered again.
        undo(
            state,
            sqlx::query(
                "UPDATE privacy_requests SET status = $1, resolution = NULL, closed_at = NULL \
                 WHERE id = $2 AND status = $3 AND closed_at = $4",
            )
            .bind(previous.id())
            .bind(id.to_owned())
            .bind(status.id())
            .bind(now_ms),
            &closed,
            "privacy_request.close_undone",
            actor_id,
        )
        .await?;
        return Err(e.into());
    }
    Ok(closed)
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

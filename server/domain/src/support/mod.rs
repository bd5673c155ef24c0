//! Support tickets: what a person asks us through the support form (about their account,
//! billing, generation, a privacy matter or anything else), with an optional screenshot,
//! and the conversation that follows.
//!
//! Signed-in people's tickets open at once and belong to their account. A visitor gives an
//! address and follows a link mailed to it; until then the ticket is `unconfirmed`, nobody
//! at support sees it, and it is forgotten when the link expires
//! ([`CONFIRM_LINK_LIFETIME`], enforced by the retention sweeper). Only a keyed hash of the
//! link's token is stored. A visitor reads and answers their thread through a signed link
//! ([`thread_token`]) that every answer email carries, since they have no account.

mod open;
mod staff;
#[cfg(test)]
mod tests;
mod thread;

pub use open::{confirm, open, pending};
pub use staff::{answer, close};
pub use thread::{list_for_user, reply, thread, thread_token};

use crate::{
    accounts,
    images::{ImageError, UploadLimits},
    ratelimit::{Limit, RateLimitError},
};
use std::time::Duration;

/// How long the confirmation link of a visitor's ticket works; unconfirmed tickets are
/// forgotten after it. The registry's period, so the sweeper and the policy agree.
pub const CONFIRM_LINK_LIFETIME: Duration = crate::registry::SUPPORT_CONFIRM_WINDOW;
/// The longest message, in characters.
pub const MAX_MESSAGE: usize = 5000;
/// Screenshots: a full-screen capture of a large display fits.
pub const SCREENSHOT_LIMITS: UploadLimits = UploadLimits {
    max_bytes: 5 * 1024 * 1024,
    max_pixels: 40_000_000,
    max_side: 8192,
};
/// New tickets per IP address: generous for shared addresses, small enough to stop a
/// flood of confirmation emails.
pub const OPEN_IP: Limit = Limit::new(10, 3600);
/// New tickets per account or email address and day.
pub const OPEN_SENDER: Limit = Limit::new(10, 24 * 3600);
/// Replies per ticket and hour.
pub const REPLY_TICKET: Limit = Limit::new(30, 3600);

/// What a ticket is about, as the form offers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    Account,
    Billing,
    Generation,
    /// A privacy matter; the form offers the rights-request form instead.
    Privacy,
    Other,
}

impl Topic {
    pub const ALL: [Topic; 5] = [
        Topic::Account,
        Topic::Billing,
        Topic::Generation,
        Topic::Privacy,
        Topic::Other,
    ];

    /// The stored value, the form value and the locale key suffix.
    pub fn id(self) -> &'static str {
        match self {
            Topic::Account => "account",
            Topic::Billing => "billing",
            Topic::Generation => "generation",
            Topic::Privacy => "privacy",
            Topic::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.id() == value.trim())
    }
}

/// Where a ticket stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TicketStatus {
    /// A visitor's ticket waiting for its emailed link; support does not see it.
    Unconfirmed,
    /// Waiting for support.
    Open,
    /// Support answered; waiting for the person.
    Answered,
    Closed,
}

impl TicketStatus {
    pub fn id(self) -> &'static str {
        match self {
            TicketStatus::Unconfirmed => "unconfirmed",
            TicketStatus::Open => "open",
            TicketStatus::Answered => "answered",
            TicketStatus::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<TicketStatus> {
        [
            TicketStatus::Unconfirmed,
            TicketStatus::Open,
            TicketStatus::Answered,
            TicketStatus::Closed,
        ]
        .into_iter()
        .find(|s| s.id() == value)
    }
}

/// Who wrote a message of a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Author {
    Person,
    Staff,
}

impl Author {
    pub fn id(self) -> &'static str {
        match self {
            Author::Person => "person",
            Author::Staff => "staff",
        }
    }
}

/// A ticket as the form sends it.
#[derive(Clone, Debug, Default)]
pub struct NewTicket {
    /// A [`Topic`] id.
    pub topic: String,
    pub message: String,
    /// A visitor's address; ignored when signed in (the account's address is used).
    pub email: String,
    /// The language of the page it was sent from; its emails are written in it.
    pub locale: String,
    pub signed_in_user: Option<String>,
    /// The sender's IP address, for the rate limit.
    pub ip: Option<String>,
    /// The screenshot's bytes as uploaded, if any; checked and re-encoded before storing.
    pub screenshot: Option<Vec<u8>>,
}

/// A ticket just stored: `Open` for a signed-in person, `Unconfirmed` for a visitor (a
/// link went to the address).
#[derive(Clone, Debug)]
pub struct Opened {
    pub id: String,
    pub status: TicketStatus,
}

/// A visitor's ticket confirmed through its link, and the token of its thread link.
#[derive(Clone, Debug)]
pub struct Confirmed {
    pub id: String,
    pub thread_token: String,
}

/// What the confirmation page shows before the person confirms.
#[derive(Clone, Debug)]
pub struct PendingTicket {
    pub id: String,
    pub topic: Topic,
    pub created_at: i64,
    /// Already confirmed: nothing left to confirm.
    pub confirmed: bool,
}

/// A ticket's facts.
#[derive(Clone, Debug)]
pub struct Ticket {
    pub id: String,
    pub user_id: Option<String>,
    pub email: String,
    pub topic: Topic,
    pub status: TicketStatus,
    pub locale: String,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
}

/// A screenshot of a message.
#[derive(Clone, Debug)]
pub struct Attachment {
    pub id: String,
    pub storage_key: String,
    pub content_type: String,
    pub width: i64,
    pub height: i64,
}

/// One message of a thread.
#[derive(Clone, Debug)]
pub struct ThreadMessage {
    pub id: String,
    pub author: Author,
    pub body: String,
    pub created_at: i64,
    pub attachments: Vec<Attachment>,
}

/// A ticket and its messages, oldest first.
#[derive(Clone, Debug)]
pub struct Thread {
    pub ticket: Ticket,
    pub messages: Vec<ThreadMessage>,
}

/// Who is reading or answering a thread: its signed-in owner, or the holder of its link.
#[derive(Clone, Copy, Debug)]
pub enum Reader<'a> {
    Account(&'a str),
    Link(&'a str),
}

/// Why a support operation did not happen. The code names the localized text; internal
/// failures carry nothing a browser may see.
#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    #[error("unknown topic")]
    UnknownTopic,
    #[error("the message is empty")]
    MessageMissing,
    #[error("the message is too long")]
    MessageTooLong,
    #[error("invalid email address")]
    Email,
    #[error("the screenshot was refused: {0}")]
    Screenshot(ImageError),
    #[error("too many tickets; try again in {seconds} s")]
    Limited { seconds: u64 },
    #[error("link invalid")]
    LinkInvalid,
    #[error("link expired")]
    LinkExpired,
    /// Unknown, unconfirmed, or not this person's: the three look the same.
    #[error("ticket not found")]
    NotFound,
    #[error("the ticket is closed")]
    Closed,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl SupportError {
    pub(crate) fn internal(e: impl std::error::Error + Send + Sync + 'static) -> SupportError {
        SupportError::Internal(Box::new(e))
    }
}

impl From<sqlx::Error> for SupportError {
    fn from(e: sqlx::Error) -> Self {
        SupportError::internal(e)
    }
}

impl From<accounts::AccountError> for SupportError {
    fn from(e: accounts::AccountError) -> Self {
        SupportError::internal(e)
    }
}

impl From<crate::email::EmailError> for SupportError {
    fn from(e: crate::email::EmailError) -> Self {
        SupportError::internal(e)
    }
}

impl From<crate::storage::StorageError> for SupportError {
    fn from(e: crate::storage::StorageError) -> Self {
        SupportError::internal(e)
    }
}

impl From<RateLimitError> for SupportError {
    fn from(e: RateLimitError) -> Self {
        match e {
            RateLimitError::Limited(l) => SupportError::Limited {
                seconds: l.retry_after_seconds,
            },
            RateLimitError::Db(e) => e.into(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct TicketRow {
    id: String,
    user_id: Option<String>,
    email: String,
    topic: String,
    status: String,
    locale: String,
    created_at: i64,
    confirmed_at: Option<i64>,
    updated_at: i64,
    closed_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, email, topic, status, locale, created_at, confirmed_at, \
    updated_at, closed_at";

impl TryFrom<TicketRow> for Ticket {
    type Error = SupportError;

    fn try_from(row: TicketRow) -> Result<Self, SupportError> {
        let corrupt = || SupportError::Internal(format!("ticket {} has bad values", row.id).into());
        Ok(Ticket {
            topic: Topic::parse(&row.topic).ok_or_else(corrupt)?,
            status: TicketStatus::parse(&row.status).ok_or_else(corrupt)?,
            id: row.id,
            user_id: row.user_id,
            email: row.email,
            locale: row.locale,
            created_at: row.created_at,
            confirmed_at: row.confirmed_at,
            updated_at: row.updated_at,
            closed_at: row.closed_at,
        })
    }
}

/// One ticket, whatever its status.
pub async fn get(db: &crate::db::Db, id: &str) -> Result<Option<Ticket>, SupportError> {
    let row: Option<TicketRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM support_tickets WHERE id = $1"
    ))
    .bind(id.to_owned())
    .fetch_optional(db.pool())
    .await?;
    row.map(Ticket::try_from).transpose()
}

fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX / 4)
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

/// A message as typed: line breaks kept, other control characters dropped, trimmed, and
/// within [`MAX_MESSAGE`].
fn message_text(raw: &str) -> Result<String, SupportError> {
    let text: String = raw
        .replace("\r\n", "\n")
        .trim()
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    if text.is_empty() {
        return Err(SupportError::MessageMissing);
    }
    if text.chars().count() > MAX_MESSAGE {
        return Err(SupportError::MessageTooLong);
    }
    Ok(text)
}

//! The development outbox: with `email_transport = outbox`, email is stored in the database
//! instead of sent, and read back at /dev/mail and by tests.

use super::{Email, EmailError};
use crate::db::{Db, DbError};
use std::fmt;

/// An email kept in the outbox.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxMessage {
    pub id: String,
    pub idempotency_key: String,
    pub to_address: String,
    pub subject: String,
    pub html: String,
    pub text: String,
    pub kind: String,
    pub locale: String,
    /// Unix milliseconds.
    pub created_at: i64,
    /// The email's extra headers ([`Email::headers`]) as a JSON object of name to value.
    pub headers: String,
}

impl OutboxMessage {
    /// The value of extra header `name` (compared case-insensitively), if the email had it.
    pub fn header(&self, name: &str) -> Option<String> {
        let headers: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&self.headers).unwrap_or_default();
        headers
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, value)| value.as_str().map(str::to_string))
    }
}

/// Like [`Email`]: the body holds one-time links, so `{:?}` leaves it out.
impl fmt::Debug for OutboxMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboxMessage")
            .field("id", &self.id)
            .field("idempotency_key", &self.idempotency_key)
            .field("kind", &self.kind)
            .field("locale", &self.locale)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str =
    "id, idempotency_key, to_address, subject, html, text, kind, locale, created_at, headers";

/// Stores `email` unless an email with its idempotency key is already there; returns the id
/// of the row that holds it either way.
pub(super) async fn store(db: &Db, email: &Email) -> Result<String, EmailError> {
    let id = crate::new_id();
    let inserted = sqlx::query(
        "INSERT INTO email_outbox \
         (id, idempotency_key, to_address, subject, html, text, kind, locale, created_at, headers) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(&id)
    .bind(&email.idempotency_key)
    .bind(&email.to)
    .bind(&email.subject)
    .bind(&email.html)
    .bind(&email.text)
    .bind(&email.kind)
    .bind(&email.locale)
    .bind(crate::now_ms())
    .bind(headers_json(email))
    .execute(db.pool())
    .await
    .map_err(DbError::from)?
    .rows_affected();
    if inserted == 1 {
        return Ok(id);
    }
    let existing: String =
        sqlx::query_scalar("SELECT id FROM email_outbox WHERE idempotency_key = $1")
            .bind(&email.idempotency_key)
            .fetch_one(db.pool())
            .await
            .map_err(DbError::from)?;
    Ok(existing)
}

/// The extra headers as the `headers` column keeps them: a JSON object, name to value.
fn headers_json(email: &Email) -> String {
    let headers: serde_json::Map<String, serde_json::Value> = email
        .headers
        .iter()
        .map(|(name, value)| (name.clone(), serde_json::Value::from(value.as_str())))
        .collect();
    serde_json::Value::Object(headers).to_string()
}

/// The newest `limit` emails, newest first.
pub async fn outbox_list(db: &Db, limit: u32) -> Result<Vec<OutboxMessage>, DbError> {
    let messages = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM email_outbox ORDER BY created_at DESC, id DESC LIMIT $1"
    ))
    .bind(i64::from(limit))
    .fetch_all(db.pool())
    .await?;
    Ok(messages)
}

/// One email by its id.
pub async fn outbox_get(db: &Db, id: &str) -> Result<Option<OutboxMessage>, DbError> {
    let message = sqlx::query_as(&format!("SELECT {COLUMNS} FROM email_outbox WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(message)
}

/// The newest email to `address` (compared case-insensitively), e.g. for a test that signs
/// up and then follows the verification link.
pub async fn outbox_latest_to(db: &Db, address: &str) -> Result<Option<OutboxMessage>, DbError> {
    let message = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM email_outbox WHERE lower(to_address) = lower($1) \
         ORDER BY created_at DESC, id DESC LIMIT 1"
    ))
    .bind(address)
    .fetch_optional(db.pool())
    .await?;
    Ok(message)
}

//! Personal-data breaches: the record of an incident, and the notice each affected person
//! gets (GDPR Art. 34). A notice is a service email, sent whatever the person's marketing
//! choice; each person is told once per incident, and `breach_notices` keeps when, so we can
//! show that we did.

use super::DataCategory;
use crate::{AppState, db::Db, email::Message};
use sqlx::Row;

/// The longest summary an incident may have: a notice is an email, not a report.
const MAX_SUMMARY_CHARS: usize = 2_000;

/// An incident as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incident {
    pub id: String,
    /// What happened, in the operator's words; it goes into every notice as written.
    pub summary: String,
    pub categories: Vec<DataCategory>,
    /// When we became aware of it (unix ms).
    pub detected_at: i64,
    pub created_at: i64,
}

/// One person told about an incident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub user_id: String,
    pub notified_at: i64,
}

/// What a round of notices did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NotifyReport {
    /// Told now.
    pub notified: u64,
    /// Told before: not emailed again.
    pub already: u64,
    /// No account with that id.
    pub unknown: u64,
    /// The email could not be sent; calling again retries exactly these people.
    pub failed: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum BreachError {
    #[error("incident: {0}")]
    Invalid(&'static str),
    #[error("no such incident")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Records an incident and returns its id. `categories` are the kinds of data involved;
/// `detected_at` is when we became aware of it (the 72-hour clock for the authority starts
/// there).
pub async fn record_incident(
    state: &AppState,
    summary: &str,
    categories: &[DataCategory],
    detected_at: i64,
    now_ms: i64,
) -> Result<String, BreachError> {
    let summary = summary.trim();
    if summary.is_empty() || summary.chars().count() > MAX_SUMMARY_CHARS {
        return Err(BreachError::Invalid(
            "the summary must be 1–2000 characters",
        ));
    }
    if categories.is_empty() {
        return Err(BreachError::Invalid("name at least one kind of data"));
    }
    if detected_at > now_ms {
        return Err(BreachError::Invalid(
            "an incident cannot be detected in the future",
        ));
    }
    let mut categories = categories.to_vec();
    categories.sort();
    categories.dedup();
    let ids: Vec<&str> = categories.iter().map(|c| c.id()).collect();
    let id = crate::new_id();
    let mut tx = state.db.begin_write().await?;
    sqlx::query(
        "INSERT INTO breach_incidents (id, summary, categories, detected_at, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(summary)
    .bind(serde_json::json!(ids).to_string())
    .bind(detected_at)
    .bind(now_ms)
    .execute(tx.conn())
    .await?;
    crate::audit::record(
        tx.conn(),
        None,
        None,
        "breach.recorded",
        serde_json::json!({ "incident": id, "categories": ids }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The incident `id`, if recorded.
pub async fn incident(db: &Db, id: &str) -> Result<Option<Incident>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, summary, categories, detected_at, created_at FROM breach_incidents \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|row| {
        let categories: String = row.get(2);
        let ids: Vec<String> = serde_json::from_str(&categories).unwrap_or_default();
        Incident {
            id: row.get(0),
            summary: row.get(1),
            categories: ids
                .iter()
                .filter_map(|id| DataCategory::ALL.into_iter().find(|c| c.id() == id))
                .collect(),
            detected_at: row.get(3),
            created_at: row.get(4),
        }
    }))
}

/// Emails each person in `user_ids` a notice about incident `incident_id`, unless they were
/// told before. The notice is recorded only once the email was handed to the transport, so
/// the record never claims a notice that was not sent; two rounds at once may both send,
/// and the idempotency key `breach/<incident>/<person>` then lets the outbox and Resend keep
/// one.
pub async fn notify_affected(
    state: &AppState,
    incident_id: &str,
    user_ids: &[String],
    now_ms: i64,
) -> Result<NotifyReport, BreachError> {
    let incident = incident(&state.db, incident_id)
        .await?
        .ok_or(BreachError::NotFound)?;
    let contact = contact_address(state);
    let detected_on = date_of(incident.detected_at);
    let mut report = NotifyReport::default();
    let mut seen = std::collections::HashSet::new();
    for user_id in user_ids {
        if !seen.insert(user_id.as_str()) {
            continue;
        }
        match notify_one(state, &incident, user_id, &contact, &detected_on, now_ms).await? {
            Told::Now => report.notified += 1,
            Told::Before => report.already += 1,
            Told::NoSuchPerson => report.unknown += 1,
            Told::SendFailed => report.failed += 1,
        }
    }
    crate::audit::record(
        state.db.pool(),
        None,
        None,
        "breach.notified",
        serde_json::json!({
            "incident": incident_id,
            "notified": report.notified,
            "already": report.already,
            "unknown": report.unknown,
            "failed": report.failed,
        }),
        None,
    )
    .await?;
    Ok(report)
}

/// What became of one person's breach notice.
enum Told {
    Now,
    /// Told before (or by another round in the meantime).
    Before,
    NoSuchPerson,
    SendFailed,
}

/// Emails one person the notice about `incident` unless they were told before, and records
/// it once the email was handed to the transport.
async fn notify_one(
    state: &AppState,
    incident: &Incident,
    user_id: &str,
    contact: &str,
    detected_on: &str,
    now_ms: i64,
) -> Result<Told, BreachError> {
    let incident_id = incident.id.as_str();
    let told: Option<i64> = sqlx::query_scalar(
        "SELECT notified_at FROM breach_notices WHERE incident_id = $1 AND user_id = $2",
    )
    .bind(incident_id)
    .bind(user_id)
    .fetch_optional(state.db.pool())
    .await?;
    if told.is_some() {
        return Ok(Told::Before);
    }
    let person = sqlx::query("SELECT email, display_name, locale FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(state.db.pool())
        .await?;
    let Some(person) = person else {
        return Ok(Told::NoSuchPerson);
    };
    let email: String = person.get(0);
    let locale: String = person.get(2);
    let message = Message::BreachNotice {
        name: person.get(1),
        summary: incident.summary.clone(),
        categories: incident.categories.clone(),
        detected_on: detected_on.to_owned(),
        contact: contact.to_owned(),
    };
    let key = format!("breach/{incident_id}/{user_id}");
    if let Err(e) = state
        .mailer
        .send_message(&email, &message, &locale, &key)
        .await
    {
        tracing::warn!(incident = %incident_id, user = %user_id, error = %e, "breach notice not sent");
        return Ok(Told::SendFailed);
    }
    let recorded = sqlx::query(
        "INSERT INTO breach_notices (incident_id, user_id, notified_at) VALUES ($1, $2, $3) \
         ON CONFLICT (incident_id, user_id) DO NOTHING",
    )
    .bind(incident_id)
    .bind(user_id)
    .bind(now_ms)
    .execute(state.db.pool())
    .await?
    .rows_affected();
    // Not recorded: another round told them in the meantime.
    Ok(if recorded == 1 {
        Told::Now
    } else {
        Told::Before
    })
}

/// Everyone told about incident `incident_id`, in the order they were told.
pub async fn notices(db: &Db, incident_id: &str) -> Result<Vec<Notice>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT user_id, notified_at FROM breach_notices WHERE incident_id = $1 \
         ORDER BY notified_at, user_id",
    )
    .bind(incident_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Notice {
            user_id: row.get(0),
            notified_at: row.get(1),
        })
        .collect())
}

/// Whom people write to with questions: the configured contact address, else the address
/// our email comes from.
fn contact_address(state: &AppState) -> String {
    if let Some(contact) = &state.config.contact_email {
        return contact.clone();
    }
    state
        .config
        .email_from
        .parse::<lettre::message::Mailbox>()
        .map(|mailbox| mailbox.email.to_string())
        .unwrap_or_else(|_| state.config.email_from.clone())
}

/// A day as `YYYY-MM-DD` (UTC), readable in every language.
fn date_of(ms: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

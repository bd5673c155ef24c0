//! The support and marketing category: privacy preferences, rights requests, support
//! tickets with their threads and screenshots, policy change notices and breach notices.

use super::extension;
use crate::storage::StorageKey;
use crate::{
    db::Db,
    privacy::export::{
        ExportError,
        document::{
            Kind::{Int, Json, Text},
            records,
        },
    },
};
use serde_json::{Map, Value, json};

pub(super) async fn collect(
    db: &Db,
    user_id: &str,
    images: &mut Vec<(String, StorageKey)>,
) -> Result<Value, ExportError> {
    let preferences = records(
        db,
        "SELECT restricted_at, objected_at, marketing_opt_in_at, marketing_opt_out_at, \
         updated_at FROM privacy_preferences WHERE user_id = $1",
        user_id,
        &[
            ("restricted_at", Int),
            ("objected_at", Int),
            ("marketing_opt_in_at", Int),
            ("marketing_opt_out_at", Int),
            ("updated_at", Int),
        ],
    )
    .await?;
    // Requests made signed in, and those written in from the account's address.
    let requests = records(
        db,
        "SELECT r.kind, r.details, r.locale, r.status, r.verified_by, r.verified_at, r.due_at, \
         r.extended_at, r.extension_reason, r.resolution, r.closed_at, r.created_at \
         FROM privacy_requests r WHERE r.user_id = $1 \
         OR r.email = (SELECT email FROM users WHERE id = $1) ORDER BY r.created_at, r.id",
        user_id,
        &[
            ("kind", Text),
            ("details", Text),
            ("locale", Text),
            ("status", Text),
            ("verified_by", Text),
            ("verified_at", Int),
            ("due_at", Int),
            ("extended_at", Int),
            ("extension_reason", Text),
            ("resolution", Text),
            ("closed_at", Int),
            ("created_at", Int),
        ],
    )
    .await?;
    let notices = records(
        db,
        "SELECT doc, version, sent_at FROM policy_notices WHERE user_id = $1 \
         ORDER BY sent_at, doc",
        user_id,
        &[("doc", Text), ("version", Text), ("sent_at", Int)],
    )
    .await?;
    let breaches = records(
        db,
        "SELECT i.summary, i.categories, i.detected_at, n.notified_at FROM breach_notices n \
         JOIN breach_incidents i ON i.id = n.incident_id WHERE n.user_id = $1 \
         ORDER BY n.notified_at, i.id",
        user_id,
        &[
            ("summary", Text),
            ("categories", Json),
            ("detected_at", Int),
            ("notified_at", Int),
        ],
    )
    .await?;
    let (tickets, messages) = support_tickets(db, user_id, images).await?;
    Ok(json!({
        "preferences": preferences.into_iter().next(),
        "privacy_requests": requests,
        "support_tickets": tickets,
        "support_messages": messages,
        "policy_change_notices": notices,
        "breach_notices": breaches,
    }))
}

/// The person's confirmed support tickets and every message of their threads (support's
/// answers without the agent's id); each screenshot goes into the archive's images.
async fn support_tickets(
    db: &Db,
    user_id: &str,
    images: &mut Vec<(String, StorageKey)>,
) -> Result<(Vec<Map<String, Value>>, Vec<Map<String, Value>>), ExportError> {
    let tickets = records(
        db,
        "SELECT id, topic, status, locale, created_at, confirmed_at, updated_at, closed_at \
         FROM support_tickets WHERE user_id = $1 AND status <> 'unconfirmed' \
         ORDER BY created_at, id",
        user_id,
        &[
            ("id", Text),
            ("topic", Text),
            ("status", Text),
            ("locale", Text),
            ("created_at", Int),
            ("confirmed_at", Int),
            ("updated_at", Int),
            ("closed_at", Int),
        ],
    )
    .await?;
    let messages = records(
        db,
        "SELECT m.ticket_id, m.author, m.body, m.created_at FROM support_messages m \
         JOIN support_tickets t ON t.id = m.ticket_id \
         WHERE t.user_id = $1 AND t.status <> 'unconfirmed' ORDER BY m.created_at, m.id",
        user_id,
        &[
            ("ticket_id", Text),
            ("author", Text),
            ("body", Text),
            ("created_at", Int),
        ],
    )
    .await?;
    let files: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.id, a.storage_key FROM support_attachments a \
         JOIN support_tickets t ON t.id = a.ticket_id \
         WHERE t.user_id = $1 AND t.status <> 'unconfirmed' ORDER BY a.created_at, a.id",
    )
    .bind(user_id.to_owned())
    .fetch_all(db.pool())
    .await?;
    for (id, key) in files {
        if let Ok(key) = StorageKey::parse(key) {
            images.push((format!("images/support/{id}.{}", extension(&key)), key));
        }
    }
    Ok((tickets, messages))
}

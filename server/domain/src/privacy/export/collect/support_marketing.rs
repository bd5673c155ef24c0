//! The support and marketing category: privacy preferences, rights requests, policy change
//! notices and breach notices.

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
use serde_json::{Value, json};

pub(super) async fn collect(db: &Db, user_id: &str) -> Result<Value, ExportError> {
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
    Ok(json!({
        "preferences": preferences.into_iter().next(),
        "privacy_requests": requests,
        "policy_change_notices": notices,
        "breach_notices": breaches,
    }))
}

//! Payment disputes as admins see them, with their notes.

use super::super::BillingError;
use crate::db::Db;
use serde::Serialize;
use sqlx::Row;

/// A payment dispute, for the admins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Dispute {
    pub id: String,
    pub order_id: String,
    pub order_number: String,
    pub provider: String,
    pub status: String,
    pub reason: String,
    pub amount: i64,
    pub currency: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub notes: Vec<DisputeNote>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DisputeNote {
    pub author_id: Option<String>,
    pub body: String,
    pub created_at: i64,
}

/// Every dispute, open ones first, with their notes.
pub async fn disputes(db: &Db, limit: i64) -> Result<Vec<Dispute>, BillingError> {
    let rows = sqlx::query(
        "SELECT d.id, d.order_id, o.number, d.provider, d.status, d.reason, d.amount, \
         d.currency, d.created_at, d.closed_at FROM disputes d JOIN orders o ON o.id = d.order_id \
         ORDER BY CASE WHEN d.status = 'open' THEN 0 ELSE 1 END, d.created_at DESC LIMIT $1",
    )
    .bind(limit.clamp(1, 500))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let id: String = row.try_get("id")?;
        let notes = sqlx::query(
            "SELECT author_id, body, created_at FROM dispute_notes WHERE dispute_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(&id)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|n| {
            Ok(DisputeNote {
                author_id: n.try_get("author_id")?,
                body: n.try_get("body")?,
                created_at: n.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        out.push(Dispute {
            id,
            order_id: row.try_get("order_id")?,
            order_number: row.try_get("number")?,
            provider: row.try_get("provider")?,
            status: row.try_get("status")?,
            reason: row.try_get("reason")?,
            amount: row.try_get("amount")?,
            currency: row.try_get("currency")?,
            created_at: row.try_get("created_at")?,
            closed_at: row.try_get("closed_at")?,
            notes,
        });
    }
    Ok(out)
}

/// Adds an admin's note to a dispute; false when the dispute does not exist.
pub async fn add_dispute_note(
    db: &Db,
    dispute_id: &str,
    author_id: &str,
    body: &str,
) -> Result<bool, BillingError> {
    let body = body.trim();
    if body.is_empty() {
        return Ok(false);
    }
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM disputes WHERE id = $1")
        .bind(dispute_id)
        .fetch_optional(db.pool())
        .await?;
    if exists.is_none() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO dispute_notes (id, dispute_id, author_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(crate::new_id())
    .bind(dispute_id)
    .bind(author_id)
    .bind(body.chars().take(4000).collect::<String>())
    .bind(crate::now_ms())
    .execute(db.pool())
    .await?;
    Ok(true)
}

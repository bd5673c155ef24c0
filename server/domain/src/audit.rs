//! The audit log: an append-only record of who changed what on which account. Entries name
//! fields and actions, never the values of passwords, tokens or secrets.

use crate::db::Db;
use serde_json::Value;

/// One recorded action.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: String,
    pub actor_id: Option<String>,
    pub subject_id: Option<String>,
    pub action: String,
    pub detail: String,
    pub ip: Option<String>,
    pub created_at: i64,
}

/// Records an action. `detail` is a small JSON object (field names, providers, counts).
pub async fn record<'e, E>(
    executor: E,
    actor_id: Option<&str>,
    subject_id: Option<&str>,
    action: &str,
    detail: Value,
    ip: Option<&str>,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (id, actor_id, subject_id, action, detail, ip, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(crate::new_id())
    .bind(actor_id.map(str::to_owned))
    .bind(subject_id.map(str::to_owned))
    .bind(action.to_owned())
    .bind(detail.to_string())
    .bind(ip.map(str::to_owned))
    .bind(crate::now_ms())
    .execute(executor)
    .await?;
    Ok(())
}

/// The latest entries about one account, newest first.
pub async fn for_subject(
    db: &Db,
    subject_id: &str,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, actor_id, subject_id, action, detail, ip, created_at FROM audit_log \
         WHERE subject_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(subject_id.to_owned())
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

/// The latest entries across the instance, newest first (the admin overview).
pub async fn latest(db: &Db, limit: i64) -> Result<Vec<AuditEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, actor_id, subject_id, action, detail, ip, created_at FROM audit_log \
         ORDER BY created_at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

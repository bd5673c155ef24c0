//! The guest data category: the guest sessions that moved into the account.

use crate::{
    db::Db,
    privacy::export::{
        ExportError,
        document::{
            Kind::{Int, Text},
            object,
        },
    },
};
use serde_json::{Value, json};
use sqlx::Row;

pub(super) async fn collect(db: &Db, user_id: &str) -> Result<Value, ExportError> {
    let guests = sqlx::query(
        "SELECT id, trial_allowance, trial_used, created_at, last_seen_at, migrated_at \
         FROM guests WHERE migrated_to = $1 ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let mut guest_records = Vec::new();
    for row in &guests {
        let mut record = object(
            row,
            &[
                ("id", Text),
                ("trial_allowance", Int),
                ("trial_used", Int),
                ("created_at", Int),
                ("last_seen_at", Int),
                ("migrated_at", Int),
            ],
        )?;
        let guest_id: String = row.try_get("id")?;
        // What came along when the guest signed up: the requests made as a guest
        // (their images are listed under uploads and generated content).
        let tasks: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM tasks WHERE guest_id = $1 AND user_id = $2 \
             ORDER BY created_at, id",
        )
        .bind(&guest_id)
        .bind(user_id)
        .fetch_all(db.pool())
        .await?;
        record.insert("generation_requests_moved".into(), json!(tasks));
        guest_records.push(record);
    }
    Ok(json!({ "guest_sessions_moved_to_account": guest_records }))
}

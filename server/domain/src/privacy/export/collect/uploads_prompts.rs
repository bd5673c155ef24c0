//! The uploads and prompts category: uploaded images, generation requests and
//! moderation flags.

use super::extension;
use crate::{
    db::Db,
    privacy::export::{
        ExportError,
        document::{
            Kind::{Int, Json, Text},
            Record, object, records,
        },
    },
    storage::StorageKey,
};
use serde_json::{Value, json};
use sqlx::Row;

pub(super) async fn collect(
    db: &Db,
    user_id: &str,
    images: &mut Vec<(String, StorageKey)>,
) -> Result<Value, ExportError> {
    let upload_records = uploads(db, user_id, images).await?;
    let tasks = records(
        db,
        "SELECT id, batch_id, model_id, provider, prompt, params, cost, status, \
         error_code, created_at, started_at, finished_at FROM tasks \
         WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("id", Text),
            ("batch_id", Text),
            ("model_id", Text),
            ("provider", Text),
            ("prompt", Text),
            ("params", Json),
            ("cost", Int),
            ("status", Text),
            ("error_code", Text),
            ("created_at", Int),
            ("started_at", Int),
            ("finished_at", Int),
        ],
    )
    .await?;
    let flags = records(
        db,
        "SELECT subject, source, reason, excerpt, status, created_at, reviewed_at \
         FROM moderation_flags WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("subject", Text),
            ("source", Text),
            ("reason", Text),
            ("excerpt", Text),
            ("status", Text),
            ("created_at", Int),
            ("reviewed_at", Int),
        ],
    )
    .await?;
    Ok(json!({
        "uploads": upload_records,
        "generation_requests": tasks,
        "moderation_flags": flags,
    }))
}

/// The person's uploads; each file goes into the archive's images.
async fn uploads(
    db: &Db,
    user_id: &str,
    images: &mut Vec<(String, StorageKey)>,
) -> Result<Vec<Record>, sqlx::Error> {
    let uploads = sqlx::query(
        "SELECT id, purpose, storage_key, content_type, width, height, bytes, sha256, \
         created_at, expires_at FROM uploads WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let mut upload_records = Vec::new();
    for row in &uploads {
        let mut record = object(
            row,
            &[
                ("id", Text),
                ("purpose", Text),
                ("content_type", Text),
                ("width", Int),
                ("height", Int),
                ("bytes", Int),
                ("sha256", Text),
                ("created_at", Int),
                ("expires_at", Int),
            ],
        )?;
        let id: String = row.try_get("id")?;
        let key: String = row.try_get("storage_key")?;
        if let Ok(key) = StorageKey::parse(key) {
            let path = format!("images/uploads/{id}.{}", extension(&key));
            record.insert("file".into(), Value::from(path.clone()));
            images.push((path, key));
        }
        upload_records.push(record);
    }
    Ok(upload_records)
}

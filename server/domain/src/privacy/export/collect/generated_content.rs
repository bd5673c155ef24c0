//! The generated content category: the generated images and their metadata.

use super::extension;
use crate::{
    db::Db,
    privacy::export::{
        ExportError,
        document::{
            Kind::{Int, Text},
            object,
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
    let outputs = sqlx::query(
        "SELECT o.id, o.task_id, o.position, o.storage_key, o.content_type, o.width, \
         o.height, o.bytes, o.created_at FROM task_outputs o \
         JOIN tasks t ON t.id = o.task_id WHERE t.user_id = $1 \
         ORDER BY o.created_at, o.task_id, o.position",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let mut output_records = Vec::new();
    for row in &outputs {
        let mut record = object(
            row,
            &[
                ("id", Text),
                ("task_id", Text),
                ("position", Int),
                ("content_type", Text),
                ("width", Int),
                ("height", Int),
                ("bytes", Int),
                ("created_at", Int),
            ],
        )?;
        let task_id: String = row.try_get("task_id")?;
        let position: i64 = row.try_get("position")?;
        let key: String = row.try_get("storage_key")?;
        if let Ok(key) = StorageKey::parse(key) {
            let path = format!("images/generated/{task_id}-{position}.{}", extension(&key));
            record.insert("file".into(), Value::from(path.clone()));
            images.push((path, key));
        }
        output_records.push(record);
    }
    Ok(json!({ "generated_images": output_records }))
}

//! The usage category: the analytics events recorded for the person.

use crate::{
    db::Db,
    privacy::export::{
        ExportError,
        document::{
            Kind::{Int, Text},
            records,
        },
    },
};
use serde_json::{Value, json};

pub(super) async fn collect(db: &Db, user_id: &str) -> Result<Value, ExportError> {
    let events = records(
        db,
        "SELECT name, path, visitor_id, created_at FROM analytics_events \
         WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("name", Text),
            ("path", Text),
            ("visitor_id", Text),
            ("created_at", Int),
        ],
    )
    .await?;
    Ok(json!({ "analytics_events": events }))
}

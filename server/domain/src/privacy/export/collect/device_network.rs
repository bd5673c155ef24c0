//! The device and network category: the signed-in devices with their browser, address
//! and rough location.

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
    let sessions = records(
        db,
        "SELECT created_at, last_seen_at, expires_at, user_agent, ip, location \
         FROM sessions WHERE user_id = $1 ORDER BY created_at",
        user_id,
        &[
            ("created_at", Int),
            ("last_seen_at", Int),
            ("expires_at", Int),
            ("user_agent", Text),
            ("ip", Text),
            ("location", Text),
        ],
    )
    .await?;
    Ok(json!({ "signed_in_devices": sessions }))
}

//! The logs category: the account's activity in the audit log, without who on staff.

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
    // The person's own actions with their address, and what staff or the system
    // did to their account: who and from where is not theirs to see.
    let entries = records(
        db,
        "SELECT action, created_at, \
         CASE WHEN actor_id = $1 THEN 'you' WHEN actor_id IS NULL THEN 'system' \
           ELSE 'staff' END AS actor, \
         CASE WHEN actor_id = $1 THEN ip ELSE NULL END AS ip \
         FROM audit_log WHERE subject_id = $1 OR actor_id = $1 \
         ORDER BY created_at, id",
        user_id,
        &[
            ("action", Text),
            ("created_at", Int),
            ("actor", Text),
            ("ip", Text),
        ],
    )
    .await?;
    Ok(json!({ "account_activity": entries }))
}

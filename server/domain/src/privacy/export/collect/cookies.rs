//! The cookies category: the person's consent choices and the cookies the product sets.

use crate::{
    db::Db,
    privacy::export::{
        ExportError,
        document::{
            Kind::{Flag, Int, Text},
            records,
        },
    },
    registry::COOKIES,
};
use serde_json::{Value, json};

pub(super) async fn collect(db: &Db, user_id: &str) -> Result<Value, ExportError> {
    let consents = records(
        db,
        "SELECT functional, analytics, marketing, source, policy_version, \
         visitor_id, created_at FROM consent_records WHERE user_id = $1 \
         ORDER BY created_at, id",
        user_id,
        &[
            ("functional", Flag),
            ("analytics", Flag),
            ("marketing", Flag),
            ("source", Text),
            ("policy_version", Text),
            ("visitor_id", Text),
            ("created_at", Int),
        ],
    )
    .await?;
    let cookies: Vec<Value> = COOKIES
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "category": format!("{:?}", c.category).to_lowercase(),
                "lifetime_days": c.lifetime.map(|d| d.as_secs() / 86_400),
                "http_only": c.http_only,
            })
        })
        .collect();
    Ok(json!({ "consent_choices": consents, "cookies_we_set": cookies }))
}

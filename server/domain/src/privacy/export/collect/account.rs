//! The account category: the profile (without secrets), the avatar and the sign-in
//! providers.

use super::extension;
use crate::{
    db::Db,
    privacy::export::{
        ExportError,
        document::{
            Kind::{Flag, Int, Text},
            object, records,
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
    let profile = sqlx::query(
        "SELECT id, email, email_verified_at, display_name, avatar_key, locale, theme, \
         company_name, region, phone, bio, role, terms_version, terms_accepted_at, \
         age_confirmed_at, policy_notice_seen, created_at, updated_at, \
         CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS has_password, \
         CASE WHEN totp_enabled_at IS NULL THEN 0 ELSE 1 END AS two_factor_enabled \
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(ExportError::NotFound)?;
    let mut profile_json = object(
        &profile,
        &[
            ("id", Text),
            ("email", Text),
            ("email_verified_at", Int),
            ("display_name", Text),
            ("locale", Text),
            ("theme", Text),
            ("company_name", Text),
            ("region", Text),
            ("phone", Text),
            ("bio", Text),
            ("role", Text),
            ("terms_version", Text),
            ("terms_accepted_at", Int),
            ("age_confirmed_at", Int),
            ("policy_notice_seen", Text),
            ("has_password", Flag),
            ("two_factor_enabled", Flag),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    )?;
    let avatar: Option<String> = profile.try_get("avatar_key")?;
    let avatar_file = match avatar.and_then(|k| StorageKey::parse(k).ok()) {
        Some(key) => {
            let path = format!("images/avatar.{}", extension(&key));
            images.push((path.clone(), key));
            Value::from(path)
        }
        None => Value::Null,
    };
    profile_json.insert("avatar_file".into(), avatar_file);
    let identities = records(
        db,
        "SELECT provider, subject, email, created_at FROM oauth_identities \
         WHERE user_id = $1 ORDER BY created_at",
        user_id,
        &[
            ("provider", Text),
            ("subject", Text),
            ("email", Text),
            ("created_at", Int),
        ],
    )
    .await?;
    Ok(json!({ "profile": profile_json, "sign_in_providers": identities }))
}

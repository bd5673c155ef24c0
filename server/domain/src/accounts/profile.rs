//! The profile a person edits in their settings, and their avatar.

use super::{AccountError, DisplayName, Phone, ProfileError, User, find_user, validate};
use crate::{AppState, audit, now_ms};

/// What the profile form carries. Every field is replaced; empty optional fields clear.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    pub display_name: String,
    pub locale: String,
    pub theme: String,
    pub company_name: String,
    pub region: String,
    pub phone: String,
    pub bio: String,
}

/// Validates and saves the profile; the audit log names the fields that changed.
pub async fn update_profile(
    state: &AppState,
    user_id: &str,
    change: ProfileChange,
    ip: Option<&str>,
) -> Result<User, AccountError> {
    let display_name = DisplayName::parse(&change.display_name)?;
    let locale = validate::locale(&change.locale);
    let theme = match change.theme.as_str() {
        "light" | "dark" => Some(change.theme.clone()),
        "" | "system" => None,
        _ => return Err(ProfileError::Theme.into()),
    };
    let company = validate::optional_text(&change.company_name, 100, ProfileError::Company)?;
    let region = validate::optional_text(&change.region, 100, ProfileError::Region)?;
    let phone = match change.phone.trim() {
        "" => None,
        p => Some(Phone::parse(p)?.into_inner()),
    };
    let bio = validate::optional_text(&change.bio, 500, ProfileError::Bio)?;
    let before = find_user(&state.db, user_id)
        .await?
        .ok_or(AccountError::InvalidCredentials)?;
    let mut changed = Vec::new();
    if before.display_name != display_name.as_ref() {
        changed.push("display_name");
    }
    if before.locale != locale {
        changed.push("locale");
    }
    if before.theme != theme {
        changed.push("theme");
    }
    if before.company_name != company {
        changed.push("company_name");
    }
    if before.region != region {
        changed.push("region");
    }
    if before.phone != phone {
        changed.push("phone");
    }
    if before.bio != bio {
        changed.push("bio");
    }
    if changed.is_empty() {
        return Ok(before);
    }
    let mut tx = state.db.pool().begin().await?;
    sqlx::query(
        "UPDATE users SET display_name = $1, locale = $2, theme = $3, company_name = $4, \
         region = $5, phone = $6, bio = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(display_name.as_ref().to_owned())
    .bind(locale.to_owned())
    .bind(theme)
    .bind(company)
    .bind(region)
    .bind(phone)
    .bind(bio)
    .bind(now_ms())
    .bind(user_id.to_owned())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Some(user_id),
        Some(user_id),
        "profile.updated",
        serde_json::json!({ "fields": changed }),
        ip,
    )
    .await?;
    tx.commit().await?;
    find_user(&state.db, user_id)
        .await?
        .ok_or(AccountError::InvalidCredentials)
}

/// Replaces the avatar with an already cleaned image stored at `key`; returns the key of
/// the previous one so the caller can delete it.
pub async fn set_avatar(
    state: &AppState,
    user_id: &str,
    key: Option<&str>,
    ip: Option<&str>,
) -> Result<Option<String>, AccountError> {
    let previous: Option<String> = sqlx::query_scalar("SELECT avatar_key FROM users WHERE id = $1")
        .bind(user_id.to_owned())
        .fetch_one(state.db.pool())
        .await?;
    let mut tx = state.db.pool().begin().await?;
    sqlx::query("UPDATE users SET avatar_key = $1, updated_at = $2 WHERE id = $3")
        .bind(key.map(str::to_owned))
        .bind(now_ms())
        .bind(user_id.to_owned())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        Some(user_id),
        Some(user_id),
        if key.is_some() {
            "profile.avatar_set"
        } else {
            "profile.avatar_removed"
        },
        serde_json::json!({ "fields": ["avatar"] }),
        ip,
    )
    .await?;
    tx.commit().await?;
    Ok(previous)
}

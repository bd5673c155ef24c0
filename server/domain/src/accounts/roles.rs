//! Roles: creating or promoting an admin, changing someone's role, counting accounts by
//! role.

use super::{
    AccountError, EmailAddress, Role, User, find_user, find_user_by_email,
    tokens::{TokenPurpose, issue_token, link, send},
};
use crate::{AppState, audit, db::Db, email::Message, now_ms, registry::TERMS_VERSION};

/// Creates an admin account for `email`, or promotes the existing one. A new account gets
/// an invitation link to set its password. Returns the account and, for a new one, the link.
pub async fn create_admin(
    state: &AppState,
    email: &str,
) -> Result<(User, Option<String>), AccountError> {
    let email = EmailAddress::parse(email)?;
    if let Some(user) = find_user_by_email(&state.db, email.as_ref()).await? {
        set_role(state, &user.id, Role::Admin, None).await?;
        let user = find_user(&state.db, &user.id)
            .await?
            .ok_or(AccountError::InvalidCredentials)?;
        return Ok((user, None));
    }
    let now = now_ms();
    let id = crate::new_id();
    let name = email
        .as_ref()
        .split('@')
        .next()
        .unwrap_or("admin")
        .to_owned();
    sqlx::query(
        "INSERT INTO users (id, email, display_name, locale, role, terms_version, \
         terms_accepted_at, age_confirmed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, 'en', 'admin', $4, $5, $5, $5, $5)",
    )
    .bind(&id)
    .bind(email.as_ref().to_owned())
    .bind(name)
    .bind(TERMS_VERSION)
    .bind(now)
    .execute(state.db.pool())
    .await?;
    audit::record(
        state.db.pool(),
        None,
        Some(&id),
        "account.created",
        serde_json::json!({ "method": "create-admin", "role": "admin" }),
        None,
    )
    .await?;
    let token = issue_token(state, &id, TokenPurpose::AdminInvite, Some(email.as_ref())).await?;
    let link = link(state, "/reset-password", &token);
    send(
        state,
        email.as_ref(),
        "en",
        Message::AdminInvite { link: link.clone() },
        format!("admin-invite/{id}"),
    )
    .await?;
    let user = find_user(&state.db, &id)
        .await?
        .ok_or(AccountError::InvalidCredentials)?;
    Ok((user, Some(link)))
}

/// Changes someone's role; a privilege change, so the caller rotates their session.
pub async fn set_role(
    state: &AppState,
    user_id: &str,
    role: Role,
    actor_id: Option<&str>,
) -> Result<(), AccountError> {
    let mut tx = state.db.pool().begin().await?;
    sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(now_ms())
        .bind(user_id.to_owned())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        actor_id,
        Some(user_id),
        "role.changed",
        serde_json::json!({ "role": role.as_str() }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How many accounts exist, by role (the admin overview).
pub async fn count_by_role(db: &Db) -> Result<Vec<(String, i64)>, AccountError> {
    Ok(
        sqlx::query_as("SELECT role, COUNT(*) FROM users GROUP BY role ORDER BY role")
            .fetch_all(db.pool())
            .await?,
    )
}

/// What the admin check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminAccess {
    Granted,
    /// Not an admin at all.
    NotAdmin,
    /// An admin who has not enrolled two-factor yet.
    MustEnrol,
    /// An admin who has not given a code in this session.
    MustGiveCode,
}

/// The admin check, the one place it is decided: the admin role, two-factor enrolled, and
/// a code given in this session (`second_factor_given`). While `enrolling`, an admin
/// without two-factor passes (to enrol).
pub fn admin_access(user: &User, second_factor_given: bool, enrolling: bool) -> AdminAccess {
    if user.role != Role::Admin {
        AdminAccess::NotAdmin
    } else if !user.totp_enabled {
        if enrolling {
            AdminAccess::Granted
        } else {
            AdminAccess::MustEnrol
        }
    } else if second_factor_given {
        AdminAccess::Granted
    } else {
        AdminAccess::MustGiveCode
    }
}

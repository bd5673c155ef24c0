//! Signing in with a password, and changing or resetting the password or the address.

use super::{
    AccountError, EmailAddress, User, find_user, find_user_by_email, hash_password,
    is_unique_violation, password,
    tokens::{
        TokenPurpose, consume_token, issue_token, link, locale_prefix, peek_token_user, send,
    },
    verify_password,
};
use crate::{AppState, audit, email::Message, now_ms};
use secrecy::{ExposeSecret, SecretString};

/// Checks an email and password. Unknown addresses cost the same hash verification as
/// known ones and fail with the same error.
pub async fn authenticate(
    state: &AppState,
    email: &str,
    password: SecretString,
) -> Result<User, AccountError> {
    let row: Option<(String, Option<String>)> = match EmailAddress::parse(email) {
        Ok(email) => {
            sqlx::query_as(
                "SELECT id, password_hash FROM users WHERE email = $1 AND deleted_at IS NULL",
            )
            .bind(email.as_ref().to_owned())
            .fetch_optional(state.db.pool())
            .await?
        }
        Err(_) => None,
    };
    let (id, hash) = match row {
        Some((id, Some(hash))) => (Some(id), SecretString::from(hash)),
        _ => (None, password::decoy_hash()),
    };
    let matches = verify_password(password, hash).await?;
    match (id, matches) {
        (Some(id), true) => find_user(&state.db, &id)
            .await?
            .ok_or(AccountError::InvalidCredentials),
        _ => Err(AccountError::InvalidCredentials),
    }
}

/// Sends a reset link when the address has an account; silent otherwise.
pub async fn request_password_reset(state: &AppState, email: &str) -> Result<(), AccountError> {
    let Some(user) = find_user_by_email(&state.db, email).await? else {
        return Ok(());
    };
    let token = issue_token(state, &user.id, TokenPurpose::ResetPassword, None).await?;
    let link = link(
        state,
        &format!("{}/reset-password", locale_prefix(&user.locale)),
        &token,
    );
    send(
        state,
        &user.email,
        &user.locale,
        Message::ResetPassword {
            name: user.display_name.clone(),
            link,
        },
        format!("reset-password/{}/{}", user.id, now_ms()),
    )
    .await
}

/// Sets a new password from a reset (or admin invite) link, verifies the address (the
/// link proved it) and ends every session of the account.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    new_password: SecretString,
) -> Result<User, AccountError> {
    // Check the password before spending the link, so a weak choice can be corrected.
    let peek = peek_token_user(state, token).await?;
    if let Some(user) = &peek {
        password::check_strength(
            new_password.expose_secret(),
            &[&user.email, &user.display_name],
        )?;
    }
    let used = match consume_token(state, token, TokenPurpose::ResetPassword).await {
        Err(AccountError::TokenInvalid) => {
            consume_token(state, token, TokenPurpose::AdminInvite).await?
        }
        other => other?,
    };
    let hash = hash_password(new_password).await?;
    let now = now_ms();
    let mut tx = state.db.pool().begin().await?;
    sqlx::query(
        "UPDATE users SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2), \
         updated_at = $2 WHERE id = $3",
    )
    .bind(hash.expose_secret().to_owned())
    .bind(now)
    .bind(used.user_id.clone())
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(used.user_id.clone())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        Some(&used.user_id),
        Some(&used.user_id),
        "password.reset",
        serde_json::json!({ "sessions_revoked": "all" }),
        None,
    )
    .await?;
    tx.commit().await?;
    find_user(&state.db, &used.user_id)
        .await?
        .ok_or(AccountError::TokenInvalid)
}

/// Changes the password of a signed-in person who knows the current one (or has none yet,
/// after signing up through Google or GitHub). Every other session ends.
pub async fn change_password(
    state: &AppState,
    user_id: &str,
    current: Option<SecretString>,
    new_password: SecretString,
    keep_session_id: Option<&str>,
) -> Result<(), AccountError> {
    let (email, name, hash): (String, String, Option<String>) =
        sqlx::query_as("SELECT email, display_name, password_hash FROM users WHERE id = $1")
            .bind(user_id.to_owned())
            .fetch_one(state.db.pool())
            .await?;
    if let Some(hash) = hash {
        let current = current.ok_or(AccountError::WrongCurrentPassword)?;
        if !verify_password(current, SecretString::from(hash)).await? {
            return Err(AccountError::WrongCurrentPassword);
        }
    }
    password::check_strength(new_password.expose_secret(), &[&email, &name])?;
    let hash = hash_password(new_password).await?;
    let now = now_ms();
    let mut tx = state.db.pool().begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash.expose_secret().to_owned())
        .bind(now)
        .bind(user_id.to_owned())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id.to_owned())
        .bind(keep_session_id.unwrap_or("").to_owned())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        Some(user_id),
        Some(user_id),
        "password.changed",
        serde_json::json!({ "other_sessions_revoked": true }),
        None,
    )
    .await?;
    tx.commit().await?;
    let user = find_user(&state.db, user_id)
        .await?
        .ok_or(AccountError::InvalidCredentials)?;
    send(
        state,
        &user.email,
        &user.locale,
        Message::PasswordChanged {
            name: user.display_name.clone(),
        },
        format!("password-changed/{user_id}/{now}"),
    )
    .await
}

/// Starts a change of address: a confirmation link goes to the new address, which takes
/// effect only when it is opened. An address that is taken gets no mail and the same
/// answer.
pub async fn request_email_change(
    state: &AppState,
    user_id: &str,
    new_email: &str,
    current_password: Option<SecretString>,
) -> Result<(), AccountError> {
    let new_email = EmailAddress::parse(new_email)?;
    let hash: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id.to_owned())
        .fetch_one(state.db.pool())
        .await?;
    if let Some(hash) = hash {
        let current = current_password.ok_or(AccountError::WrongCurrentPassword)?;
        if !verify_password(current, SecretString::from(hash)).await? {
            return Err(AccountError::WrongCurrentPassword);
        }
    }
    if find_user_by_email(&state.db, new_email.as_ref())
        .await?
        .is_some()
    {
        return Ok(());
    }
    let user = find_user(&state.db, user_id)
        .await?
        .ok_or(AccountError::InvalidCredentials)?;
    let token = issue_token(
        state,
        user_id,
        TokenPurpose::ChangeEmail,
        Some(new_email.as_ref()),
    )
    .await?;
    let link = link(
        state,
        &format!("{}/verify-email", locale_prefix(&user.locale)),
        &format!("{token}&change=1"),
    );
    send(
        state,
        new_email.as_ref(),
        &user.locale,
        Message::ConfirmNewEmail {
            name: user.display_name.clone(),
            link,
        },
        format!("change-email/{user_id}/{}", now_ms()),
    )
    .await
}

/// Applies a change of address from its confirmation link and tells the old address.
pub async fn confirm_email_change(state: &AppState, token: &str) -> Result<User, AccountError> {
    let used = consume_token(state, token, TokenPurpose::ChangeEmail).await?;
    let new_email = used.email.ok_or(AccountError::TokenInvalid)?;
    let old = find_user(&state.db, &used.user_id)
        .await?
        .ok_or(AccountError::TokenInvalid)?;
    let now = now_ms();
    let updated = sqlx::query(
        "UPDATE users SET email = $1, email_verified_at = $2, updated_at = $2 WHERE id = $3",
    )
    .bind(new_email.clone())
    .bind(now)
    .bind(used.user_id.clone())
    .execute(state.db.pool())
    .await;
    match updated {
        Err(e) if is_unique_violation(&e) => return Err(AccountError::EmailInUse),
        other => {
            other?;
        }
    }
    audit::record(
        state.db.pool(),
        Some(&used.user_id),
        Some(&used.user_id),
        "email.changed",
        serde_json::json!({}),
        None,
    )
    .await?;
    send(
        state,
        &old.email,
        &old.locale,
        Message::EmailChanged {
            name: old.display_name.clone(),
            new_email: new_email.clone(),
        },
        format!("email-changed/{}/{now}", used.user_id),
    )
    .await?;
    find_user(&state.db, &used.user_id)
        .await?
        .ok_or(AccountError::TokenInvalid)
}

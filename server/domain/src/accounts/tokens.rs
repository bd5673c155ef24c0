//! Single-use links (verification, reset, change of address, admin invitation) and the
//! service emails that carry them.

use super::{AccountError, User, find_user};
use crate::{AppState, email::Message, now_ms};
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;
use std::time::Duration;

/// The link kinds we send, each with its lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPurpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
    AdminInvite,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::VerifyEmail => "verify-email",
            TokenPurpose::ResetPassword => "reset-password",
            TokenPurpose::ChangeEmail => "change-email",
            TokenPurpose::AdminInvite => "admin-invite",
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            TokenPurpose::ResetPassword => Duration::from_secs(3600),
            _ => Duration::from_secs(24 * 3600),
        }
    }
}

/// How long a person waits before another verification email.
pub const RESEND_COOLDOWN: Duration = Duration::from_secs(60);

fn token_hash(state: &AppState, token: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(state.config.secret_key.expose_secret().as_bytes())
            .expect("HMAC takes any key length");
    mac.update(b"auth-token:");
    mac.update(token.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Issues a single-use link token. Only its keyed hash is stored, so the database alone
/// cannot produce a working link.
pub async fn issue_token(
    state: &AppState,
    user_id: &str,
    purpose: TokenPurpose,
    email: Option<&str>,
) -> Result<String, AccountError> {
    let token = crate::secrets::random_hex(32);
    let now = now_ms();
    sqlx::query(
        "INSERT INTO auth_tokens (token_hash, user_id, purpose, email, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash(state, &token))
    .bind(user_id.to_owned())
    .bind(purpose.as_str())
    .bind(email.map(str::to_owned))
    .bind(now + purpose.lifetime().as_millis() as i64)
    .bind(now)
    .execute(state.db.pool())
    .await?;
    Ok(token)
}

/// A token that was valid and is now spent.
#[derive(Debug)]
pub struct UsedToken {
    pub user_id: String,
    pub email: Option<String>,
}

/// Spends a token: succeeds once, atomically, while it has not expired.
pub async fn consume_token(
    state: &AppState,
    token: &str,
    purpose: TokenPurpose,
) -> Result<UsedToken, AccountError> {
    let hash = token_hash(state, token.trim());
    let now = now_ms();
    let used: Option<(String, Option<String>)> = sqlx::query_as(
        "UPDATE auth_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id, email",
    )
    .bind(now)
    .bind(&hash)
    .bind(purpose.as_str())
    .fetch_optional(state.db.pool())
    .await?;
    if let Some((user_id, email)) = used {
        return Ok(UsedToken { user_id, email });
    }
    // Say why, so the person knows whether to ask for a new link.
    let known: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT expires_at, used_at FROM auth_tokens WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(&hash)
    .bind(purpose.as_str())
    .fetch_optional(state.db.pool())
    .await?;
    Err(match known {
        Some((_, Some(_))) => AccountError::TokenUsed,
        Some(_) => AccountError::TokenExpired,
        None => AccountError::TokenInvalid,
    })
}

pub(super) fn link(state: &AppState, path: &str, token: &str) -> String {
    format!("{}{path}?token={token}", state.config.public_url)
}

pub(super) fn locale_prefix(locale: &str) -> &'static str {
    if locale == "zh-CN" { "/zh-CN" } else { "" }
}

pub(super) async fn send(
    state: &AppState,
    to: &str,
    locale: &str,
    message: Message,
    idempotency_key: String,
) -> Result<(), AccountError> {
    Ok(state
        .mailer
        .send_message(to, &message, locale, &idempotency_key)
        .await?)
}

pub(super) async fn peek_token_user(
    state: &AppState,
    token: &str,
) -> Result<Option<User>, AccountError> {
    let user_id: Option<String> =
        sqlx::query_scalar("SELECT user_id FROM auth_tokens WHERE token_hash = $1")
            .bind(token_hash(state, token.trim()))
            .fetch_optional(state.db.pool())
            .await?;
    match user_id {
        Some(id) => find_user(&state.db, &id).await,
        None => Ok(None),
    }
}

//! Account deletion (the right to erasure), as the person does it themselves from their
//! privacy settings, and the purge that completes it.
//!
//! Deleting is immediate where it can be: in one write transaction the person is signed out
//! everywhere, their uploads, requests, results, exports, links and sign-in methods are
//! deleted, work still queued is cancelled and its credits released, subscriptions are set
//! to end, and the account can no longer be signed in to. The files follow right after the
//! commit (a file that cannot be removed yet stays listed in `storage_deletions` until the
//! sweeper manages). The profile row stays for the 90 days the policy keeps account data
//! after deletion, to resolve disputes; then [`purge_due`] removes every trace of the person
//! and keeps the payment and credit records tax law requires under a pseudonym.

mod content;
mod purge;
mod subscriptions;

pub use content::retry_file_deletions;
pub use purge::purge_due;

use super::{DataCategory, Retention, rule};
pub use crate::accounts::address_is_deleted;
use crate::{
    AppState,
    accounts::{self, EmailAddress},
    db::Backend,
    email::Message,
    ratelimit::{self, Limit, RateLimitError},
};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use sqlx::{AnyConnection, Row};
use std::time::Duration;

/// How recently an account without a password must have signed in to delete itself: the
/// sign-in is its proof of identity, and an old session may be someone else's browser.
pub const RECENT_SIGN_IN: Duration = Duration::from_secs(15 * 60);
/// Attempts at confirming a deletion per account, so the form cannot be used to guess the
/// password.
const ATTEMPTS: Limit = Limit::new(5, 15 * 60);

/// How long the profile of a deleted account is kept: the registry's rule for account data.
pub fn purge_delay() -> Duration {
    match rule(DataCategory::Account).retention {
        Retention::WhileActiveThen(after) => after,
        // The registry test pins the account rule; any other shape keeps nothing after.
        _ => Duration::ZERO,
    }
}

fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX / 4)
}

/// How the person proves, at the moment of deleting, that they are the account's owner and
/// mean it. Everyone types the account's address (so nobody deletes by a slip). Accounts
/// with a password give it; accounts that only sign in with Google or GitHub must have
/// signed in within [`RECENT_SIGN_IN`]. Accounts with two-factor sign-in also give a code
/// from their app (or a recovery code).
pub struct Reauth {
    pub password: Option<SecretString>,
    /// The account's address as the person typed it (case and spaces do not matter).
    pub confirm_email: String,
    /// When the session making the request signed in (unix ms), as the session records it.
    pub signed_in_at: Option<i64>,
    pub two_factor_code: Option<String>,
}

impl std::fmt::Debug for Reauth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reauth")
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("signed_in_at", &self.signed_in_at)
            .finish_non_exhaustive()
    }
}

/// Why an account was not deleted. Nothing changed.
#[derive(Debug, thiserror::Error)]
pub enum DeletionError {
    #[error("the password is wrong")]
    WrongPassword,
    #[error("the typed address is not the account's")]
    EmailMismatch,
    /// Without a password, only a fresh sign-in proves who is at the keyboard.
    #[error("the sign-in is too old to confirm a deletion")]
    SignInTooOld,
    #[error("the two-factor code is missing or wrong")]
    TwoFactorCode,
    #[error("too many attempts; try again in {retry_after_seconds} s")]
    Limited { retry_after_seconds: u64 },
    /// No such account, or it is already deleted.
    #[error("no such account")]
    NotFound,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl DeletionError {
    /// The fluent key of what the person is told.
    pub fn message_key(&self) -> &'static str {
        match self {
            DeletionError::WrongPassword => "privacy-delete-error-password",
            DeletionError::EmailMismatch => "privacy-delete-error-email",
            DeletionError::SignInTooOld => "privacy-delete-error-sign-in-again",
            DeletionError::TwoFactorCode => "privacy-delete-error-code",
            DeletionError::Limited { .. } => "privacy-delete-error-limited",
            DeletionError::NotFound => "privacy-delete-error-gone",
            DeletionError::Internal(_) => "error-internal",
        }
    }

    fn internal(e: impl std::error::Error + Send + Sync + 'static) -> DeletionError {
        DeletionError::Internal(Box::new(e))
    }
}

impl From<sqlx::Error> for DeletionError {
    fn from(e: sqlx::Error) -> Self {
        DeletionError::internal(e)
    }
}

impl From<crate::credits::LedgerError> for DeletionError {
    fn from(e: crate::credits::LedgerError) -> Self {
        DeletionError::internal(e)
    }
}

/// SQL that is true when text column `column` contains the value bound at `$n`.
fn contains(backend: Backend, column: &str, n: u8) -> String {
    match backend {
        Backend::Sqlite => format!("instr({column}, ${n}) > 0"),
        Backend::Postgres => format!("strpos({column}, ${n}) > 0"),
    }
}

/// Deletes `user_id`'s account after checking `reauth` (see [`Reauth`]). On success the
/// person is signed out everywhere, cannot sign in again, and has been sent a confirmation.
pub async fn delete_account(
    state: &AppState,
    user_id: &str,
    reauth: Reauth,
    now_ms: i64,
    ip: Option<&str>,
) -> Result<(), DeletionError> {
    let account = load_account(state, user_id).await?;
    check_reauth(state, user_id, &account, reauth, now_ms).await?;
    let Some(erased) = erase(state, user_id, account.avatar.as_deref(), now_ms, ip).await? else {
        // Deleted by another request a moment ago: that one finishes the job.
        return Ok(());
    };
    tracing::info!(user = %user_id, "account deleted");

    // The address is still on file (until the purge): tell the person it is done.
    if let Err(error) = state
        .mailer
        .send_message(
            &account.email,
            &Message::AccountDeleted { name: account.name },
            &account.locale,
            &format!("account-deleted/{user_id}"),
        )
        .await
    {
        tracing::warn!(%error, user = %user_id, "could not send the deletion confirmation");
    }
    content::remove_files(state, &erased.files).await;
    for (provider, subscription_id) in erased.subscriptions {
        subscriptions::cancel_at_provider(state, &provider, &subscription_id).await;
    }
    Ok(())
}

/// What the deletion needs to know of the account.
struct Account {
    email: String,
    name: String,
    locale: String,
    password_hash: Option<String>,
    two_factor: Option<i64>,
    avatar: Option<String>,
}

async fn load_account(state: &AppState, user_id: &str) -> Result<Account, DeletionError> {
    let row = sqlx::query(
        "SELECT email, display_name, locale, password_hash, totp_enabled_at, avatar_key \
         FROM users WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(user_id)
    .fetch_optional(state.db.pool())
    .await?
    .ok_or(DeletionError::NotFound)?;
    Ok(Account {
        email: row.try_get("email")?,
        name: row.try_get("display_name")?,
        locale: row.try_get("locale")?,
        password_hash: row.try_get("password_hash")?,
        two_factor: row.try_get("totp_enabled_at")?,
        avatar: row.try_get("avatar_key")?,
    })
}

/// Checks that the person at the keyboard is the account's owner and means it (see
/// [`Reauth`]), counting the attempt against [`ATTEMPTS`].
async fn check_reauth(
    state: &AppState,
    user_id: &str,
    account: &Account,
    reauth: Reauth,
    now_ms: i64,
) -> Result<(), DeletionError> {
    match ratelimit::hit(
        &state.db,
        &format!("privacy-delete:{user_id}"),
        ATTEMPTS,
        now_ms,
    )
    .await
    {
        Ok(()) => {}
        Err(RateLimitError::Limited(limited)) => {
            return Err(DeletionError::Limited {
                retry_after_seconds: limited.retry_after_seconds,
            });
        }
        Err(RateLimitError::Db(e)) => return Err(e.into()),
    }
    let typed =
        EmailAddress::parse(&reauth.confirm_email).map_err(|_| DeletionError::EmailMismatch)?;
    if typed.as_ref() != account.email {
        return Err(DeletionError::EmailMismatch);
    }
    match &account.password_hash {
        Some(hash) => {
            let password = reauth
                .password
                .filter(|p| !p.expose_secret().is_empty())
                .ok_or(DeletionError::WrongPassword)?;
            let matches = accounts::verify_password(password, SecretString::from(hash.clone()))
                .await
                .map_err(DeletionError::internal)?;
            if !matches {
                return Err(DeletionError::WrongPassword);
            }
        }
        None => {
            let fresh = reauth.signed_in_at.is_some_and(|at| {
                // A minute of leeway for clocks of several servers.
                at <= now_ms + 60_000 && now_ms - at <= ms(RECENT_SIGN_IN)
            });
            if !fresh {
                return Err(DeletionError::SignInTooOld);
            }
        }
    }
    if account.two_factor.is_some() {
        let code = reauth
            .two_factor_code
            .filter(|c| !c.trim().is_empty())
            .ok_or(DeletionError::TwoFactorCode)?;
        match accounts::two_factor::verify(state, user_id, &code).await {
            Ok(_) => {}
            Err(accounts::AccountError::InvalidTwoFactorCode) => {
                return Err(DeletionError::TwoFactorCode);
            }
            Err(e) => return Err(DeletionError::internal(e)),
        }
    }
    Ok(())
}

/// What is left to do after the deletion's transaction: files to remove, subscriptions to
/// end at their provider.
struct Erased {
    files: Vec<(String, bool)>,
    subscriptions: Vec<(String, String)>,
}

/// The deletion's one write transaction: marks the account deleted, ends its sessions and
/// work, lists its files for removal, deletes its content, stops marketing and sets its
/// subscriptions to end. `None` when another request deleted it first.
async fn erase(
    state: &AppState,
    user_id: &str,
    avatar: Option<&str>,
    now_ms: i64,
    ip: Option<&str>,
) -> Result<Option<Erased>, DeletionError> {
    let backend = state.db.backend();
    let mut tx = state.db.begin_write().await?;
    let conn = tx.conn();
    if !mark_deleted(conn, user_id, now_ms).await? {
        return Ok(None);
    }
    // Every session of the person, including one still waiting for a two-factor code (its
    // record names the account only in its data).
    let sessions = sqlx::query(&format!(
        "DELETE FROM sessions WHERE user_id = $1 OR {}",
        contains(backend, "data", 1)
    ))
    .bind(user_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let cancelled = content::cancel_work(conn, user_id, now_ms).await?;
    let files = content::files_of(conn, user_id, avatar).await?;
    content::queue_file_deletions(conn, &files, now_ms).await?;
    let uploads = content::delete_content(conn, user_id).await?;
    let subscriptions = stop_marketing_and_renewals(conn, user_id, now_ms).await?;
    crate::audit::record(
        &mut *conn,
        Some(user_id),
        Some(user_id),
        "account.deleted",
        json!({
            "sessions_ended": sessions,
            "tasks_cancelled": cancelled,
            "uploads_deleted": uploads,
            "files": files.len(),
            "subscriptions_ending": subscriptions.len(),
        }),
        ip,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Erased {
        files,
        subscriptions,
    }))
}

/// Marks the account deleted and takes away its ways to sign in and its avatar; the
/// profile waits [`purge_delay`] for the purge. False when it was deleted already.
async fn mark_deleted(
    conn: &mut AnyConnection,
    user_id: &str,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let marked = sqlx::query(
        "UPDATE users SET deleted_at = $2, purge_after = $3, password_hash = NULL, \
         totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, avatar_key = NULL, \
         updated_at = $2 WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(user_id)
    .bind(now_ms)
    .bind(now_ms + ms(purge_delay()))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(marked != 0)
}

/// Stops marketing and sets the person's subscriptions to end with their period. Returns
/// the subscriptions, `(provider, provider's id)`, to cancel at their provider.
async fn stop_marketing_and_renewals(
    conn: &mut AnyConnection,
    user_id: &str,
    now_ms: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    // No more marketing: the choice to stop is kept as the record that it stopped.
    sqlx::query(
        "UPDATE privacy_preferences SET marketing_opt_in_at = NULL, marketing_opt_out_at = $2, \
         updated_at = $2 WHERE user_id = $1 AND marketing_opt_in_at IS NOT NULL",
    )
    .bind(user_id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    sqlx::query_as(
        "UPDATE subscriptions SET cancel_at_period_end = 1, updated_at = $2 \
         WHERE user_id = $1 AND status NOT IN ('cancelled', 'ended') \
         AND cancel_at_period_end = 0 RETURNING provider, provider_subscription_id",
    )
    .bind(user_id)
    .bind(now_ms)
    .fetch_all(&mut *conn)
    .await
}

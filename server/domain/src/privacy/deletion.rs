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

use super::{DataCategory, Retention, pseudonym, rule};
use crate::{
    AppState,
    accounts::{self, EmailAddress},
    db::{Backend, Db},
    email::Message,
    ratelimit::{self, Limit, RateLimitError},
    storage::StorageKey,
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
/// Accounts one run of [`purge_due`] handles at most; the next run takes the rest.
const PURGE_BATCH: i64 = 200;

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

/// Whether `email` belongs to an account that was deleted and is not yet purged (OAuth
/// sign-in uses it to refuse such an account the way a wrong password is refused).
pub async fn address_is_deleted(db: &Db, email: &str) -> Result<bool, sqlx::Error> {
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(false);
    };
    let deleted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE email = $1 AND deleted_at IS NOT NULL",
    )
    .bind(email.as_ref())
    .fetch_one(db.pool())
    .await?;
    Ok(deleted > 0)
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
    let row = sqlx::query(
        "SELECT email, display_name, locale, password_hash, totp_enabled_at, avatar_key \
         FROM users WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(user_id)
    .fetch_optional(state.db.pool())
    .await?
    .ok_or(DeletionError::NotFound)?;
    let email: String = row.try_get("email")?;
    let name: String = row.try_get("display_name")?;
    let locale: String = row.try_get("locale")?;
    let password_hash: Option<String> = row.try_get("password_hash")?;
    let two_factor: Option<i64> = row.try_get("totp_enabled_at")?;
    let avatar: Option<String> = row.try_get("avatar_key")?;

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
    if typed.as_ref() != email {
        return Err(DeletionError::EmailMismatch);
    }
    match password_hash {
        Some(hash) => {
            let password = reauth
                .password
                .filter(|p| !p.expose_secret().is_empty())
                .ok_or(DeletionError::WrongPassword)?;
            let matches = accounts::verify_password(password, SecretString::from(hash))
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
    if two_factor.is_some() {
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

    let backend = state.db.backend();
    let mut tx = state.db.begin_write().await?;
    let conn = tx.conn();
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
    if marked == 0 {
        // Deleted by another request a moment ago: that one finishes the job.
        return Ok(());
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
    let cancelled = cancel_work(conn, user_id, now_ms).await?;
    let files = files_of(conn, user_id, avatar.as_deref()).await?;
    for (key, prefix) in &files {
        sqlx::query(
            "INSERT INTO storage_deletions (storage_key, prefix, attempts, created_at) \
             VALUES ($1, $2, 0, $3) ON CONFLICT (storage_key) DO NOTHING",
        )
        .bind(key)
        .bind(i64::from(*prefix))
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    }
    let uploads = delete_content(conn, user_id).await?;
    // No more marketing: the choice to stop is kept as the record that it stopped.
    sqlx::query(
        "UPDATE privacy_preferences SET marketing_opt_in_at = NULL, marketing_opt_out_at = $2, \
         updated_at = $2 WHERE user_id = $1 AND marketing_opt_in_at IS NOT NULL",
    )
    .bind(user_id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    let subscriptions: Vec<(String, String)> = sqlx::query_as(
        "UPDATE subscriptions SET cancel_at_period_end = 1, updated_at = $2 \
         WHERE user_id = $1 AND status NOT IN ('cancelled', 'ended') \
         AND cancel_at_period_end = 0 RETURNING provider, provider_subscription_id",
    )
    .bind(user_id)
    .bind(now_ms)
    .fetch_all(&mut *conn)
    .await?;
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
    tracing::info!(user = %user_id, "account deleted");

    // The address is still on file (until the purge): tell the person it is done.
    if let Err(error) = state
        .mailer
        .send_message(
            &email,
            &Message::AccountDeleted { name },
            &locale,
            &format!("account-deleted/{user_id}"),
        )
        .await
    {
        tracing::warn!(%error, user = %user_id, "could not send the deletion confirmation");
    }
    remove_files(state, &files).await;
    for (provider, subscription_id) in subscriptions {
        cancel_at_provider(state, &provider, &subscription_id).await;
    }
    Ok(())
}

/// Ends the person's queued and running tasks and gives back every credit still held for
/// them. A worker still running one finds the task gone and discards its result.
async fn cancel_work(
    conn: &mut AnyConnection,
    user_id: &str,
    now_ms: i64,
) -> Result<u64, DeletionError> {
    let cancelled = sqlx::query(
        "UPDATE tasks SET status = 'cancelled', error_code = 'account-deleted', \
         finished_at = $2, updated_at = $2, lease_until = NULL \
         WHERE user_id = $1 AND status IN ('queued', 'running')",
    )
    .bind(user_id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let held: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM credit_reservations WHERE user_id = $1 AND status = 'held' \
         ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    for reservation in held {
        crate::credits::release_in(conn, &reservation, now_ms).await?;
    }
    Ok(cancelled)
}

/// The stored files of the person: uploads, results and thumbnails, files kept for
/// moderation, exports, the avatar and the avatar folder. `(key, is_prefix)`.
async fn files_of(
    conn: &mut AnyConnection,
    user_id: &str,
    avatar: Option<&str>,
) -> Result<Vec<(String, bool)>, sqlx::Error> {
    let mut keys: Vec<String> = Vec::new();
    keys.extend(
        sqlx::query_scalar::<_, String>("SELECT storage_key FROM uploads WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?,
    );
    for row in sqlx::query(
        "SELECT o.storage_key, o.thumb_key FROM task_outputs o JOIN tasks t ON t.id = o.task_id \
         WHERE t.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?
    {
        keys.push(row.try_get(0)?);
        keys.push(row.try_get(1)?);
    }
    keys.extend(
        sqlx::query_scalar::<_, String>(
            "SELECT storage_key FROM moderation_flags WHERE storage_key IS NOT NULL AND \
             (user_id = $1 OR guest_id IN (SELECT id FROM guests WHERE migrated_to = $1))",
        )
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?,
    );
    keys.extend(
        sqlx::query_scalar::<_, String>(
            "SELECT storage_key FROM data_exports WHERE user_id = $1 AND storage_key IS NOT NULL",
        )
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?,
    );
    keys.extend(avatar.map(str::to_owned));
    let mut files: Vec<(String, bool)> = keys
        .into_iter()
        .filter(|k| StorageKey::parse(k.as_str()).is_ok())
        .map(|k| (k, false))
        .collect();
    // Earlier avatars whose removal failed live in the same folder.
    files.push((format!("avatars/{user_id}"), true));
    files.sort();
    files.dedup();
    Ok(files)
}

/// Deletes the person's content rows and ways in. Returns how many uploads went.
async fn delete_content(conn: &mut AnyConnection, user_id: &str) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "DELETE FROM task_outputs WHERE task_id IN (SELECT id FROM tasks WHERE user_id = $1)",
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    let statements = [
        "DELETE FROM tasks WHERE user_id = $1",
        "DELETE FROM moderation_flags WHERE user_id = $1 \
         OR guest_id IN (SELECT id FROM guests WHERE migrated_to = $1)",
        "DELETE FROM data_exports WHERE user_id = $1",
        "DELETE FROM auth_tokens WHERE user_id = $1",
        "DELETE FROM oauth_identities WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        // A deleted account earns nothing from new sign-ups.
        "DELETE FROM referral_codes WHERE user_id = $1",
    ];
    let uploads = sqlx::query("DELETE FROM uploads WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    for sql in statements {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(uploads)
}

/// Removes files whose rows are gone; each one removed leaves `storage_deletions`. What
/// fails stays there for [`retry_file_deletions`]. Returns how many entries were done.
async fn remove_files(state: &AppState, files: &[(String, bool)]) -> u64 {
    let mut done = 0;
    for (key, prefix) in files {
        let Ok(parsed) = StorageKey::parse(key.as_str()) else {
            continue;
        };
        let removed = if *prefix {
            state.storage.delete_prefix(&parsed).await.map(|_| ())
        } else {
            state.storage.delete(&parsed).await
        };
        let outcome = match removed {
            Ok(()) => sqlx::query("DELETE FROM storage_deletions WHERE storage_key = $1")
                .bind(key)
                .execute(state.db.pool())
                .await
                .map(|r| r.rows_affected()),
            Err(error) => {
                tracing::warn!(%error, "could not remove a deleted account's file; will retry");
                sqlx::query(
                    "UPDATE storage_deletions SET attempts = attempts + 1 WHERE storage_key = $1",
                )
                .bind(key)
                .execute(state.db.pool())
                .await
                .map(|_| 0)
            }
        };
        match outcome {
            Ok(n) => done += n,
            Err(error) => tracing::warn!(%error, "could not record a file removal"),
        }
    }
    done
}

/// The sweeper's retry of files a deletion could not remove at once. Safe to run in several
/// processes: removing a file twice is harmless, and each entry is counted by the run that
/// deleted it. `dry_run` counts what is waiting.
pub async fn retry_file_deletions(state: &AppState, dry_run: bool) -> Result<u64, sqlx::Error> {
    if dry_run {
        let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM storage_deletions")
            .fetch_one(state.db.pool())
            .await?;
        return Ok(waiting as u64);
    }
    let waiting: Vec<(String, i64)> = sqlx::query_as(
        "SELECT storage_key, prefix FROM storage_deletions ORDER BY created_at, storage_key \
         LIMIT 1000",
    )
    .fetch_all(state.db.pool())
    .await?;
    let files: Vec<(String, bool)> = waiting.into_iter().map(|(k, p)| (k, p != 0)).collect();
    Ok(remove_files(state, &files).await)
}

/// Asks the payment provider to end a subscription at the end of its period, so a deleted
/// account is never charged again. Best-effort: the deletion is done whatever the provider
/// says; a failure is logged for the operator, and the local record already says it ends.
async fn cancel_at_provider(state: &AppState, provider: &str, subscription_id: &str) {
    let billing = &state.config.billing;
    let request = match provider {
        "stripe" => billing.stripe.as_ref().map(|stripe| {
            state
                .http
                .post(format!(
                    "{}/v1/subscriptions/{subscription_id}",
                    stripe.api_url.trim_end_matches('/')
                ))
                .bearer_auth(stripe.secret_key.expose_secret())
                .form(&[("cancel_at_period_end", "true")])
        }),
        "creem" => billing.creem.as_ref().map(|creem| {
            state
                .http
                .post(format!(
                    "{}/v1/subscriptions/{subscription_id}/cancel",
                    creem.api_url.trim_end_matches('/')
                ))
                .header("x-api-key", creem.api_key.expose_secret())
                .json(&json!({ "mode": "scheduled" }))
        }),
        // The local checkout renews nothing by itself: the record is all there is.
        _ => return,
    };
    let Some(request) = request else {
        tracing::error!(
            provider,
            "a deleted account's subscription is with a provider that is no longer configured; \
             cancel it in the provider's dashboard"
        );
        return;
    };
    match request.send().await {
        Ok(response) if response.status().is_success() => {
            tracing::info!(provider, "subscription of a deleted account set to end");
        }
        Ok(response) => tracing::error!(
            provider,
            status = response.status().as_u16(),
            "the provider refused to end a deleted account's subscription; cancel it in the \
             provider's dashboard"
        ),
        Err(error) => tracing::error!(
            provider,
            timeout = error.is_timeout(),
            "the provider could not be reached to end a deleted account's subscription; \
             cancel it in the provider's dashboard"
        ),
    }
}

/// Purges every deleted account whose [`purge_delay`] has passed: the payment and credit
/// records kept for tax law move to the person's [`pseudonym`], billing contact details
/// go, and everything else that names the person is deleted or pseudonymized before the
/// account row itself is deleted. One transaction per person; safe when several
/// instances run it at once (each person is purged by exactly one, and counted once).
/// Returns how many accounts were purged (`dry_run`: how many are due).
pub async fn purge_due(state: &AppState, now_ms: i64, dry_run: bool) -> Result<u64, sqlx::Error> {
    if dry_run {
        let due: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL AND purge_after <= $1",
        )
        .bind(now_ms)
        .fetch_one(state.db.pool())
        .await?;
        return Ok(due as u64);
    }
    // Files a deletion could not remove at once get another chance first.
    retry_file_deletions(state, false).await?;
    let mut purged = 0;
    loop {
        let due: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM users WHERE deleted_at IS NOT NULL AND purge_after <= $1 \
             ORDER BY purge_after, id LIMIT $2",
        )
        .bind(now_ms)
        .bind(PURGE_BATCH)
        .fetch_all(state.db.pool())
        .await?;
        if due.is_empty() {
            break;
        }
        let mut progressed = false;
        for user_id in &due {
            if purge_one(state, user_id, now_ms).await? {
                purged += 1;
                progressed = true;
            }
        }
        // Another instance took this batch: what is left is theirs.
        if !progressed || (due.len() as i64) < PURGE_BATCH {
            break;
        }
    }
    Ok(purged)
}

/// Purges one account in one transaction. False when it was not (or no longer) due.
async fn purge_one(state: &AppState, user_id: &str, now_ms: i64) -> Result<bool, sqlx::Error> {
    let backend = state.db.backend();
    let alias = pseudonym(state, user_id);
    let mut tx = state.db.begin_write().await?;
    let conn = tx.conn();
    // PostgreSQL: the row lock makes a second instance wait, then find the row gone.
    // SQLite: the write transaction already runs alone.
    let lock = match backend {
        Backend::Postgres => {
            "SELECT email, display_name FROM users WHERE id = $1 AND deleted_at IS NOT NULL \
             AND purge_after <= $2 FOR UPDATE"
        }
        Backend::Sqlite => {
            "SELECT email, display_name FROM users WHERE id = $1 AND deleted_at IS NOT NULL \
             AND purge_after <= $2"
        }
    };
    let Some((email, name)): Option<(String, String)> = sqlx::query_as(lock)
        .bind(user_id)
        .bind(now_ms)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(false);
    };

    // Payment and credit records stay, under the pseudonym; so do the referrals they cite
    // and what the person did as staff (dispute notes written, moderation reviewed).
    for (table, column) in [
        ("credit_accounts", "user_id"),
        ("credit_lots", "user_id"),
        ("credit_reservations", "user_id"),
        ("ledger_entries", "user_id"),
        ("orders", "user_id"),
        ("subscriptions", "user_id"),
        ("signup_bonus_claims", "user_id"),
        ("referrals", "referred_user_id"),
        ("referrals", "referrer_user_id"),
        ("dispute_notes", "author_id"),
        ("moderation_flags", "reviewed_by"),
    ] {
        sqlx::query(&format!(
            "UPDATE {table} SET {column} = $2 WHERE {column} = $1"
        ))
        .bind(user_id)
        .bind(&alias)
        .execute(&mut *conn)
        .await?;
    }
    // Ledger keys and memos name the person in some causes (`signup-bonus:<id>`), also in
    // other people's entries (`referral:<id>:referrer`).
    sqlx::query(&format!(
        "UPDATE ledger_entries SET idempotency_key = REPLACE(idempotency_key, $1, $2), \
         memo = REPLACE(memo, $1, $2) WHERE {} OR {}",
        contains(backend, "idempotency_key", 1),
        contains(backend, "memo", 1)
    ))
    .bind(user_id)
    .bind(&alias)
    .execute(&mut *conn)
    .await?;
    // Notes on the person's disputes are part of the payment record; who they name is not.
    let notes = scrub_expression("body", &name);
    sqlx::query(&format!(
        "UPDATE dispute_notes SET body = {notes} WHERE dispute_id IN \
         (SELECT d.id FROM disputes d JOIN orders o ON o.id = d.order_id WHERE o.user_id = $2)"
    ))
    .bind(user_id)
    .bind(&alias)
    .bind(&email)
    .bind(&name)
    .execute(&mut *conn)
    .await?;

    // The audit trail keeps what happened and when, under the pseudonym; the person's
    // addresses go.
    sqlx::query(
        "UPDATE audit_log SET \
         ip = CASE WHEN actor_id = $1 OR actor_id IS NULL THEN NULL ELSE ip END, \
         actor_id = CASE WHEN actor_id = $1 THEN $2 ELSE actor_id END, \
         subject_id = CASE WHEN subject_id = $1 THEN $2 ELSE subject_id END \
         WHERE actor_id = $1 OR subject_id = $1",
    )
    .bind(user_id)
    .bind(&alias)
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "UPDATE audit_log SET detail = REPLACE(detail, $1, $2) WHERE {}",
        contains(backend, "detail", 1)
    ))
    .bind(user_id)
    .bind(&alias)
    .execute(&mut *conn)
    .await?;

    // Rights requests stay as the record that they were answered, without who asked or
    // what they wrote.
    let resolution = scrub_expression("resolution", &name);
    let reason = scrub_expression("extension_reason", &name);
    sqlx::query(&format!(
        "UPDATE privacy_requests SET user_id = $2, email = '', details = '', \
         verify_token_hash = NULL, resolution = {resolution}, extension_reason = {reason} \
         WHERE user_id = $1 OR email = $3"
    ))
    .bind(user_id)
    .bind(&alias)
    .bind(&email)
    .bind(&name)
    .execute(&mut *conn)
    .await?;

    // Everything else that names the person goes.
    let account_key = ratelimit::account_key("", &email);
    sqlx::query(&format!(
        "DELETE FROM rate_limits WHERE {} OR key LIKE '%' || $2",
        contains(backend, "key", 1)
    ))
    .bind(user_id)
    .bind(account_key)
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "DELETE FROM email_outbox WHERE to_address = $2 OR {}",
        contains(backend, "idempotency_key", 1)
    ))
    .bind(user_id)
    .bind(&email)
    .execute(&mut *conn)
    .await?;
    // Sessions that only mention the person (a form that kept the typed address).
    sqlx::query(&format!(
        "DELETE FROM sessions WHERE user_id = $1 OR {} OR {}",
        contains(backend, "data", 1),
        contains(backend, "data", 2)
    ))
    .bind(user_id)
    .bind(&email)
    .execute(&mut *conn)
    .await?;
    for sql in [
        "DELETE FROM billing_customers WHERE user_id = $1",
        "DELETE FROM billing_profiles WHERE user_id = $1",
        "DELETE FROM referral_codes WHERE user_id = $1",
        "DELETE FROM consent_records WHERE user_id = $1",
        "DELETE FROM analytics_events WHERE user_id = $1",
        "DELETE FROM policy_notices WHERE user_id = $1",
        "DELETE FROM breach_notices WHERE user_id = $1",
        "DELETE FROM moderation_flags WHERE user_id = $1",
        "DELETE FROM guests WHERE migrated_to = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    let deleted = sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    crate::audit::record(
        &mut *conn,
        None,
        Some(&alias),
        "account.purged",
        json!({ "pseudonym": alias }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(deleted == 1)
}

/// `column` with the person's id (`$1`) replaced by the pseudonym (`$2`) and their address
/// (`$3`) and display name (`$4`) blanked out. A name shorter than three characters is left
/// alone: replacing it would mangle ordinary words.
fn scrub_expression(column: &str, name: &str) -> String {
    let base = format!("REPLACE(REPLACE({column}, $1, $2), $3, '[removed]')");
    if name.chars().count() >= 3 {
        format!("REPLACE({base}, $4, '[removed]')")
    } else {
        // Keep `$4` in the statement so every variant binds the same parameters.
        format!("CASE WHEN $4 = '' THEN {base} ELSE {base} END")
    }
}

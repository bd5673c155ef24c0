//! Self-service data export (the rights of access and portability): a person asks for a copy
//! of everything banana nano holds about them, a background job builds a ZIP of one
//! machine-readable JSON file per data category of the registry plus their images, stores it
//! for seven days and emails a link that works only for them, signed in, with its token.
//!
//! The job is a small durable queue in `data_exports`: an export is claimed with a lease
//! (several instances may run the job; a lapsed lease lets another take over), retried with
//! backoff after a failure, and marked failed after [`MAX_ATTEMPTS`] so the person can ask
//! again.

mod archive;
mod collect;
mod document;
mod job;

pub use job::run_pending;

use super::keyed_hash;
use crate::{
    AppState,
    db::{Backend, Db},
    storage::{StorageError, StorageKey},
};
use serde_json::json;
use sqlx::Row;
use std::time::Duration;

/// How long a finished export can be downloaded.
pub const DOWNLOAD_LIFETIME: Duration = super::days(7);
/// How many exports a person may ask for in [`REQUEST_WINDOW`].
pub const REQUESTS_PER_WINDOW: i64 = 3;
pub const REQUEST_WINDOW: Duration = super::days(1);
/// Attempts at building one export before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 3;

fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX / 4)
}

/// Wakes this process's export worker when someone asks for an export, so it starts at once
/// instead of at its next poll.
static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Waits until [`request`] queues an export in this process.
pub async fn requested() {
    WAKE.notified().await;
}

/// Where an export is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportStatus {
    Queued,
    Running,
    Ready,
    Failed,
}

impl ExportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportStatus::Queued => "queued",
            ExportStatus::Running => "running",
            ExportStatus::Ready => "ready",
            ExportStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<ExportStatus> {
        [
            ExportStatus::Queued,
            ExportStatus::Running,
            ExportStatus::Ready,
            ExportStatus::Failed,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }
}

/// One export as the privacy settings page lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ExportSummary {
    pub id: String,
    pub status: ExportStatus,
    pub created_at: i64,
    /// When the download stops working (ready exports only).
    pub expires_at: Option<i64>,
    pub size_bytes: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// No such export of this person, or not with this token (one answer for both, so a
    /// stranger learns nothing).
    #[error("no such export")]
    NotFound,
    /// The download's seven days are over.
    #[error("the export has expired")]
    Expired,
    #[error("too many exports requested; try again in {retry_after_seconds} s")]
    Limited { retry_after_seconds: u64 },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Email(#[from] crate::email::EmailError),
    #[error("the archive could not be written: {0}")]
    Archive(String),
}

impl ExportError {
    /// The fluent key of what the person is told.
    pub fn message_key(&self) -> &'static str {
        match self {
            ExportError::NotFound => "privacy-export-error-not-found",
            ExportError::Expired => "privacy-export-error-expired",
            ExportError::Limited { .. } => "privacy-export-error-limited",
            _ => "error-internal",
        }
    }
}

/// Queues an export of `user_id`'s data and returns its id. While one is queued or being
/// built, asking again returns that one; at most [`REQUESTS_PER_WINDOW`] new exports per
/// [`REQUEST_WINDOW`].
pub async fn request(state: &AppState, user_id: &str, now_ms: i64) -> Result<String, ExportError> {
    let mut tx = state.db.begin_write().await?;
    // PostgreSQL: the person's row is the lock, so two requests at once queue one export.
    // SQLite: the write transaction already runs alone.
    let lock = match state.db.backend() {
        Backend::Postgres => "SELECT id FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
        Backend::Sqlite => "SELECT id FROM users WHERE id = $1 AND deleted_at IS NULL",
    };
    let person: Option<String> = sqlx::query_scalar(lock)
        .bind(user_id)
        .fetch_optional(tx.conn())
        .await?;
    if person.is_none() {
        return Err(ExportError::NotFound);
    }
    let pending: Option<String> = sqlx::query_scalar(
        "SELECT id FROM data_exports WHERE user_id = $1 AND status IN ('queued', 'running') \
         ORDER BY created_at LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(tx.conn())
    .await?;
    if let Some(id) = pending {
        return Ok(id);
    }
    // The exports themselves are the counter: no separate state to drift.
    let window_start = now_ms - ms(REQUEST_WINDOW);
    let recent: Vec<i64> = sqlx::query_scalar(
        "SELECT created_at FROM data_exports WHERE user_id = $1 AND created_at > $2 \
         ORDER BY created_at",
    )
    .bind(user_id)
    .bind(window_start)
    .fetch_all(tx.conn())
    .await?;
    if recent.len() as i64 >= REQUESTS_PER_WINDOW {
        let oldest = recent[recent.len() - REQUESTS_PER_WINDOW as usize];
        let wait_ms = (oldest - window_start).max(1000);
        return Err(ExportError::Limited {
            retry_after_seconds: ((wait_ms + 999) / 1000) as u64,
        });
    }
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO data_exports (id, user_id, status, attempts, created_at) \
         VALUES ($1, $2, 'queued', 0, $3)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(now_ms)
    .execute(tx.conn())
    .await?;
    crate::audit::record(
        tx.conn(),
        Some(user_id),
        Some(user_id),
        "privacy.export_requested",
        json!({ "export": id }),
        None,
    )
    .await?;
    tx.commit().await?;
    WAKE.notify_one();
    Ok(id)
}

/// The person's exports, newest first.
pub async fn list(db: &Db, user_id: &str) -> Result<Vec<ExportSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, status, created_at, expires_at, size_bytes FROM data_exports \
         WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            let status = ExportStatus::parse(&status)
                .ok_or_else(|| sqlx::Error::Decode(format!("export status {status}").into()))?;
            Ok(ExportSummary {
                id: row.try_get("id")?,
                status,
                created_at: row.try_get("created_at")?,
                // A failed export's expiry is only when its record goes; it has no download.
                expires_at: match status {
                    ExportStatus::Ready => row.try_get("expires_at")?,
                    _ => None,
                },
                size_bytes: row.try_get("size_bytes")?,
            })
        })
        .collect()
}

/// A finished export, read back for its owner.
pub struct Download {
    pub bytes: Vec<u8>,
    /// What the browser saves it as.
    pub file_name: String,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("bytes", &self.bytes.len())
            .field("file_name", &self.file_name)
            .finish()
    }
}

/// The archive of export `export_id`, for `user_id` holding the emailed `token`. Anyone
/// else, or a wrong token, gets [`ExportError::NotFound`]; the owner with the right token
/// after the seven days gets [`ExportError::Expired`].
pub async fn open_download(
    state: &AppState,
    user_id: &str,
    export_id: &str,
    token: &str,
    now_ms: i64,
) -> Result<Download, ExportError> {
    use subtle::ConstantTimeEq;
    let row = sqlx::query(
        "SELECT status, storage_key, token_hash, expires_at, created_at FROM data_exports \
         WHERE id = $1 AND user_id = $2",
    )
    .bind(export_id)
    .bind(user_id)
    .fetch_optional(state.db.pool())
    .await?
    .ok_or(ExportError::NotFound)?;
    let status: String = row.try_get("status")?;
    let stored_hash: Option<String> = row.try_get("token_hash")?;
    let Some(stored_hash) = stored_hash.filter(|_| status == "ready") else {
        return Err(ExportError::NotFound);
    };
    let offered = keyed_hash(state, "export", token.trim());
    if !bool::from(offered.as_bytes().ct_eq(stored_hash.as_bytes())) {
        return Err(ExportError::NotFound);
    }
    let expires_at: Option<i64> = row.try_get("expires_at")?;
    if expires_at.is_none_or(|at| at <= now_ms) {
        return Err(ExportError::Expired);
    }
    let key: Option<String> = row.try_get("storage_key")?;
    let key = key
        .and_then(|k| StorageKey::parse(k).ok())
        .ok_or(ExportError::NotFound)?;
    // Gone from storage while the row lives: the sweeper is removing it right now.
    let file = state.storage.get(&key).await?.ok_or(ExportError::Expired)?;
    let created_at: i64 = row.try_get("created_at")?;
    Ok(Download {
        bytes: file.bytes,
        file_name: format!("banana-nano-data-{}.zip", date_of(created_at)),
    })
}

/// `YYYY-MM-DD` (UTC) of a time in unix milliseconds.
fn date_of(at_ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at_ms.div_euclid(1000))
        .map(|at| {
            format!(
                "{:04}-{:02}-{:02}",
                at.year(),
                u8::from(at.month()),
                at.day()
            )
        })
        .unwrap_or_else(|_| "export".to_string())
}

/// `YYYY-MM-DD HH:MM UTC` of a time in unix milliseconds, as emails show it.
fn date_time_of(at_ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at_ms.div_euclid(1000))
        .map(|at| {
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02} UTC",
                at.year(),
                u8::from(at.month()),
                at.day(),
                at.hour(),
                at.minute()
            )
        })
        .unwrap_or_default()
}

/// Deletes the files and records of exports past their expiry (ready ones after seven days,
/// failed ones a week after they failed). Safe to run in several processes at once: each
/// row is counted by the one run that deleted it. A file that cannot be deleted keeps its
/// row, so the next run tries again. `dry_run` counts without deleting.
pub async fn expire_due(state: &AppState, now_ms: i64, dry_run: bool) -> Result<u64, sqlx::Error> {
    if dry_run {
        let due: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM data_exports WHERE expires_at IS NOT NULL AND expires_at <= $1",
        )
        .bind(now_ms)
        .fetch_one(state.db.pool())
        .await?;
        return Ok(due as u64);
    }
    let due: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT id, storage_key FROM data_exports WHERE expires_at IS NOT NULL AND expires_at <= $1 \
         ORDER BY expires_at LIMIT 1000",
    )
    .bind(now_ms)
    .fetch_all(state.db.pool())
    .await?;
    let mut deleted = 0;
    for (id, key) in due {
        if let Some(key) = key.and_then(|k| StorageKey::parse(k).ok())
            && let Err(error) = state.storage.delete(&key).await
        {
            tracing::warn!(%error, export = %id, "could not delete an expired export; will retry");
            continue;
        }
        deleted += sqlx::query("DELETE FROM data_exports WHERE id = $1 AND expires_at <= $2")
            .bind(&id)
            .bind(now_ms)
            .execute(state.db.pool())
            .await?
            .rows_affected();
    }
    Ok(deleted)
}

//! The export job: a small durable queue in `data_exports`. A worker claims an export with a
//! lease, builds and stores the archive, emails the link, and retries with backoff.

use super::{
    DOWNLOAD_LIFETIME, ExportError, MAX_ATTEMPTS, archive::write_zip, collect::collect,
    date_time_of, ms,
};
use crate::{
    AppState,
    db::{Backend, Db},
    email::Message,
    privacy::keyed_hash,
    storage::{StorageError, StorageKey},
};
use sqlx::Row;
use std::time::Duration;

/// How long a worker holds an export it builds before another may take it over.
const LEASE: Duration = Duration::from_secs(15 * 60);
/// The wait before the second attempt; each later one waits four times longer.
const RETRY_BASE: Duration = Duration::from_secs(60);
/// Exports one run of the job builds at most, so a run always ends.
const PER_RUN: usize = 20;

/// An export a worker holds: its row and the lease that proves the worker still holds it.
struct Claimed {
    id: String,
    user_id: String,
    attempts: i64,
    lease_until: i64,
}

/// Takes the next export due: queued (and past its retry wait), or being built under a
/// lease that lapsed. Safe with many workers on both databases.
async fn claim(db: &Db, now_ms: i64) -> Result<Option<Claimed>, sqlx::Error> {
    // Due: queued and past its retry wait, or building under a lease that lapsed (`$n`:
    // the time now).
    let due = |n: u8| {
        format!(
            "(status = 'queued' AND (lease_until IS NULL OR lease_until <= ${n})) \
             OR (status = 'running' AND lease_until < ${n})"
        )
    };
    // A plain read first: an idle poll takes no write lock.
    let any: Option<String> = sqlx::query_scalar(&format!(
        "SELECT id FROM data_exports WHERE {} LIMIT 1",
        due(1)
    ))
    .bind(now_ms)
    .fetch_optional(db.pool())
    .await?;
    if any.is_none() {
        return Ok(None);
    }
    let pick = match db.backend() {
        Backend::Postgres => format!(
            "SELECT id FROM data_exports WHERE {} ORDER BY created_at, id LIMIT 1 \
             FOR UPDATE SKIP LOCKED",
            due(2)
        ),
        Backend::Sqlite => {
            format!(
                "SELECT id FROM data_exports WHERE {} ORDER BY created_at, id LIMIT 1",
                due(2)
            )
        }
    };
    let lease_until = now_ms + ms(LEASE);
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(&format!(
        "UPDATE data_exports SET status = 'running', attempts = attempts + 1, lease_until = $1 \
         WHERE id = ({pick}) RETURNING id, user_id, attempts"
    ))
    .bind(lease_until)
    .bind(now_ms)
    .fetch_optional(tx.conn())
    .await?;
    tx.commit().await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Claimed {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        attempts: row.try_get("attempts")?,
        lease_until,
    }))
}

/// The background job: builds every export that is due, one after another. Returns how
/// many became ready. A failed attempt goes back in the queue with a growing wait, and an
/// export that failed [`MAX_ATTEMPTS`] times is marked failed.
pub async fn run_pending(state: &AppState, now_ms: i64) -> Result<usize, ExportError> {
    let mut ready = 0;
    for _ in 0..PER_RUN {
        let Some(export) = claim(&state.db, now_ms).await? else {
            break;
        };
        if export.attempts > MAX_ATTEMPTS {
            // Its worker stopped mid-way every time (the lease lapsed): give up.
            give_up(state, &export, now_ms).await?;
            continue;
        }
        match build_and_deliver(state, &export, now_ms).await {
            Ok(true) => ready += 1,
            Ok(false) => {}
            Err(error) => {
                tracing::warn!(%error, export = %export.id, attempt = export.attempts, "data export failed");
                // A link to it may never have gone out: the archive of this attempt goes.
                if let Err(error) = state.storage.delete(&archive_key(&export.id)?).await {
                    tracing::warn!(%error, export = %export.id, "could not remove a failed export's file");
                }
                if export.attempts >= MAX_ATTEMPTS {
                    give_up(state, &export, now_ms).await?;
                } else {
                    let wait = RETRY_BASE.saturating_mul(4u32.pow(export.attempts as u32 - 1));
                    sqlx::query(
                        "UPDATE data_exports SET status = 'queued', lease_until = $3, \
                         storage_key = NULL, token_hash = NULL \
                         WHERE id = $1 AND status = 'running' AND lease_until = $2",
                    )
                    .bind(&export.id)
                    .bind(export.lease_until)
                    .bind(now_ms + ms(wait))
                    .execute(state.db.pool())
                    .await?;
                }
            }
        }
    }
    Ok(ready)
}

/// Where the archive of export `id` is stored.
fn archive_key(id: &str) -> Result<StorageKey, StorageError> {
    StorageKey::parse(format!("exports/{id}.zip"))
}

/// Marks an export failed for good; its record goes after [`DOWNLOAD_LIFETIME`], and the
/// person may ask for a new one at once.
async fn give_up(state: &AppState, export: &Claimed, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE data_exports SET status = 'failed', finished_at = $3, expires_at = $4, \
         lease_until = NULL, storage_key = NULL, token_hash = NULL \
         WHERE id = $1 AND status = 'running' AND lease_until = $2",
    )
    .bind(&export.id)
    .bind(export.lease_until)
    .bind(now_ms)
    .bind(now_ms + ms(DOWNLOAD_LIFETIME))
    .execute(state.db.pool())
    .await?;
    Ok(())
}

/// Builds the archive, stores it, emails the link, and marks the export ready. False when
/// the lease was lost meanwhile (another worker finishes it; our file is removed).
async fn build_and_deliver(
    state: &AppState,
    export: &Claimed,
    now_ms: i64,
) -> Result<bool, ExportError> {
    let person: Option<(String, String, String)> = sqlx::query_as(
        "SELECT email, display_name, locale FROM users WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(&export.user_id)
    .fetch_optional(state.db.pool())
    .await?;
    let Some((email, name, locale)) = person else {
        // The account was deleted after asking: nothing to send.
        sqlx::query("DELETE FROM data_exports WHERE id = $1")
            .bind(&export.id)
            .execute(state.db.pool())
            .await?;
        return Ok(false);
    };
    let archive = collect(state, &export.user_id).await?;
    let bytes = write_zip(state, archive).await?;
    let size = bytes.len() as i64;
    let key = archive_key(&export.id)?;
    state.storage.put(&key, bytes, "application/zip").await?;
    let token = crate::secrets::random_hex(32);
    let expires_at = now_ms + ms(DOWNLOAD_LIFETIME);
    let held = sqlx::query(
        "UPDATE data_exports SET storage_key = $3, size_bytes = $4, token_hash = $5, \
         expires_at = $6 WHERE id = $1 AND status = 'running' AND lease_until = $2",
    )
    .bind(&export.id)
    .bind(export.lease_until)
    .bind(key.as_str())
    .bind(size)
    .bind(keyed_hash(state, "export", &token))
    .bind(expires_at)
    .execute(state.db.pool())
    .await?
    .rows_affected();
    if held == 0 {
        let _ = state.storage.delete(&key).await;
        return Ok(false);
    }
    let prefix = if locale == "zh-CN" { "/zh-CN" } else { "" };
    let link = format!(
        "{}{prefix}/settings/privacy/exports/{}?token={token}",
        state.config.public_url, export.id
    );
    // One key per attempt: a retry issues a new token, and must send it.
    state
        .mailer
        .send_message(
            &email,
            &Message::DataExportReady {
                name,
                link,
                expires: date_time_of(expires_at),
            },
            &locale,
            &format!("data-export-ready/{}/{}", export.id, export.attempts),
        )
        .await?;
    let done = sqlx::query(
        "UPDATE data_exports SET status = 'ready', finished_at = $3, lease_until = NULL \
         WHERE id = $1 AND status = 'running' AND lease_until = $2",
    )
    .bind(&export.id)
    .bind(export.lease_until)
    .bind(now_ms)
    .execute(state.db.pool())
    .await?
    .rows_affected();
    Ok(done == 1)
}

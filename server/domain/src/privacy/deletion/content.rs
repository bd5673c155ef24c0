//! What a deletion removes at once: queued work (its credits released), the person's
//! content rows, support tickets and ways in, and their stored files (retried until storage lets them go).

use super::DeletionError;
use crate::{AppState, storage::StorageKey};
use sqlx::{AnyConnection, Row};

/// Ends the person's queued and running tasks and gives back every credit still held for
/// them. A worker still running one finds the task gone and discards its result.
pub(super) async fn cancel_work(
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
/// moderation, exports, support screenshots, the avatar and the avatar folder.
/// `(key, is_prefix)`.
pub(super) async fn files_of(
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
    keys.extend(
        sqlx::query_scalar::<_, String>(
            "SELECT a.storage_key FROM support_attachments a \
             JOIN support_tickets t ON t.id = a.ticket_id WHERE t.user_id = $1",
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

/// Lists the files in `storage_deletions` before any row naming them goes, so a file that
/// cannot be removed at once is still found by [`retry_file_deletions`].
pub(super) async fn queue_file_deletions(
    conn: &mut AnyConnection,
    files: &[(String, bool)],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    for (key, prefix) in files {
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
    Ok(())
}

/// Deletes the person's content rows and ways in. Returns how many uploads went.
pub(super) async fn delete_content(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<u64, sqlx::Error> {
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
        // Support conversations: the thread, its screenshots' rows, then the tickets.
        "DELETE FROM support_attachments WHERE ticket_id IN \
         (SELECT id FROM support_tickets WHERE user_id = $1)",
        "DELETE FROM support_messages WHERE ticket_id IN \
         (SELECT id FROM support_tickets WHERE user_id = $1)",
        "DELETE FROM support_tickets WHERE user_id = $1",
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
pub(super) async fn remove_files(state: &AppState, files: &[(String, bool)]) -> u64 {
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

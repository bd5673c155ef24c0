//! The rules for stored content: signed-in people's tasks and images, uploads, and guests'
//! data, each with its files.

use super::{BATCH, Failure, count, delete_files, period_ms, placeholders};
use crate::{AppState, generation::guests, privacy::DataCategory};
use sqlx::Row;

/// Signed-in people's tasks, with their outputs and output files, past the retention of
/// generated images and of prompts (a task holds both; the shorter period wins). Tasks still
/// queued or running are left to finish. Guests' tasks follow the guest rule.
pub(super) async fn generated_content(
    state: &AppState,
    now: i64,
    dry: bool,
) -> Result<u64, Failure> {
    let cutoff = now
        - period_ms(DataCategory::GeneratedContent).min(period_ms(DataCategory::UploadsPrompts));
    const EXPIRED: &str =
        "user_id IS NOT NULL AND created_at < $1 AND status NOT IN ('queued', 'running')";
    if dry {
        return Ok(count(state, "tasks", EXPIRED, cutoff).await?);
    }
    let mut total = 0;
    loop {
        let ids: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT id FROM tasks WHERE {EXPIRED} ORDER BY created_at LIMIT {BATCH}"
        ))
        .bind(cutoff)
        .fetch_all(state.db.pool())
        .await?;
        if ids.is_empty() {
            return Ok(total);
        }
        let files_sql = format!(
            "SELECT storage_key, thumb_key FROM task_outputs WHERE task_id IN ({})",
            placeholders(1, ids.len())
        );
        let files = sqlx::query(&files_sql);
        let rows = ids
            .iter()
            .fold(files, |q, id| q.bind(id))
            .fetch_all(state.db.pool())
            .await?;
        let mut keys = Vec::with_capacity(rows.len() * 2);
        for row in rows {
            keys.push(row.get::<String, _>(0));
            keys.push(row.get::<String, _>(1));
        }
        // Files first, then rows: a failure leaves rows a later run finds again.
        delete_files(state, keys).await?;
        let mut tx = state.db.begin_write().await?;
        let outputs_sql = format!(
            "DELETE FROM task_outputs WHERE task_id IN ({})",
            placeholders(1, ids.len())
        );
        let outputs = sqlx::query(&outputs_sql);
        ids.iter()
            .fold(outputs, |q, id| q.bind(id))
            .execute(tx.conn())
            .await?;
        let tasks_sql = format!(
            "DELETE FROM tasks WHERE {EXPIRED} AND id IN ({})",
            placeholders(2, ids.len())
        );
        let tasks = sqlx::query(&tasks_sql).bind(cutoff);
        total += ids
            .iter()
            .fold(tasks, |q, id| q.bind(id))
            .execute(tx.conn())
            .await?
            .rows_affected();
        tx.commit().await?;
    }
}

/// Signed-in people's uploads (references and masks) and their files, past the retention
/// of uploads and prompts. Guests' uploads follow the guest rule.
pub(super) async fn uploads(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
    let cutoff = now - period_ms(DataCategory::UploadsPrompts);
    delete_with_files(
        state,
        "uploads",
        "user_id IS NOT NULL AND created_at < $1",
        cutoff,
        dry,
    )
    .await
}

/// Deletes (or, in a dry run, counts) the rows of `table` matching `predicate` (`$1` is
/// `cutoff`) in batches, each row's `storage_key` file before the row, so no file is ever
/// left without the row that names it (a failed run is finished by the next).
pub(super) async fn delete_with_files(
    state: &AppState,
    table: &str,
    predicate: &str,
    cutoff: i64,
    dry: bool,
) -> Result<u64, Failure> {
    if dry {
        return Ok(count(state, table, predicate, cutoff).await?);
    }
    let mut total = 0;
    loop {
        let rows = sqlx::query(&format!(
            "SELECT id, storage_key FROM {table} WHERE {predicate} ORDER BY created_at \
             LIMIT {BATCH}"
        ))
        .bind(cutoff)
        .fetch_all(state.db.pool())
        .await?;
        if rows.is_empty() {
            return Ok(total);
        }
        let ids: Vec<String> = rows.iter().map(|row| row.get(0)).collect();
        let files: Vec<String> = rows
            .iter()
            .filter_map(|row| row.get::<Option<String>, _>(1))
            .collect();
        delete_files(state, files).await?;
        let mut tx = state.db.begin_write().await?;
        let delete_sql = format!(
            "DELETE FROM {table} WHERE ({predicate}) AND id IN ({})",
            placeholders(2, ids.len())
        );
        let delete = sqlx::query(&delete_sql).bind(cutoff);
        total += ids
            .iter()
            .fold(delete, |q, id| q.bind(id))
            .execute(tx.conn())
            .await?
            .rows_affected();
        tx.commit().await?;
    }
}

/// Guests not seen for the guest retention period and never moved to an account: their
/// uploads, tasks, results and record (counted by guests). The purge itself lives with the
/// guests; a dry run counts the guests it would take.
pub(super) async fn guest_data(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
    if dry {
        let cutoff = now - guests::retention_ms();
        return Ok(count(
            state,
            "guests g",
            "g.migrated_to IS NULL AND g.last_seen_at < $1 AND NOT EXISTS \
             (SELECT 1 FROM tasks t WHERE t.guest_id = g.id AND t.user_id IS NULL \
             AND t.status IN ('queued', 'running'))",
            cutoff,
        )
        .await?);
    }
    let mut total = 0;
    loop {
        let purged = guests::purge_expired(&state.db, &state.storage, now).await?;
        if purged.guests == 0 {
            return Ok(total);
        }
        total += purged.guests;
    }
}

/// Visitors' support tickets never confirmed within the registry's window, with their
/// threads and screenshots (counted by tickets): an address typed by someone else is not
/// kept.
pub(super) async fn unconfirmed_support(
    state: &AppState,
    now: i64,
    dry: bool,
) -> Result<u64, Failure> {
    let window = i64::try_from(crate::registry::SUPPORT_CONFIRM_WINDOW.as_millis()).unwrap_or(0);
    let cutoff = now - window;
    const TICKETS: &str = "status = 'unconfirmed' AND created_at < $1";
    const OF_TICKETS: &str = "ticket_id IN (SELECT id FROM support_tickets \
         WHERE status = 'unconfirmed' AND created_at < $1)";
    if dry {
        return Ok(count(state, "support_tickets", TICKETS, cutoff).await?);
    }
    delete_with_files(state, "support_attachments", OF_TICKETS, cutoff, false).await?;
    let mut tx = state.db.begin_write().await?;
    sqlx::query(&format!("DELETE FROM support_messages WHERE {OF_TICKETS}"))
        .bind(cutoff)
        .execute(tx.conn())
        .await?;
    let tickets = sqlx::query(&format!("DELETE FROM support_tickets WHERE {TICKETS}"))
        .bind(cutoff)
        .execute(tx.conn())
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(tickets)
}

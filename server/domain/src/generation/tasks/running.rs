//! A task while a worker holds it: claiming with a lease, renewing it, recording the
//! provider's job and progress, and completing with the outputs.

use super::{TASK_COLUMNS, TaskError, TaskRecord, task_from_row};
use crate::{
    credits,
    db::{Backend, Db},
    generation::events::Events,
    storage::StorageKey,
};
use std::time::Duration;

/// Claims the next due task for `worker`: a queued task whose time has come, or a running
/// one whose lease lapsed. Marks it running with a fresh lease and one more attempt.
pub async fn claim(
    db: &Db,
    worker: &str,
    lease: Duration,
    now: i64,
) -> Result<Option<TaskRecord>, sqlx::Error> {
    let lease_until = now + i64::try_from(lease.as_millis()).unwrap_or(i64::MAX / 2);
    let pick = match db.backend() {
        // SKIP LOCKED: concurrent claimers in any process take different tasks without
        // waiting on each other.
        Backend::Postgres => {
            "SELECT id FROM tasks WHERE (status = 'queued' AND run_after <= $3) \
             OR (status = 'running' AND lease_until < $3) \
             ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED"
        }
        // One writer at a time (`begin_write`), so no two claimers see the same task.
        Backend::Sqlite => {
            "SELECT id FROM tasks WHERE (status = 'queued' AND run_after <= $3) \
             OR (status = 'running' AND lease_until < $3) ORDER BY run_after, id LIMIT 1"
        }
    };
    let sql = format!(
        "UPDATE tasks SET status = 'running', lease_owner = $1, lease_until = $2, \
         attempts = attempts + 1, started_at = COALESCE(started_at, $3), updated_at = $3 \
         WHERE id = ({pick}) RETURNING {TASK_COLUMNS}"
    );
    // A plain read first: an idle worker polling an empty queue takes no write lock.
    let due: Option<String> = sqlx::query_scalar(
        "SELECT id FROM tasks WHERE (status = 'queued' AND run_after <= $1) \
         OR (status = 'running' AND lease_until < $1) LIMIT 1",
    )
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    if due.is_none() {
        return Ok(None);
    }
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(&sql)
        .bind(worker)
        .bind(lease_until)
        .bind(now)
        .fetch_optional(tx.conn())
        .await?;
    tx.commit().await?;
    row.as_ref().map(task_from_row).transpose()
}

/// Renews `worker`'s lease on a running task. False when the lease was lost (the task was
/// taken up elsewhere, or ended): the worker must stop and store nothing.
pub async fn heartbeat(
    db: &Db,
    task_id: &str,
    worker: &str,
    lease: Duration,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let lease_until = now + i64::try_from(lease.as_millis()).unwrap_or(i64::MAX / 2);
    let renewed = sqlx::query(
        "UPDATE tasks SET lease_until = $3, updated_at = $4 \
         WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
    )
    .bind(task_id)
    .bind(worker)
    .bind(lease_until)
    .bind(now)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(renewed == 1)
}

/// Records the provider's job id of a running task (so a retry resumes that job).
pub async fn set_remote_id(
    db: &Db,
    task_id: &str,
    worker: &str,
    remote_id: &str,
) -> Result<bool, sqlx::Error> {
    let set = sqlx::query(
        "UPDATE tasks SET remote_id = $3, updated_at = $4 \
         WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
    )
    .bind(task_id)
    .bind(worker)
    .bind(remote_id)
    .bind(crate::now_ms())
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(set == 1)
}

/// Records progress (percent) of a running task.
pub async fn set_progress(
    db: &Db,
    task_id: &str,
    worker: &str,
    percent: u8,
) -> Result<bool, sqlx::Error> {
    let set = sqlx::query(
        "UPDATE tasks SET progress = $3, updated_at = $4 \
         WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
    )
    .bind(task_id)
    .bind(worker)
    .bind(i64::from(percent.min(100)))
    .bind(crate::now_ms())
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(set == 1)
}

/// A result to record with a task's success.
#[derive(Clone, Debug)]
pub struct NewOutput {
    pub key: StorageKey,
    pub thumb_key: StorageKey,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
    pub bytes: i64,
}

/// Marks `worker`'s running task succeeded with its outputs and captures its credits, in
/// one transaction. False (and nothing recorded) when the worker no longer holds the task.
pub async fn complete(
    db: &Db,
    events: &Events,
    task: &TaskRecord,
    worker: &str,
    outputs: &[NewOutput],
    now: i64,
) -> Result<bool, TaskError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE tasks SET status = 'succeeded', progress = 100, finished_at = $3, updated_at = $3, \
         lease_until = NULL, error_code = NULL \
         WHERE id = $1 AND status = 'running' AND lease_owner = $2",
    )
    .bind(&task.id)
    .bind(worker)
    .bind(now)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if done == 0 {
        return Ok(false);
    }
    for (position, output) in outputs.iter().enumerate() {
        sqlx::query(
            "INSERT INTO task_outputs (id, task_id, position, storage_key, thumb_key, content_type, \
             width, height, bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(crate::new_id())
        .bind(&task.id)
        .bind(position as i64)
        .bind(output.key.as_str())
        .bind(output.thumb_key.as_str())
        .bind(&output.content_type)
        .bind(i64::from(output.width))
        .bind(i64::from(output.height))
        .bind(output.bytes)
        .bind(now)
        .execute(tx.conn())
        .await?;
    }
    if let Some(reservation) = &task.reservation_id {
        credits::capture_in(tx.conn(), reservation, now).await?;
    }
    tx.commit().await?;
    events.publish(db, task.changed()).await;
    Ok(true)
}

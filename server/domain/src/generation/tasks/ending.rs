//! How a task ends when it does not succeed: retried, failed, refused, abandoned or
//! cancelled, and in each case what it held is given back.

use super::{Owner, TaskError, TaskRecord, TaskStatus, get, get_owned};
use crate::{
    config::GenerationConfig,
    credits,
    db::Db,
    generation::{
        ProviderError,
        events::{Event, Events},
        moderation::{self, NewFlag, Source, Subject},
    },
    storage::StorageKey,
};
use sqlx::AnyConnection;
use std::time::Duration;

/// How a task that did not succeed ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Back in the queue, due at `run_after`.
    Retrying {
        run_after: i64,
    },
    Failed,
    Refused,
}

/// Where a task must still be for a transition to apply: queued (cancel), or running
/// under a given worker's lease.
#[derive(Clone, Copy)]
enum Holder<'a> {
    Queued,
    RunningUnder(&'a str),
}

/// Ends the task as `status` and gives back what it held, inside the caller's transaction.
/// False, with nothing changed, when the task is no longer where `from` says.
async fn end_in(
    conn: &mut AnyConnection,
    task: &TaskRecord,
    from: Holder<'_>,
    status: TaskStatus,
    code: &str,
    detail: Option<&str>,
    now: i64,
) -> Result<bool, TaskError> {
    let (guard, worker) = match from {
        Holder::Queued => ("status = 'queued'", None),
        Holder::RunningUnder(worker) => ("status = 'running' AND lease_owner = $6", Some(worker)),
    };
    let sql = format!(
        "UPDATE tasks SET status = $2, error_code = $3, error_detail = $4, finished_at = $5, \
         updated_at = $5, lease_until = NULL WHERE id = $1 AND {guard}"
    );
    let mut query = sqlx::query(&sql)
        .bind(&task.id)
        .bind(status.as_str())
        .bind(code)
        .bind(detail.map(|d| d.chars().take(1000).collect::<String>()))
        .bind(now);
    if let Some(worker) = worker {
        query = query.bind(worker);
    }
    let ended = query.execute(&mut *conn).await?.rows_affected();
    if ended == 0 {
        return Ok(false);
    }
    if let Some(reservation) = &task.reservation_id {
        credits::release_in(conn, reservation, now).await?;
    } else if let (Some(guest), true) = (&task.guest_id, task.trial > 0) {
        sqlx::query("UPDATE guests SET trial_used = trial_used - $2 WHERE id = $1")
            .bind(guest)
            .bind(task.trial)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

/// The error code a page shows for a provider error.
fn error_code(error: &ProviderError) -> &'static str {
    match error {
        ProviderError::Transient { reason, .. } if reason == TIMEOUT => "timeout",
        ProviderError::Refused { .. } => "refused-prompt",
        _ => "provider",
    }
}

/// The reason a worker gives when an attempt ran out of time.
pub const TIMEOUT: &str = "timeout";

/// The delay before retry `attempt` (1-based): `base · 2^(attempt-1)`, ±20 % jitter so a
/// burst of failures does not come back as a burst; never less than the provider's
/// `Retry-After`.
pub fn backoff(base: Duration, attempt: i64, retry_after: Option<Duration>) -> Duration {
    let exponent = u32::try_from(attempt.clamp(1, 16) - 1).unwrap_or(0);
    let delay = base.saturating_mul(2u32.saturating_pow(exponent));
    let jitter = rand::random_range(0.8..1.2);
    delay.mul_f64(jitter).max(retry_after.unwrap_or_default())
}

/// Handles a failed attempt of `worker`'s task: a transient error with attempts left puts
/// it back in the queue; anything else ends it, releasing its credits. A provider refusal
/// is also flagged for review. `None` when the worker no longer held the task.
pub async fn fail(
    db: &Db,
    events: &Events,
    config: &GenerationConfig,
    task: &TaskRecord,
    worker: &str,
    error: &ProviderError,
    now: i64,
) -> Result<Option<Ending>, TaskError> {
    let mut tx = db.begin_write().await?;
    let running = Holder::RunningUnder(worker);
    let ending = match error {
        ProviderError::Transient {
            reason,
            retry_after,
        } if task.attempts < task.max_attempts => {
            let delay = backoff(config.retry_base, task.attempts, *retry_after);
            let run_after = now + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX / 2);
            if !requeue(tx.conn(), task, worker, reason, run_after, now).await? {
                return Ok(None);
            }
            Ending::Retrying { run_after }
        }
        ProviderError::Refused { reason } => {
            let (status, code) = (TaskStatus::Refused, error_code(error));
            if !end_in(tx.conn(), task, running, status, code, Some(reason), now).await? {
                return Ok(None);
            }
            let flag = NewFlag {
                subject: Subject::Prompt,
                subject_id: &task.id,
                user_id: task.user_id.as_deref(),
                guest_id: task.guest_id.as_deref(),
                source: Source::Provider,
                reason,
                excerpt: Some(&task.params.prompt),
                storage_key: None,
            };
            moderation::record_in(tx.conn(), &flag, now).await?;
            Ending::Refused
        }
        ProviderError::Transient { reason, .. } | ProviderError::Failed { reason } => {
            let (status, code) = (TaskStatus::Failed, error_code(error));
            if !end_in(tx.conn(), task, running, status, code, Some(reason), now).await? {
                return Ok(None);
            }
            Ending::Failed
        }
    };
    tx.commit().await?;
    events.publish(db, task.changed()).await;
    if matches!(ending, Ending::Retrying { .. }) {
        events.publish(db, Event::Queued).await;
    }
    Ok(Some(ending))
}

/// Puts `worker`'s running task back in the queue, due at `run_after`. False when the
/// worker no longer held it.
async fn requeue(
    conn: &mut AnyConnection,
    task: &TaskRecord,
    worker: &str,
    reason: &str,
    run_after: i64,
    now: i64,
) -> Result<bool, TaskError> {
    let requeued = sqlx::query(
        "UPDATE tasks SET status = 'queued', run_after = $3, lease_owner = NULL, \
         lease_until = NULL, progress = NULL, error_detail = $4, updated_at = $5 \
         WHERE id = $1 AND status = 'running' AND lease_owner = $2",
    )
    .bind(&task.id)
    .bind(worker)
    .bind(run_after)
    .bind(reason.chars().take(1000).collect::<String>())
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(requeued != 0)
}

/// Ends `worker`'s running task as refused because moderation flagged a result. The
/// flagged image is kept at `quarantine_key` for review; the person pays nothing.
pub async fn refuse_output(
    db: &Db,
    events: &Events,
    task: &TaskRecord,
    worker: &str,
    reason: &str,
    quarantine_key: &StorageKey,
    now: i64,
) -> Result<bool, TaskError> {
    let flag = NewFlag {
        subject: Subject::Output,
        subject_id: &task.id,
        user_id: task.user_id.as_deref(),
        guest_id: task.guest_id.as_deref(),
        source: Source::ImageCheck,
        reason,
        excerpt: Some(&task.params.prompt),
        storage_key: Some(quarantine_key.as_str()),
    };
    let ending = (TaskStatus::Refused, "refused-output", reason);
    end_running(db, events, task, worker, ending, Some(flag), now).await
}

/// Ends a task that cannot run at all (its provider is no longer configured, its inputs
/// are gone, or it used every attempt before a worker could end it).
pub async fn abandon(
    db: &Db,
    events: &Events,
    task: &TaskRecord,
    worker: &str,
    code: &str,
    detail: &str,
    now: i64,
) -> Result<bool, TaskError> {
    let ending = (TaskStatus::Failed, code, detail);
    end_running(db, events, task, worker, ending, None, now).await
}

/// Ends `worker`'s running task as `(status, code, detail)`, releasing what it held and
/// recording `flag`, in one transaction. False when the worker no longer held the task.
async fn end_running(
    db: &Db,
    events: &Events,
    task: &TaskRecord,
    worker: &str,
    (status, code, detail): (TaskStatus, &str, &str),
    flag: Option<NewFlag<'_>>,
    now: i64,
) -> Result<bool, TaskError> {
    let mut tx = db.begin_write().await?;
    let running = Holder::RunningUnder(worker);
    if !end_in(tx.conn(), task, running, status, code, Some(detail), now).await? {
        return Ok(false);
    }
    if let Some(flag) = flag {
        moderation::record_in(tx.conn(), &flag, now).await?;
    }
    tx.commit().await?;
    events.publish(db, task.changed()).await;
    Ok(true)
}

/// What a cancel did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cancelled {
    Done(TaskRecord),
    NotFound,
    /// Already running or finished: it cannot be cancelled.
    TooLate(TaskRecord),
}

/// Cancels `owner`'s task if it is still queued, releasing its credits.
pub async fn cancel(
    db: &Db,
    events: &Events,
    owner: &Owner,
    task_id: &str,
    now: i64,
) -> Result<Cancelled, TaskError> {
    let Some(task) = get_owned(db, owner, task_id).await? else {
        return Ok(Cancelled::NotFound);
    };
    let mut tx = db.begin_write().await?;
    let ended = end_in(
        tx.conn(),
        &task,
        Holder::Queued,
        TaskStatus::Cancelled,
        "cancelled",
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    let task = get(db, task_id).await?.unwrap_or(task);
    if !ended {
        return Ok(Cancelled::TooLate(task));
    }
    events.publish(db, task.changed()).await;
    Ok(Cancelled::Done(task))
}

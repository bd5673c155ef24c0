//! The durable task queue, in the database.
//!
//! A task makes one image. Its life: `queued` → `running` (claimed by a worker with a
//! lease) → one terminal state: `succeeded`, `failed`, `cancelled` or `refused`. A worker
//! that stops mid-task stops renewing its lease; once the lease lapses any worker claims
//! the task again (one more attempt). Transient errors put the task back in the queue with
//! exponential backoff until `max_attempts`; everything else ends it.
//!
//! Money follows the state: credits are reserved when the task is queued, in the same
//! transaction; the transition to `succeeded` captures the reservation and every other
//! terminal transition releases it, each in the transaction that makes the transition.
//! Transitions are guarded (`WHERE status = … AND lease_owner = …`), so each happens once
//! and a reservation is settled exactly once whatever races. Guests hold trial credits the
//! same way.

use super::{
    events::{Event, Events},
    moderation::{self, NewFlag, Source, Subject},
    request::{GenerationRequest, RequestError},
    uploads,
};
use crate::{
    config::GenerationConfig,
    credits::{self, IdempotencyKey, LedgerError},
    db::{Backend, Db},
    storage::StorageKey,
};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row, any::AnyRow};
use std::time::Duration;

/// Whose work this is: an account, or a guest browser.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Owner {
    User(String),
    Guest(String),
}

impl Owner {
    /// `(user_id, guest_id)` as the tables store them.
    pub fn columns(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Owner::User(id) => (Some(id), None),
            Owner::Guest(id) => (None, Some(id)),
        }
    }

    /// Whether a task or upload with these columns belongs to this owner. A guest's things
    /// moved to an account belong to the account only.
    pub fn owns(&self, user_id: Option<&str>, guest_id: Option<&str>) -> bool {
        match self {
            Owner::User(id) => user_id == Some(id),
            Owner::Guest(id) => user_id.is_none() && guest_id == Some(id),
        }
    }
}

/// The SQL condition for "belongs to the owner bound at `$u` (user id) and `$g` (guest id)".
fn owner_clause(u: usize, g: usize) -> String {
    format!("((user_id IS NOT NULL AND user_id = ${u}) OR (user_id IS NULL AND guest_id = ${g}))")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Refused,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Queued => "queued",
            TaskStatus::Running => "running",
            TaskStatus::Succeeded => "succeeded",
            TaskStatus::Failed => "failed",
            TaskStatus::Cancelled => "cancelled",
            TaskStatus::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        [
            TaskStatus::Queued,
            TaskStatus::Running,
            TaskStatus::Succeeded,
            TaskStatus::Failed,
            TaskStatus::Cancelled,
            TaskStatus::Refused,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }

    pub fn is_terminal(self) -> bool {
        !matches!(self, TaskStatus::Queued | TaskStatus::Running)
    }
}

/// A stored result image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputRecord {
    pub id: String,
    pub task_id: String,
    pub position: i64,
    pub key: StorageKey,
    pub thumb_key: StorageKey,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
    pub bytes: i64,
}

/// A task as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskRecord {
    pub id: String,
    pub batch_id: String,
    pub user_id: Option<String>,
    pub guest_id: Option<String>,
    pub model_id: String,
    pub provider: String,
    /// The request for this one image (quantity 1, its own seed).
    pub params: GenerationRequest,
    pub cost: i64,
    pub reservation_id: Option<String>,
    pub trial: i64,
    pub status: TaskStatus,
    pub attempts: i64,
    pub max_attempts: i64,
    pub lease_owner: Option<String>,
    pub remote_id: Option<String>,
    pub progress: Option<u8>,
    pub error_code: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub outputs: Vec<OutputRecord>,
}

impl TaskRecord {
    fn changed(&self) -> Event {
        Event::Changed {
            task_id: self.id.clone(),
            user_id: self.user_id.clone(),
            guest_id: self.guest_id.clone(),
        }
    }
}

const TASK_COLUMNS: &str = "id, batch_id, user_id, guest_id, model_id, provider, params, cost, \
    reservation_id, trial, status, attempts, max_attempts, lease_owner, remote_id, progress, \
    error_code, created_at, finished_at";

fn task_from_row(row: &AnyRow) -> Result<TaskRecord, sqlx::Error> {
    let params: String = row.try_get(6)?;
    let status: String = row.try_get(10)?;
    Ok(TaskRecord {
        id: row.try_get(0)?,
        batch_id: row.try_get(1)?,
        user_id: row.try_get(2)?,
        guest_id: row.try_get(3)?,
        model_id: row.try_get(4)?,
        provider: row.try_get(5)?,
        params: serde_json::from_str(&params).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        cost: row.try_get(7)?,
        reservation_id: row.try_get(8)?,
        trial: row.try_get(9)?,
        status: TaskStatus::parse(&status)
            .ok_or_else(|| sqlx::Error::Decode(format!("task status {status}").into()))?,
        attempts: row.try_get(11)?,
        max_attempts: row.try_get(12)?,
        lease_owner: row.try_get(13)?,
        remote_id: row.try_get(14)?,
        progress: row
            .try_get::<Option<i64>, _>(15)?
            .map(|p| p.clamp(0, 100) as u8),
        error_code: row.try_get(16)?,
        created_at: row.try_get(17)?,
        finished_at: row.try_get(18)?,
        outputs: Vec::new(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// Why a submit is refused; nothing was queued or reserved.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The prompt matched the blocklist (the flag is recorded).
    #[error("the prompt was blocked")]
    Blocked,
    /// A reference or mask id that is not the person's, or not of that purpose.
    #[error("unknown upload")]
    UnknownUpload,
    #[error("not enough credits: {required} required, {available} available")]
    Insufficient { required: i64, available: i64 },
    #[error("the guest trial is used up: {required} required, {available} available")]
    TrialExhausted { required: i64, available: i64 },
    #[error(transparent)]
    Task(#[from] TaskError),
}

impl From<sqlx::Error> for SubmitError {
    fn from(e: sqlx::Error) -> Self {
        SubmitError::Task(TaskError::Db(e))
    }
}

/// What a submit queued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    pub batch_id: String,
    pub task_ids: Vec<String>,
    pub cost: i64,
}

/// Validates, moderates, prices and queues `request` for `owner`: one task per image, all
/// reserved and inserted in one transaction.
pub async fn submit(
    db: &Db,
    config: &GenerationConfig,
    events: &Events,
    owner: &Owner,
    request: GenerationRequest,
    now: i64,
) -> Result<Submission, SubmitError> {
    let catalog = &config.catalog;
    let model = catalog
        .get(&request.model_id)
        .ok_or(RequestError::UnknownModel)?;
    let request = request.validate(model, &catalog.style_ids())?;
    let (user_id, guest_id) = owner.columns();
    let texts = [
        request.prompt.as_str(),
        request.negative_prompt.as_deref().unwrap_or_default(),
    ];
    if let Some(term) = moderation::blocked_term(&config.blocklist, &texts) {
        moderation::record(
            db,
            &NewFlag {
                subject: Subject::Prompt,
                subject_id: &crate::new_id(),
                user_id,
                guest_id,
                source: Source::Blocklist,
                reason: term,
                excerpt: Some(&request.prompt),
                storage_key: None,
            },
            now,
        )
        .await?;
        return Err(SubmitError::Blocked);
    }
    for (id, purpose) in request
        .references
        .iter()
        .map(|id| (id, uploads::Purpose::Reference))
        .chain(request.mask.iter().map(|id| (id, uploads::Purpose::Mask)))
    {
        match uploads::get_owned(db, owner, id).await? {
            Some(upload) if upload.purpose == purpose.as_str() => {}
            _ => return Err(SubmitError::UnknownUpload),
        }
    }
    let per_image =
        request.cost(model).ok_or(RequestError::Resolution)? / i64::from(request.quantity);
    let total = per_image * i64::from(request.quantity);
    let batch_id = crate::new_id();
    let task_ids: Vec<String> = (0..request.quantity).map(|_| crate::new_id()).collect();

    let mut tx = db.begin_write().await?;
    let conn = tx.conn();
    let mut reservations = Vec::new();
    match owner {
        Owner::Guest(guest) => {
            sqlx::query(
                "INSERT INTO guests (id, trial_allowance, trial_used, created_at, last_seen_at) \
                 VALUES ($1, $2, 0, $3, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(guest)
            .bind(config.guest_trial_credits)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            let held = sqlx::query(
                "UPDATE guests SET trial_used = trial_used + $2, last_seen_at = $3 \
                 WHERE id = $1 AND migrated_to IS NULL AND trial_used + $2 <= trial_allowance",
            )
            .bind(guest)
            .bind(total)
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if held == 0 {
                let row = sqlx::query(
                    "SELECT trial_allowance - trial_used, migrated_to FROM guests WHERE id = $1",
                )
                .bind(guest)
                .fetch_one(&mut *conn)
                .await?;
                let left: i64 = row.get(0);
                let migrated: Option<String> = row.get(1);
                return Err(SubmitError::TrialExhausted {
                    required: total,
                    available: if migrated.is_some() { 0 } else { left.max(0) },
                });
            }
        }
        Owner::User(user) => {
            for (i, task_id) in task_ids.iter().enumerate() {
                let key = IdempotencyKey::new(format!("task:{task_id}:reserve"))
                    .map_err(|e| SubmitError::Task(e.into()))?;
                match credits::reserve_in(conn, user, per_image, &key, now).await {
                    Ok(applied) => reservations.push(applied.value),
                    Err(LedgerError::Insufficient { available, .. }) => {
                        return Err(SubmitError::Insufficient {
                            required: total,
                            available: available + per_image * i as i64,
                        });
                    }
                    Err(e) => return Err(TaskError::from(e).into()),
                }
            }
        }
    }
    for (i, task_id) in task_ids.iter().enumerate() {
        let params = GenerationRequest {
            seed: request.seed.wrapping_add(i as u64),
            quantity: 1,
            ..request.clone()
        };
        sqlx::query(
            "INSERT INTO tasks (id, batch_id, user_id, guest_id, model_id, provider, params, \
             prompt, cost, reservation_id, trial, status, attempts, max_attempts, run_after, \
             created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'queued', 0, $12, $13, $13, $13)",
        )
        .bind(task_id)
        .bind(&batch_id)
        .bind(user_id)
        .bind(guest_id)
        .bind(&model.id)
        .bind(model.provider.as_str())
        .bind(serde_json::to_string(&params).expect("requests serialize"))
        .bind(&request.prompt)
        .bind(per_image)
        .bind(reservations.get(i))
        .bind(if guest_id.is_some() { per_image } else { 0 })
        .bind(i64::from(config.max_attempts))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    tx.commit().await?;
    for task_id in &task_ids {
        events
            .publish(
                db,
                Event::Changed {
                    task_id: task_id.clone(),
                    user_id: user_id.map(str::to_string),
                    guest_id: guest_id.map(str::to_string),
                },
            )
            .await;
    }
    events.publish(db, Event::Queued).await;
    Ok(Submission {
        batch_id,
        task_ids,
        cost: total,
    })
}

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
fn error_code(error: &super::ProviderError) -> &'static str {
    match error {
        super::ProviderError::Transient { reason, .. } if reason == TIMEOUT => "timeout",
        super::ProviderError::Refused { .. } => "refused-prompt",
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
    error: &super::ProviderError,
    now: i64,
) -> Result<Option<Ending>, TaskError> {
    let mut tx = db.begin_write().await?;
    let running = Holder::RunningUnder(worker);
    let ending = match error {
        super::ProviderError::Transient {
            reason,
            retry_after,
        } if task.attempts < task.max_attempts => {
            let run_after = now
                + i64::try_from(
                    backoff(config.retry_base, task.attempts, *retry_after).as_millis(),
                )
                .unwrap_or(i64::MAX / 2);
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
            .execute(tx.conn())
            .await?
            .rows_affected();
            if requeued == 0 {
                return Ok(None);
            }
            Ending::Retrying { run_after }
        }
        super::ProviderError::Refused { reason } => {
            if !end_in(
                tx.conn(),
                task,
                running,
                TaskStatus::Refused,
                error_code(error),
                Some(reason),
                now,
            )
            .await?
            {
                return Ok(None);
            }
            moderation::record_in(
                tx.conn(),
                &NewFlag {
                    subject: Subject::Prompt,
                    subject_id: &task.id,
                    user_id: task.user_id.as_deref(),
                    guest_id: task.guest_id.as_deref(),
                    source: Source::Provider,
                    reason,
                    excerpt: Some(&task.params.prompt),
                    storage_key: None,
                },
                now,
            )
            .await?;
            Ending::Refused
        }
        super::ProviderError::Transient { reason, .. }
        | super::ProviderError::Failed { reason } => {
            if !end_in(
                tx.conn(),
                task,
                running,
                TaskStatus::Failed,
                error_code(error),
                Some(reason),
                now,
            )
            .await?
            {
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

/// Task `id`, with its outputs.
pub async fn get(db: &Db, id: &str) -> Result<Option<TaskRecord>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut tasks = vec![task_from_row(&row)?];
    attach_outputs(db, &mut tasks).await?;
    Ok(tasks.pop())
}

/// Task `id` if it is `owner`'s.
pub async fn get_owned(
    db: &Db,
    owner: &Owner,
    id: &str,
) -> Result<Option<TaskRecord>, sqlx::Error> {
    Ok(get(db, id)
        .await?
        .filter(|t| owner.owns(t.user_id.as_deref(), t.guest_id.as_deref())))
}

/// `owner`'s latest tasks, newest first, with outputs.
pub async fn recent(db: &Db, owner: &Owner, limit: i64) -> Result<Vec<TaskRecord>, sqlx::Error> {
    let (user_id, guest_id) = owner.columns();
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM tasks WHERE {} ORDER BY created_at DESC, id DESC LIMIT $3",
        owner_clause(1, 2)
    );
    let rows = sqlx::query(&sql)
        .bind(user_id)
        .bind(guest_id)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    let mut tasks = rows
        .iter()
        .map(task_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    attach_outputs(db, &mut tasks).await?;
    Ok(tasks)
}

/// `owner`'s queued and running tasks, oldest first.
pub async fn active(db: &Db, owner: &Owner) -> Result<Vec<TaskRecord>, sqlx::Error> {
    let (user_id, guest_id) = owner.columns();
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM tasks WHERE {} AND status IN ('queued', 'running') \
         ORDER BY created_at, id",
        owner_clause(1, 2)
    );
    let rows = sqlx::query(&sql)
        .bind(user_id)
        .bind(guest_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(task_from_row).collect()
}

async fn attach_outputs(db: &Db, tasks: &mut [TaskRecord]) -> Result<(), sqlx::Error> {
    if tasks.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (1..=tasks.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, task_id, position, storage_key, thumb_key, content_type, width, height, bytes \
         FROM task_outputs WHERE task_id IN ({}) ORDER BY position",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for task in tasks.iter() {
        query = query.bind(task.id.clone());
    }
    for row in query.fetch_all(db.pool()).await? {
        let task_id: String = row.try_get(1)?;
        let key: String = row.try_get(3)?;
        let thumb: String = row.try_get(4)?;
        let (Ok(key), Ok(thumb_key)) = (StorageKey::parse(key), StorageKey::parse(thumb)) else {
            continue;
        };
        let output = OutputRecord {
            id: row.try_get(0)?,
            task_id: task_id.clone(),
            position: row.try_get(2)?,
            key,
            thumb_key,
            content_type: row.try_get(5)?,
            width: u32::try_from(row.try_get::<i64, _>(6)?).unwrap_or_default(),
            height: u32::try_from(row.try_get::<i64, _>(7)?).unwrap_or_default(),
            bytes: row.try_get(8)?,
        };
        if let Some(task) = tasks.iter_mut().find(|t| t.id == task_id) {
            task.outputs.push(output);
        }
    }
    Ok(())
}

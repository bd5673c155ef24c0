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

use super::{events::Event, request::GenerationRequest};
use crate::{credits::LedgerError, db::Db, storage::StorageKey};
use serde::{Deserialize, Serialize};
use sqlx::{Row, any::AnyRow};

mod ending;
mod running;
mod submit;

pub use ending::{Cancelled, Ending, TIMEOUT, abandon, backoff, cancel, fail, refuse_output};
pub use running::{NewOutput, claim, complete, heartbeat, set_progress, set_remote_id};
pub use submit::{Submission, SubmitError, submit};

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

/// `owner`'s latest tasks that made their images, the most recently finished first, with
/// outputs.
pub async fn finished(db: &Db, owner: &Owner, limit: i64) -> Result<Vec<TaskRecord>, sqlx::Error> {
    let (user_id, guest_id) = owner.columns();
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM tasks WHERE {} AND status = 'succeeded' \
         ORDER BY finished_at DESC, id DESC LIMIT $3",
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

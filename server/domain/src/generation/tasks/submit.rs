//! Submitting a request: validate, moderate, price, hold the credits and queue one task
//! per image, all in one transaction.

use super::{Owner, TaskError};
use crate::{
    config::GenerationConfig,
    credits::{self, IdempotencyKey, LedgerError},
    db::Db,
    generation::{
        events::{Event, Events},
        moderation::{self, NewFlag, Source, Subject},
        request::{GenerationRequest, RequestError},
        uploads,
    },
};
use sqlx::{AnyConnection, Row};

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
    moderate_prompt(db, config, owner, &request, now).await?;
    check_uploads(db, owner, &request).await?;
    let per_image =
        request.cost(model).ok_or(RequestError::Resolution)? / i64::from(request.quantity);
    let total = per_image * i64::from(request.quantity);
    let batch_id = crate::new_id();
    let task_ids: Vec<String> = (0..request.quantity).map(|_| crate::new_id()).collect();

    let mut tx = db.begin_write().await?;
    let conn = tx.conn();
    let reservations = match owner {
        Owner::Guest(guest) => {
            hold_trial(conn, guest, config.guest_trial_credits, total, now).await?;
            Vec::new()
        }
        Owner::User(user) => reserve_each(conn, user, &task_ids, per_image, now).await?,
    };
    let batch = Batch {
        id: &batch_id,
        model_id: &model.id,
        provider: model.provider.as_str(),
        request: &request,
        per_image,
        max_attempts: config.max_attempts,
    };
    for (i, task_id) in task_ids.iter().enumerate() {
        insert_task(conn, &batch, owner, i, task_id, reservations.get(i), now).await?;
    }
    tx.commit().await?;
    publish_queued(db, events, owner, &task_ids).await;
    Ok(Submission {
        batch_id,
        task_ids,
        cost: total,
    })
}

/// Refuses a prompt that matches the blocklist, recording the flag.
async fn moderate_prompt(
    db: &Db,
    config: &GenerationConfig,
    owner: &Owner,
    request: &GenerationRequest,
    now: i64,
) -> Result<(), SubmitError> {
    let (user_id, guest_id) = owner.columns();
    let texts = [
        request.prompt.as_str(),
        request.negative_prompt.as_deref().unwrap_or_default(),
    ];
    let Some(term) = moderation::blocked_term(&config.blocklist, &texts) else {
        return Ok(());
    };
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
    Err(SubmitError::Blocked)
}

/// Every reference and mask must be one of `owner`'s uploads, of that purpose.
async fn check_uploads(
    db: &Db,
    owner: &Owner,
    request: &GenerationRequest,
) -> Result<(), SubmitError> {
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
    Ok(())
}

/// Holds `total` trial credits of a guest (whose row is created on first use).
async fn hold_trial(
    conn: &mut AnyConnection,
    guest: &str,
    allowance: i64,
    total: i64,
    now: i64,
) -> Result<(), SubmitError> {
    sqlx::query(
        "INSERT INTO guests (id, trial_allowance, trial_used, created_at, last_seen_at) \
         VALUES ($1, $2, 0, $3, $3) ON CONFLICT (id) DO NOTHING",
    )
    .bind(guest)
    .bind(allowance)
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
    Ok(())
}

/// Reserves `per_image` credits of a user for each task; returns the reservation ids.
async fn reserve_each(
    conn: &mut AnyConnection,
    user: &str,
    task_ids: &[String],
    per_image: i64,
    now: i64,
) -> Result<Vec<String>, SubmitError> {
    let total = per_image * task_ids.len() as i64;
    let mut reservations = Vec::new();
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
    Ok(reservations)
}

/// What every task of one submit shares.
struct Batch<'a> {
    id: &'a str,
    model_id: &'a str,
    provider: &'a str,
    request: &'a GenerationRequest,
    per_image: i64,
    max_attempts: u32,
}

/// Queues image `i` of the batch: its own seed, quantity 1.
async fn insert_task(
    conn: &mut AnyConnection,
    batch: &Batch<'_>,
    owner: &Owner,
    i: usize,
    task_id: &str,
    reservation: Option<&String>,
    now: i64,
) -> Result<(), SubmitError> {
    let (user_id, guest_id) = owner.columns();
    let request = batch.request;
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
    .bind(batch.id)
    .bind(user_id)
    .bind(guest_id)
    .bind(batch.model_id)
    .bind(batch.provider)
    .bind(serde_json::to_string(&params).expect("requests serialize"))
    .bind(&request.prompt)
    .bind(batch.per_image)
    .bind(reservation)
    .bind(if guest_id.is_some() {
        batch.per_image
    } else {
        0
    })
    .bind(i64::from(batch.max_attempts))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Tells the owner's pages about each new task, and the workers that work is waiting.
async fn publish_queued(db: &Db, events: &Events, owner: &Owner, task_ids: &[String]) {
    let (user_id, guest_id) = owner.columns();
    for task_id in task_ids {
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
}

//! Self-service data export (the rights of access and portability): a person asks for a copy
//! of everything banana nano holds about them, a background job builds a ZIP of one
//! machine-readable JSON file per data category of the registry plus their images, stores it
//! for seven days and emails a link that works only for them, signed in, with its token.
//!
//! The job is a small durable queue in `data_exports`: an export is claimed with a lease
//! (several instances may run the job; a lapsed lease lets another take over), retried with
//! backoff after a failure, and marked failed after [`MAX_ATTEMPTS`] so the person can ask
//! again.

use super::{DataCategory, LegalBasis, Purpose, Retention, keyed_hash, rule};
use crate::{
    AppState,
    db::{Backend, Db},
    email::Message,
    storage::{StorageError, StorageKey},
};
use serde_json::{Map, Value, json};
use sqlx::{Row, any::AnyRow};
use std::time::Duration;

/// How long a finished export can be downloaded.
pub const DOWNLOAD_LIFETIME: Duration = super::days(7);
/// How many exports a person may ask for in [`REQUEST_WINDOW`].
pub const REQUESTS_PER_WINDOW: i64 = 3;
pub const REQUEST_WINDOW: Duration = super::days(1);
/// Attempts at building one export before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 3;
/// How long a worker holds an export it builds before another may take it over.
const LEASE: Duration = Duration::from_secs(15 * 60);
/// The wait before the second attempt; each later one waits four times longer.
const RETRY_BASE: Duration = Duration::from_secs(60);
/// Exports one run of the job builds at most, so a run always ends.
const PER_RUN: usize = 20;

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

// ---------------------------------------------------------------------------------------
// What goes into the archive.

/// The files of one export: the JSON documents, and the images to copy from storage.
struct Archive {
    documents: Vec<(String, Vec<u8>)>,
    images: Vec<(String, StorageKey)>,
}

/// The kind of a column, to read it from either database into JSON.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Int,
    /// A 0/1 flag, shown as true/false.
    Flag,
    /// JSON stored as text, shown as JSON.
    Json,
}

use Kind::{Flag, Int, Json, Text};

/// The named columns of `row` as a JSON object.
fn object(row: &AnyRow, columns: &[(&str, Kind)]) -> Result<Map<String, Value>, sqlx::Error> {
    let mut map = Map::new();
    for (name, kind) in columns {
        let value = match kind {
            Text => row.try_get::<Option<String>, _>(*name)?.map(Value::from),
            Int => row.try_get::<Option<i64>, _>(*name)?.map(Value::from),
            Flag => row
                .try_get::<Option<i64>, _>(*name)?
                .map(|v| Value::from(v != 0)),
            Json => row
                .try_get::<Option<String>, _>(*name)?
                .map(|text| serde_json::from_str(&text).unwrap_or(Value::String(text))),
        };
        map.insert((*name).to_string(), value.unwrap_or(Value::Null));
    }
    Ok(map)
}

/// Every row of `sql` (which takes the person's id as `$1`) as JSON objects.
async fn records(
    db: &Db,
    sql: &str,
    user_id: &str,
    columns: &[(&str, Kind)],
) -> Result<Vec<Map<String, Value>>, sqlx::Error> {
    let rows = sqlx::query(sql).bind(user_id).fetch_all(db.pool()).await?;
    rows.iter().map(|row| object(row, columns)).collect()
}

fn purpose_id(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::ProvideService => "provide-service",
        Purpose::Billing => "billing",
        Purpose::Security => "security",
        Purpose::Improvement => "improvement",
        Purpose::Marketing => "marketing",
        Purpose::Compliance => "compliance",
        Purpose::Support => "support",
    }
}

fn legal_basis_id(basis: LegalBasis) -> &'static str {
    match basis {
        LegalBasis::Contract => "contract",
        LegalBasis::LegalObligation => "legal-obligation",
        LegalBasis::LegitimateInterest => "legitimate-interest",
        LegalBasis::Consent => "consent",
    }
}

fn retention_json(retention: Retention) -> Value {
    let days = |d: Duration| d.as_secs() / 86_400;
    match retention {
        Retention::WhileActiveThen(d) => {
            json!({ "rule": "while-account-exists-then", "days_after_deletion": days(d) })
        }
        Retention::For(d) => json!({ "rule": "for", "days": days(d) }),
        Retention::UnlessMigrated(d) => {
            json!({ "rule": "unless-moved-to-an-account", "days": days(d) })
        }
        Retention::ThenAnonymized(d) => json!({ "rule": "then-anonymized", "days": days(d) }),
        Retention::UntilWithdrawn => json!({ "rule": "until-withdrawn" }),
    }
}

/// One category's document: what the registry says about it, and the person's records.
fn document(category: DataCategory, records: Value) -> (String, Vec<u8>) {
    let rule = rule(category);
    let mut bases: Vec<&str> = Vec::new();
    for purpose in rule.purposes {
        let basis = legal_basis_id(purpose.legal_basis());
        if !bases.contains(&basis) {
            bases.push(basis);
        }
    }
    let document = json!({
        "category": category.id(),
        "purposes": rule.purposes.iter().map(|p| json!({
            "purpose": purpose_id(*p),
            "legal_basis": legal_basis_id(p.legal_basis()),
        })).collect::<Vec<_>>(),
        "legal_bases": bases,
        "retention": retention_json(rule.retention),
        "records": records,
    });
    (
        format!("{}.json", category.id()),
        serde_json::to_vec_pretty(&document).expect("JSON values serialize"),
    )
}

/// The file name extension of a stored key (`png` of `uploads/x.png`).
fn extension(key: &StorageKey) -> &str {
    key.as_str()
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|ext| !ext.contains('/'))
        .unwrap_or("bin")
}

/// Reads everything the person's export holds. Only rows that are theirs, and of those
/// only what describes them: never secrets (password hash, two-factor secret, recovery
/// codes, session ids), never another person's id.
async fn collect(state: &AppState, user_id: &str) -> Result<Archive, ExportError> {
    let db = &state.db;
    let mut documents = Vec::new();
    let mut images = Vec::new();
    for category in DataCategory::ALL {
        let records = match category {
            DataCategory::Account => {
                let profile = sqlx::query(
                    "SELECT id, email, email_verified_at, display_name, avatar_key, locale, theme, \
                     company_name, region, phone, bio, role, terms_version, terms_accepted_at, \
                     age_confirmed_at, policy_notice_seen, created_at, updated_at, \
                     CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS has_password, \
                     CASE WHEN totp_enabled_at IS NULL THEN 0 ELSE 1 END AS two_factor_enabled \
                     FROM users WHERE id = $1",
                )
                .bind(user_id)
                .fetch_optional(db.pool())
                .await?
                .ok_or(ExportError::NotFound)?;
                let mut profile_json = object(
                    &profile,
                    &[
                        ("id", Text),
                        ("email", Text),
                        ("email_verified_at", Int),
                        ("display_name", Text),
                        ("locale", Text),
                        ("theme", Text),
                        ("company_name", Text),
                        ("region", Text),
                        ("phone", Text),
                        ("bio", Text),
                        ("role", Text),
                        ("terms_version", Text),
                        ("terms_accepted_at", Int),
                        ("age_confirmed_at", Int),
                        ("policy_notice_seen", Text),
                        ("has_password", Flag),
                        ("two_factor_enabled", Flag),
                        ("created_at", Int),
                        ("updated_at", Int),
                    ],
                )?;
                let avatar: Option<String> = profile.try_get("avatar_key")?;
                let avatar_file = match avatar.and_then(|k| StorageKey::parse(k).ok()) {
                    Some(key) => {
                        let path = format!("images/avatar.{}", extension(&key));
                        images.push((path.clone(), key));
                        Value::from(path)
                    }
                    None => Value::Null,
                };
                profile_json.insert("avatar_file".into(), avatar_file);
                let identities = records(
                    db,
                    "SELECT provider, subject, email, created_at FROM oauth_identities \
                     WHERE user_id = $1 ORDER BY created_at",
                    user_id,
                    &[
                        ("provider", Text),
                        ("subject", Text),
                        ("email", Text),
                        ("created_at", Int),
                    ],
                )
                .await?;
                json!({ "profile": profile_json, "sign_in_providers": identities })
            }
            DataCategory::Usage => {
                let events = records(
                    db,
                    "SELECT name, path, visitor_id, created_at FROM analytics_events \
                     WHERE user_id = $1 ORDER BY created_at, id",
                    user_id,
                    &[
                        ("name", Text),
                        ("path", Text),
                        ("visitor_id", Text),
                        ("created_at", Int),
                    ],
                )
                .await?;
                json!({ "analytics_events": events })
            }
            DataCategory::DeviceNetwork => {
                let sessions = records(
                    db,
                    "SELECT created_at, last_seen_at, expires_at, user_agent, ip, location \
                     FROM sessions WHERE user_id = $1 ORDER BY created_at",
                    user_id,
                    &[
                        ("created_at", Int),
                        ("last_seen_at", Int),
                        ("expires_at", Int),
                        ("user_agent", Text),
                        ("ip", Text),
                        ("location", Text),
                    ],
                )
                .await?;
                json!({ "signed_in_devices": sessions })
            }
            DataCategory::Cookies => {
                let consents = records(
                    db,
                    "SELECT functional, analytics, marketing, source, policy_version, \
                     visitor_id, created_at FROM consent_records WHERE user_id = $1 \
                     ORDER BY created_at, id",
                    user_id,
                    &[
                        ("functional", Flag),
                        ("analytics", Flag),
                        ("marketing", Flag),
                        ("source", Text),
                        ("policy_version", Text),
                        ("visitor_id", Text),
                        ("created_at", Int),
                    ],
                )
                .await?;
                let cookies: Vec<Value> = super::COOKIES
                    .iter()
                    .map(|c| {
                        json!({
                            "name": c.name,
                            "category": format!("{:?}", c.category).to_lowercase(),
                            "lifetime_days": c.lifetime.map(|d| d.as_secs() / 86_400),
                            "http_only": c.http_only,
                        })
                    })
                    .collect();
                json!({ "consent_choices": consents, "cookies_we_set": cookies })
            }
            DataCategory::OrdersPayments => orders_payments(db, user_id).await?,
            DataCategory::UploadsPrompts => {
                let uploads = sqlx::query(
                    "SELECT id, purpose, storage_key, content_type, width, height, bytes, sha256, \
                     created_at, expires_at FROM uploads WHERE user_id = $1 ORDER BY created_at, id",
                )
                .bind(user_id)
                .fetch_all(db.pool())
                .await?;
                let mut upload_records = Vec::new();
                for row in &uploads {
                    let mut record = object(
                        row,
                        &[
                            ("id", Text),
                            ("purpose", Text),
                            ("content_type", Text),
                            ("width", Int),
                            ("height", Int),
                            ("bytes", Int),
                            ("sha256", Text),
                            ("created_at", Int),
                            ("expires_at", Int),
                        ],
                    )?;
                    let id: String = row.try_get("id")?;
                    let key: String = row.try_get("storage_key")?;
                    if let Ok(key) = StorageKey::parse(key) {
                        let path = format!("images/uploads/{id}.{}", extension(&key));
                        record.insert("file".into(), Value::from(path.clone()));
                        images.push((path, key));
                    }
                    upload_records.push(record);
                }
                let tasks = records(
                    db,
                    "SELECT id, batch_id, model_id, provider, prompt, params, cost, status, \
                     error_code, created_at, started_at, finished_at FROM tasks \
                     WHERE user_id = $1 ORDER BY created_at, id",
                    user_id,
                    &[
                        ("id", Text),
                        ("batch_id", Text),
                        ("model_id", Text),
                        ("provider", Text),
                        ("prompt", Text),
                        ("params", Json),
                        ("cost", Int),
                        ("status", Text),
                        ("error_code", Text),
                        ("created_at", Int),
                        ("started_at", Int),
                        ("finished_at", Int),
                    ],
                )
                .await?;
                let flags = records(
                    db,
                    "SELECT subject, source, reason, excerpt, status, created_at, reviewed_at \
                     FROM moderation_flags WHERE user_id = $1 ORDER BY created_at, id",
                    user_id,
                    &[
                        ("subject", Text),
                        ("source", Text),
                        ("reason", Text),
                        ("excerpt", Text),
                        ("status", Text),
                        ("created_at", Int),
                        ("reviewed_at", Int),
                    ],
                )
                .await?;
                json!({
                    "uploads": upload_records,
                    "generation_requests": tasks,
                    "moderation_flags": flags,
                })
            }
            DataCategory::GeneratedContent => {
                let outputs = sqlx::query(
                    "SELECT o.id, o.task_id, o.position, o.storage_key, o.content_type, o.width, \
                     o.height, o.bytes, o.created_at FROM task_outputs o \
                     JOIN tasks t ON t.id = o.task_id WHERE t.user_id = $1 \
                     ORDER BY o.created_at, o.task_id, o.position",
                )
                .bind(user_id)
                .fetch_all(db.pool())
                .await?;
                let mut output_records = Vec::new();
                for row in &outputs {
                    let mut record = object(
                        row,
                        &[
                            ("id", Text),
                            ("task_id", Text),
                            ("position", Int),
                            ("content_type", Text),
                            ("width", Int),
                            ("height", Int),
                            ("bytes", Int),
                            ("created_at", Int),
                        ],
                    )?;
                    let task_id: String = row.try_get("task_id")?;
                    let position: i64 = row.try_get("position")?;
                    let key: String = row.try_get("storage_key")?;
                    if let Ok(key) = StorageKey::parse(key) {
                        let path =
                            format!("images/generated/{task_id}-{position}.{}", extension(&key));
                        record.insert("file".into(), Value::from(path.clone()));
                        images.push((path, key));
                    }
                    output_records.push(record);
                }
                json!({ "generated_images": output_records })
            }
            DataCategory::GuestData => {
                let guests = sqlx::query(
                    "SELECT id, trial_allowance, trial_used, created_at, last_seen_at, migrated_at \
                     FROM guests WHERE migrated_to = $1 ORDER BY created_at, id",
                )
                .bind(user_id)
                .fetch_all(db.pool())
                .await?;
                let mut guest_records = Vec::new();
                for row in &guests {
                    let mut record = object(
                        row,
                        &[
                            ("id", Text),
                            ("trial_allowance", Int),
                            ("trial_used", Int),
                            ("created_at", Int),
                            ("last_seen_at", Int),
                            ("migrated_at", Int),
                        ],
                    )?;
                    let guest_id: String = row.try_get("id")?;
                    // What came along when the guest signed up: the requests made as a guest
                    // (their images are listed under uploads and generated content).
                    let tasks: Vec<String> = sqlx::query_scalar(
                        "SELECT id FROM tasks WHERE guest_id = $1 AND user_id = $2 \
                         ORDER BY created_at, id",
                    )
                    .bind(&guest_id)
                    .bind(user_id)
                    .fetch_all(db.pool())
                    .await?;
                    record.insert("generation_requests_moved".into(), json!(tasks));
                    guest_records.push(record);
                }
                json!({ "guest_sessions_moved_to_account": guest_records })
            }
            DataCategory::LogsAnalytics => {
                // The person's own actions with their address, and what staff or the system
                // did to their account: who and from where is not theirs to see.
                let entries = records(
                    db,
                    "SELECT action, created_at, \
                     CASE WHEN actor_id = $1 THEN 'you' WHEN actor_id IS NULL THEN 'system' \
                       ELSE 'staff' END AS actor, \
                     CASE WHEN actor_id = $1 THEN ip ELSE NULL END AS ip \
                     FROM audit_log WHERE subject_id = $1 OR actor_id = $1 \
                     ORDER BY created_at, id",
                    user_id,
                    &[
                        ("action", Text),
                        ("created_at", Int),
                        ("actor", Text),
                        ("ip", Text),
                    ],
                )
                .await?;
                json!({ "account_activity": entries })
            }
            DataCategory::SupportMarketing => support_marketing(db, user_id).await?,
        };
        documents.push(document(category, records));
    }
    Ok(Archive { documents, images })
}

async fn orders_payments(db: &Db, user_id: &str) -> Result<Value, ExportError> {
    let orders = records(
        db,
        "SELECT id, number, provider, kind, product_id, credits, amount, currency, status, \
         validity_days, period_start, period_end, provider_session_id, provider_payment_id, \
         refunded_amount, created_at, updated_at, paid_at, refunded_at FROM orders \
         WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("id", Text),
            ("number", Text),
            ("provider", Text),
            ("kind", Text),
            ("product_id", Text),
            ("credits", Int),
            ("amount", Int),
            ("currency", Text),
            ("status", Text),
            ("validity_days", Int),
            ("period_start", Int),
            ("period_end", Int),
            ("provider_session_id", Text),
            ("provider_payment_id", Text),
            ("refunded_amount", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("paid_at", Int),
            ("refunded_at", Int),
        ],
    )
    .await?;
    let subscriptions = records(
        db,
        "SELECT id, provider, provider_subscription_id, plan_id, status, current_period_start, \
         current_period_end, cancel_at_period_end, created_at, updated_at FROM subscriptions \
         WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("id", Text),
            ("provider", Text),
            ("provider_subscription_id", Text),
            ("plan_id", Text),
            ("status", Text),
            ("current_period_start", Int),
            ("current_period_end", Int),
            ("cancel_at_period_end", Flag),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    )
    .await?;
    let account = records(
        db,
        "SELECT ledger_balance, debt, updated_at FROM credit_accounts WHERE user_id = $1",
        user_id,
        &[("ledger_balance", Int), ("debt", Int), ("updated_at", Int)],
    )
    .await?;
    let lots = records(
        db,
        "SELECT id, source, amount, remaining, expires_at, frozen, revoked, order_id, created_at \
         FROM credit_lots WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("id", Text),
            ("source", Text),
            ("amount", Int),
            ("remaining", Int),
            ("expires_at", Int),
            ("frozen", Flag),
            ("revoked", Text),
            ("order_id", Text),
            ("created_at", Int),
        ],
    )
    .await?;
    let entries = records(
        db,
        "SELECT id, kind, delta, amount, balance_after, lot_id, reservation_id, order_id, memo, \
         created_at FROM ledger_entries WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("id", Text),
            ("kind", Text),
            ("delta", Int),
            ("amount", Int),
            ("balance_after", Int),
            ("lot_id", Text),
            ("reservation_id", Text),
            ("order_id", Text),
            ("memo", Text),
            ("created_at", Int),
        ],
    )
    .await?;
    let reservations = records(
        db,
        "SELECT id, amount, status, created_at, settled_at FROM credit_reservations \
         WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("id", Text),
            ("amount", Int),
            ("status", Text),
            ("created_at", Int),
            ("settled_at", Int),
        ],
    )
    .await?;
    let billing_profile = records(
        db,
        "SELECT name, company, address, tax_id, updated_at FROM billing_profiles \
         WHERE user_id = $1",
        user_id,
        &[
            ("name", Text),
            ("company", Text),
            ("address", Text),
            ("tax_id", Text),
            ("updated_at", Int),
        ],
    )
    .await?;
    let customers = records(
        db,
        "SELECT provider, customer_id FROM billing_customers WHERE user_id = $1 ORDER BY provider",
        user_id,
        &[("provider", Text), ("customer_id", Text)],
    )
    .await?;
    let disputes = sqlx::query(
        "SELECT d.id, d.order_id, d.provider, d.status, d.reason, d.amount, d.currency, \
         d.created_at, d.closed_at FROM disputes d JOIN orders o ON o.id = d.order_id \
         WHERE o.user_id = $1 ORDER BY d.created_at, d.id",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let mut dispute_records = Vec::new();
    for row in &disputes {
        let mut record = object(
            row,
            &[
                ("id", Text),
                ("order_id", Text),
                ("provider", Text),
                ("status", Text),
                ("reason", Text),
                ("amount", Int),
                ("currency", Text),
                ("created_at", Int),
                ("closed_at", Int),
            ],
        )?;
        let id: String = row.try_get("id")?;
        // The notes, without which member of staff wrote them.
        let notes = sqlx::query(
            "SELECT body, created_at FROM dispute_notes WHERE dispute_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(&id)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|row| object(row, &[("body", Text), ("created_at", Int)]))
        .collect::<Result<Vec<_>, _>>()?;
        record.insert("notes".into(), json!(notes));
        dispute_records.push(record);
    }
    // Referrals: the person's own code and whether someone referred them, never who (that
    // is the other person's data), and how many people they referred.
    let code: Option<String> =
        sqlx::query_scalar("SELECT code FROM referral_codes WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    let referred = records(
        db,
        "SELECT created_at, rewarded_at FROM referrals WHERE referred_user_id = $1",
        user_id,
        &[("created_at", Int), ("rewarded_at", Int)],
    )
    .await?;
    let referred_others: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM referrals WHERE referrer_user_id = $1")
            .bind(user_id)
            .fetch_one(db.pool())
            .await?;
    let bonus = records(
        db,
        "SELECT created_at FROM signup_bonus_claims WHERE user_id = $1",
        user_id,
        &[("created_at", Int)],
    )
    .await?;
    Ok(json!({
        "orders": orders,
        "subscriptions": subscriptions,
        "credit_account": account.into_iter().next(),
        "credit_lots": lots,
        "ledger_entries": entries,
        "credit_reservations": reservations,
        "billing_profile": billing_profile.into_iter().next(),
        "payment_provider_customers": customers,
        "disputes": dispute_records,
        "referrals": {
            "my_code": code,
            "referred_by_someone": referred.into_iter().next(),
            "people_i_referred": referred_others,
        },
        "signup_bonus": bonus.into_iter().next(),
    }))
}

async fn support_marketing(db: &Db, user_id: &str) -> Result<Value, ExportError> {
    let preferences = records(
        db,
        "SELECT restricted_at, objected_at, marketing_opt_in_at, marketing_opt_out_at, \
         updated_at FROM privacy_preferences WHERE user_id = $1",
        user_id,
        &[
            ("restricted_at", Int),
            ("objected_at", Int),
            ("marketing_opt_in_at", Int),
            ("marketing_opt_out_at", Int),
            ("updated_at", Int),
        ],
    )
    .await?;
    // Requests made signed in, and those written in from the account's address.
    let requests = records(
        db,
        "SELECT r.kind, r.details, r.locale, r.status, r.verified_by, r.verified_at, r.due_at, \
         r.extended_at, r.extension_reason, r.resolution, r.closed_at, r.created_at \
         FROM privacy_requests r WHERE r.user_id = $1 \
         OR r.email = (SELECT email FROM users WHERE id = $1) ORDER BY r.created_at, r.id",
        user_id,
        &[
            ("kind", Text),
            ("details", Text),
            ("locale", Text),
            ("status", Text),
            ("verified_by", Text),
            ("verified_at", Int),
            ("due_at", Int),
            ("extended_at", Int),
            ("extension_reason", Text),
            ("resolution", Text),
            ("closed_at", Int),
            ("created_at", Int),
        ],
    )
    .await?;
    let notices = records(
        db,
        "SELECT doc, version, sent_at FROM policy_notices WHERE user_id = $1 \
         ORDER BY sent_at, doc",
        user_id,
        &[("doc", Text), ("version", Text), ("sent_at", Int)],
    )
    .await?;
    let breaches = records(
        db,
        "SELECT i.summary, i.categories, i.detected_at, n.notified_at FROM breach_notices n \
         JOIN breach_incidents i ON i.id = n.incident_id WHERE n.user_id = $1 \
         ORDER BY n.notified_at, i.id",
        user_id,
        &[
            ("summary", Text),
            ("categories", Json),
            ("detected_at", Int),
            ("notified_at", Int),
        ],
    )
    .await?;
    Ok(json!({
        "preferences": preferences.into_iter().next(),
        "privacy_requests": requests,
        "policy_change_notices": notices,
        "breach_notices": breaches,
    }))
}

/// Writes the archive on the blocking pool (compression is CPU work), feeding it the images
/// one at a time as they are read from storage, so only one image is in memory besides
/// the archive.
async fn write_zip(state: &AppState, archive: Archive) -> Result<Vec<u8>, ExportError> {
    use std::io::Write;
    use zip::{CompressionMethod, write::SimpleFileOptions};
    // (path, bytes, compress): images are compressed already.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<(String, Vec<u8>, bool)>(2);
    let writer = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        while let Some((path, bytes, compress)) = receiver.blocking_recv() {
            let method = if compress {
                CompressionMethod::Deflated
            } else {
                CompressionMethod::Stored
            };
            let options = SimpleFileOptions::default()
                .compression_method(method)
                .unix_permissions(0o644)
                .large_file(bytes.len() as u64 >= u64::from(u32::MAX));
            zip.start_file(path, options).map_err(|e| e.to_string())?;
            zip.write_all(&bytes).map_err(|e| e.to_string())?;
        }
        let cursor = zip.finish().map_err(|e| e.to_string())?;
        Ok(cursor.into_inner())
    });
    let feed = async {
        for (path, bytes) in archive.documents {
            if sender.send((path, bytes, true)).await.is_err() {
                return Ok(());
            }
        }
        for (path, key) in archive.images {
            match state.storage.get(&key).await? {
                Some(file) => {
                    if sender.send((path, file.bytes, false)).await.is_err() {
                        return Ok(());
                    }
                }
                // A row whose file is gone: the record says so, there is nothing to copy.
                None => tracing::warn!(%key, "a file listed in an export is missing"),
            }
        }
        Ok::<(), ExportError>(())
    }
    .await;
    drop(sender);
    let written = writer
        .await
        .map_err(|e| ExportError::Archive(e.to_string()))?
        .map_err(ExportError::Archive);
    feed?;
    written
}

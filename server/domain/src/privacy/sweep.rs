//! The retention sweeper: enforces every retention period of the privacy registry. Each
//! rule deletes (or anonymizes) what has outlived its category's period, counts the rows it
//! actually changed, and leaves a `retention_runs` row; a run leaves one `retention.swept`
//! audit entry with the counts. Periods come from [`super::rule`], never from literals here,
//! so the published policy and what is deleted cannot differ.
//!
//! Safe to run in several processes at once: every count is the rows a statement changed,
//! so a row two runs race for is counted by the one that removed it, and a file already
//! gone counts as deleted. A dry run changes nothing and reports what a run would affect.

use super::{DataCategory, Retention, rule};
use crate::{
    AppState,
    db::Backend,
    generation::guests,
    storage::{StorageError, StorageKey},
};
use sqlx::Row;
use std::collections::BTreeMap;

/// Every rule, in the order a run applies them (accounts first: purging one pseudonymizes
/// payment records, which the last rule then ages out).
pub const RULES: &[&str] = &[
    "deleted-accounts",
    "data-exports",
    "generated-content",
    "uploads",
    "guest-data",
    "analytics-events",
    "audit-log",
    "sessions",
    "consent-records",
    "sent-email",
    "rate-limits",
    "closed-requests",
    "moderation-flags",
    "payment-records",
];

/// Rows a batch of deletions takes at most, so no transaction holds the writer for long.
const BATCH: usize = 200;
/// Analytics events folded per transaction.
const ANALYTICS_BATCH: usize = 1_000;
/// Rate-limit counters are kept a day after their window started: longer than any window.
const RATE_LIMIT_KEEP_MS: i64 = 24 * 3600 * 1000;

/// What a run affected, rule by rule, in [`RULES`] order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub rules: Vec<(String, u64)>,
}

impl SweepReport {
    /// The count of rule `name`, if it ran.
    pub fn affected(&self, name: &str) -> Option<u64> {
        self.rules
            .iter()
            .find(|(rule, _)| rule == name)
            .map(|(_, n)| *n)
    }

    /// Everything the run affected.
    pub fn total(&self) -> u64 {
        self.rules.iter().map(|(_, n)| n).sum()
    }
}

/// A rule that failed. The other rules of the run still ran and were recorded.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("retention rule `{rule}`: {source}")]
    Db {
        rule: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("retention rule `{rule}`: {source}")]
    Storage {
        rule: &'static str,
        #[source]
        source: StorageError,
    },
}

/// Why one rule failed, before it is named.
#[derive(Debug)]
enum Failure {
    Db(sqlx::Error),
    Storage(StorageError),
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Failure {
        Failure::Db(e)
    }
}

impl From<StorageError> for Failure {
    fn from(e: StorageError) -> Failure {
        Failure::Storage(e)
    }
}

impl From<guests::PurgeError> for Failure {
    fn from(e: guests::PurgeError) -> Failure {
        match e {
            guests::PurgeError::Db(e) => Failure::Db(e),
            guests::PurgeError::Storage(e) => Failure::Storage(e),
        }
    }
}

impl Failure {
    fn named(self, rule: &'static str) -> SweepError {
        match self {
            Failure::Db(source) => SweepError::Db { rule, source },
            Failure::Storage(source) => SweepError::Storage { rule, source },
        }
    }
}

/// Applies every retention rule as of `now_ms`. With `dry_run`, changes nothing and
/// reports what would be affected. Every rule runs even when one fails; the first failure
/// is returned after the others were recorded.
pub async fn run(state: &AppState, now_ms: i64, dry_run: bool) -> Result<SweepReport, SweepError> {
    let mut report = SweepReport::default();
    let mut first_failure = None;
    for &name in RULES {
        match apply(state, name, now_ms, dry_run).await {
            Ok(affected) => report.rules.push((name.to_string(), affected)),
            Err(failure) => {
                let error = failure.named(name);
                tracing::error!(error = %error, "retention rule failed");
                first_failure.get_or_insert(error);
            }
        }
    }
    record(state, &report, now_ms, dry_run)
        .await
        .map_err(|source| SweepError::Db {
            rule: "retention-runs",
            source,
        })?;
    match first_failure {
        Some(error) => Err(error),
        None => Ok(report),
    }
}

async fn apply(state: &AppState, name: &str, now: i64, dry: bool) -> Result<u64, Failure> {
    Ok(match name {
        "deleted-accounts" => super::deletion::purge_due(state, now, dry).await?,
        "data-exports" => super::export::expire_due(state, now, dry).await?,
        "generated-content" => generated_content(state, now, dry).await?,
        "uploads" => uploads(state, now, dry).await?,
        "guest-data" => guest_data(state, now, dry).await?,
        "analytics-events" => analytics_events(state, now, dry).await?,
        "audit-log" => audit_log(state, now, dry).await?,
        "sessions" => {
            // Past their expiry, as the session store itself treats them.
            delete_rows(state, &[("sessions", "expires_at <= $1")], now, dry).await?
        }
        "consent-records" => consent_records(state, now, dry).await?,
        "sent-email" => {
            let cutoff = now - period_ms(DataCategory::LogsAnalytics);
            delete_rows(state, &[("email_outbox", "created_at < $1")], cutoff, dry).await?
        }
        "rate-limits" => {
            let cutoff = now - RATE_LIMIT_KEEP_MS;
            delete_rows(state, &[("rate_limits", "window_start < $1")], cutoff, dry).await?
        }
        "closed-requests" => closed_requests(state, now, dry).await?,
        "moderation-flags" => moderation_flags(state, now, dry).await?,
        "payment-records" => payment_records(state, now, dry).await?,
        other => unreachable!("unknown retention rule {other}"),
    })
}

/// How long data of `category` is kept, in milliseconds.
fn period_ms(category: DataCategory) -> i64 {
    let period = match rule(category).retention {
        Retention::For(d)
        | Retention::UnlessMigrated(d)
        | Retention::ThenAnonymized(d)
        | Retention::WhileActiveThen(d) => d,
        Retention::UntilWithdrawn => {
            unreachable!("{category:?} is kept until withdrawn and has no period")
        }
    };
    i64::try_from(period.as_millis()).unwrap_or(i64::MAX / 4)
}

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn count(
    state: &AppState,
    table: &str,
    predicate: &str,
    cutoff: i64,
) -> Result<u64, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {predicate}"))
        .bind(cutoff)
        .fetch_one(state.db.pool())
        .await?;
    Ok(u64::try_from(n).unwrap_or_default())
}

/// Deletes (or, in a dry run, counts) the rows of each `(table, predicate)` in one write
/// transaction, in order; `$1` in a predicate is `cutoff`. Returns the rows affected in all.
async fn delete_rows(
    state: &AppState,
    tables: &[(&str, &str)],
    cutoff: i64,
    dry: bool,
) -> Result<u64, sqlx::Error> {
    if dry {
        let mut total = 0;
        for (table, predicate) in tables {
            total += count(state, table, predicate, cutoff).await?;
        }
        return Ok(total);
    }
    let mut tx = state.db.begin_write().await?;
    let mut total = 0;
    for (table, predicate) in tables {
        total += sqlx::query(&format!("DELETE FROM {table} WHERE {predicate}"))
            .bind(cutoff)
            .execute(tx.conn())
            .await?
            .rows_affected();
    }
    tx.commit().await?;
    Ok(total)
}

/// Deletes stored files; a key that is not ours to parse was never a file we wrote.
async fn delete_files(state: &AppState, keys: Vec<String>) -> Result<(), StorageError> {
    for key in keys {
        if let Ok(key) = StorageKey::parse(key) {
            state.storage.delete(&key).await?;
        }
    }
    Ok(())
}

/// Signed-in people's tasks, with their outputs and output files, past the retention of
/// generated images and of prompts (a task holds both; the shorter period wins). Tasks still
/// queued or running are left to finish. Guests' tasks follow the guest rule.
async fn generated_content(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
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
async fn uploads(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
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
async fn delete_with_files(
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
async fn guest_data(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
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

/// Analytics events past the logs-and-analytics period become anonymous daily counts
/// (`analytics_daily`): each batch is deleted and its counts added in one transaction, and
/// only the rows this run deleted are counted, so racing runs never count an event twice.
async fn analytics_events(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
    let cutoff = now - period_ms(DataCategory::LogsAnalytics);
    if dry {
        return Ok(count(state, "analytics_events", "created_at < $1", cutoff).await?);
    }
    let lock = match state.db.backend() {
        // Racing runs take different batches instead of waiting for each other's rows.
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        // SQLite has one writer at a time.
        Backend::Sqlite => "",
    };
    let mut total = 0;
    loop {
        let mut tx = state.db.begin_write().await?;
        let deleted = sqlx::query(&format!(
            "DELETE FROM analytics_events WHERE id IN (SELECT id FROM analytics_events \
             WHERE created_at < $1 ORDER BY created_at LIMIT {ANALYTICS_BATCH}{lock}) \
             RETURNING created_at, name, path"
        ))
        .bind(cutoff)
        .fetch_all(tx.conn())
        .await?;
        if deleted.is_empty() {
            tx.commit().await?;
            return Ok(total);
        }
        // Keys in one fixed order: two runs upserting the same days then take their row
        // locks in the same order, so on PostgreSQL one waits for the other instead of
        // deadlocking.
        let mut daily: BTreeMap<(String, String, String), i64> = BTreeMap::new();
        for row in &deleted {
            let day = day_of(row.get(0));
            *daily.entry((day, row.get(1), row.get(2))).or_default() += 1;
        }
        for ((day, name, path), events) in daily {
            sqlx::query(
                "INSERT INTO analytics_daily (day, name, path, events) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (day, name, path) DO UPDATE SET \
                 events = analytics_daily.events + excluded.events",
            )
            .bind(day)
            .bind(name)
            .bind(path)
            .bind(events)
            .execute(tx.conn())
            .await?;
        }
        tx.commit().await?;
        total += deleted.len() as u64;
    }
}

/// A day as `YYYY-MM-DD` in UTC.
fn day_of(ms: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Audit entries past the logs period keep what happened and when, but no longer whom it
/// concerned or from where.
async fn audit_log(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
    let cutoff = now - period_ms(DataCategory::LogsAnalytics);
    const IDENTIFYING: &str = "created_at < $1 AND \
         (actor_id IS NOT NULL OR subject_id IS NOT NULL OR ip IS NOT NULL)";
    if dry {
        return Ok(count(state, "audit_log", IDENTIFYING, cutoff).await?);
    }
    let mut tx = state.db.begin_write().await?;
    let anonymized = sqlx::query(&format!(
        "UPDATE audit_log SET actor_id = NULL, subject_id = NULL, ip = NULL WHERE {IDENTIFYING}"
    ))
    .bind(cutoff)
    .execute(tx.conn())
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(anonymized)
}

/// Consent records past the cookie period, except the latest of each person (or, for
/// choices made signed out, of each browser): that one is the proof of the choice in force.
async fn consent_records(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
    let cutoff = now - period_ms(DataCategory::Cookies);
    const SUPERSEDED: &str = "created_at < $1 AND id IN (SELECT c.id FROM consent_records c \
         WHERE c.created_at < $1 AND EXISTS (SELECT 1 FROM consent_records n \
         WHERE (n.created_at > c.created_at OR (n.created_at = c.created_at AND n.id > c.id)) \
         AND ((c.user_id IS NOT NULL AND n.user_id = c.user_id) \
         OR (c.user_id IS NULL AND n.visitor_id = c.visitor_id))))";
    Ok(delete_rows(state, &[("consent_records", SUPERSEDED)], cutoff, dry).await?)
}

/// Rights requests closed longer ago than the logs period (the record of how we answered),
/// and requests whose confirmation link expired unused (an address typed by someone else is
/// not kept). Open ones stay.
async fn closed_requests(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
    let cutoff = now - period_ms(DataCategory::LogsAnalytics);
    const CLOSED: &str = "status IN ('completed', 'refused') AND closed_at < $1";
    let unconfirmed_cutoff =
        now - i64::try_from(super::requests::VERIFY_LINK_LIFETIME.as_millis()).unwrap_or(0);
    const UNCONFIRMED: &str = "status = 'unverified' AND created_at < $1";
    Ok(
        delete_rows(state, &[("privacy_requests", CLOSED)], cutoff, dry).await?
            + delete_rows(
                state,
                &[("privacy_requests", UNCONFIRMED)],
                unconfirmed_cutoff,
                dry,
            )
            .await?,
    )
}

/// Moderation records (prompt excerpts, copies of refused images kept for review) past the
/// retention of uploads and prompts, with their files.
async fn moderation_flags(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
    let cutoff = now - period_ms(DataCategory::UploadsPrompts);
    delete_with_files(state, "moderation_flags", "created_at < $1", cutoff, dry).await
}

/// Payment and credit records of purged people (their id replaced by a `gone-` pseudonym)
/// once the orders-and-payments period has passed, each record on its own clock. Records of
/// people who still have an account stay while it exists.
async fn payment_records(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
    let cutoff = now - period_ms(DataCategory::OrdersPayments);
    const GONE_ORDERS: &str =
        "SELECT id FROM orders WHERE user_id LIKE 'gone-%' AND created_at < $1";
    let dispute_notes =
        format!("dispute_id IN (SELECT id FROM disputes WHERE order_id IN ({GONE_ORDERS}))");
    let disputes = format!("order_id IN ({GONE_ORDERS})");
    // Children before parents, so nothing is left pointing at a deleted record.
    let tables: [(&str, &str); 11] = [
        (
            "ledger_allocations",
            "entry_id IN (SELECT id FROM ledger_entries \
             WHERE user_id LIKE 'gone-%' AND created_at < $1)",
        ),
        (
            "ledger_entries",
            "user_id LIKE 'gone-%' AND created_at < $1",
        ),
        ("dispute_notes", &dispute_notes),
        ("disputes", &disputes),
        ("orders", "user_id LIKE 'gone-%' AND created_at < $1"),
        ("credit_lots", "user_id LIKE 'gone-%' AND created_at < $1"),
        (
            "credit_reservations",
            "user_id LIKE 'gone-%' AND created_at < $1",
        ),
        ("subscriptions", "user_id LIKE 'gone-%' AND created_at < $1"),
        (
            "referrals",
            "referred_user_id LIKE 'gone-%' AND created_at < $1",
        ),
        (
            "signup_bonus_claims",
            "user_id LIKE 'gone-%' AND created_at < $1",
        ),
        // The balance row goes with the last entry it sums.
        (
            "credit_accounts",
            "user_id LIKE 'gone-%' AND updated_at < $1 AND NOT EXISTS \
             (SELECT 1 FROM ledger_entries e WHERE e.user_id = credit_accounts.user_id)",
        ),
    ];
    Ok(delete_rows(state, &tables, cutoff, dry).await?)
}

/// One `retention_runs` row per rule, and for a real run one audit entry with the counts
/// (rule names and numbers only).
async fn record(
    state: &AppState,
    report: &SweepReport,
    now_ms: i64,
    dry_run: bool,
) -> Result<(), sqlx::Error> {
    let mut tx = state.db.begin_write().await?;
    for (rule, affected) in &report.rules {
        sqlx::query(
            "INSERT INTO retention_runs (id, rule, affected, dry_run, ran_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(crate::new_id())
        .bind(rule)
        .bind(i64::try_from(*affected).unwrap_or(i64::MAX))
        .bind(i64::from(dry_run))
        .bind(now_ms)
        .execute(tx.conn())
        .await?;
    }
    if !dry_run {
        let counts: serde_json::Map<String, serde_json::Value> = report
            .rules
            .iter()
            .map(|(rule, n)| (rule.clone(), (*n).into()))
            .collect();
        crate::audit::record(
            tx.conn(),
            None,
            None,
            "retention.swept",
            serde_json::json!({ "as_of": now_ms, "rules": counts }),
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

//! The retention sweeper: enforces every retention period of the privacy registry. Each
//! rule deletes (or anonymizes) what has outlived its category's period, counts the rows it
//! actually changed, and leaves a `retention_runs` row; a run leaves one `retention.swept`
//! audit entry with the counts. Periods come from [`super::rule`], never from literals here,
//! so the published policy and what is deleted cannot differ.
//!
//! Safe to run in several processes at once: every count is the rows a statement changed,
//! so a row two runs race for is counted by the one that removed it, and a file already
//! gone counts as deleted. A dry run changes nothing and reports what a run would affect.

mod content;
mod records;

use super::{DataCategory, Retention, rule};
use crate::{
    AppState,
    generation::guests,
    storage::{StorageError, StorageKey},
};
use content::{generated_content, guest_data, unconfirmed_support, uploads};
use records::{
    analytics_events, audit_log, closed_requests, consent_records, moderation_flags,
    payment_records,
};

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
    "unconfirmed-support",
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
        "unconfirmed-support" => unconfirmed_support(state, now, dry).await?,
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

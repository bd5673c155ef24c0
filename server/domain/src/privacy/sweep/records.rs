//! The rules for records: analytics events folded into daily counts, the audit trail
//! anonymized, and consent choices, closed requests, moderation flags and payment records
//! past their periods.

use super::{ANALYTICS_BATCH, Failure, content::delete_with_files, count, delete_rows, period_ms};
use crate::{AppState, db::Backend, privacy::DataCategory};
use sqlx::Row;
use std::collections::BTreeMap;

/// Analytics events past the logs-and-analytics period become anonymous daily counts
/// (`analytics_daily`): each batch is deleted and its counts added in one transaction, and
/// only the rows this run deleted are counted, so racing runs never count an event twice.
pub(super) async fn analytics_events(
    state: &AppState,
    now: i64,
    dry: bool,
) -> Result<u64, Failure> {
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
pub(super) async fn audit_log(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
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
pub(super) async fn consent_records(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
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
pub(super) async fn closed_requests(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
    let cutoff = now - period_ms(DataCategory::LogsAnalytics);
    const CLOSED: &str = "status IN ('completed', 'refused') AND closed_at < $1";
    let unconfirmed_cutoff = now
        - i64::try_from(crate::privacy::requests::VERIFY_LINK_LIFETIME.as_millis()).unwrap_or(0);
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
pub(super) async fn moderation_flags(
    state: &AppState,
    now: i64,
    dry: bool,
) -> Result<u64, Failure> {
    let cutoff = now - period_ms(DataCategory::UploadsPrompts);
    delete_with_files(state, "moderation_flags", "created_at < $1", cutoff, dry).await
}

/// Payment and credit records of purged people (their id replaced by a `gone-` pseudonym)
/// once the orders-and-payments period has passed, each record on its own clock. Records of
/// people who still have an account stay while it exists.
pub(super) async fn payment_records(state: &AppState, now: i64, dry: bool) -> Result<u64, Failure> {
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

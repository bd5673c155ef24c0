//! Reading the ledger: balances, lots, entries and a reservation's status.

use super::{Balance, Entry, EntryFilter, EntryKind, LedgerError, Lot, LotSource};
use crate::db::Db;
use sqlx::Row;

/// The person's balance at `now`.
pub async fn balance(db: &Db, user_id: &str, now: i64) -> Result<Balance, LedgerError> {
    let row = sqlx::query(
        "SELECT \
           CAST(COALESCE(SUM(CASE WHEN frozen = 0 AND (expires_at IS NULL OR expires_at > $2) \
                THEN remaining ELSE 0 END), 0) AS BIGINT) AS available, \
           CAST(COALESCE(SUM(CASE WHEN frozen = 1 THEN remaining ELSE 0 END), 0) AS BIGINT) \
                AS frozen \
         FROM credit_lots WHERE user_id = $1 AND remaining > 0",
    )
    .bind(user_id)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    let held: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM credit_reservations \
         WHERE user_id = $1 AND status = 'held'",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?;
    let debt: Option<i64> =
        sqlx::query_scalar("SELECT debt FROM credit_accounts WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(Balance {
        available: row.try_get("available")?,
        held,
        frozen: row.try_get("frozen")?,
        debt: debt.unwrap_or(0),
    })
}

/// The sum of the person's ledger entries (equal to their unfrozen lots' remaining credits
/// minus debt, expired lots included until the expiry job has run).
pub async fn ledger_total(db: &Db, user_id: &str) -> Result<i64, LedgerError> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM ledger_entries WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?)
}

/// The person's lots, soonest-expiring first; `with_empty` includes used-up lots.
pub async fn lots(db: &Db, user_id: &str, with_empty: bool) -> Result<Vec<Lot>, LedgerError> {
    let rows = sqlx::query(
        "SELECT id, source, amount, remaining, expires_at, frozen, revoked, order_id, created_at \
         FROM credit_lots WHERE user_id = $1 AND (remaining > 0 OR $2 = 1) \
         ORDER BY CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END, expires_at, created_at, id",
    )
    .bind(user_id)
    .bind(i64::from(with_empty))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Lot {
                id: row.try_get("id")?,
                source: LotSource::parse(&row.try_get::<String, _>("source")?)
                    .unwrap_or(LotSource::Admin),
                amount: row.try_get("amount")?,
                remaining: row.try_get("remaining")?,
                expires_at: row.try_get("expires_at")?,
                frozen: row.try_get::<i64, _>("frozen")? != 0,
                revoked: row.try_get("revoked")?,
                order_id: row.try_get("order_id")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// A page of the person's ledger, newest first.
pub async fn entries(
    db: &Db,
    user_id: &str,
    filter: &EntryFilter,
) -> Result<Vec<Entry>, LedgerError> {
    let mut sql = String::from(
        "SELECT id, kind, delta, amount, balance_after, lot_id, reservation_id, order_id, memo, \
         created_at FROM ledger_entries WHERE user_id = $1 AND created_at < $2 AND created_at >= $3",
    );
    if !filter.kinds.is_empty() {
        // Kinds are our own constants, never request text.
        let kinds: Vec<String> = filter
            .kinds
            .iter()
            .map(|k| format!("'{}'", k.as_str()))
            .collect();
        sql.push_str(&format!(" AND kind IN ({})", kinds.join(", ")));
    }
    sql.push_str(" ORDER BY created_at DESC, id DESC LIMIT $4");
    let rows = sqlx::query(&sql)
        .bind(user_id)
        .bind(filter.before.unwrap_or(i64::MAX))
        .bind(filter.since.unwrap_or(0))
        .bind(filter.limit.clamp(1, 500))
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Entry {
                id: row.try_get("id")?,
                kind: EntryKind::parse(&row.try_get::<String, _>("kind")?)
                    .unwrap_or(EntryKind::Adjust),
                delta: row.try_get("delta")?,
                amount: row.try_get("amount")?,
                balance_after: row.try_get("balance_after")?,
                lot_id: row.try_get("lot_id")?,
                reservation_id: row.try_get("reservation_id")?,
                order_id: row.try_get("order_id")?,
                memo: row.try_get("memo")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// A reservation's status (`held`, `captured`, `released`).
pub async fn reservation_status(db: &Db, reservation_id: &str) -> Result<String, LedgerError> {
    sqlx::query_scalar("SELECT status FROM credit_reservations WHERE id = $1")
        .bind(reservation_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(LedgerError::UnknownReservation)
}

//! The ledger's building blocks: locking a person's account, replaying a used key, taking
//! credits from lots and writing an entry with its allocations.

use super::{EntryKind, IdempotencyKey, LedgerError};
use sqlx::{AnyConnection, Row};

/// Locks the person's credit account (creating it on first use) and returns their debt.
pub(super) async fn lock_account(
    conn: &mut AnyConnection,
    user_id: &str,
    now: i64,
) -> Result<i64, LedgerError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO credit_accounts (user_id, debt, updated_at) VALUES ($1, 0, $2) \
         ON CONFLICT (user_id) DO UPDATE SET updated_at = excluded.updated_at RETURNING debt",
    )
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?)
}

pub(super) async fn set_debt(
    conn: &mut AnyConnection,
    user_id: &str,
    debt: i64,
) -> Result<(), LedgerError> {
    sqlx::query("UPDATE credit_accounts SET debt = $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(debt)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(super) async fn lot_owner(
    conn: &mut AnyConnection,
    lot_id: &str,
) -> Result<Option<String>, LedgerError> {
    Ok(
        sqlx::query_scalar("SELECT user_id FROM credit_lots WHERE id = $1")
            .bind(lot_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

pub(super) struct Earlier {
    pub(super) id: String,
    pub(super) lot_id: Option<String>,
    pub(super) reservation_id: Option<String>,
}

pub(super) async fn replayed(
    conn: &mut AnyConnection,
    key: &IdempotencyKey,
) -> Result<Option<Earlier>, LedgerError> {
    let row = sqlx::query(
        "SELECT id, lot_id, reservation_id FROM ledger_entries WHERE idempotency_key = $1",
    )
    .bind(key.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| {
        Ok(Earlier {
            id: row.try_get("id")?,
            lot_id: row.try_get("lot_id")?,
            reservation_id: row.try_get("reservation_id")?,
        })
    })
    .transpose()
}

/// Locks the account and takes `amount` spendable credits (soonest-expiring first); the
/// earlier entry instead when `key` was used before. Refused while there is debt or too
/// little to spend.
pub(super) async fn debit(
    conn: &mut AnyConnection,
    user_id: &str,
    amount: i64,
    key: &IdempotencyKey,
    now: i64,
) -> Result<Result<Vec<(String, i64)>, Earlier>, LedgerError> {
    if amount <= 0 {
        return Err(LedgerError::InvalidAmount);
    }
    let debt = lock_account(conn, user_id, now).await?;
    if let Some(earlier) = replayed(conn, key).await? {
        return Ok(Err(earlier));
    }
    let lots = spendable_lots(conn, user_id, None, now).await?;
    let available: i64 = lots.iter().map(|(_, n)| n).sum();
    if debt > 0 || available < amount {
        return Err(LedgerError::Insufficient {
            required: amount,
            available: available - debt,
        });
    }
    Ok(Ok(take(conn, &lots, amount).await?))
}

/// Spendable lots in spending order: soonest expiry first, never-expiring last.
pub(super) async fn spendable_lots(
    conn: &mut AnyConnection,
    user_id: &str,
    except: Option<&str>,
    now: i64,
) -> Result<Vec<(String, i64)>, LedgerError> {
    let rows = sqlx::query(
        "SELECT id, remaining FROM credit_lots \
         WHERE user_id = $1 AND remaining > 0 AND frozen = 0 \
           AND (expires_at IS NULL OR expires_at > $2) AND id <> $3 \
         ORDER BY CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END, expires_at, created_at, id",
    )
    .bind(user_id)
    .bind(now)
    .bind(except.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("remaining")?)))
        .collect()
}

/// Takes up to `wanted` credits from spendable lots; returns what came from where.
pub(super) async fn take_from_lots(
    conn: &mut AnyConnection,
    user_id: &str,
    wanted: i64,
    except: Option<&str>,
    now: i64,
) -> Result<Vec<(String, i64)>, LedgerError> {
    if wanted <= 0 {
        return Ok(Vec::new());
    }
    let lots = spendable_lots(conn, user_id, except, now).await?;
    take(conn, &lots, wanted).await
}

pub(super) async fn take(
    conn: &mut AnyConnection,
    lots: &[(String, i64)],
    wanted: i64,
) -> Result<Vec<(String, i64)>, LedgerError> {
    let mut left = wanted;
    let mut taken = Vec::new();
    for (lot_id, remaining) in lots {
        if left == 0 {
            break;
        }
        let n = left.min(*remaining);
        let updated = sqlx::query(
            "UPDATE credit_lots SET remaining = remaining - $2 WHERE id = $1 AND remaining >= $2",
        )
        .bind(lot_id)
        .bind(n)
        .execute(&mut *conn)
        .await?;
        if updated.rows_affected() != 1 {
            // Cannot happen under the account lock; refuse rather than overdraw.
            return Err(LedgerError::Db(sqlx::Error::RowNotFound));
        }
        left -= n;
        taken.push((lot_id.clone(), n));
    }
    Ok(taken)
}

pub(super) struct NewEntry<'a> {
    pub(super) user_id: &'a str,
    pub(super) kind: EntryKind,
    pub(super) delta: i64,
    pub(super) amount: i64,
    pub(super) key: &'a IdempotencyKey,
    pub(super) lot_id: Option<&'a str>,
    pub(super) reservation_id: Option<&'a str>,
    pub(super) order_id: Option<&'a str>,
    pub(super) memo: Option<&'a str>,
}

pub(super) async fn write_entry(
    conn: &mut AnyConnection,
    entry: NewEntry<'_>,
    allocations: &[(String, i64)],
    now: i64,
) -> Result<String, LedgerError> {
    let balance_after: i64 = sqlx::query_scalar(
        "UPDATE credit_accounts SET ledger_balance = ledger_balance + $2 WHERE user_id = $1 \
         RETURNING ledger_balance",
    )
    .bind(entry.user_id)
    .bind(entry.delta)
    .fetch_one(&mut *conn)
    .await?;
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO ledger_entries (id, user_id, kind, delta, amount, balance_after, \
         idempotency_key, lot_id, reservation_id, order_id, memo, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(entry.user_id)
    .bind(entry.kind.as_str())
    .bind(entry.delta)
    .bind(entry.amount)
    .bind(balance_after)
    .bind(entry.key.as_str())
    .bind(entry.lot_id)
    .bind(entry.reservation_id)
    .bind(entry.order_id)
    .bind(entry.memo)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    for (lot_id, amount) in allocations.iter().filter(|(_, n)| *n > 0) {
        sqlx::query(
            "INSERT INTO ledger_allocations (entry_id, lot_id, amount) VALUES ($1, $2, $3)",
        )
        .bind(&id)
        .bind(lot_id)
        .bind(amount)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

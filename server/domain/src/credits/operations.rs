//! Credit operations that are one write transaction of their own.

use super::{
    Applied, ClawBack, EntryKind, Grant, IdempotencyKey, LedgerError, LotSource, NewEntry, Settle,
    claw_back_in, debit, expire_lot_in, freeze_in, grant_in, lock_account, replayed, reserve_in,
    set_debt, settle_in, take_from_lots, write_entry,
};
use crate::db::Db;
use sqlx::Row;

/// Adds a lot of credits. Debt is paid off from it first.
pub async fn grant(db: &Db, grant: Grant<'_>) -> Result<Applied<String>, LedgerError> {
    let mut tx = db.begin_write().await?;
    let applied = grant_in(tx.conn(), grant, crate::now_ms()).await?;
    tx.commit().await?;
    Ok(applied)
}

/// Holds `amount` credits for a task; returns the reservation id.
pub async fn reserve(
    db: &Db,
    user_id: &str,
    amount: i64,
    key: &IdempotencyKey,
) -> Result<Applied<String>, LedgerError> {
    let mut tx = db.begin_write().await?;
    let applied = reserve_in(tx.conn(), user_id, amount, key, crate::now_ms()).await?;
    tx.commit().await?;
    Ok(applied)
}

/// Spends a held reservation. Exactly once: a second capture is `replayed`, a capture of a
/// released reservation is refused.
pub async fn capture(db: &Db, reservation_id: &str) -> Result<Applied<()>, LedgerError> {
    let mut tx = db.begin_write().await?;
    let applied = settle_in(tx.conn(), reservation_id, Settle::Capture, crate::now_ms()).await?;
    tx.commit().await?;
    Ok(applied)
}

/// Gives a held reservation back. Exactly once, like [`capture`].
pub async fn release(db: &Db, reservation_id: &str) -> Result<Applied<()>, LedgerError> {
    let mut tx = db.begin_write().await?;
    let applied = settle_in(tx.conn(), reservation_id, Settle::Release, crate::now_ms()).await?;
    tx.commit().await?;
    Ok(applied)
}

/// An immediate debit: takes `amount` credits (soonest-expiring first) and records one
/// capture entry, in one transaction. Returns the entry id.
pub async fn spend(
    db: &Db,
    user_id: &str,
    amount: i64,
    key: &IdempotencyKey,
) -> Result<Applied<String>, LedgerError> {
    let now = crate::now_ms();
    let mut tx = db.begin_write().await?;
    let conn = tx.conn();
    let taken = match debit(conn, user_id, amount, key, now).await? {
        Ok(taken) => taken,
        Err(earlier) => {
            return Ok(Applied {
                value: earlier.id,
                replayed: true,
            });
        }
    };
    let entry = NewEntry {
        user_id,
        kind: EntryKind::Capture,
        delta: -amount,
        amount,
        key,
        lot_id: None,
        reservation_id: None,
        order_id: None,
        memo: None,
    };
    let id = write_entry(conn, entry, &taken, now).await?;
    tx.commit().await?;
    Ok(Applied {
        value: id,
        replayed: false,
    })
}

/// An admin's correction: positive adds a never-expiring admin lot, negative takes credits
/// (soonest-expiring first) and records what is missing as debt.
pub async fn adjust(
    db: &Db,
    user_id: &str,
    delta: i64,
    memo: &str,
    key: &IdempotencyKey,
) -> Result<Applied<()>, LedgerError> {
    let now = crate::now_ms();
    let mut tx = db.begin_write().await?;
    let applied = if delta > 0 {
        let mut grant = Grant::new(user_id, LotSource::Admin, delta, None, key);
        grant.kind = EntryKind::Adjust;
        grant.memo = Some(memo);
        let applied = grant_in(tx.conn(), grant, now).await?;
        Applied {
            value: (),
            replayed: applied.replayed,
        }
    } else if delta < 0 {
        let conn = tx.conn();
        let debt = lock_account(conn, user_id, now).await?;
        if replayed(conn, key).await?.is_some() {
            return Ok(Applied {
                value: (),
                replayed: true,
            });
        }
        let wanted = -delta;
        let taken = take_from_lots(conn, user_id, wanted, None, now).await?;
        let took: i64 = taken.iter().map(|(_, n)| n).sum();
        let debt_added = wanted - took;
        set_debt(conn, user_id, debt + debt_added).await?;
        let entry = NewEntry {
            user_id,
            kind: EntryKind::Adjust,
            delta,
            amount: wanted,
            key,
            lot_id: None,
            reservation_id: None,
            order_id: None,
            memo: Some(memo),
        };
        write_entry(conn, entry, &taken, now).await?;
        Applied {
            value: (),
            replayed: false,
        }
    } else {
        return Err(LedgerError::InvalidAmount);
    };
    tx.commit().await?;
    Ok(applied)
}

/// Writes an expire entry for every lot past its expiry that still has credits, up to
/// `batch` lots; returns how many lots expired. Safe to run from several processes at once.
pub async fn expire_due(db: &Db, now: i64, batch: i64) -> Result<u64, LedgerError> {
    let due = sqlx::query(
        "SELECT id FROM credit_lots WHERE expires_at <= $1 AND remaining > 0 AND frozen = 0 \
         ORDER BY expires_at LIMIT $2",
    )
    .bind(now)
    .bind(batch)
    .fetch_all(db.pool())
    .await?;
    let mut expired = 0;
    for row in due {
        let lot_id: String = row.try_get("id")?;
        let mut tx = db.begin_write().await?;
        if expire_lot_in(tx.conn(), &lot_id, now).await? {
            expired += 1;
        }
        tx.commit().await?;
    }
    Ok(expired)
}

/// Freezes a lot while a payment dispute is open: its credits cannot be spent.
pub async fn freeze_lot(
    db: &Db,
    lot_id: &str,
    key: &IdempotencyKey,
) -> Result<Applied<()>, LedgerError> {
    let mut tx = db.begin_write().await?;
    let applied = freeze_in(tx.conn(), lot_id, true, key, crate::now_ms()).await?;
    tx.commit().await?;
    Ok(applied)
}

/// Takes back the credits of a lot whose payment was returned: its unspent credits, then
/// from other lots, and the rest as debt. `credits` is how many of the lot's credits the
/// refund covers (all of them for a full refund).
pub async fn claw_back(
    db: &Db,
    lot_id: &str,
    credits: i64,
    reason: &str,
    key: &IdempotencyKey,
) -> Result<Applied<ClawBack>, LedgerError> {
    let mut tx = db.begin_write().await?;
    let applied = claw_back_in(tx.conn(), lot_id, credits, reason, key, crate::now_ms()).await?;
    tx.commit().await?;
    Ok(applied)
}

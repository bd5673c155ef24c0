//! Lots of credits inside a caller's write transaction: granting one, expiring one,
//! freezing it during a dispute and clawing credits back after a refund.

use super::{
    Applied, ClawBack, EntryKind, Grant, IdempotencyKey, LedgerError, NewEntry, lock_account,
    lot_owner, replayed, set_debt, take_from_lots, write_entry,
};
use sqlx::{AnyConnection, Row};

/// [`grant`] inside a transaction.
pub async fn grant_in(
    conn: &mut AnyConnection,
    grant: Grant<'_>,
    now: i64,
) -> Result<Applied<String>, LedgerError> {
    if grant.amount <= 0 {
        return Err(LedgerError::InvalidAmount);
    }
    let debt = lock_account(conn, grant.user_id, now).await?;
    if let Some(earlier) = replayed(conn, grant.key).await? {
        return Ok(Applied {
            value: earlier.lot_id.unwrap_or_default(),
            replayed: true,
        });
    }
    let settled = debt.min(grant.amount);
    if settled > 0 {
        set_debt(conn, grant.user_id, debt - settled).await?;
    }
    let lot_id = crate::new_id();
    sqlx::query(
        "INSERT INTO credit_lots (id, user_id, source, amount, remaining, expires_at, frozen, \
         revoked, order_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, $7, $8)",
    )
    .bind(&lot_id)
    .bind(grant.user_id)
    .bind(grant.source.as_str())
    .bind(grant.amount)
    .bind(grant.amount - settled)
    .bind(grant.expires_at)
    .bind(grant.order_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let entry = NewEntry {
        user_id: grant.user_id,
        kind: grant.kind,
        delta: grant.amount,
        amount: grant.amount,
        key: grant.key,
        lot_id: Some(&lot_id),
        reservation_id: None,
        order_id: grant.order_id,
        memo: Some(grant.memo.unwrap_or(grant.source.as_str())),
    };
    write_entry(
        conn,
        entry,
        &[(lot_id.clone(), grant.amount - settled)],
        now,
    )
    .await?;
    Ok(Applied {
        value: lot_id,
        replayed: false,
    })
}

/// Expires one lot if it is due; false when another process got there first.
pub(super) async fn expire_lot_in(
    conn: &mut AnyConnection,
    lot_id: &str,
    now: i64,
) -> Result<bool, LedgerError> {
    let Some(user_id) = lot_owner(conn, lot_id).await? else {
        return Ok(false);
    };
    lock_account(conn, &user_id, now).await?;
    let row = sqlx::query(
        "SELECT remaining FROM credit_lots \
         WHERE id = $1 AND expires_at <= $2 AND remaining > 0 AND frozen = 0",
    )
    .bind(lot_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let remaining: i64 = row.try_get("remaining")?;
    sqlx::query("UPDATE credit_lots SET remaining = 0 WHERE id = $1")
        .bind(lot_id)
        .execute(&mut *conn)
        .await?;
    // A lot can expire more than once (a released reservation gives credits back to it).
    let key = IdempotencyKey::new(format!("lot:{lot_id}:expire:{}", crate::new_id()))?;
    let entry = NewEntry {
        user_id: &user_id,
        kind: EntryKind::Expire,
        delta: -remaining,
        amount: remaining,
        key: &key,
        lot_id: Some(lot_id),
        reservation_id: None,
        order_id: None,
        memo: None,
    };
    write_entry(conn, entry, &[(lot_id.to_string(), remaining)], now).await?;
    Ok(true)
}

/// Freezes (`true`) or unfreezes a lot inside a transaction.
pub async fn freeze_in(
    conn: &mut AnyConnection,
    lot_id: &str,
    freeze: bool,
    key: &IdempotencyKey,
    now: i64,
) -> Result<Applied<()>, LedgerError> {
    let user_id = lot_owner(conn, lot_id)
        .await?
        .ok_or(LedgerError::UnknownLot)?;
    let debt = lock_account(conn, &user_id, now).await?;
    if replayed(conn, key).await?.is_some() {
        return Ok(Applied {
            value: (),
            replayed: true,
        });
    }
    let row = sqlx::query("SELECT remaining, frozen FROM credit_lots WHERE id = $1")
        .bind(lot_id)
        .fetch_one(&mut *conn)
        .await?;
    let remaining: i64 = row.try_get("remaining")?;
    let frozen = row.try_get::<i64, _>("frozen")? != 0;
    if frozen == freeze {
        return Ok(Applied {
            value: (),
            replayed: true,
        });
    }
    // Credits unfrozen while in debt pay it off first.
    let to_debt = if freeze { 0 } else { debt.min(remaining) };
    if to_debt > 0 {
        set_debt(conn, &user_id, debt - to_debt).await?;
    }
    sqlx::query("UPDATE credit_lots SET frozen = $2, remaining = remaining - $3 WHERE id = $1")
        .bind(lot_id)
        .bind(i64::from(freeze))
        .bind(to_debt)
        .execute(&mut *conn)
        .await?;
    let entry = NewEntry {
        user_id: &user_id,
        kind: if freeze {
            EntryKind::Freeze
        } else {
            EntryKind::Unfreeze
        },
        delta: if freeze { -remaining } else { remaining },
        amount: remaining,
        key,
        lot_id: Some(lot_id),
        reservation_id: None,
        order_id: None,
        memo: None,
    };
    write_entry(conn, entry, &[(lot_id.to_string(), remaining)], now).await?;
    Ok(Applied {
        value: (),
        replayed: false,
    })
}

/// [`claw_back`] inside a transaction.
pub async fn claw_back_in(
    conn: &mut AnyConnection,
    lot_id: &str,
    credits: i64,
    reason: &str,
    key: &IdempotencyKey,
    now: i64,
) -> Result<Applied<ClawBack>, LedgerError> {
    if credits <= 0 {
        return Err(LedgerError::InvalidAmount);
    }
    let user_id = lot_owner(conn, lot_id)
        .await?
        .ok_or(LedgerError::UnknownLot)?;
    let debt = lock_account(conn, &user_id, now).await?;
    if replayed(conn, key).await?.is_some() {
        return Ok(Applied {
            value: ClawBack::default(),
            replayed: true,
        });
    }
    let row = sqlx::query("SELECT amount, remaining, frozen FROM credit_lots WHERE id = $1")
        .bind(lot_id)
        .fetch_one(&mut *conn)
        .await?;
    let amount: i64 = row.try_get("amount")?;
    let remaining: i64 = row.try_get("remaining")?;
    let frozen = row.try_get::<i64, _>("frozen")? != 0;
    let wanted = credits.min(amount);
    let from_lot = remaining.min(wanted);
    let whole = wanted == amount;
    sqlx::query(
        "UPDATE credit_lots SET remaining = remaining - $2, \
         frozen = CASE WHEN $3 = 1 THEN 0 ELSE frozen END, \
         revoked = CASE WHEN $3 = 1 THEN $4 ELSE revoked END WHERE id = $1",
    )
    .bind(lot_id)
    .bind(from_lot)
    .bind(i64::from(whole))
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    // A whole claw-back ends the freeze; the part that stays frozen is not in the balance.
    let mut allocations = vec![(lot_id.to_string(), from_lot)];
    let others = take_from_lots(conn, &user_id, wanted - from_lot, Some(lot_id), now).await?;
    let from_other_lots: i64 = others.iter().map(|(_, n)| n).sum();
    allocations.extend(others);
    let debt_added = wanted - from_lot - from_other_lots;
    if debt_added > 0 {
        set_debt(conn, &user_id, debt + debt_added).await?;
    }
    // A frozen lot's credits were already out of the balance (its freeze entry took them).
    let lot_delta = if frozen { 0 } else { from_lot };
    let entry = NewEntry {
        user_id: &user_id,
        kind: EntryKind::ClawBack,
        delta: -(lot_delta + from_other_lots + debt_added),
        amount: wanted,
        key,
        lot_id: Some(lot_id),
        reservation_id: None,
        order_id: None,
        memo: Some(reason),
    };
    write_entry(conn, entry, &allocations, now).await?;
    Ok(Applied {
        value: ClawBack {
            from_lot,
            from_other_lots,
            debt_added,
        },
        replayed: false,
    })
}

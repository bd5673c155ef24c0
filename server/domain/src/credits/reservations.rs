//! Reservations inside a caller's write transaction: holding credits for a task, then
//! capturing them when it succeeds or releasing them when it does not.

use super::{
    Applied, EntryKind, IdempotencyKey, LedgerError, NewEntry, debit, lock_account, set_debt,
    write_entry,
};
use sqlx::{AnyConnection, Row};

/// [`reserve`] inside a transaction.
pub async fn reserve_in(
    conn: &mut AnyConnection,
    user_id: &str,
    amount: i64,
    key: &IdempotencyKey,
    now: i64,
) -> Result<Applied<String>, LedgerError> {
    let taken = match debit(conn, user_id, amount, key, now).await? {
        Ok(taken) => taken,
        Err(earlier) => {
            return Ok(Applied {
                value: earlier.reservation_id.unwrap_or_default(),
                replayed: true,
            });
        }
    };
    let reservation_id = crate::new_id();
    sqlx::query(
        "INSERT INTO credit_reservations (id, user_id, amount, status, created_at, settled_at) \
         VALUES ($1, $2, $3, 'held', $4, NULL)",
    )
    .bind(&reservation_id)
    .bind(user_id)
    .bind(amount)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let entry = NewEntry {
        user_id,
        kind: EntryKind::Reserve,
        delta: -amount,
        amount,
        key,
        lot_id: None,
        reservation_id: Some(&reservation_id),
        order_id: None,
        memo: None,
    };
    write_entry(conn, entry, &taken, now).await?;
    Ok(Applied {
        value: reservation_id,
        replayed: false,
    })
}

/// Captures a held reservation inside the caller's write transaction (see [`capture`]).
pub async fn capture_in(
    conn: &mut AnyConnection,
    reservation_id: &str,
    now: i64,
) -> Result<Applied<()>, LedgerError> {
    settle_in(conn, reservation_id, Settle::Capture, now).await
}

/// Releases a held reservation inside the caller's write transaction (see [`release`]).
pub async fn release_in(
    conn: &mut AnyConnection,
    reservation_id: &str,
    now: i64,
) -> Result<Applied<()>, LedgerError> {
    settle_in(conn, reservation_id, Settle::Release, now).await
}

/// How a held reservation ends.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Settle {
    Capture,
    Release,
}

/// Captures or releases a held reservation: exactly once, a repeat of the same outcome is
/// `replayed` and the other outcome is refused.
pub(super) async fn settle_in(
    conn: &mut AnyConnection,
    reservation_id: &str,
    how: Settle,
    now: i64,
) -> Result<Applied<()>, LedgerError> {
    let user_id: String =
        sqlx::query_scalar("SELECT user_id FROM credit_reservations WHERE id = $1")
            .bind(reservation_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(LedgerError::UnknownReservation)?;
    let debt = lock_account(conn, &user_id, now).await?;
    let target = match how {
        Settle::Capture => "captured",
        Settle::Release => "released",
    };
    let settled = sqlx::query(
        "UPDATE credit_reservations SET status = $2, settled_at = $3 \
         WHERE id = $1 AND status = 'held' RETURNING amount",
    )
    .bind(reservation_id)
    .bind(target)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = settled else {
        return settled_before(conn, reservation_id, target).await;
    };
    let amount: i64 = row.try_get("amount")?;
    let key = IdempotencyKey::new(format!("reservation:{reservation_id}:{target}"))?;
    let held = Held {
        user_id: &user_id,
        reservation_id,
        amount,
        key: &key,
    };
    match how {
        Settle::Capture => {
            let entry = held.entry(EntryKind::Capture, 0);
            write_entry(conn, entry, &[], now).await?;
        }
        Settle::Release => release_to_lots(conn, held, debt, now).await?,
    }
    Ok(Applied {
        value: (),
        replayed: false,
    })
}

/// A reservation that was no longer held: the same outcome again is a replay, the other
/// one is refused.
async fn settled_before(
    conn: &mut AnyConnection,
    reservation_id: &str,
    target: &str,
) -> Result<Applied<()>, LedgerError> {
    let status: String = sqlx::query_scalar("SELECT status FROM credit_reservations WHERE id = $1")
        .bind(reservation_id)
        .fetch_one(&mut *conn)
        .await?;
    if status == target {
        Ok(Applied {
            value: (),
            replayed: true,
        })
    } else {
        Err(LedgerError::AlreadySettled(if status == "captured" {
            "captured"
        } else {
            "released"
        }))
    }
}

/// A reservation just settled: whose, how much, and the key of its settling entry.
struct Held<'a> {
    user_id: &'a str,
    reservation_id: &'a str,
    amount: i64,
    key: &'a IdempotencyKey,
}

impl<'a> Held<'a> {
    fn entry(&self, kind: EntryKind, delta: i64) -> NewEntry<'a> {
        NewEntry {
            user_id: self.user_id,
            kind,
            delta,
            amount: self.amount,
            key: self.key,
            lot_id: None,
            reservation_id: Some(self.reservation_id),
            order_id: None,
            memo: None,
        }
    }
}

/// Release: pay off debt first, give the rest back to the lots it came from.
async fn release_to_lots(
    conn: &mut AnyConnection,
    held: Held<'_>,
    debt: i64,
    now: i64,
) -> Result<(), LedgerError> {
    let allocations = sqlx::query(
        "SELECT a.lot_id, a.amount, l.frozen FROM ledger_allocations a \
         JOIN ledger_entries e ON e.id = a.entry_id \
         JOIN credit_lots l ON l.id = a.lot_id \
         WHERE e.reservation_id = $1 AND e.kind = 'reserve' ORDER BY l.created_at, l.id",
    )
    .bind(held.reservation_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut to_debt = debt.min(held.amount);
    if to_debt > 0 {
        set_debt(conn, held.user_id, debt - to_debt).await?;
    }
    let mut delta = to_debt;
    let mut returned = Vec::new();
    for row in &allocations {
        let lot_id: String = row.try_get("lot_id")?;
        let mut back: i64 = row.try_get("amount")?;
        let cut = to_debt.min(back);
        to_debt -= cut;
        back -= cut;
        if back == 0 {
            continue;
        }
        sqlx::query("UPDATE credit_lots SET remaining = remaining + $2 WHERE id = $1")
            .bind(&lot_id)
            .bind(back)
            .execute(&mut *conn)
            .await?;
        if row.try_get::<i64, _>("frozen")? == 0 {
            delta += back;
        }
        returned.push((lot_id, back));
    }
    let entry = held.entry(EntryKind::Release, delta);
    write_entry(conn, entry, &returned, now).await?;
    Ok(())
}

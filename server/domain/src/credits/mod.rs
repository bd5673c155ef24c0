//! The credits ledger: lots of credits (each with its source and expiry), an append-only
//! ledger of entries, and reservations that hold credits while a task runs.
//!
//! - Spending takes the soonest-expiring lots first and never-expiring lots last.
//! - Every operation is one write transaction that first locks the person's
//!   `credit_accounts` row, so concurrent operations on one account queue instead of racing
//!   (no read-modify-write window on either database).
//! - Every entry carries an idempotency key unique per cause; repeating an operation with a
//!   key already used changes nothing and returns the first result.
//! - An entry's `delta` is the change of the ledger balance: the remaining credits of the
//!   person's unfrozen lots minus their debt. The entries of a person always sum to it.
//! - Debt comes from refunds and lost disputes that took back more than was left. While there
//!   is debt nothing can be spent, and every credit that comes in pays it off first.

use crate::db::Db;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

#[cfg(test)]
mod tests;

/// Where a lot of credits came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LotSource {
    SignupBonus,
    Purchase,
    Subscription,
    Referral,
    Admin,
}

impl LotSource {
    pub const ALL: [LotSource; 5] = [
        LotSource::SignupBonus,
        LotSource::Purchase,
        LotSource::Subscription,
        LotSource::Referral,
        LotSource::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LotSource::SignupBonus => "signup_bonus",
            LotSource::Purchase => "purchase",
            LotSource::Subscription => "subscription",
            LotSource::Referral => "referral",
            LotSource::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<LotSource> {
        LotSource::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a ledger entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Grant,
    Reserve,
    Capture,
    Release,
    Expire,
    ClawBack,
    Adjust,
    Freeze,
    Unfreeze,
}

impl EntryKind {
    pub const ALL: [EntryKind; 9] = [
        EntryKind::Grant,
        EntryKind::Reserve,
        EntryKind::Capture,
        EntryKind::Release,
        EntryKind::Expire,
        EntryKind::ClawBack,
        EntryKind::Adjust,
        EntryKind::Freeze,
        EntryKind::Unfreeze,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Grant => "grant",
            EntryKind::Reserve => "reserve",
            EntryKind::Capture => "capture",
            EntryKind::Release => "release",
            EntryKind::Expire => "expire",
            EntryKind::ClawBack => "claw_back",
            EntryKind::Adjust => "adjust",
            EntryKind::Freeze => "freeze",
            EntryKind::Unfreeze => "unfreeze",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Names the cause of a ledger change (`order:…:grant`, `task:…:reserve`); an operation
/// repeated with the same key is applied once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn new(key: impl Into<String>) -> Result<IdempotencyKey, LedgerError> {
        let key = key.into();
        if key.is_empty()
            || key.len() > 200
            || !key.chars().all(|c| c.is_ascii_graphic() && c != '\'')
        {
            return Err(LedgerError::InvalidKey);
        }
        Ok(IdempotencyKey(key))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("not enough credits: {required} required, {available} available")]
    Insufficient { required: i64, available: i64 },
    #[error("an amount of credits must be a positive whole number")]
    InvalidAmount,
    #[error("an idempotency key must be 1 to 200 printable ASCII characters")]
    InvalidKey,
    #[error("no such reservation")]
    UnknownReservation,
    #[error("no such lot")]
    UnknownLot,
    #[error("the reservation was already {0}")]
    AlreadySettled(&'static str),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The result of an operation, and whether it was done now or by an earlier call with the
/// same idempotency key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied<T> {
    pub value: T,
    pub replayed: bool,
}

/// What a person can spend, as shown to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Balance {
    /// Spendable credits: unexpired, unfrozen lots.
    pub available: i64,
    /// Credits held by running tasks.
    pub held: i64,
    /// Credits of lots frozen by an open payment dispute.
    pub frozen: i64,
    /// Owed after a refund or lost dispute; spending is blocked while positive.
    pub debt: i64,
}

impl Balance {
    /// The balance shown: spendable credits minus debt (negative while in debt).
    pub fn total(&self) -> i64 {
        self.available - self.debt
    }
}

/// One lot as the billing page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lot {
    pub id: String,
    pub source: LotSource,
    pub amount: i64,
    pub remaining: i64,
    pub expires_at: Option<i64>,
    pub frozen: bool,
    pub revoked: Option<String>,
    pub order_id: Option<String>,
    pub created_at: i64,
}

/// One ledger entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub id: String,
    pub kind: EntryKind,
    pub delta: i64,
    pub amount: i64,
    pub balance_after: i64,
    pub lot_id: Option<String>,
    pub reservation_id: Option<String>,
    pub order_id: Option<String>,
    pub memo: Option<String>,
    pub created_at: i64,
}

/// Which entries a history page shows.
#[derive(Clone, Debug, Default)]
pub struct EntryFilter {
    pub kinds: Vec<EntryKind>,
    /// Only entries older than this (paging: the last shown entry's time).
    pub before: Option<i64>,
    pub since: Option<i64>,
    pub limit: i64,
}

/// How a claw-back was covered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClawBack {
    /// From the lot itself (its unspent credits).
    pub from_lot: i64,
    /// From the person's other lots.
    pub from_other_lots: i64,
    /// Left over: recorded as debt.
    pub debt_added: i64,
}

/// The details of a grant.
#[derive(Clone, Debug)]
pub struct Grant<'a> {
    pub user_id: &'a str,
    pub source: LotSource,
    pub amount: i64,
    pub expires_at: Option<i64>,
    pub order_id: Option<&'a str>,
    pub key: &'a IdempotencyKey,
    pub kind: EntryKind,
    pub memo: Option<&'a str>,
}

impl<'a> Grant<'a> {
    pub fn new(
        user_id: &'a str,
        source: LotSource,
        amount: i64,
        expires_at: Option<i64>,
        key: &'a IdempotencyKey,
    ) -> Grant<'a> {
        Grant {
            user_id,
            source,
            amount,
            expires_at,
            order_id: None,
            key,
            kind: EntryKind::Grant,
            memo: None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Operations on a whole transaction of their own.

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

// ---------------------------------------------------------------------------------------
// Reading.

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

// ---------------------------------------------------------------------------------------
// The same operations inside a caller's write transaction (billing fulfils an order and
// grants its credits in one transaction).

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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Settle {
    Capture,
    Release,
}

async fn settle_in(
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
        let status: String =
            sqlx::query_scalar("SELECT status FROM credit_reservations WHERE id = $1")
                .bind(reservation_id)
                .fetch_one(&mut *conn)
                .await?;
        return if status == target {
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
        };
    };
    let amount: i64 = row.try_get("amount")?;
    let key = IdempotencyKey::new(format!("reservation:{reservation_id}:{target}"))?;
    if how == Settle::Capture {
        let entry = NewEntry {
            user_id: &user_id,
            kind: EntryKind::Capture,
            delta: 0,
            amount,
            key: &key,
            lot_id: None,
            reservation_id: Some(reservation_id),
            order_id: None,
            memo: None,
        };
        write_entry(conn, entry, &[], now).await?;
        return Ok(Applied {
            value: (),
            replayed: false,
        });
    }
    // Release: pay off debt first, give the rest back to the lots it came from.
    let allocations = sqlx::query(
        "SELECT a.lot_id, a.amount, l.frozen FROM ledger_allocations a \
         JOIN ledger_entries e ON e.id = a.entry_id \
         JOIN credit_lots l ON l.id = a.lot_id \
         WHERE e.reservation_id = $1 AND e.kind = 'reserve' ORDER BY l.created_at, l.id",
    )
    .bind(reservation_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut to_debt = debt.min(amount);
    if to_debt > 0 {
        set_debt(conn, &user_id, debt - to_debt).await?;
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
    let entry = NewEntry {
        user_id: &user_id,
        kind: EntryKind::Release,
        delta,
        amount,
        key: &key,
        lot_id: None,
        reservation_id: Some(reservation_id),
        order_id: None,
        memo: None,
    };
    write_entry(conn, entry, &returned, now).await?;
    Ok(Applied {
        value: (),
        replayed: false,
    })
}

/// Expires one lot if it is due; false when another process got there first.
async fn expire_lot_in(
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

// ---------------------------------------------------------------------------------------
// Building blocks.

/// Locks the person's credit account (creating it on first use) and returns their debt.
async fn lock_account(
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

async fn set_debt(conn: &mut AnyConnection, user_id: &str, debt: i64) -> Result<(), LedgerError> {
    sqlx::query("UPDATE credit_accounts SET debt = $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(debt)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn lot_owner(conn: &mut AnyConnection, lot_id: &str) -> Result<Option<String>, LedgerError> {
    Ok(
        sqlx::query_scalar("SELECT user_id FROM credit_lots WHERE id = $1")
            .bind(lot_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

struct Earlier {
    id: String,
    lot_id: Option<String>,
    reservation_id: Option<String>,
}

async fn replayed(
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
async fn debit(
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
async fn spendable_lots(
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
async fn take_from_lots(
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

async fn take(
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

struct NewEntry<'a> {
    user_id: &'a str,
    kind: EntryKind,
    delta: i64,
    amount: i64,
    key: &'a IdempotencyKey,
    lot_id: Option<&'a str>,
    reservation_id: Option<&'a str>,
    order_id: Option<&'a str>,
    memo: Option<&'a str>,
}

async fn write_entry(
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

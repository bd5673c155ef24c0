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

use serde::Serialize;

mod ledger;
mod lots;
mod operations;
mod queries;
mod reservations;
#[cfg(test)]
mod tests;

use ledger::{
    NewEntry, debit, lock_account, lot_owner, replayed, set_debt, take_from_lots, write_entry,
};
use lots::expire_lot_in;
pub use lots::{claw_back_in, freeze_in, grant_in};
pub use operations::{
    adjust, capture, claw_back, expire_due, freeze_lot, grant, release, reserve, spend,
};
pub use queries::{balance, entries, ledger_total, lots, reservation_status};
use reservations::{Settle, settle_in};
pub use reservations::{capture_in, release_in, reserve_in};

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

//! The signed-in person's home (`/dashboard`): what they can spend and what of it expires
//! soon, what is being made, what was made last, and what needs their attention. A read
//! model over credits, billing, generation and privacy; it changes nothing.

mod notices;
#[cfg(test)]
mod tests;

pub use notices::{NOTICE_WINDOW_MS, Notice, notices};

use crate::{
    billing::{BillingError, overview},
    credits::{self, Balance, LedgerError},
    db::Db,
    generation::tasks::{self, Owner, TaskRecord},
    privacy::requests::RequestError,
};

/// One person's dashboard.
#[derive(Clone, Debug)]
pub struct Dashboard {
    pub balance: Balance,
    /// Spendable credits of lots that expire within billing's "soon"
    /// ([`overview::SOON_MS`]).
    pub expiring_soon: i64,
    /// When the first of those credits expire.
    pub next_expiry: Option<i64>,
    /// Queued and running tasks, oldest first.
    pub running: Vec<TaskRecord>,
    /// The latest tasks that made their images, the most recently finished first.
    pub latest: Vec<TaskRecord>,
    pub notices: Vec<Notice>,
}

/// Why the dashboard could not be read; always a failure on our side.
#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Billing(#[from] BillingError),
    #[error(transparent)]
    Request(#[from] RequestError),
}

/// The dashboard of account `user_id` at `now`, with up to `latest` finished tasks. Every
/// part is read for this account only.
pub async fn dashboard(
    db: &Db,
    user_id: &str,
    latest: i64,
    now: i64,
) -> Result<Dashboard, DashboardError> {
    let balance = credits::balance(db, user_id, now).await?;
    let lots = overview::spendable_lots(db, user_id, now).await?;
    let expiring_soon = overview::expiring_soon(&lots);
    let next_expiry = lots
        .iter()
        .filter(|l| l.expiring_soon && !l.lot.frozen)
        .filter_map(|l| l.lot.expires_at)
        .min();
    let owner = Owner::User(user_id.to_owned());
    let running = tasks::active(db, &owner).await?;
    let latest = tasks::finished(db, &owner, latest.max(0)).await?;
    let notices = notices(db, user_id, now).await?;
    Ok(Dashboard {
        balance,
        expiring_soon,
        next_expiry,
        running,
        latest,
        notices,
    })
}

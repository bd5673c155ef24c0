//! Wire types of the dashboard (`/dashboard`): the balance, the tasks under way, the latest
//! results and the notices. Times are unix milliseconds; image URLs are signed and expire.

use super::{BalanceView, TaskView};
use serde::{Deserialize, Serialize};

/// How many of the latest finished tasks the dashboard shows.
pub const LATEST_RESULTS: usize = 8;

/// What `/dashboard` loads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    pub balance: BalanceView,
    /// Spendable credits that expire within 30 days.
    pub expiring_soon: i64,
    /// When the first of them expire.
    pub next_expiry: Option<i64>,
    /// Queued and running tasks, oldest first.
    pub running: Vec<TaskView>,
    /// The latest tasks that made their images, the most recently finished first.
    pub latest: Vec<TaskView>,
    pub notices: Vec<NoticeView>,
}

/// Something the person should look at; each names what the page links to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeView {
    /// A material change to a legal document (`privacy`, `terms`, `cookies`,
    /// `subprocessors`), in effect from `effective_at`.
    PolicyChanged { doc: String, effective_at: i64 },
    /// The payment of order `number` failed.
    PaymentFailed { number: String, ordered_at: i64 },
    /// A data export is ready; its emailed link works until `expires_at`.
    ExportReady { expires_at: i64 },
    /// A rights request was answered: `kind` and `status` as `privacy-request-kind-…` and
    /// `privacy-request-status-…` name them.
    RequestAnswered {
        id: String,
        kind: String,
        status: String,
    },
}

//! What needs the person's attention: a material policy change they have not dismissed, a
//! payment that failed, a data export ready to download, a rights request answered. Each is
//! shown while its condition holds; the ones about something that happened fade after
//! [`NOTICE_WINDOW_MS`].

use super::DashboardError;
use crate::{
    billing,
    db::Db,
    privacy::{
        export::{self, ExportStatus},
        policy::{self, PolicyNotice},
        requests::{self, RequestKind, RequestStatus},
    },
};

/// How long a failed payment or an answered request is pointed out.
pub const NOTICE_WINDOW_MS: i64 = 30 * 24 * 3600 * 1000;

/// The latest orders looked at for a failed payment.
const ORDERS_LOOKED_AT: i64 = 20;

/// Something the person should look at, with what the page needs to point them there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A material change to a legal document, not yet dismissed.
    PolicyChanged(PolicyNotice),
    /// The person's latest checkout that came to an end failed to collect the payment.
    PaymentFailed {
        order_number: String,
        ordered_at: i64,
    },
    /// A data export is ready; its download link (emailed) works until `expires_at`.
    ExportReady { export_id: String, expires_at: i64 },
    /// A rights request of theirs was answered: completed or refused.
    RequestAnswered {
        request_id: String,
        kind: RequestKind,
        status: RequestStatus,
        answered_at: i64,
    },
}

/// The notices of account `user_id` at `now`: the policy change first, then the payment,
/// the export and the answered requests (the newest request first).
pub async fn notices(db: &Db, user_id: &str, now: i64) -> Result<Vec<Notice>, DashboardError> {
    let mut notices = Vec::new();
    if let Some(notice) = policy::pending_notice(db, user_id, now).await? {
        notices.push(Notice::PolicyChanged(notice));
    }
    notices.extend(failed_payment(db, user_id, now).await?);
    notices.extend(ready_export(db, user_id, now).await?);
    notices.extend(answered_requests(db, user_id, now).await?);
    Ok(notices)
}

/// A failed payment, while it is the outcome of the person's latest checkout that ended
/// (a later paid or abandoned one replaces it) and is recent.
async fn failed_payment(
    db: &Db,
    user_id: &str,
    now: i64,
) -> Result<Option<Notice>, DashboardError> {
    let orders = billing::orders_of(db, user_id, ORDERS_LOOKED_AT).await?;
    // Newest first; an order still at `created` is a checkout under way.
    let ended = orders.into_iter().find(|order| order.status != "created");
    Ok(ended
        .filter(|order| order.status == "failed" && now - order.created_at <= NOTICE_WINDOW_MS)
        .map(|order| Notice::PaymentFailed {
            order_number: order.number,
            ordered_at: order.created_at,
        }))
}

/// The newest export whose download still works.
async fn ready_export(db: &Db, user_id: &str, now: i64) -> Result<Option<Notice>, DashboardError> {
    let exports = export::list(db, user_id).await?;
    Ok(exports.into_iter().find_map(|export| {
        let expires_at = export.expires_at?;
        (export.status == ExportStatus::Ready && expires_at > now).then_some(Notice::ExportReady {
            export_id: export.id,
            expires_at,
        })
    }))
}

/// The person's requests answered within the window.
async fn answered_requests(
    db: &Db,
    user_id: &str,
    now: i64,
) -> Result<Vec<Notice>, DashboardError> {
    let answered = requests::list_for_user(db, user_id).await?;
    Ok(answered
        .into_iter()
        .filter(|r| matches!(r.status, RequestStatus::Completed | RequestStatus::Refused))
        .filter_map(|r| {
            let answered_at = r.closed_at?;
            (now - answered_at <= NOTICE_WINDOW_MS).then_some(Notice::RequestAnswered {
                request_id: r.id,
                kind: r.kind,
                status: r.status,
                answered_at,
            })
        })
        .collect())
}

//! The signed-in person's dashboard.

use crate::model::DashboardView;
use leptos::prelude::*;

/// The signed-in person's balance, tasks under way, latest results and notices.
#[server(endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<DashboardView, ServerFnError> {
    use crate::api::ssr::{internal, require_user, session, state};
    use crate::api::workbench::ssr::task_view;
    use crate::model::{BalanceView, LATEST_RESULTS};
    let state = state()?;
    let session = session().await?;
    let user = require_user(&state, &session).await?;
    let board =
        domain::dashboard::dashboard(&state.db, &user.id, LATEST_RESULTS as i64, domain::now_ms())
            .await
            .map_err(internal)?;
    let balance = board.balance;
    Ok(DashboardView {
        balance: BalanceView {
            available: balance.available,
            held: balance.held,
            frozen: balance.frozen,
            debt: balance.debt,
            total: balance.total(),
        },
        expiring_soon: board.expiring_soon,
        next_expiry: board.next_expiry,
        running: board.running.iter().map(|t| task_view(&state, t)).collect(),
        latest: board.latest.iter().map(|t| task_view(&state, t)).collect(),
        notices: board.notices.into_iter().map(wire::notice_view).collect(),
    })
}

#[cfg(feature = "ssr")]
mod wire {
    use crate::model::NoticeView;
    use domain::dashboard::Notice;

    pub(super) fn notice_view(notice: Notice) -> NoticeView {
        match notice {
            Notice::PolicyChanged(change) => NoticeView::PolicyChanged {
                doc: change.doc.id().to_string(),
                effective_at: change.effective_at,
            },
            Notice::PaymentFailed {
                order_number,
                ordered_at,
            } => NoticeView::PaymentFailed {
                number: order_number,
                ordered_at,
            },
            Notice::ExportReady { expires_at, .. } => NoticeView::ExportReady { expires_at },
            Notice::RequestAnswered {
                request_id,
                kind,
                status,
                ..
            } => NoticeView::RequestAnswered {
                id: request_id,
                kind: kind.id().to_string(),
                status: status.id().to_string(),
            },
        }
    }
}

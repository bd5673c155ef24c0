//! The billing settings page: balance, credits, history, orders, subscriptions.

#[cfg(feature = "ssr")]
use super::wire;
use crate::model::BillingOverview;
use leptos::prelude::*;

/// The billing settings page: balance, credit lots, one page of the credit history
/// (filtered by `kind`, older than `before`), orders, subscriptions, billing details and
/// the referral link.
#[server(endpoint = "billing-overview")]
pub async fn load_billing_overview(
    kind: Option<String>,
    before: Option<i64>,
) -> Result<BillingOverview, ServerFnError> {
    use crate::api::ssr::{internal, require_user, session, state};
    use domain::billing::overview::{self, HistoryQuery};
    use domain::credits::EntryKind;
    let state = state()?;
    let session = session().await?;
    let user = require_user(&state, &session).await?;
    let query = HistoryQuery {
        kind: kind.as_deref().and_then(EntryKind::parse),
        before,
    };
    let overview = overview::overview(&state, &user.id, &query, domain::now_ms())
        .await
        .map_err(internal)?;
    Ok(wire::overview_view(&state, overview))
}

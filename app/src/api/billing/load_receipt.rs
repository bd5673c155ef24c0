//! A printable receipt of one order, for its owner.

#[cfg(feature = "ssr")]
use super::wire;
use crate::model::ReceiptView;
use leptos::prelude::*;

/// A receipt for one of the signed-in person's orders; `None` for anyone else's.
#[server(endpoint = "receipt")]
pub async fn load_receipt(number: String) -> Result<Option<ReceiptView>, ServerFnError> {
    use crate::api::ssr::{internal, require_user, session, state};
    let state = state()?;
    let session = session().await?;
    let user = require_user(&state, &session).await?;
    let Some(order) = domain::billing::order_by_number(&state.db, &user.id, number.trim())
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let profile = domain::billing::billing_profile(&state.db, &user.id)
        .await
        .map_err(internal)?;
    Ok(Some(ReceiptView {
        order: wire::order_view(&state, &order),
        kind: order.kind.clone(),
        refunded: (order.refunded_amount > 0)
            .then(|| wire::money(order.refunded_amount, &order.currency)),
        refunded_at: order.refunded_at,
        period_start: order.period_start,
        period_end: order.period_end,
        provider: order.provider.clone(),
        profile: wire::profile_view(profile),
        email: user.email,
    }))
}

//! An order on its way through checkout, for its owner.

#[cfg(feature = "ssr")]
use super::wire;
use crate::model::CheckoutOrderView;
use leptos::prelude::*;

/// One of the signed-in person's orders and their balance now; `None` for an order that
/// is not theirs or does not exist.
#[server(endpoint = "checkout-order")]
pub async fn load_checkout_order(
    number: String,
) -> Result<Option<CheckoutOrderView>, ServerFnError> {
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
    let balance = domain::credits::balance(&state.db, &user.id, domain::now_ms())
        .await
        .map_err(internal)?;
    Ok(Some(CheckoutOrderView {
        product_key: wire::order_product_key(&state, &order).to_string(),
        amount: wire::money(order.amount, &order.currency),
        number: order.number,
        credits: order.credits,
        status: order.status,
        provider: order.provider,
        balance: balance.total(),
    }))
}

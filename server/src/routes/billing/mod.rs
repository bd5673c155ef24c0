//! Payments over HTTP: checkout, referral links and the providers' webhooks (raw body,
//! signature first). Billing settings are under `settings`, dispute notes under `admin`.

mod checkout;
mod referral;
mod webhooks;

pub use referral::REFERRAL;

use crate::http::{HttpState, LocalizedRoutes};
use axum::{
    Router,
    routing::{get, post},
};
use domain::AppState;

/// Webhooks can be large (invoices with many lines) but not unbounded.
const MAX_WEBHOOK_BYTES: usize = 1024 * 1024;

/// The checkout forms, in every locale, and the referral link.
pub fn router(state: HttpState) -> Router {
    Router::new()
        .localized("/checkout", post(checkout::checkout))
        .localized("/checkout/local/{number}", post(checkout::local_checkout))
        .route("/r/{code}", get(referral::referral))
        .with_state(state)
}

/// The providers' webhooks: outside the session and the anti-forgery guard (they are
/// signed instead).
pub fn webhook_router(state: AppState) -> Router {
    Router::new()
        .route("/webhooks/{provider}", post(webhooks::webhook))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_WEBHOOK_BYTES))
        .with_state(state)
}

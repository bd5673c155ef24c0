//! Billing: the catalog, orders, payment providers (local, Stripe, Creem) and the one
//! fulfilment path every payment event goes through.
//!
//! Providers turn their webhooks (or, for the local checkout, the developer's choice) into
//! [`PaymentEvent`]s. [`apply_event`] applies one in a single write transaction together with
//! the record of the provider's event id, so a redelivered event changes nothing, and the
//! credits of an order are granted under an idempotency key naming the order or invoice, so
//! two different events about one payment grant once.

pub mod catalog;
pub mod creem;
mod fulfil;
mod gateway;
pub mod overview;
mod refunds;
mod store;
pub mod stripe;
#[cfg(test)]
mod tests;

pub use catalog::{Bonus, Catalog, CreditPackage, Currency, Interval, Product, SubscriptionPlan};
pub use gateway::*;
pub use store::*;

use crate::credits::LedgerError;
use crate::db::Db;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// The string at `path` in a provider's JSON (an expanded object: its `id`).
pub(crate) fn json_text(v: &serde_json::Value, path: &[&str]) -> Option<String> {
    use serde_json::Value;
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    match cur {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

/// The integer at `path` in a provider's JSON.
pub(crate) fn json_int(v: &serde_json::Value, path: &[&str]) -> Option<i64> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_i64()
}

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error("no such product")]
    UnknownProduct,
    #[error("no such order")]
    UnknownOrder,
    #[error("this payment method is not available")]
    ProviderUnavailable,
    /// The provider refused or failed; the text is for the operator's log only.
    #[error("payment provider error: {0}")]
    Provider(String),
    #[error("webhook signature is missing, malformed, stale or wrong")]
    BadSignature,
    #[error("webhook payload is not valid: {0}")]
    BadPayload(String),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl BillingError {
    /// The localized message key shown to the person.
    pub fn message_key(&self) -> &'static str {
        match self {
            BillingError::UnknownProduct => "billing-error-unknown-product",
            BillingError::UnknownOrder => "billing-error-unknown-order",
            BillingError::ProviderUnavailable => "billing-error-provider-unavailable",
            BillingError::Provider(_) => "billing-error-provider",
            _ => "billing-error-internal",
        }
    }
}

/// Where an event says its order is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderRef {
    /// Our order id (from metadata, client_reference_id or request_id).
    Id(String),
    /// The provider's checkout session id.
    Session(String),
}

/// A payment event in our own terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentEvent {
    /// A one-time checkout was paid: the order's credits are granted.
    CheckoutPaid {
        order: OrderRef,
        payment_id: Option<String>,
        customer_id: Option<String>,
    },
    /// A checkout completed without the money (a delayed method, or unpaid): nothing yet.
    CheckoutPending {
        order: OrderRef,
        customer_id: Option<String>,
    },
    /// The payment failed.
    CheckoutFailed {
        order: OrderRef,
    },
    /// The checkout session expired or was abandoned.
    CheckoutExpired {
        order: OrderRef,
    },
    /// A subscription checkout completed: the subscription and customer are recorded; the
    /// credits come with the period's payment.
    SubscriptionStarted {
        order: OrderRef,
        subscription_id: String,
        customer_id: Option<String>,
    },
    /// A subscription period was paid: the one path that grants subscription credits.
    PeriodPaid(PeriodPaid),
    /// The provider's view of a subscription changed.
    SubscriptionChanged(SubscriptionChange),
    /// Money was returned.
    Refunded {
        payment_id: String,
        order: Option<OrderRef>,
        amount: RefundAmount,
    },
    DisputeOpened(DisputeFacts),
    DisputeClosed {
        dispute: DisputeFacts,
        won: bool,
    },
    /// Nothing for us (an event type we do not use).
    Ignored,
}

/// What a provider says about a payment dispute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeFacts {
    pub dispute_id: String,
    pub payment_id: String,
    pub order: Option<OrderRef>,
    pub amount: i64,
    pub currency: String,
    pub reason: String,
}

/// How a provider states a refund.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefundAmount {
    /// The total returned for the payment so far (Stripe's `amount_refunded`).
    Total(i64),
    /// This refund alone (Creem's `refund_amount`).
    Increment(i64),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodPaid {
    /// The provider's invoice (or transaction) id: one grant per invoice.
    pub invoice_id: String,
    pub subscription_id: String,
    /// Our order id, when the first period's invoice carries the checkout's metadata.
    pub order_id: Option<String>,
    pub user_id: Option<String>,
    pub plan_id: Option<String>,
    pub customer_id: Option<String>,
    pub period_start: i64,
    pub period_end: i64,
    pub amount: i64,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionChange {
    pub subscription_id: String,
    /// active, trialing, past_due, paused, cancelled, ended, …
    pub status: String,
    pub user_id: Option<String>,
    pub plan_id: Option<String>,
    pub customer_id: Option<String>,
    pub period_start: Option<i64>,
    pub period_end: Option<i64>,
    pub cancel_at_period_end: bool,
}

/// What became of an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    Done,
    /// This event id was applied before.
    Duplicate,
    /// The event is about a payment we have not seen complete yet (events can arrive out of
    /// order): nothing was recorded, so the provider's redelivery applies it later.
    NotYet(&'static str),
}

/// Applies one provider event exactly once.
pub async fn apply_event(
    db: &Db,
    catalog: &Catalog,
    provider: &str,
    event_id: &str,
    event_type: &str,
    event: &PaymentEvent,
    now: i64,
) -> Result<Applied, BillingError> {
    let mut tx = db.begin_write().await?;
    let conn = tx.conn();
    let fresh = sqlx::query(
        "INSERT INTO webhook_events (provider, event_id, event_type, received_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (provider, event_id) DO NOTHING",
    )
    .bind(provider)
    .bind(event_id)
    .bind(event_type)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if !fresh {
        return Ok(Applied::Duplicate);
    }
    let outcome = fulfil::apply_in(conn, catalog, provider, event, now).await?;
    if let Applied::NotYet(why) = outcome {
        // Roll back, the event record included, so the redelivery is applied.
        tracing::info!(provider, event_type, why, "payment event deferred");
        return Ok(outcome);
    }
    tx.commit().await?;
    Ok(outcome)
}

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
mod gateway;
pub mod overview;
mod store;
pub mod stripe;
#[cfg(test)]
mod tests;

pub use catalog::{Bonus, Catalog, CreditPackage, Currency, Interval, Product, SubscriptionPlan};
pub use gateway::*;
pub use store::*;

use crate::credits::{self, EntryKind, Grant, IdempotencyKey, LedgerError, LotSource};
use crate::db::Db;
use sqlx::AnyConnection;

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
    let outcome = apply_in(conn, catalog, provider, event, now).await?;
    if let Applied::NotYet(why) = outcome {
        // Roll back, the event record included, so the redelivery is applied.
        tracing::info!(provider, event_type, why, "payment event deferred");
        return Ok(outcome);
    }
    tx.commit().await?;
    Ok(outcome)
}

async fn apply_in(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    provider: &str,
    event: &PaymentEvent,
    now: i64,
) -> Result<Applied, BillingError> {
    match event {
        PaymentEvent::Ignored => Ok(Applied::Done),
        PaymentEvent::CheckoutPaid {
            order,
            payment_id,
            customer_id,
        } => {
            let Some(order) = find_order(conn, provider, order).await? else {
                return Ok(Applied::NotYet("unknown order"));
            };
            if let Some(customer) = customer_id {
                remember_customer(conn, &order.user_id, provider, customer).await?;
            }
            order_paid(conn, catalog, &order, payment_id.as_deref(), now).await?;
            Ok(Applied::Done)
        }
        PaymentEvent::CheckoutPending { order, customer_id } => {
            if let (Some(order), Some(customer)) =
                (find_order(conn, provider, order).await?, customer_id)
            {
                remember_customer(conn, &order.user_id, provider, customer).await?;
            }
            Ok(Applied::Done)
        }
        PaymentEvent::CheckoutFailed { order } | PaymentEvent::CheckoutExpired { order } => {
            let status = if matches!(event, PaymentEvent::CheckoutFailed { .. }) {
                "failed"
            } else {
                "cancelled"
            };
            if let Some(order) = find_order(conn, provider, order).await? {
                sqlx::query(
                    "UPDATE orders SET status = $2, updated_at = $3 \
                     WHERE id = $1 AND status = 'created'",
                )
                .bind(&order.id)
                .bind(status)
                .bind(now)
                .execute(&mut *conn)
                .await?;
            }
            Ok(Applied::Done)
        }
        PaymentEvent::SubscriptionStarted {
            order,
            subscription_id,
            customer_id,
        } => {
            let Some(order) = find_order(conn, provider, order).await? else {
                return Ok(Applied::NotYet("unknown order"));
            };
            if let Some(customer) = customer_id {
                remember_customer(conn, &order.user_id, provider, customer).await?;
            }
            sqlx::query(
                "UPDATE orders SET provider_subscription_id = $2, updated_at = $3 WHERE id = $1",
            )
            .bind(&order.id)
            .bind(subscription_id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            upsert_subscription(
                conn,
                provider,
                &SubscriptionChange {
                    subscription_id: subscription_id.clone(),
                    status: "active".into(),
                    user_id: Some(order.user_id.clone()),
                    plan_id: Some(order.product_id.clone()),
                    customer_id: customer_id.clone(),
                    period_start: None,
                    period_end: None,
                    cancel_at_period_end: false,
                },
                false,
                now,
            )
            .await?;
            Ok(Applied::Done)
        }
        PaymentEvent::PeriodPaid(period) => period_paid(conn, catalog, provider, period, now).await,
        PaymentEvent::SubscriptionChanged(change) => {
            if upsert_subscription(conn, provider, change, true, now).await? {
                Ok(Applied::Done)
            } else {
                Ok(Applied::NotYet("unknown subscription"))
            }
        }
        PaymentEvent::Refunded {
            payment_id,
            order,
            amount,
        } => {
            let order = match paid_order(conn, provider, payment_id, order.as_ref()).await? {
                Ok(order) => order,
                Err(not_yet) => return Ok(not_yet),
            };
            let total = match amount {
                RefundAmount::Total(total) => *total,
                RefundAmount::Increment(amount) => order.refunded_amount + amount,
            };
            refund(conn, &order, total, now).await
        }
        PaymentEvent::DisputeOpened(dispute) => {
            let dispute_id = &dispute.dispute_id;
            let reference = dispute.order.as_ref();
            let order = match paid_order(conn, provider, &dispute.payment_id, reference).await? {
                Ok(order) => order,
                Err(not_yet) => return Ok(not_yet),
            };
            let inserted = insert_dispute(conn, &order.id, provider, dispute, "open", now).await?;
            if !inserted {
                // Already known (possibly already closed: events can arrive in any order).
                return Ok(Applied::Done);
            }
            if let Some(lot) = &order.lot_id {
                let key = IdempotencyKey::new(format!("dispute:{provider}:{dispute_id}:open"))?;
                credits::freeze_in(conn, lot, true, &key, now).await?;
            }
            set_status(conn, &order.id, "disputed", now).await?;
            Ok(Applied::Done)
        }
        PaymentEvent::DisputeClosed { dispute, won } => {
            let dispute_id = &dispute.dispute_id;
            let reference = dispute.order.as_ref();
            let order = match paid_order(conn, provider, &dispute.payment_id, reference).await? {
                Ok(order) => order,
                Err(not_yet) => return Ok(not_yet),
            };
            let outcome = if *won { "won" } else { "lost" };
            let existing: Option<String> = sqlx::query_scalar(
                "SELECT status FROM disputes WHERE provider = $1 AND provider_dispute_id = $2",
            )
            .bind(provider)
            .bind(dispute_id)
            .fetch_optional(&mut *conn)
            .await?;
            match existing.as_deref() {
                Some("won" | "lost") => return Ok(Applied::Done),
                Some(_) => {
                    sqlx::query(
                        "UPDATE disputes SET status = $3, closed_at = $4 \
                         WHERE provider = $1 AND provider_dispute_id = $2",
                    )
                    .bind(provider)
                    .bind(dispute_id)
                    .bind(outcome)
                    .bind(now)
                    .execute(&mut *conn)
                    .await?;
                }
                None => {
                    insert_dispute(conn, &order.id, provider, dispute, outcome, now).await?;
                }
            }
            if let Some(lot) = &order.lot_id {
                if *won {
                    let key = IdempotencyKey::new(format!("dispute:{provider}:{dispute_id}:won"))?;
                    credits::freeze_in(conn, lot, false, &key, now).await?;
                } else {
                    let key = IdempotencyKey::new(format!("dispute:{provider}:{dispute_id}:lost"))?;
                    let already = clawed_back(conn, lot).await?;
                    let rest = order.credits - already;
                    if rest > 0 {
                        credits::claw_back_in(conn, lot, rest, "dispute_lost", &key, now).await?;
                    }
                }
            }
            let status = if *won {
                if order.refunded_amount >= order.amount {
                    "refunded"
                } else {
                    "paid"
                }
            } else {
                "refunded"
            };
            set_status(conn, &order.id, status, now).await?;
            Ok(Applied::Done)
        }
    }
}

/// Records a dispute unless the provider's id is known already; true when recorded now.
async fn insert_dispute(
    conn: &mut AnyConnection,
    order_id: &str,
    provider: &str,
    dispute: &DisputeFacts,
    status: &str,
    now: i64,
) -> Result<bool, BillingError> {
    // A dispute first heard of as closed is closed now.
    let closed_at = (status != "open").then_some(now);
    Ok(sqlx::query(
        "INSERT INTO disputes (id, order_id, provider, provider_dispute_id, status, reason, \
         amount, currency, created_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (provider, provider_dispute_id) DO NOTHING",
    )
    .bind(crate::new_id())
    .bind(order_id)
    .bind(provider)
    .bind(&dispute.dispute_id)
    .bind(status)
    .bind(&dispute.reason)
    .bind(dispute.amount)
    .bind(&dispute.currency)
    .bind(now)
    .bind(closed_at)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1)
}

/// The order a refund or dispute is about, once its payment is recorded; otherwise the
/// answer that makes the provider deliver the event again later (events arrive in any
/// order).
async fn paid_order(
    conn: &mut AnyConnection,
    provider: &str,
    payment_id: &str,
    reference: Option<&OrderRef>,
) -> Result<Result<Order, Applied>, BillingError> {
    Ok(
        match order_for_payment(conn, provider, payment_id, reference).await? {
            None => Err(Applied::NotYet("unknown payment")),
            Some(order) if order.status == "created" => {
                Err(Applied::NotYet("payment not recorded yet"))
            }
            Some(order) => Ok(order),
        },
    )
}

/// Marks an order paid and grants its credits (packages; plans get theirs per period).
async fn order_paid(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    order: &Order,
    payment_id: Option<&str>,
    now: i64,
) -> Result<(), BillingError> {
    if !matches!(order.status.as_str(), "created" | "failed" | "cancelled") {
        return Ok(());
    }
    let key = IdempotencyKey::new(format!("order:{}:grant", order.id))?;
    let expires_at = order.validity_days.map(|d| now + d * DAY_MS);
    let mut grant = Grant::new(
        &order.user_id,
        LotSource::Purchase,
        order.credits,
        expires_at,
        &key,
    );
    grant.order_id = Some(&order.id);
    let lot = credits::grant_in(conn, grant, now).await?;
    sqlx::query(
        "UPDATE orders SET status = 'paid', paid_at = $2, updated_at = $2, lot_id = $3, \
         provider_payment_id = COALESCE($4, provider_payment_id) WHERE id = $1",
    )
    .bind(&order.id)
    .bind(now)
    .bind(&lot.value)
    .bind(payment_id)
    .execute(&mut *conn)
    .await?;
    reward_referral(conn, catalog, &order.user_id, &order.id, now).await?;
    Ok(())
}

async fn period_paid(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    provider: &str,
    period: &PeriodPaid,
    now: i64,
) -> Result<Applied, BillingError> {
    let known = subscription_by_provider_id(conn, provider, &period.subscription_id).await?;
    let (user_id, plan_id) = match (&known, &period.user_id, &period.plan_id) {
        (Some(s), _, _) => (s.user_id.clone(), s.plan_id.clone()),
        (None, Some(user), Some(plan)) => (user.clone(), plan.clone()),
        _ => return Ok(Applied::NotYet("unknown subscription")),
    };
    let Some(Product::Plan(plan)) = catalog.product(&plan_id) else {
        tracing::warn!(plan_id, "a paid period names a plan the catalog lacks");
        return Ok(Applied::Done);
    };
    upsert_subscription(
        conn,
        provider,
        &SubscriptionChange {
            subscription_id: period.subscription_id.clone(),
            status: "active".into(),
            user_id: Some(user_id.clone()),
            plan_id: Some(plan_id.clone()),
            customer_id: period.customer_id.clone(),
            period_start: Some(period.period_start),
            period_end: Some(period.period_end),
            cancel_at_period_end: known.as_ref().is_some_and(|s| s.cancel_at_period_end),
        },
        false,
        now,
    )
    .await?;
    if let Some(customer) = &period.customer_id {
        remember_customer(conn, &user_id, provider, customer).await?;
    }
    // The invoice's order: the checkout's own order for the first period, a new one after.
    let existing = match order_for_payment_id(conn, provider, &period.invoice_id).await? {
        Some(order) => Some(order),
        None => match &period.order_id {
            Some(id) => find_order(conn, provider, &OrderRef::Id(id.clone()))
                .await?
                .filter(|o| o.status == "created" && o.user_id == user_id),
            None => None,
        },
    };
    let order = match existing {
        Some(order) => order,
        None => {
            let currency = Currency::parse(&period.currency).unwrap_or(Currency::Usd);
            insert_order(
                conn,
                NewOrder {
                    user_id: &user_id,
                    provider,
                    product: &Product::Plan(plan.clone()),
                    currency,
                    amount: Some(period.amount),
                    session_id: None,
                },
                now,
            )
            .await?
        }
    };
    if order.status != "created" {
        return Ok(Applied::Done);
    }
    let key = IdempotencyKey::new(format!("invoice:{provider}:{}:grant", period.invoice_id))?;
    let mut grant = Grant::new(
        &user_id,
        LotSource::Subscription,
        plan.credits,
        Some(period.period_end),
        &key,
    );
    grant.order_id = Some(&order.id);
    let lot = credits::grant_in(conn, grant, now).await?;
    sqlx::query(
        "UPDATE orders SET status = 'paid', paid_at = $2, updated_at = $2, lot_id = $3, \
         provider_payment_id = $4, provider_subscription_id = $5, period_start = $6, \
         period_end = $7, amount = $8 WHERE id = $1",
    )
    .bind(&order.id)
    .bind(now)
    .bind(&lot.value)
    .bind(&period.invoice_id)
    .bind(&period.subscription_id)
    .bind(period.period_start)
    .bind(period.period_end)
    .bind(period.amount)
    .execute(&mut *conn)
    .await?;
    reward_referral(conn, catalog, &user_id, &order.id, now).await?;
    Ok(Applied::Done)
}

/// Applies a refund whose running total is `refunded_total`: claws back the matching share
/// of the order's credits (rounded up), once per amount.
async fn refund(
    conn: &mut AnyConnection,
    order: &Order,
    refunded_total: i64,
    now: i64,
) -> Result<Applied, BillingError> {
    if refunded_total <= order.refunded_amount {
        return Ok(Applied::Done);
    }
    let total = refunded_total.min(order.amount);
    if let Some(lot) = &order.lot_id {
        let due = if order.amount == 0 {
            order.credits
        } else {
            (order.credits * total + order.amount - 1) / order.amount
        };
        let already = clawed_back(conn, lot).await?;
        if due > already {
            let key = IdempotencyKey::new(format!("order:{}:refund:{total}", order.id))?;
            credits::claw_back_in(conn, lot, due - already, "refunded", &key, now).await?;
        }
    }
    let full = total >= order.amount;
    sqlx::query(
        "UPDATE orders SET refunded_amount = $2, updated_at = $3, \
         status = CASE WHEN $4 = 1 THEN 'refunded' ELSE status END, \
         refunded_at = CASE WHEN $4 = 1 THEN $3 ELSE refunded_at END WHERE id = $1",
    )
    .bind(&order.id)
    .bind(total)
    .bind(now)
    .bind(i64::from(full))
    .execute(&mut *conn)
    .await?;
    Ok(Applied::Done)
}

/// Credits already taken back from a lot (by refunds and lost disputes).
async fn clawed_back(conn: &mut AnyConnection, lot_id: &str) -> Result<i64, BillingError> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_entries \
         WHERE lot_id = $1 AND kind = 'claw_back'",
    )
    .bind(lot_id)
    .fetch_one(&mut *conn)
    .await?)
}

async fn set_status(
    conn: &mut AnyConnection,
    order_id: &str,
    status: &str,
    now: i64,
) -> Result<(), BillingError> {
    sqlx::query("UPDATE orders SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(order_id)
        .bind(status)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// At a referred person's first payment, both they and the person who referred them get
/// their bonus; exactly once.
async fn reward_referral(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    user_id: &str,
    order_id: &str,
    now: i64,
) -> Result<(), BillingError> {
    let referrer: Option<String> = sqlx::query_scalar(
        "UPDATE referrals SET rewarded_at = $2, reward_order_id = $3 \
         WHERE referred_user_id = $1 AND rewarded_at IS NULL RETURNING referrer_user_id",
    )
    .bind(user_id)
    .bind(now)
    .bind(order_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(referrer) = referrer else {
        return Ok(());
    };
    for (who, bonus, role) in [
        (referrer.as_str(), catalog.referrer_bonus, "referrer"),
        (user_id, catalog.referred_bonus, "referred"),
    ] {
        if bonus.credits <= 0 {
            continue;
        }
        let key = IdempotencyKey::new(format!("referral:{user_id}:{role}"))?;
        let mut grant = Grant::new(
            who,
            LotSource::Referral,
            bonus.credits,
            Some(now + bonus.validity_days * DAY_MS),
            &key,
        );
        grant.kind = EntryKind::Grant;
        grant.memo = Some("referral");
        credits::grant_in(conn, grant, now).await?;
    }
    Ok(())
}

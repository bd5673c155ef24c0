//! How a payment event changes orders, subscriptions and credits: the one fulfilment path
//! every provider's events go through.

use super::BillingError;
use super::{
    Applied, Catalog, Currency, DAY_MS, NewOrder, Order, OrderRef, PaymentEvent, PeriodPaid,
    Product, SubscriptionChange, SubscriptionPlan, find_order, insert_order, order_for_payment_id,
    refunds, remember_customer, subscription_by_provider_id, upsert_subscription,
};
use crate::credits::{self, EntryKind, Grant, IdempotencyKey, LotSource};
use sqlx::AnyConnection;

/// Applies one event inside the transaction that records its id.
pub(super) async fn apply_in(
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
        PaymentEvent::CheckoutFailed { order } => {
            checkout_ended(conn, provider, order, "failed", now).await
        }
        PaymentEvent::CheckoutExpired { order } => {
            checkout_ended(conn, provider, order, "cancelled", now).await
        }
        PaymentEvent::SubscriptionStarted {
            order,
            subscription_id,
            customer_id,
        } => {
            let started = Started {
                order,
                subscription_id,
                customer_id,
            };
            subscription_started(conn, provider, started, now).await
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
        } => refunds::refunded(conn, provider, payment_id, order.as_ref(), *amount, now).await,
        PaymentEvent::DisputeOpened(dispute) => {
            refunds::dispute_opened(conn, provider, dispute, now).await
        }
        PaymentEvent::DisputeClosed { dispute, won } => {
            refunds::dispute_closed(conn, provider, dispute, *won, now).await
        }
    }
}

/// A checkout that failed or expired: its order, if still unpaid, takes `status`.
async fn checkout_ended(
    conn: &mut AnyConnection,
    provider: &str,
    order: &OrderRef,
    status: &str,
    now: i64,
) -> Result<Applied, BillingError> {
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

/// What a completed subscription checkout says.
struct Started<'a> {
    order: &'a OrderRef,
    subscription_id: &'a String,
    customer_id: &'a Option<String>,
}

/// Records the subscription and customer of a completed subscription checkout.
async fn subscription_started(
    conn: &mut AnyConnection,
    provider: &str,
    started: Started<'_>,
    now: i64,
) -> Result<Applied, BillingError> {
    let Some(order) = find_order(conn, provider, started.order).await? else {
        return Ok(Applied::NotYet("unknown order"));
    };
    if let Some(customer) = started.customer_id {
        remember_customer(conn, &order.user_id, provider, customer).await?;
    }
    sqlx::query("UPDATE orders SET provider_subscription_id = $2, updated_at = $3 WHERE id = $1")
        .bind(&order.id)
        .bind(started.subscription_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    upsert_subscription(
        conn,
        provider,
        &SubscriptionChange {
            subscription_id: started.subscription_id.clone(),
            status: "active".into(),
            user_id: Some(order.user_id.clone()),
            plan_id: Some(order.product_id.clone()),
            customer_id: started.customer_id.clone(),
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

/// A paid subscription period: records the subscription's new period and grants the plan's
/// credits once per invoice, until the period's end.
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
    let cancel_at_period_end = known.as_ref().is_some_and(|s| s.cancel_at_period_end);
    let change = SubscriptionChange {
        subscription_id: period.subscription_id.clone(),
        status: "active".into(),
        user_id: Some(user_id.clone()),
        plan_id: Some(plan_id.clone()),
        customer_id: period.customer_id.clone(),
        period_start: Some(period.period_start),
        period_end: Some(period.period_end),
        cancel_at_period_end,
    };
    upsert_subscription(conn, provider, &change, false, now).await?;
    if let Some(customer) = &period.customer_id {
        remember_customer(conn, &user_id, provider, customer).await?;
    }
    let order = invoice_order(conn, provider, period, &user_id, &plan, now).await?;
    if order.status != "created" {
        return Ok(Applied::Done);
    }
    grant_period(conn, provider, period, &user_id, &plan, &order, now).await?;
    reward_referral(conn, catalog, &user_id, &order.id, now).await?;
    Ok(Applied::Done)
}

/// The invoice's order: the checkout's own order for the first period, a new one after.
async fn invoice_order(
    conn: &mut AnyConnection,
    provider: &str,
    period: &PeriodPaid,
    user_id: &str,
    plan: &SubscriptionPlan,
    now: i64,
) -> Result<Order, BillingError> {
    let existing = match order_for_payment_id(conn, provider, &period.invoice_id).await? {
        Some(order) => Some(order),
        None => match &period.order_id {
            Some(id) => find_order(conn, provider, &OrderRef::Id(id.clone()))
                .await?
                .filter(|o| o.status == "created" && o.user_id == user_id),
            None => None,
        },
    };
    if let Some(order) = existing {
        return Ok(order);
    }
    let currency = Currency::parse(&period.currency).unwrap_or(Currency::Usd);
    insert_order(
        conn,
        NewOrder {
            user_id,
            provider,
            product: &Product::Plan(plan.clone()),
            currency,
            amount: Some(period.amount),
            session_id: None,
        },
        now,
    )
    .await
}

/// Grants the plan's credits for one invoice and marks its order paid.
async fn grant_period(
    conn: &mut AnyConnection,
    provider: &str,
    period: &PeriodPaid,
    user_id: &str,
    plan: &SubscriptionPlan,
    order: &Order,
    now: i64,
) -> Result<(), BillingError> {
    let key = IdempotencyKey::new(format!("invoice:{provider}:{}:grant", period.invoice_id))?;
    let mut grant = Grant::new(
        user_id,
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
        // The paying order, so a refund or lost dispute of it takes the bonuses back.
        grant.order_id = Some(order_id);
        credits::grant_in(conn, grant, now).await?;
    }
    Ok(())
}

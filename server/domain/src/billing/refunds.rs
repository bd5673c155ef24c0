//! Money going back: refunds and payment disputes, and the credits they freeze or claw
//! back from the order's lot.

use super::BillingError;
use super::{Applied, DisputeFacts, Order, OrderRef, RefundAmount, order_for_payment};
use crate::credits::{self, IdempotencyKey};
use sqlx::AnyConnection;

/// A refund event: the order's refunded total grows to what the provider reports.
pub(super) async fn refunded(
    conn: &mut AnyConnection,
    provider: &str,
    payment_id: &str,
    reference: Option<&OrderRef>,
    amount: RefundAmount,
    now: i64,
) -> Result<Applied, BillingError> {
    let order = match paid_order(conn, provider, payment_id, reference).await? {
        Ok(order) => order,
        Err(not_yet) => return Ok(not_yet),
    };
    let total = match amount {
        RefundAmount::Total(total) => total,
        RefundAmount::Increment(amount) => order.refunded_amount + amount,
    };
    refund(conn, &order, total, now).await
}

/// A dispute opened: recorded once, the order's credits frozen until it closes.
pub(super) async fn dispute_opened(
    conn: &mut AnyConnection,
    provider: &str,
    dispute: &DisputeFacts,
    now: i64,
) -> Result<Applied, BillingError> {
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

/// A dispute closed: won unfreezes the credits, lost claws back what is left of them.
pub(super) async fn dispute_closed(
    conn: &mut AnyConnection,
    provider: &str,
    dispute: &DisputeFacts,
    won: bool,
    now: i64,
) -> Result<Applied, BillingError> {
    let reference = dispute.order.as_ref();
    let order = match paid_order(conn, provider, &dispute.payment_id, reference).await? {
        Ok(order) => order,
        Err(not_yet) => return Ok(not_yet),
    };
    let outcome = if won { "won" } else { "lost" };
    if !close_dispute(conn, &order, provider, dispute, outcome, now).await? {
        return Ok(Applied::Done);
    }
    if let Some(lot) = &order.lot_id {
        let dispute_id = &dispute.dispute_id;
        if won {
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
    if !won {
        take_back_referral(conn, &order.id, "dispute_lost", now).await?;
    }
    let status = if won {
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

/// Records a dispute's outcome; false when it was closed before (nothing more to do).
async fn close_dispute(
    conn: &mut AnyConnection,
    order: &Order,
    provider: &str,
    dispute: &DisputeFacts,
    outcome: &str,
    now: i64,
) -> Result<bool, BillingError> {
    let dispute_id = &dispute.dispute_id;
    let existing: Option<String> = sqlx::query_scalar(
        "SELECT status FROM disputes WHERE provider = $1 AND provider_dispute_id = $2",
    )
    .bind(provider)
    .bind(dispute_id)
    .fetch_optional(&mut *conn)
    .await?;
    match existing.as_deref() {
        Some("won" | "lost") => return Ok(false),
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
    Ok(true)
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
    if full {
        take_back_referral(conn, &order.id, "refunded", now).await?;
    }
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
/// The referral bonuses an order paid for (its buyer's and their referrer's), taken back
/// in full when the payment is: refunded in full or lost in a dispute. Credits already
/// spent become debt, like any claw-back. Once per lot.
async fn take_back_referral(
    conn: &mut AnyConnection,
    order_id: &str,
    reason: &str,
    now: i64,
) -> Result<(), BillingError> {
    let lots: Vec<(String, i64)> = sqlx::query_as(
        "SELECT id, amount FROM credit_lots WHERE order_id = $1 AND source = 'referral'",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    for (lot, amount) in lots {
        let rest = amount - clawed_back(conn, &lot).await?;
        if rest > 0 {
            let key = IdempotencyKey::new(format!("referral-lot:{lot}:{reason}"))?;
            credits::claw_back_in(conn, &lot, rest, reason, &key, now).await?;
        }
    }
    Ok(())
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

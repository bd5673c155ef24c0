//! The orders and payments category: orders, subscriptions, credits and the ledger, the
//! billing contact, disputes, referrals and the sign-up bonus.

use crate::{
    db::Db,
    privacy::export::{
        ExportError,
        document::{
            Kind::{Flag, Int, Text},
            Record, object, records,
        },
    },
};
use serde_json::{Value, json};
use sqlx::Row;

pub(super) async fn collect(db: &Db, user_id: &str) -> Result<Value, ExportError> {
    let orders = orders(db, user_id).await?;
    let subscriptions = subscriptions(db, user_id).await?;
    let credits = credits(db, user_id).await?;
    let billing_profile = records(
        db,
        "SELECT name, company, address, tax_id, updated_at FROM billing_profiles \
         WHERE user_id = $1",
        user_id,
        &[
            ("name", Text),
            ("company", Text),
            ("address", Text),
            ("tax_id", Text),
            ("updated_at", Int),
        ],
    )
    .await?;
    let customers = records(
        db,
        "SELECT provider, customer_id FROM billing_customers WHERE user_id = $1 ORDER BY provider",
        user_id,
        &[("provider", Text), ("customer_id", Text)],
    )
    .await?;
    let dispute_records = disputes(db, user_id).await?;
    let referrals = referrals(db, user_id).await?;
    let bonus = records(
        db,
        "SELECT created_at FROM signup_bonus_claims WHERE user_id = $1",
        user_id,
        &[("created_at", Int)],
    )
    .await?;
    Ok(json!({
        "orders": orders,
        "subscriptions": subscriptions,
        "credit_account": credits.account.into_iter().next(),
        "credit_lots": credits.lots,
        "ledger_entries": credits.entries,
        "credit_reservations": credits.reservations,
        "billing_profile": billing_profile.into_iter().next(),
        "payment_provider_customers": customers,
        "disputes": dispute_records,
        "referrals": referrals,
        "signup_bonus": bonus.into_iter().next(),
    }))
}

async fn orders(db: &Db, user_id: &str) -> Result<Vec<Record>, sqlx::Error> {
    records(
        db,
        "SELECT id, number, provider, kind, product_id, credits, amount, currency, status, \
         validity_days, period_start, period_end, provider_session_id, provider_payment_id, \
         refunded_amount, created_at, updated_at, paid_at, refunded_at FROM orders \
         WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("id", Text),
            ("number", Text),
            ("provider", Text),
            ("kind", Text),
            ("product_id", Text),
            ("credits", Int),
            ("amount", Int),
            ("currency", Text),
            ("status", Text),
            ("validity_days", Int),
            ("period_start", Int),
            ("period_end", Int),
            ("provider_session_id", Text),
            ("provider_payment_id", Text),
            ("refunded_amount", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("paid_at", Int),
            ("refunded_at", Int),
        ],
    )
    .await
}

async fn subscriptions(db: &Db, user_id: &str) -> Result<Vec<Record>, sqlx::Error> {
    records(
        db,
        "SELECT id, provider, provider_subscription_id, plan_id, status, current_period_start, \
         current_period_end, cancel_at_period_end, created_at, updated_at FROM subscriptions \
         WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("id", Text),
            ("provider", Text),
            ("provider_subscription_id", Text),
            ("plan_id", Text),
            ("status", Text),
            ("current_period_start", Int),
            ("current_period_end", Int),
            ("cancel_at_period_end", Flag),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    )
    .await
}

/// The person's credit account, lots, ledger entries and reservations.
struct Credits {
    account: Vec<Record>,
    lots: Vec<Record>,
    entries: Vec<Record>,
    reservations: Vec<Record>,
}

async fn credits(db: &Db, user_id: &str) -> Result<Credits, sqlx::Error> {
    let account = records(
        db,
        "SELECT ledger_balance, debt, updated_at FROM credit_accounts WHERE user_id = $1",
        user_id,
        &[("ledger_balance", Int), ("debt", Int), ("updated_at", Int)],
    )
    .await?;
    let lots = records(
        db,
        "SELECT id, source, amount, remaining, expires_at, frozen, revoked, order_id, created_at \
         FROM credit_lots WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("id", Text),
            ("source", Text),
            ("amount", Int),
            ("remaining", Int),
            ("expires_at", Int),
            ("frozen", Flag),
            ("revoked", Text),
            ("order_id", Text),
            ("created_at", Int),
        ],
    )
    .await?;
    let entries = records(
        db,
        "SELECT id, kind, delta, amount, balance_after, lot_id, reservation_id, order_id, memo, \
         created_at FROM ledger_entries WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("id", Text),
            ("kind", Text),
            ("delta", Int),
            ("amount", Int),
            ("balance_after", Int),
            ("lot_id", Text),
            ("reservation_id", Text),
            ("order_id", Text),
            ("memo", Text),
            ("created_at", Int),
        ],
    )
    .await?;
    let reservations = records(
        db,
        "SELECT id, amount, status, created_at, settled_at FROM credit_reservations \
         WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
        &[
            ("id", Text),
            ("amount", Int),
            ("status", Text),
            ("created_at", Int),
            ("settled_at", Int),
        ],
    )
    .await?;
    Ok(Credits {
        account,
        lots,
        entries,
        reservations,
    })
}

/// The disputes of the person's orders, with their notes.
async fn disputes(db: &Db, user_id: &str) -> Result<Vec<Record>, sqlx::Error> {
    let disputes = sqlx::query(
        "SELECT d.id, d.order_id, d.provider, d.status, d.reason, d.amount, d.currency, \
         d.created_at, d.closed_at FROM disputes d JOIN orders o ON o.id = d.order_id \
         WHERE o.user_id = $1 ORDER BY d.created_at, d.id",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let mut dispute_records = Vec::new();
    for row in &disputes {
        let mut record = object(
            row,
            &[
                ("id", Text),
                ("order_id", Text),
                ("provider", Text),
                ("status", Text),
                ("reason", Text),
                ("amount", Int),
                ("currency", Text),
                ("created_at", Int),
                ("closed_at", Int),
            ],
        )?;
        let id: String = row.try_get("id")?;
        // The notes, without which member of staff wrote them.
        let notes = sqlx::query(
            "SELECT body, created_at FROM dispute_notes WHERE dispute_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(&id)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|row| object(row, &[("body", Text), ("created_at", Int)]))
        .collect::<Result<Vec<_>, _>>()?;
        record.insert("notes".into(), json!(notes));
        dispute_records.push(record);
    }
    Ok(dispute_records)
}

/// Referrals: the person's own code and whether someone referred them, never who (that
/// is the other person's data), and how many people they referred.
async fn referrals(db: &Db, user_id: &str) -> Result<Value, sqlx::Error> {
    let code: Option<String> =
        sqlx::query_scalar("SELECT code FROM referral_codes WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    let referred = records(
        db,
        "SELECT created_at, rewarded_at FROM referrals WHERE referred_user_id = $1",
        user_id,
        &[("created_at", Int), ("rewarded_at", Int)],
    )
    .await?;
    let referred_others: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM referrals WHERE referrer_user_id = $1")
            .bind(user_id)
            .fetch_one(db.pool())
            .await?;
    Ok(json!({
        "my_code": code,
        "referred_by_someone": referred.into_iter().next(),
        "people_i_referred": referred_others,
    }))
}

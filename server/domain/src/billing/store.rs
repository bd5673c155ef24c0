//! Orders, subscriptions, customers, billing profiles, disputes, referrals and the signup
//! bonus: the rows billing keeps.

use super::{BillingError, Catalog, Currency, DAY_MS, OrderRef, Product, SubscriptionChange};
use crate::credits::{self, Grant, IdempotencyKey, LotSource};
use crate::db::Db;
use hmac::{Hmac, Mac};
use rand::Rng;
use serde::Serialize;
use sha2::Sha256;
use sqlx::{AnyConnection, Row, any::AnyRow};

/// A purchase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Order {
    pub id: String,
    pub number: String,
    #[serde(skip)]
    pub user_id: String,
    pub provider: String,
    /// package | subscription
    pub kind: String,
    pub product_id: String,
    pub credits: i64,
    pub amount: i64,
    pub currency: String,
    /// created | paid | failed | cancelled | refunded | disputed
    pub status: String,
    pub validity_days: Option<i64>,
    pub period_start: Option<i64>,
    pub period_end: Option<i64>,
    #[serde(skip)]
    pub provider_session_id: Option<String>,
    #[serde(skip)]
    pub provider_payment_id: Option<String>,
    #[serde(skip)]
    pub provider_subscription_id: Option<String>,
    #[serde(skip)]
    pub lot_id: Option<String>,
    pub refunded_amount: i64,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub refunded_at: Option<i64>,
}

const ORDER_COLUMNS: &str = "id, number, user_id, provider, kind, product_id, credits, amount, \
    currency, status, validity_days, period_start, period_end, provider_session_id, \
    provider_payment_id, provider_subscription_id, lot_id, refunded_amount, created_at, \
    paid_at, refunded_at";

fn order_from(row: &AnyRow) -> Result<Order, sqlx::Error> {
    Ok(Order {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        user_id: row.try_get("user_id")?,
        provider: row.try_get("provider")?,
        kind: row.try_get("kind")?,
        product_id: row.try_get("product_id")?,
        credits: row.try_get("credits")?,
        amount: row.try_get("amount")?,
        currency: row.try_get("currency")?,
        status: row.try_get("status")?,
        validity_days: row.try_get("validity_days")?,
        period_start: row.try_get("period_start")?,
        period_end: row.try_get("period_end")?,
        provider_session_id: row.try_get("provider_session_id")?,
        provider_payment_id: row.try_get("provider_payment_id")?,
        provider_subscription_id: row.try_get("provider_subscription_id")?,
        lot_id: row.try_get("lot_id")?,
        refunded_amount: row.try_get("refunded_amount")?,
        created_at: row.try_get("created_at")?,
        paid_at: row.try_get("paid_at")?,
        refunded_at: row.try_get("refunded_at")?,
    })
}

/// A readable order number: `BN-20261122-7KQ2MX` (date, then six characters without look-
/// alikes).
pub fn order_number(now: i64) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let date = time::OffsetDateTime::from_unix_timestamp(now / 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let mut rng = rand::rng();
    let tail: String = (0..6)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!(
        "BN-{:04}{:02}{:02}-{tail}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

pub(crate) struct NewOrder<'a> {
    pub user_id: &'a str,
    pub provider: &'a str,
    pub product: &'a Product,
    pub currency: Currency,
    /// What the provider charged, when it says (subscription renewals); else the catalog's.
    pub amount: Option<i64>,
    pub session_id: Option<&'a str>,
}

pub(crate) async fn insert_order(
    conn: &mut AnyConnection,
    new: NewOrder<'_>,
    now: i64,
) -> Result<Order, BillingError> {
    let validity_days = match new.product {
        Product::Package(p) => Some(p.validity_days),
        Product::Plan(_) => None,
    };
    let id = crate::new_id();
    let number = order_number(now);
    sqlx::query(
        "INSERT INTO orders (id, number, user_id, provider, kind, product_id, credits, amount, \
         currency, status, validity_days, provider_session_id, refunded_amount, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'created', $10, $11, 0, $12, $12)",
    )
    .bind(&id)
    .bind(&number)
    .bind(new.user_id)
    .bind(new.provider)
    .bind(new.product.kind())
    .bind(new.product.id())
    .bind(new.product.credits())
    .bind(new.amount.unwrap_or(new.product.price(new.currency)))
    .bind(new.currency.code())
    .bind(validity_days)
    .bind(new.session_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    one_order(conn, "id = $1", &[&id])
        .await?
        .ok_or(BillingError::Db(sqlx::Error::RowNotFound))
}

/// The order matching `condition`, whose `$n` are `values` in order.
async fn one_order(
    conn: &mut AnyConnection,
    condition: &str,
    values: &[&str],
) -> Result<Option<Order>, BillingError> {
    let sql = format!("SELECT {ORDER_COLUMNS} FROM orders WHERE {condition}");
    let mut query = sqlx::query(&sql);
    for value in values {
        query = query.bind(*value);
    }
    let row = query.fetch_optional(&mut *conn).await?;
    Ok(row.as_ref().map(order_from).transpose()?)
}

/// Creates an order for `product_id` at the catalog's price in `currency`.
pub async fn create_order(
    db: &Db,
    catalog: &Catalog,
    user_id: &str,
    product_id: &str,
    currency: Currency,
    provider: &str,
) -> Result<Order, BillingError> {
    let product = catalog
        .product(product_id)
        .ok_or(BillingError::UnknownProduct)?;
    let mut tx = db.begin_write().await?;
    let order = insert_order(
        tx.conn(),
        NewOrder {
            user_id,
            provider,
            product: &product,
            currency,
            amount: None,
            session_id: None,
        },
        crate::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(order)
}

/// Records the provider's checkout session for an order.
pub async fn set_checkout_session(
    db: &Db,
    order_id: &str,
    session_id: &str,
) -> Result<(), BillingError> {
    sqlx::query("UPDATE orders SET provider_session_id = $2, updated_at = $3 WHERE id = $1")
        .bind(order_id)
        .bind(session_id)
        .bind(crate::now_ms())
        .execute(db.pool())
        .await?;
    Ok(())
}

pub(crate) async fn find_order(
    conn: &mut AnyConnection,
    provider: &str,
    reference: &OrderRef,
) -> Result<Option<Order>, BillingError> {
    match reference {
        OrderRef::Id(id) => one_order(conn, "id = $1 AND provider = $2", &[id, provider]).await,
        OrderRef::Session(session) => {
            let condition = "provider_session_id = $1 AND provider = $2";
            one_order(conn, condition, &[session, provider]).await
        }
    }
}

pub(crate) async fn order_for_payment_id(
    conn: &mut AnyConnection,
    provider: &str,
    payment_id: &str,
) -> Result<Option<Order>, BillingError> {
    let condition = "provider = $1 AND provider_payment_id = $2";
    one_order(conn, condition, &[provider, payment_id]).await
}

/// The order a payment (or refund, or dispute) is about: by the provider's payment id, else
/// by the reference the event carries.
pub(crate) async fn order_for_payment(
    conn: &mut AnyConnection,
    provider: &str,
    payment_id: &str,
    reference: Option<&OrderRef>,
) -> Result<Option<Order>, BillingError> {
    if let Some(order) = order_for_payment_id(conn, provider, payment_id).await? {
        return Ok(Some(order));
    }
    match reference {
        Some(reference) => find_order(conn, provider, reference).await,
        None => Ok(None),
    }
}

/// An order of this person, by its number (orders of others are not found).
pub async fn order_by_number(
    db: &Db,
    user_id: &str,
    number: &str,
) -> Result<Option<Order>, BillingError> {
    let mut conn = db.pool().acquire().await?;
    one_order(
        &mut conn,
        "number = $1 AND user_id = $2",
        &[number, user_id],
    )
    .await
}

/// An order by id, whoever it belongs to (callers check the owner themselves).
pub async fn order_by_id(db: &Db, order_id: &str) -> Result<Option<Order>, BillingError> {
    let mut conn = db.pool().acquire().await?;
    one_order(&mut conn, "id = $1", &[order_id]).await
}

/// This person's orders, newest first; created-but-unpaid orders older than a day are left
/// out (abandoned checkouts).
pub async fn orders_of(db: &Db, user_id: &str, limit: i64) -> Result<Vec<Order>, BillingError> {
    let rows = sqlx::query(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE user_id = $1 \
         AND (status <> 'created' OR created_at > $2) ORDER BY created_at DESC, id DESC LIMIT $3"
    ))
    .bind(user_id)
    .bind(crate::now_ms() - DAY_MS)
    .bind(limit.clamp(1, 500))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(order_from).collect::<Result<_, _>>()?)
}

/// A subscription as we know it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Subscription {
    pub id: String,
    #[serde(skip)]
    pub user_id: String,
    pub provider: String,
    #[serde(skip)]
    pub provider_subscription_id: String,
    pub plan_id: String,
    pub status: String,
    pub current_period_start: Option<i64>,
    pub current_period_end: Option<i64>,
    pub cancel_at_period_end: bool,
}

fn subscription_from(row: &AnyRow) -> Result<Subscription, sqlx::Error> {
    Ok(Subscription {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        provider: row.try_get("provider")?,
        provider_subscription_id: row.try_get("provider_subscription_id")?,
        plan_id: row.try_get("plan_id")?,
        status: row.try_get("status")?,
        current_period_start: row.try_get("current_period_start")?,
        current_period_end: row.try_get("current_period_end")?,
        cancel_at_period_end: row.try_get::<i64, _>("cancel_at_period_end")? != 0,
    })
}

const SUBSCRIPTION_COLUMNS: &str = "id, user_id, provider, provider_subscription_id, plan_id, \
    status, current_period_start, current_period_end, cancel_at_period_end";

pub(crate) async fn subscription_by_provider_id(
    conn: &mut AnyConnection,
    provider: &str,
    subscription_id: &str,
) -> Result<Option<Subscription>, BillingError> {
    let row = sqlx::query(&format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions \
         WHERE provider = $1 AND provider_subscription_id = $2"
    ))
    .bind(provider)
    .bind(subscription_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.as_ref().map(subscription_from).transpose()?)
}

/// Records the provider's view of a subscription. A new subscription needs the person and
/// plan (from metadata); returns false when it is unknown and the event does not say.
/// `status_from_event`: whether the change's status is the provider's (true) or ours.
pub(crate) async fn upsert_subscription(
    conn: &mut AnyConnection,
    provider: &str,
    change: &SubscriptionChange,
    status_from_event: bool,
    now: i64,
) -> Result<bool, BillingError> {
    let known = subscription_by_provider_id(conn, provider, &change.subscription_id).await?;
    match known {
        Some(known) => {
            // An ended subscription stays ended whatever arrives late, and the period only
            // moves forward (a late event about an earlier period changes nothing).
            let status = if known.status == "ended" {
                "ended".to_string()
            } else if status_from_event || known.status == "active" {
                change.status.clone()
            } else {
                known.status.clone()
            };
            sqlx::query(
                "UPDATE subscriptions SET status = $2, \
                 current_period_start = CASE WHEN $4 IS NOT NULL AND (current_period_end IS NULL \
                   OR $4 > current_period_end) THEN $3 ELSE current_period_start END, \
                 current_period_end = CASE WHEN $4 IS NOT NULL AND (current_period_end IS NULL \
                   OR $4 > current_period_end) THEN $4 ELSE current_period_end END, \
                 cancel_at_period_end = $5, updated_at = $6, \
                 plan_id = COALESCE($7, plan_id) WHERE id = $1",
            )
            .bind(&known.id)
            .bind(status)
            .bind(change.period_start)
            .bind(change.period_end)
            .bind(i64::from(change.cancel_at_period_end))
            .bind(now)
            .bind(change.plan_id.as_deref())
            .execute(&mut *conn)
            .await?;
            Ok(true)
        }
        None => {
            let (Some(user_id), Some(plan_id)) = (&change.user_id, &change.plan_id) else {
                return Ok(false);
            };
            sqlx::query(
                "INSERT INTO subscriptions (id, user_id, provider, provider_subscription_id, \
                 plan_id, status, current_period_start, current_period_end, \
                 cancel_at_period_end, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            )
            .bind(crate::new_id())
            .bind(user_id)
            .bind(provider)
            .bind(&change.subscription_id)
            .bind(plan_id)
            .bind(&change.status)
            .bind(change.period_start)
            .bind(change.period_end)
            .bind(i64::from(change.cancel_at_period_end))
            .bind(now)
            .execute(&mut *conn)
            .await?;
            Ok(true)
        }
    }
}

/// This person's subscriptions, newest first.
pub async fn subscriptions_of(db: &Db, user_id: &str) -> Result<Vec<Subscription>, BillingError> {
    let rows = sqlx::query(&format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE user_id = $1 \
         ORDER BY created_at DESC"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(subscription_from)
        .collect::<Result<_, _>>()?)
}

pub(crate) async fn remember_customer(
    conn: &mut AnyConnection,
    user_id: &str,
    provider: &str,
    customer_id: &str,
) -> Result<(), BillingError> {
    sqlx::query(
        "INSERT INTO billing_customers (user_id, provider, customer_id) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, provider) DO UPDATE SET customer_id = excluded.customer_id",
    )
    .bind(user_id)
    .bind(provider)
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// This person's customer id at a provider, for its billing portal.
pub async fn customer_id(
    db: &Db,
    user_id: &str,
    provider: &str,
) -> Result<Option<String>, BillingError> {
    Ok(sqlx::query_scalar(
        "SELECT customer_id FROM billing_customers WHERE user_id = $1 AND provider = $2",
    )
    .bind(user_id)
    .bind(provider)
    .fetch_optional(db.pool())
    .await?)
}

/// Contact details printed on receipts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BillingProfile {
    pub name: String,
    pub company: String,
    pub address: String,
    pub tax_id: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BillingProfileError {
    #[error("{0} is too long")]
    TooLong(&'static str),
}

impl BillingProfileError {
    pub fn message_key(&self) -> &'static str {
        "billing-profile-error-too-long"
    }
    pub fn field(&self) -> &'static str {
        match self {
            BillingProfileError::TooLong(f) => f,
        }
    }
}

pub async fn billing_profile(db: &Db, user_id: &str) -> Result<BillingProfile, BillingError> {
    let row = sqlx::query(
        "SELECT name, company, address, tax_id FROM billing_profiles WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some(row) => BillingProfile {
            name: row.try_get("name")?,
            company: row.try_get("company")?,
            address: row.try_get("address")?,
            tax_id: row.try_get("tax_id")?,
        },
        None => BillingProfile::default(),
    })
}

impl BillingProfile {
    /// Trims every field and checks lengths (name and company 120, address 500, tax id 40).
    pub fn validated(self) -> Result<BillingProfile, BillingProfileError> {
        let clean = |s: String| s.trim().replace('\r', "");
        let profile = BillingProfile {
            name: clean(self.name),
            company: clean(self.company),
            address: clean(self.address),
            tax_id: clean(self.tax_id),
        };
        for (field, value, max) in [
            ("name", &profile.name, 120),
            ("company", &profile.company, 120),
            ("address", &profile.address, 500),
            ("tax_id", &profile.tax_id, 40),
        ] {
            if value.chars().count() > max {
                return Err(BillingProfileError::TooLong(field));
            }
        }
        Ok(profile)
    }
}

pub async fn save_billing_profile(
    db: &Db,
    user_id: &str,
    profile: &BillingProfile,
) -> Result<(), BillingError> {
    sqlx::query(
        "INSERT INTO billing_profiles (user_id, name, company, address, tax_id, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO UPDATE SET \
         name = excluded.name, company = excluded.company, address = excluded.address, \
         tax_id = excluded.tax_id, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(&profile.name)
    .bind(&profile.company)
    .bind(&profile.address)
    .bind(&profile.tax_id)
    .bind(crate::now_ms())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A payment dispute, for the admins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Dispute {
    pub id: String,
    pub order_id: String,
    pub order_number: String,
    pub provider: String,
    pub status: String,
    pub reason: String,
    pub amount: i64,
    pub currency: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub notes: Vec<DisputeNote>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DisputeNote {
    pub author_id: Option<String>,
    pub body: String,
    pub created_at: i64,
}

/// Every dispute, open ones first, with their notes.
pub async fn disputes(db: &Db, limit: i64) -> Result<Vec<Dispute>, BillingError> {
    let rows = sqlx::query(
        "SELECT d.id, d.order_id, o.number, d.provider, d.status, d.reason, d.amount, \
         d.currency, d.created_at, d.closed_at FROM disputes d JOIN orders o ON o.id = d.order_id \
         ORDER BY CASE WHEN d.status = 'open' THEN 0 ELSE 1 END, d.created_at DESC LIMIT $1",
    )
    .bind(limit.clamp(1, 500))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let id: String = row.try_get("id")?;
        let notes = sqlx::query(
            "SELECT author_id, body, created_at FROM dispute_notes WHERE dispute_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(&id)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|n| {
            Ok(DisputeNote {
                author_id: n.try_get("author_id")?,
                body: n.try_get("body")?,
                created_at: n.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        out.push(Dispute {
            id,
            order_id: row.try_get("order_id")?,
            order_number: row.try_get("number")?,
            provider: row.try_get("provider")?,
            status: row.try_get("status")?,
            reason: row.try_get("reason")?,
            amount: row.try_get("amount")?,
            currency: row.try_get("currency")?,
            created_at: row.try_get("created_at")?,
            closed_at: row.try_get("closed_at")?,
            notes,
        });
    }
    Ok(out)
}

/// Adds an admin's note to a dispute; false when the dispute does not exist.
pub async fn add_dispute_note(
    db: &Db,
    dispute_id: &str,
    author_id: &str,
    body: &str,
) -> Result<bool, BillingError> {
    let body = body.trim();
    if body.is_empty() {
        return Ok(false);
    }
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM disputes WHERE id = $1")
        .bind(dispute_id)
        .fetch_optional(db.pool())
        .await?;
    if exists.is_none() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO dispute_notes (id, dispute_id, author_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(crate::new_id())
    .bind(dispute_id)
    .bind(author_id)
    .bind(body.chars().take(4000).collect::<String>())
    .bind(crate::now_ms())
    .execute(db.pool())
    .await?;
    Ok(true)
}

// ---------------------------------------------------------------------------------------
// Referrals.

/// This person's referral code, created on first use.
pub async fn referral_code(db: &Db, user_id: &str) -> Result<String, BillingError> {
    if let Some(code) =
        sqlx::query_scalar::<_, String>("SELECT code FROM referral_codes WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?
    {
        return Ok(code);
    }
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    for _ in 0..5 {
        let code: String = {
            let mut rng = rand::rng();
            (0..8)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect()
        };
        let inserted = sqlx::query(
            "INSERT INTO referral_codes (user_id, code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(&code)
        .execute(db.pool())
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(code);
        }
        if let Some(code) =
            sqlx::query_scalar::<_, String>("SELECT code FROM referral_codes WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(db.pool())
                .await?
        {
            return Ok(code);
        }
    }
    Err(BillingError::Db(sqlx::Error::RowNotFound))
}

/// Whether a code looks like one of ours (before any database lookup).
pub fn is_referral_code(code: &str) -> bool {
    code.len() == 8
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// Why a referral was not recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attribution {
    Recorded,
    UnknownCode,
    /// The link's owner and the new account are obviously the same person.
    SelfReferral,
    /// The new account was already referred (or has already paid).
    AlreadyAttributed,
}

/// Records that `code` brought `user_id`. Refuses the obvious self-referrals: the same
/// account, or an address that is the referrer's own once `+tags` (and, for Gmail, dots)
/// are removed.
pub async fn attribute_referral(
    db: &Db,
    user_id: &str,
    code: &str,
) -> Result<Attribution, BillingError> {
    let referrer: Option<String> =
        sqlx::query_scalar("SELECT user_id FROM referral_codes WHERE code = $1")
            .bind(code)
            .fetch_optional(db.pool())
            .await?;
    let Some(referrer) = referrer else {
        return Ok(Attribution::UnknownCode);
    };
    if referrer == user_id {
        return Ok(Attribution::SelfReferral);
    }
    let emails = sqlx::query("SELECT id, email FROM users WHERE id = $1 OR id = $2")
        .bind(&referrer)
        .bind(user_id)
        .fetch_all(db.pool())
        .await?;
    let canonical: Vec<String> = emails
        .iter()
        .filter_map(|r| r.try_get::<String, _>("email").ok())
        .map(|e| canonical_email(&e))
        .collect();
    if canonical.len() == 2 && canonical[0] == canonical[1] {
        return Ok(Attribution::SelfReferral);
    }
    let paid: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders WHERE user_id = $1 AND paid_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?;
    if paid > 0 {
        return Ok(Attribution::AlreadyAttributed);
    }
    let inserted = sqlx::query(
        "INSERT INTO referrals (referred_user_id, referrer_user_id, created_at) \
         VALUES ($1, $2, $3) ON CONFLICT (referred_user_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(&referrer)
    .bind(crate::now_ms())
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(if inserted == 1 {
        Attribution::Recorded
    } else {
        Attribution::AlreadyAttributed
    })
}

/// How many people this person referred, and how many of them have paid.
pub async fn referral_stats(db: &Db, user_id: &str) -> Result<(i64, i64), BillingError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS referred, COUNT(rewarded_at) AS rewarded FROM referrals \
         WHERE referrer_user_id = $1",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?;
    Ok((row.try_get("referred")?, row.try_get("rewarded")?))
}

/// One address per mailbox: lower-case, without a `+tag`, and for Gmail without dots.
pub fn canonical_email(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let Some((local, domain)) = email.rsplit_once('@') else {
        return email;
    };
    let local = local.split('+').next().unwrap_or(local);
    let domain = if domain == "googlemail.com" {
        "gmail.com"
    } else {
        domain
    };
    let local = if domain == "gmail.com" {
        local.replace('.', "")
    } else {
        local.to_string()
    };
    format!("{local}@{domain}")
}

// ---------------------------------------------------------------------------------------
// The signup bonus.

/// Grants the signup bonus to a person whose address was just verified, unless that
/// mailbox has had it before (under any account, also one since deleted). Returns the
/// credits granted.
pub async fn grant_signup_bonus(
    db: &Db,
    secret_key: &secrecy::SecretString,
    catalog: &Catalog,
    user_id: &str,
    email: &str,
) -> Result<i64, BillingError> {
    use secrecy::ExposeSecret;
    let bonus = catalog.signup_bonus;
    if bonus.credits <= 0 {
        return Ok(0);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.expose_secret().as_bytes())
        .expect("HMAC takes any key length");
    mac.update(b"signup-bonus:");
    mac.update(canonical_email(email).as_bytes());
    let hash = hex::encode(mac.finalize().into_bytes());
    let now = crate::now_ms();
    let mut tx = db.begin_write().await?;
    let conn = tx.conn();
    let first = sqlx::query(
        "INSERT INTO signup_bonus_claims (email_hash, user_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (email_hash) DO NOTHING",
    )
    .bind(&hash)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if !first {
        return Ok(0);
    }
    let key = IdempotencyKey::new(format!("signup-bonus:{user_id}"))?;
    credits::grant_in(
        conn,
        Grant::new(
            user_id,
            LotSource::SignupBonus,
            bonus.credits,
            Some(now + bonus.validity_days * DAY_MS),
            &key,
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(bonus.credits)
}

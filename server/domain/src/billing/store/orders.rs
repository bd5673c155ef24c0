//! Orders: creating them at the catalog's price, finding them by session, payment or
//! number, and listing a person's purchases.

use super::super::{BillingError, Catalog, Currency, DAY_MS, OrderRef, Product};
use crate::db::Db;
use rand::Rng;
use serde::Serialize;
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

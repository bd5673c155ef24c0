//! Subscriptions as the payment provider reports them.

use super::super::{BillingError, SubscriptionChange};
use crate::db::Db;
use serde::Serialize;
use sqlx::{AnyConnection, Row, any::AnyRow};

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

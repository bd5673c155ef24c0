//! What the billing settings page shows of one account: balance, spendable lots, a page of
//! the credit history, orders, subscriptions, billing details and the referral programme.

use super::{BillingError, BillingProfile, Interval, Order, Subscription};
use crate::AppState;
use crate::config::PaymentProviderKind;
use crate::credits::{self, Balance, Entry, EntryFilter, EntryKind, Lot};
use crate::db::Db;
use std::collections::HashMap;

/// Lots expiring sooner than this are pointed out (here and on the dashboard).
pub const SOON_MS: i64 = 30 * 24 * 3600 * 1000;
/// Ledger entries on one page of the history.
const HISTORY_PAGE: usize = 25;
/// How many of the latest orders the page lists.
const ORDERS_SHOWN: i64 = 100;

/// Which page of the credit history to show.
#[derive(Clone, Debug, Default)]
pub struct HistoryQuery {
    /// Only entries of this kind.
    pub kind: Option<EntryKind>,
    /// Only entries older than this (the last shown entry's time).
    pub before: Option<i64>,
}

/// One account's billing, as its settings page shows it.
#[derive(Clone, Debug)]
pub struct Overview {
    pub balance: Balance,
    /// Spendable lots (unexpired), soonest expiring first.
    pub lots: Vec<OverviewLot>,
    /// Unfrozen credits of lots expiring soon.
    pub expiring_soon: i64,
    pub history: HistoryPage,
    pub orders: Vec<Order>,
    pub subscriptions: Vec<OverviewSubscription>,
    /// Whether the provider's billing portal is where this person manages payments.
    pub manage_via_portal: bool,
    pub profile: BillingProfile,
    pub referral: Referral,
}

/// A credit lot and whether it expires soon.
#[derive(Clone, Debug)]
pub struct OverviewLot {
    pub lot: Lot,
    pub expiring_soon: bool,
}

/// One page of the credit history.
#[derive(Clone, Debug)]
pub struct HistoryPage {
    /// Each entry with the number of the order it is about, when there is one.
    pub entries: Vec<(Entry, Option<String>)>,
    /// The filter the page applied.
    pub kind: Option<EntryKind>,
    /// Where the next (older) page starts, when there is one.
    pub older: Option<i64>,
}

/// A subscription with its plan's interval and the credits each period brings.
#[derive(Clone, Debug)]
pub struct OverviewSubscription {
    pub subscription: Subscription,
    /// `None` for a plan since taken out of the catalog.
    pub interval: Option<Interval>,
    pub credits: i64,
}

/// The account's referral link, how many it brought and the bonuses on offer.
#[derive(Clone, Debug)]
pub struct Referral {
    pub link: String,
    pub referred: i64,
    pub rewarded: i64,
    pub referrer_bonus: i64,
    pub referred_bonus: i64,
}

/// Everything the billing settings page shows of account `user_id` at `now`.
pub async fn overview(
    state: &AppState,
    user_id: &str,
    query: &HistoryQuery,
    now: i64,
) -> Result<Overview, BillingError> {
    let db = &state.db;
    let balance = credits::balance(db, user_id, now).await?;
    let lots = spendable_lots(db, user_id, now).await?;
    let expiring_soon = expiring_soon(&lots);
    let orders = super::orders_of(db, user_id, ORDERS_SHOWN).await?;
    let history = history_page(db, user_id, query, &orders).await?;
    let subscriptions = super::subscriptions_of(db, user_id).await?;
    let manage_via_portal = manage_via_portal(state, &subscriptions, &orders);
    let subscriptions = with_plans(state, subscriptions, &orders);
    let profile = super::billing_profile(db, user_id).await?;
    let referral = referral(state, user_id).await?;
    Ok(Overview {
        balance,
        lots,
        expiring_soon,
        history,
        orders,
        subscriptions,
        manage_via_portal,
        profile,
        referral,
    })
}

/// The person's spendable lots, soonest expiring first, each marked when it expires soon.
/// Lots past their expiry but not yet swept are no longer spendable: left out.
pub(crate) async fn spendable_lots(
    db: &Db,
    user_id: &str,
    now: i64,
) -> Result<Vec<OverviewLot>, BillingError> {
    Ok(credits::lots(db, user_id, false)
        .await?
        .into_iter()
        .filter(|lot| lot.expires_at.is_none_or(|at| at > now))
        .map(|lot| OverviewLot {
            expiring_soon: lot.expires_at.is_some_and(|at| at - now <= SOON_MS),
            lot,
        })
        .collect())
}

/// The credits of `lots` that expire soon and can be spent (not on hold).
pub(crate) fn expiring_soon(lots: &[OverviewLot]) -> i64 {
    lots.iter()
        .filter(|l| l.expiring_soon && !l.lot.frozen)
        .map(|l| l.lot.remaining)
        .sum()
}

/// One page of the history; each entry about an order names the order by its number.
async fn history_page(
    db: &Db,
    user_id: &str,
    query: &HistoryQuery,
    orders: &[Order],
) -> Result<HistoryPage, BillingError> {
    let filter = EntryFilter {
        kinds: query.kind.into_iter().collect(),
        before: query.before,
        since: None,
        limit: HISTORY_PAGE as i64 + 1,
    };
    let mut entries = credits::entries(db, user_id, &filter).await?;
    let older = (entries.len() > HISTORY_PAGE).then(|| entries[HISTORY_PAGE - 1].created_at);
    entries.truncate(HISTORY_PAGE);
    let mut numbers: HashMap<String, String> = orders
        .iter()
        .map(|o| (o.id.clone(), o.number.clone()))
        .collect();
    // Entries about orders older than the list (or abandoned ones) still name them.
    for entry in &entries {
        if let Some(id) = entry.order_id.as_deref()
            && !numbers.contains_key(id)
            && let Some(order) = super::order_by_id(db, id).await?
            && order.user_id == user_id
        {
            numbers.insert(order.id, order.number);
        }
    }
    let entries = entries
        .into_iter()
        .map(|e| {
            let number = e.order_id.as_ref().and_then(|id| numbers.get(id).cloned());
            (e, number)
        })
        .collect();
    Ok(HistoryPage {
        entries,
        kind: query.kind,
        older,
    })
}

/// A real provider's portal manages payments once this person paid or subscribed through it.
fn manage_via_portal(state: &AppState, subscriptions: &[Subscription], orders: &[Order]) -> bool {
    let provider = state.config.billing.provider;
    provider != PaymentProviderKind::Local
        && (subscriptions
            .iter()
            .any(|s| s.provider == provider.as_str())
            || orders
                .iter()
                .any(|o| o.provider == provider.as_str() && o.paid_at.is_some()))
}

/// Each subscription with its plan from the catalog.
fn with_plans(
    state: &AppState,
    subscriptions: Vec<Subscription>,
    orders: &[Order],
) -> Vec<OverviewSubscription> {
    let catalog = &state.config.billing.catalog;
    subscriptions
        .into_iter()
        .map(|subscription| {
            let plan = catalog.plans.iter().find(|p| p.id == subscription.plan_id);
            // A plan since taken out of the catalog: its credits as last ordered.
            let credits = plan.map(|p| p.credits).unwrap_or_else(|| {
                orders
                    .iter()
                    .find(|o| o.product_id == subscription.plan_id)
                    .map_or(0, |o| o.credits)
            });
            OverviewSubscription {
                interval: plan.map(|p| p.interval),
                credits,
                subscription,
            }
        })
        .collect()
}

async fn referral(state: &AppState, user_id: &str) -> Result<Referral, BillingError> {
    let code = super::referral_code(&state.db, user_id).await?;
    let (referred, rewarded) = super::referral_stats(&state.db, user_id).await?;
    let catalog = &state.config.billing.catalog;
    Ok(Referral {
        link: format!("{}/r/{code}", state.config.public_url),
        referred,
        rewarded,
        referrer_bonus: catalog.referrer_bonus.credits,
        referred_bonus: catalog.referred_bonus.credits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::{Currency, OrderRef, PaymentEvent, apply_event, create_order};
    use testkit::db_test;

    async fn add_user(db: &Db, id: &str) {
        let now = crate::now_ms();
        sqlx::query(
            "INSERT INTO users (id, email, email_verified_at, display_name, terms_version, \
             terms_accepted_at, age_confirmed_at, created_at, updated_at) \
             VALUES ($1, $2, $3, 'Test', 'v1', $3, $3, $3, $3)",
        )
        .bind(id)
        .bind(format!("{id}@banana.test"))
        .bind(now)
        .execute(db.pool())
        .await
        .unwrap();
    }

    db_test!(
        a_paid_order_shows_as_a_lot_an_entry_and_an_order,
        |db: Db| async move {
            let (state, _dir) = crate::testing::state_for(db.clone());
            add_user(&db, "u1").await;
            let catalog = state.config.billing.catalog.clone();
            let order = create_order(&db, &catalog, "u1", "starter", Currency::Usd, "local")
                .await
                .unwrap();
            let paid = PaymentEvent::CheckoutPaid {
                order: OrderRef::Id(order.id.clone()),
                payment_id: None,
                customer_id: None,
            };
            apply_event(
                &db,
                &catalog,
                "local",
                "evt_1",
                "test",
                &paid,
                crate::now_ms(),
            )
            .await
            .unwrap();
            let now = crate::now_ms();
            let shown = overview(&state, "u1", &HistoryQuery::default(), now)
                .await
                .unwrap();
            assert_eq!(shown.orders.len(), 1);
            assert_eq!(shown.lots.len(), 1);
            assert_eq!(shown.balance.total(), order.credits);
            let (entry, number) = &shown.history.entries[0];
            assert_eq!(entry.kind, EntryKind::Grant);
            assert_eq!(number.as_deref(), Some(order.number.as_str()));
            assert_eq!(shown.history.older, None);
            // The local checkout has no portal.
            assert!(!shown.manage_via_portal);
            assert!(shown.referral.link.starts_with("http://banana.test/r/"));

            let captures_only = HistoryQuery {
                kind: Some(EntryKind::Capture),
                before: None,
            };
            let shown = overview(&state, "u1", &captures_only, now).await.unwrap();
            assert!(shown.history.entries.is_empty());
        }
    );
}

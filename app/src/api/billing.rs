//! Pricing, checkout status, the billing settings, receipts and (for admins) disputes.
//! Prices come from the server's catalog only; orders are looked up for their owner only.

use crate::model::{BillingOverview, CheckoutOrderView, DisputeView, PricingView, ReceiptView};
use leptos::prelude::*;

/// Every product priced in `currency` (`usd` or `cny`; anything else: US dollars). The page
/// passes its locale's currency unless the visitor chose one. Open to everyone.
#[server(endpoint = "pricing")]
pub async fn load_pricing(currency: Option<String>) -> Result<PricingView, ServerFnError> {
    use super::ssr::{internal, session, state};
    use crate::model::{PackageOffer, PlanOffer};
    use domain::{billing::Currency, config::PaymentProviderKind};
    let state = state()?;
    let session = session().await?;
    let signed_in = domain::accounts::sessions::signed_in_user(&state, &session)
        .await
        .map_err(internal)?
        .is_some();
    let currency = currency
        .as_deref()
        .and_then(Currency::parse)
        .unwrap_or(Currency::Usd);
    let price = |usd: i64, cny: i64| match currency {
        Currency::Usd => currency.format(usd),
        Currency::Cny => currency.format(cny),
    };
    let billing = &state.config.billing;
    let catalog = &billing.catalog;
    Ok(PricingView {
        currency: currency.code().to_string(),
        packages: catalog
            .packages
            .iter()
            .map(|p| PackageOffer {
                id: p.id.clone(),
                credits: p.credits,
                price: price(p.usd, p.cny),
                validity_days: p.validity_days,
                popular: p.popular,
            })
            .collect(),
        plans: catalog
            .plans
            .iter()
            .map(|p| PlanOffer {
                id: p.id.clone(),
                interval: p.interval.as_str().to_string(),
                credits: p.credits,
                price: price(p.usd, p.cny),
                popular: p.popular,
            })
            .collect(),
        signed_in,
        test_checkout: billing.provider == PaymentProviderKind::Local,
        signup_bonus: catalog.signup_bonus.credits,
        signup_bonus_days: catalog.signup_bonus.validity_days,
    })
}

/// One of the signed-in person's orders and their balance now; `None` for an order that
/// is not theirs or does not exist.
#[server(endpoint = "checkout-order")]
pub async fn load_checkout_order(
    number: String,
) -> Result<Option<CheckoutOrderView>, ServerFnError> {
    use super::ssr::{internal, require_user, session, state};
    let state = state()?;
    let session = session().await?;
    let user = require_user(&state, &session).await?;
    let Some(order) = domain::billing::order_by_number(&state.db, &user.id, number.trim())
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let balance = domain::credits::balance(&state.db, &user.id, domain::now_ms())
        .await
        .map_err(internal)?;
    Ok(Some(CheckoutOrderView {
        product_key: wire::order_product_key(&state, &order).to_string(),
        amount: wire::money(order.amount, &order.currency),
        number: order.number,
        credits: order.credits,
        status: order.status,
        provider: order.provider,
        balance: balance.total(),
    }))
}

/// The billing settings page: balance, credit lots, one page of the credit history
/// (filtered by `kind`, older than `before`), orders, subscriptions, billing details and
/// the referral link.
#[server(endpoint = "billing-overview")]
pub async fn load_billing_overview(
    kind: Option<String>,
    before: Option<i64>,
) -> Result<BillingOverview, ServerFnError> {
    use super::ssr::{internal, require_user, session, state};
    use crate::model::{
        BalanceView, BillingProfileView, LedgerEntryView, LotView, ReferralView, SubscriptionView,
        product_key,
    };
    use domain::{
        billing,
        config::PaymentProviderKind,
        credits::{self, EntryFilter, EntryKind},
    };
    use std::collections::HashMap;
    /// Lots expiring sooner than this are pointed out.
    const SOON_MS: i64 = 30 * 24 * 3600 * 1000;
    /// Ledger entries on one page of the history.
    const HISTORY_PAGE: usize = 25;
    let state = state()?;
    let session = session().await?;
    let user = require_user(&state, &session).await?;
    let db = &state.db;
    let now = domain::now_ms();

    let balance = credits::balance(db, &user.id, now)
        .await
        .map_err(internal)?;
    // Lots past their expiry but not yet swept are no longer spendable: left out.
    let lots: Vec<LotView> = credits::lots(db, &user.id, false)
        .await
        .map_err(internal)?
        .into_iter()
        .filter(|lot| lot.expires_at.is_none_or(|at| at > now))
        .map(|lot| LotView {
            source: lot.source.as_str().to_string(),
            amount: lot.amount,
            remaining: lot.remaining,
            expires_at: lot.expires_at,
            frozen: lot.frozen,
            expiring_soon: lot.expires_at.is_some_and(|at| at - now <= SOON_MS),
        })
        .collect();
    let expiring_soon = lots
        .iter()
        .filter(|lot| lot.expiring_soon && !lot.frozen)
        .map(|lot| lot.remaining)
        .sum();

    let kind = kind.as_deref().and_then(EntryKind::parse);
    let mut entries = credits::entries(
        db,
        &user.id,
        &EntryFilter {
            kinds: kind.into_iter().collect(),
            before,
            since: None,
            limit: HISTORY_PAGE as i64 + 1,
        },
    )
    .await
    .map_err(internal)?;
    let older = (entries.len() > HISTORY_PAGE).then(|| entries[HISTORY_PAGE - 1].created_at);
    entries.truncate(HISTORY_PAGE);

    let orders = billing::orders_of(db, &user.id, 100)
        .await
        .map_err(internal)?;
    let mut numbers: HashMap<String, String> = orders
        .iter()
        .map(|o| (o.id.clone(), o.number.clone()))
        .collect();
    // Entries about orders older than the list (or abandoned ones) still name them.
    for entry in &entries {
        if let Some(id) = entry.order_id.as_deref()
            && !numbers.contains_key(id)
            && let Some(order) = billing::order_by_id(db, id).await.map_err(internal)?
            && order.user_id == user.id
        {
            numbers.insert(order.id, order.number);
        }
    }
    let entries = entries
        .into_iter()
        .map(|e| LedgerEntryView {
            kind: e.kind.as_str().to_string(),
            delta: e.delta,
            balance_after: e.balance_after,
            order_number: e.order_id.and_then(|id| numbers.get(&id).cloned()),
            created_at: e.created_at,
        })
        .collect();

    let subscriptions = billing::subscriptions_of(db, &user.id)
        .await
        .map_err(internal)?;
    let provider = state.config.billing.provider;
    let manage_via_portal = provider != PaymentProviderKind::Local
        && (subscriptions
            .iter()
            .any(|s| s.provider == provider.as_str())
            || orders
                .iter()
                .any(|o| o.provider == provider.as_str() && o.paid_at.is_some()));
    let catalog = &state.config.billing.catalog;
    let subscriptions = subscriptions
        .into_iter()
        .map(|s| {
            let plan = catalog.plans.iter().find(|p| p.id == s.plan_id);
            // A plan since taken out of the catalog: its credits as last ordered.
            let credits = plan.map(|p| p.credits).unwrap_or_else(|| {
                orders
                    .iter()
                    .find(|o| o.product_id == s.plan_id)
                    .map_or(0, |o| o.credits)
            });
            SubscriptionView {
                id: s.id,
                product_key: product_key("subscription", plan.map(|p| p.interval.as_str()))
                    .to_string(),
                credits,
                status: s.status,
                period_end: s.current_period_end,
                cancel_at_period_end: s.cancel_at_period_end,
                provider: s.provider,
            }
        })
        .collect();
    let orders = orders.iter().map(|o| wire::order_view(&state, o)).collect();

    let profile = billing::billing_profile(db, &user.id)
        .await
        .map_err(internal)?;
    let code = billing::referral_code(db, &user.id)
        .await
        .map_err(internal)?;
    let (referred, rewarded) = billing::referral_stats(db, &user.id)
        .await
        .map_err(internal)?;
    Ok(BillingOverview {
        balance: BalanceView {
            available: balance.available,
            held: balance.held,
            frozen: balance.frozen,
            debt: balance.debt,
            total: balance.total(),
        },
        lots,
        expiring_soon,
        entries,
        kind: kind.map(|k| k.as_str().to_string()),
        older,
        orders,
        subscriptions,
        manage_via_portal,
        profile: BillingProfileView {
            name: profile.name,
            company: profile.company,
            address: profile.address,
            tax_id: profile.tax_id,
        },
        referral: ReferralView {
            link: format!("{}/r/{code}", state.config.public_url),
            referred,
            rewarded,
            referrer_bonus: catalog.referrer_bonus.credits,
            referred_bonus: catalog.referred_bonus.credits,
        },
    })
}

/// A receipt for one of the signed-in person's orders; `None` for anyone else's.
#[server(endpoint = "receipt")]
pub async fn load_receipt(number: String) -> Result<Option<ReceiptView>, ServerFnError> {
    use super::ssr::{internal, require_user, session, state};
    use crate::model::BillingProfileView;
    let state = state()?;
    let session = session().await?;
    let user = require_user(&state, &session).await?;
    let Some(order) = domain::billing::order_by_number(&state.db, &user.id, number.trim())
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let profile = domain::billing::billing_profile(&state.db, &user.id)
        .await
        .map_err(internal)?;
    Ok(Some(ReceiptView {
        order: wire::order_view(&state, &order),
        kind: order.kind.clone(),
        refunded: (order.refunded_amount > 0)
            .then(|| wire::money(order.refunded_amount, &order.currency)),
        refunded_at: order.refunded_at,
        period_start: order.period_start,
        period_end: order.period_end,
        provider: order.provider.clone(),
        profile: BillingProfileView {
            name: profile.name,
            company: profile.company,
            address: profile.address,
            tax_id: profile.tax_id,
        },
        email: user.email,
    }))
}

/// Every payment dispute, open ones first, with the admins' notes. Admins only, past
/// two-step verification in this session (as for the admin overview).
#[server(endpoint = "disputes")]
pub async fn load_disputes() -> Result<Vec<DisputeView>, ServerFnError> {
    use super::ssr::{internal, require_user, session, state};
    use crate::model::DisputeNoteView;
    use domain::accounts::{self, Role, sessions::flow};
    use std::collections::HashMap;
    let state = state()?;
    let session = session().await?;
    let user = require_user(&state, &session).await?;
    let verified = session
        .get::<bool>(flow::TWO_FACTOR_OK)
        .await
        .map_err(internal)?
        .unwrap_or(false);
    if user.role != Role::Admin || !verified {
        return Err(ServerFnError::new("forbidden"));
    }
    let disputes = domain::billing::disputes(&state.db, 200)
        .await
        .map_err(internal)?;
    // Notes name their authors, not their account ids.
    let mut author_ids: Vec<String> = Vec::new();
    for dispute in &disputes {
        for note in &dispute.notes {
            if let Some(id) = &note.author_id {
                author_ids.push(id.clone());
            }
        }
    }
    author_ids.sort();
    author_ids.dedup();
    let mut authors: HashMap<String, Option<String>> = HashMap::new();
    for id in author_ids {
        let name = accounts::find_user(&state.db, &id)
            .await
            .map_err(internal)?
            .map(|u| u.display_name);
        authors.insert(id, name);
    }
    Ok(disputes
        .into_iter()
        .map(|d| DisputeView {
            amount: wire::money(d.amount, &d.currency),
            id: d.id,
            order_number: d.order_number,
            provider: d.provider,
            status: d.status,
            reason: d.reason,
            created_at: d.created_at,
            closed_at: d.closed_at,
            notes: d
                .notes
                .into_iter()
                .map(|n| DisputeNoteView {
                    author: n
                        .author_id
                        .and_then(|id| authors.get(&id).cloned().flatten()),
                    body: n.body,
                    created_at: n.created_at,
                })
                .collect(),
        })
        .collect())
}

/// Turning the domain's orders into what pages show.
#[cfg(feature = "ssr")]
mod wire {
    use crate::model::{OrderView, product_key};
    use domain::{
        AppState,
        billing::{Currency, Order},
    };

    /// Minor units as money (`$9.90`); an unknown currency as its amount and code.
    pub fn money(minor: i64, currency: &str) -> String {
        match Currency::parse(currency) {
            Some(c) => c.format(minor),
            None => format!("{minor} {}", currency.to_uppercase()),
        }
    }

    /// The Fluent key of an order's product. A plan's interval comes from the catalog,
    /// or for a plan since removed from it, from the length of the period paid.
    pub fn order_product_key(state: &AppState, order: &Order) -> &'static str {
        const LONGER_THAN_A_MONTH: i64 = 40 * 24 * 3600 * 1000;
        let catalog = &state.config.billing.catalog;
        let interval = catalog
            .plans
            .iter()
            .find(|p| p.id == order.product_id)
            .map(|p| p.interval.as_str())
            .or_else(|| match (order.period_start, order.period_end) {
                (Some(start), Some(end)) if end - start > LONGER_THAN_A_MONTH => Some("year"),
                _ => None,
            });
        product_key(&order.kind, interval)
    }

    pub fn order_view(state: &AppState, order: &Order) -> OrderView {
        OrderView {
            number: order.number.clone(),
            product_key: order_product_key(state, order).to_string(),
            credits: order.credits,
            amount: money(order.amount, &order.currency),
            status: order.status.clone(),
            created_at: order.created_at,
            paid_at: order.paid_at,
        }
    }
}

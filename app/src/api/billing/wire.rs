//! Turning the domain's orders and billing overview into what pages show.

use crate::model::{
    BalanceView, BillingOverview, BillingProfileView, LedgerEntryView, LotView, OrderView,
    ReferralView, SubscriptionView, product_key,
};
use domain::{
    AppState,
    billing::{
        BillingProfile, Currency, Order,
        overview::{HistoryPage, Overview, OverviewLot, OverviewSubscription, Referral},
    },
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

/// The billing settings page from the account's billing overview.
pub fn overview_view(state: &AppState, overview: Overview) -> BillingOverview {
    let balance = overview.balance;
    let HistoryPage {
        entries,
        kind,
        older,
    } = overview.history;
    BillingOverview {
        balance: BalanceView {
            available: balance.available,
            held: balance.held,
            frozen: balance.frozen,
            debt: balance.debt,
            total: balance.total(),
        },
        lots: overview.lots.into_iter().map(lot_view).collect(),
        expiring_soon: overview.expiring_soon,
        entries: entries
            .into_iter()
            .map(|(e, order_number)| LedgerEntryView {
                kind: e.kind.as_str().to_string(),
                delta: e.delta,
                balance_after: e.balance_after,
                order_number,
                created_at: e.created_at,
            })
            .collect(),
        kind: kind.map(|k| k.as_str().to_string()),
        older,
        orders: overview
            .orders
            .iter()
            .map(|o| order_view(state, o))
            .collect(),
        subscriptions: overview
            .subscriptions
            .into_iter()
            .map(subscription_view)
            .collect(),
        manage_via_portal: overview.manage_via_portal,
        profile: profile_view(overview.profile),
        referral: referral_view(overview.referral),
    }
}

fn lot_view(OverviewLot { lot, expiring_soon }: OverviewLot) -> LotView {
    LotView {
        source: lot.source.as_str().to_string(),
        amount: lot.amount,
        remaining: lot.remaining,
        expires_at: lot.expires_at,
        frozen: lot.frozen,
        expiring_soon,
    }
}

fn subscription_view(s: OverviewSubscription) -> SubscriptionView {
    let OverviewSubscription {
        subscription,
        interval,
        credits,
    } = s;
    SubscriptionView {
        id: subscription.id,
        product_key: product_key("subscription", interval.map(|i| i.as_str())).to_string(),
        credits,
        status: subscription.status,
        period_end: subscription.current_period_end,
        cancel_at_period_end: subscription.cancel_at_period_end,
        provider: subscription.provider,
    }
}

pub fn profile_view(profile: BillingProfile) -> BillingProfileView {
    BillingProfileView {
        name: profile.name,
        company: profile.company,
        address: profile.address,
        tax_id: profile.tax_id,
    }
}

fn referral_view(referral: Referral) -> ReferralView {
    ReferralView {
        link: referral.link,
        referred: referral.referred,
        rewarded: referral.rewarded,
        referrer_bonus: referral.referrer_bonus,
        referred_bonus: referral.referred_bonus,
    }
}

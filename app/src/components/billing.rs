//! How billing facts read on every page: names of order, subscription, ledger and lot
//! states, of products and providers, and the badge of an order's status.

use crate::i18n::{Locale, t};
use leptos::prelude::*;

/// Order statuses with a name of their own (`billing-status-…`).
pub const ORDER_STATUSES: &[&str] = &[
    "created",
    "paid",
    "failed",
    "cancelled",
    "refunded",
    "disputed",
];

/// Subscription statuses with a name of their own (`billing-subscription-status-…`).
pub const SUBSCRIPTION_STATUSES: &[&str] = &[
    "active",
    "trialing",
    "past_due",
    "paused",
    "unpaid",
    "incomplete",
    "cancelled",
    "ended",
];

/// Ledger entry kinds, in the order the history filter offers them.
pub const ENTRY_KINDS: &[&str] = &[
    "grant",
    "capture",
    "reserve",
    "release",
    "expire",
    "claw_back",
    "adjust",
    "freeze",
    "unfreeze",
];

pub const LOT_SOURCES: &[&str] = &[
    "signup_bonus",
    "purchase",
    "subscription",
    "referral",
    "admin",
];

pub const DISPUTE_STATUSES: &[&str] = &["open", "won", "lost"];

/// The name of `value` from the family `prefix` (`billing-status-paid`); a value we do not
/// know shows as stored.
pub fn label(prefix: &str, known: &[&str], value: &str) -> String {
    if known.contains(&value) {
        t(&format!("{prefix}-{}", value.replace('_', "-")))
    } else {
        value.to_string()
    }
}

/// A product's name in the page's language: "500 credits", "Pro — 800 credits a month".
pub fn product_name(locale: Locale, key: &str, credits: i64) -> String {
    locale.t_args(key, &[("credits", credits.into())])
}

/// The badge colour of an order status.
pub fn order_badge(status: &str) -> &'static str {
    match status {
        "paid" => "badge ok",
        "created" => "badge warn",
        "refunded" | "disputed" | "failed" => "badge bad",
        _ => "badge neutral",
    }
}

/// A payment provider's name.
pub fn provider_label(provider: &str) -> String {
    match provider {
        "stripe" => "Stripe".to_string(),
        "creem" => "Creem".to_string(),
        "local" => t("billing-provider-local"),
        other => other.to_string(),
    }
}

/// Marks the response as "not found" on the server, for an order that is not there.
pub fn set_not_found() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}

/// A query parameter of the current URL, when present and not empty; followed as the
/// query changes.
pub fn query_value(query: Memo<leptos_router::params::ParamsMap>, name: &str) -> Option<String> {
    query
        .with(|q| q.get(name))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

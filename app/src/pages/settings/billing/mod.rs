//! The billing settings (`/settings/billing`): balance, credit lots, history, orders,
//! subscriptions, billing details and the referral link.

mod balance;
mod history;
pub mod orders;
mod orders_panel;
mod profile;
mod referral;
mod subscriptions;

use super::{SettingsSection, SettingsShell, SignedInPage};
use crate::api::load_billing_overview;
use crate::components::billing::query_value;
use crate::components::forms::{FlashMessages, LoadFailed};
use crate::i18n::t;
use crate::model::{BillingOverview, PageContext, Viewer};
use balance::{BalancePanel, LotsPanel};
use history::HistoryPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use orders_panel::OrdersPanel;
use profile::ProfilePanel;
use referral::ReferralPanel;
use subscriptions::SubscriptionsPanel;

const BILLING_FORMS: &[&str] = &["billing-profile"];

#[component]
pub fn BillingPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        (
            query_value(query, "kind"),
            query_value(query, "before").and_then(|b| b.parse::<i64>().ok()),
        )
    };
    let overview = Resource::new(filter, |(kind, before)| load_billing_overview(kind, before));
    view! {
        <SignedInPage
            title=t("billing-title")
            data=overview
            render=|ctx, viewer, overview| view! { <Billing ctx viewer overview=overview /> }
        />
    }
    .into_any()
}

#[component]
pub(crate) fn Billing(
    ctx: PageContext,
    viewer: Viewer,
    overview: Option<BillingOverview>,
) -> impl IntoView {
    let body = match overview {
        Some(overview) => view! {
            <BalancePanel balance=overview.balance expiring_soon=overview.expiring_soon />
            <LotsPanel lots=overview.lots />
            <HistoryPanel
                entries=overview.entries
                kind=overview.kind
                older=overview.older
            />
            <OrdersPanel orders=overview.orders />
            <SubscriptionsPanel
                ctx=ctx.clone()
                subscriptions=overview.subscriptions
                portal=overview.manage_via_portal
            />
            <ProfilePanel ctx=ctx.clone() profile=overview.profile />
            <ReferralPanel referral=overview.referral />
        }
        .into_any(),
        None => view! { <LoadFailed /> }.into_any(),
    };
    view! {
        <SettingsShell
            viewer
            csrf=ctx.csrf.clone()
            section=SettingsSection::Billing
            heading=t("billing-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=BILLING_FORMS />
            {body}
        </SettingsShell>
    }
    .into_any()
}

//! A printable receipt (`/settings/billing/orders/{number}`) of one of the person's orders.

mod receipt;

use crate::api::load_receipt;
use crate::components::billing::set_not_found;
use crate::components::forms::LoadFailed;
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, ReceiptView, Viewer};
use crate::pages::settings::{SettingsSection, SettingsShell, SignedInPage};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use receipt::ReceiptBody;

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number")).unwrap_or_default();
    let receipt = Resource::new(number, load_receipt);
    view! {
        <SignedInPage
            title=t("receipt-title")
            data=receipt
            render=|ctx, viewer, receipt| view! { <Receipt ctx viewer receipt=receipt.ok_or(()) /> }
        />
    }
    .into_any()
}

#[component]
pub(crate) fn Receipt(
    ctx: PageContext,
    viewer: Viewer,
    receipt: Result<Option<ReceiptView>, ()>,
) -> impl IntoView {
    let locale = use_locale();
    let body = match receipt {
        Ok(Some(receipt)) => view! { <ReceiptBody receipt /> }.into_any(),
        Ok(None) => {
            set_not_found();
            view! {
                <div class="alert error" role="alert">
                    {t("receipt-not-found")}
                </div>
            }
            .into_any()
        }
        Err(()) => view! { <LoadFailed /> }.into_any(),
    };
    view! {
        <SettingsShell
            viewer
            csrf=ctx.csrf.clone()
            section=SettingsSection::Receipt
            heading=t("receipt-heading")
        >
            <p class="no-print">
                <a href=format!("{}#orders", locale.path("/settings/billing"))>
                    {t("receipt-back")}
                </a>
            </p>
            {body}
        </SettingsShell>
    }
    .into_any()
}

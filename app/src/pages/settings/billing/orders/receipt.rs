//! The receipt itself, printable: the order's facts, who was billed, what was bought.

use crate::components::billing::{
    ORDER_STATUSES, label, order_badge, product_name, provider_label,
};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::ReceiptView;
use leptos::prelude::*;

/// The receipt itself: who sold what to whom, when, for how much.
#[component]
pub(super) fn ReceiptBody(receipt: ReceiptView) -> impl IntoView {
    // Printing needs JavaScript: the button appears only once the page is hydrated.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let print = move || {
        hydrated.get().then(|| {
            view! {
                <button type="button" class="button primary small" on:click=|_| {
                    let _ = window().print();
                }>{t("receipt-print")}</button>
            }
        })
    };
    view! {
        <article class="panel receipt" aria-labelledby="receipt-title" data-testid="receipt">
            <header class="receipt-head">
                <p class="brand">
                    <img src="/favicon.svg" width="24" height="24" alt="" />
                    <span>"banana nano"</span>
                </p>
                <h2 id="receipt-title">{t("receipt-document")}</h2>
            </header>
            <ReceiptFacts receipt=receipt.clone() />
            <ReceiptParty receipt=receipt.clone() />
            <ReceiptItems receipt />
            <p class="muted small">{t("receipt-note")}</p>
            <div class="form-actions no-print">{print}</div>
        </article>
    }
    .into_any()
}

/// The order's number, date, state, payment method and (for a plan) period.
#[component]
fn ReceiptFacts(receipt: ReceiptView) -> impl IntoView {
    let order = receipt.order.clone();
    let period = match (receipt.period_start, receipt.period_end) {
        (Some(start), Some(end)) if receipt.kind == "subscription" => Some(view! {
            <div>
                <dt>{t("receipt-period")}</dt>
                <dd>
                    <UtcTime ms=start /> " – " <UtcTime ms=end />
                </dd>
            </div>
        }),
        _ => None,
    };
    view! {
        <dl class="receipt-facts">
            <div>
                <dt>{t("billing-order-number")}</dt>
                <dd>
                    <code>{order.number.clone()}</code>
                </dd>
            </div>
            <div>
                <dt>{t("billing-order-date")}</dt>
                <dd>
                    <UtcTime ms=order.paid_at.unwrap_or(order.created_at) />
                </dd>
            </div>
            <div>
                <dt>{t("billing-order-status")}</dt>
                <dd>
                    <span class=order_badge(&order.status)>
                        {label("billing-status", ORDER_STATUSES, &order.status)}
                    </span>
                </dd>
            </div>
            <div>
                <dt>{t("receipt-paid-with")}</dt>
                <dd>{provider_label(&receipt.provider)}</dd>
            </div>
            {period}
        </dl>
    }
    .into_any()
}

/// Who was billed: the billing details and the account's email.
#[component]
fn ReceiptParty(receipt: ReceiptView) -> impl IntoView {
    let profile = receipt.profile.clone();
    let line =
        |value: String| (!value.is_empty()).then(|| view! { <span class="line">{value}</span> });
    let tax_id = (!profile.tax_id.is_empty()).then(|| {
        view! {
            <span class="line">{t("billing-profile-tax-id")} ": " {profile.tax_id.clone()}</span>
        }
    });
    view! {
        <section class="receipt-party" aria-labelledby="billed-to">
            <h3 id="billed-to">{t("receipt-billed-to")}</h3>
            <p>
                {line(profile.name.clone())} {line(profile.company.clone())}
                {line(profile.address.clone())} {tax_id}
                <span class="line">{receipt.email.clone()}</span>
            </p>
        </section>
    }
    .into_any()
}

/// What was bought, the total and any refund.
#[component]
fn ReceiptItems(receipt: ReceiptView) -> impl IntoView {
    let locale = use_locale();
    let order = receipt.order.clone();
    let name = product_name(locale, &order.product_key, order.credits);
    let refunded = receipt.refunded.clone().map(|amount| {
        view! {
            <tr class="refund">
                <th scope="row" colspan="2">
                    {t("receipt-refunded")}
                    {receipt
                        .refunded_at
                        .map(|at| view! { " (" <UtcTime ms=at /> ")" })}
                </th>
                <td class="number">{format!("−{amount}")}</td>
            </tr>
        }
    });
    view! {
        <div class="table-scroll">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">{t("receipt-item")}</th>
                        <th scope="col" class="number">
                            {t("billing-order-credits")}
                        </th>
                        <th scope="col" class="number">
                            {t("billing-order-amount")}
                        </th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <td>{name}</td>
                        <td class="number">{order.credits}</td>
                        <td class="number">{order.amount.clone()}</td>
                    </tr>
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="2">
                            {t("receipt-total")}
                        </th>
                        <td class="number">{order.amount.clone()}</td>
                    </tr>
                    {refunded}
                </tfoot>
            </table>
        </div>
    }
    .into_any()
}

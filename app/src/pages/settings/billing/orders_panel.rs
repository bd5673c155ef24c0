//! The list of orders, each linking to its receipt.

use crate::components::billing::{ORDER_STATUSES, label, order_badge, product_name};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::OrderView;
use leptos::prelude::*;

#[component]
pub(crate) fn OrdersPanel(orders: Vec<OrderView>) -> impl IntoView {
    let locale = use_locale();
    let body = if orders.is_empty() {
        view! {
            <p class="muted">
                {t("billing-orders-empty")} " "
                <a href=locale.path("/pricing")>{t("billing-see-pricing")}</a>
            </p>
        }
        .into_any()
    } else {
        let rows = orders
            .into_iter()
            .map(|order| {
                let href = locale.path(&format!("/settings/billing/orders/{}", order.number));
                view! {
                    <tr>
                        <td>
                            <a href=href>
                                <code>{order.number.clone()}</code>
                            </a>
                        </td>
                        <td class="nowrap">
                            <UtcTime ms=order.paid_at.unwrap_or(order.created_at) />
                        </td>
                        <td>{product_name(locale, &order.product_key, order.credits)}</td>
                        <td class="number">{order.amount}</td>
                        <td>
                            <span class=order_badge(&order.status)>
                                {label("billing-status", ORDER_STATUSES, &order.status)}
                            </span>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label=t("billing-orders-table")>
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{t("billing-order-number")}</th>
                            <th scope="col">{t("billing-order-date")}</th>
                            <th scope="col">{t("billing-order-product")}</th>
                            <th scope="col" class="number">
                                {t("billing-order-amount")}
                            </th>
                            <th scope="col">{t("billing-order-status")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="orders-heading" id="orders">
            <h2 id="orders-heading">{t("billing-orders-heading")}</h2>
            <p class="muted">{t("billing-orders-lead")}</p>
            {body}
        </section>
    }
    .into_any()
}

//! The balance panel and the credit lots behind it.

use crate::components::billing::{LOT_SOURCES, label};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::{BalanceView, LotView};
use leptos::prelude::*;

#[component]
pub(crate) fn BalancePanel(balance: BalanceView, expiring_soon: i64) -> impl IntoView {
    let locale = use_locale();
    let detail = |key: &'static str, value: i64| {
        (value != 0).then(|| {
            view! {
                <div>
                    <dt>{t(key)}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
    };
    let details = (balance.held != 0 || balance.frozen != 0 || balance.debt != 0).then(|| {
        view! {
            <dl class="balance-details">
                {detail("billing-balance-available", balance.available)}
                {detail("billing-balance-held", balance.held)}
                {detail("billing-balance-frozen", balance.frozen)}
                {detail("billing-balance-debt", balance.debt)}
            </dl>
        }
    });
    let held =
        (balance.held > 0).then(|| view! { <p class="hint">{t("billing-balance-held-hint")}</p> });
    let frozen = (balance.frozen > 0)
        .then(|| view! { <p class="hint">{t("billing-balance-frozen-hint")}</p> });
    let negative = (balance.total < 0).then(|| {
        view! {
            <div class="alert error" role="alert">
                {t("billing-balance-negative")}
            </div>
        }
    });
    let expiring = (expiring_soon > 0).then(|| {
        view! {
            <p>
                <span class="badge warn">
                    {locale.t_args("billing-expiring-soon", &[("credits", expiring_soon.into())])}
                </span>
            </p>
        }
    });
    let total_class = if balance.total < 0 {
        "balance-total negative"
    } else {
        "balance-total"
    };
    view! {
        <section class="panel balance-panel" aria-labelledby="balance-heading">
            <h2 id="balance-heading">{t("billing-balance-heading")}</h2>
            {negative}
            <p class=total_class>
                <strong data-testid="billing-balance">{balance.total}</strong>
                " "
                <span class="unit">{t("billing-balance-unit")}</span>
            </p>
            {expiring}
            {details}
            {held}
            {frozen}
            <p>
                <a class="button primary small" href=locale.path("/pricing")>
                    {t("billing-buy-credits")}
                </a>
            </p>
        </section>
    }
    .into_any()
}

#[component]
pub(crate) fn LotsPanel(lots: Vec<LotView>) -> impl IntoView {
    let locale = use_locale();
    let body = if lots.is_empty() {
        view! { <p class="muted">{t("billing-lots-empty")}</p> }.into_any()
    } else {
        let rows = lots
            .into_iter()
            .map(|lot| {
                let expires = match lot.expires_at {
                    Some(at) => view! { <UtcTime ms=at /> }.into_any(),
                    None => view! { <span class="muted">{t("billing-lot-never")}</span> }.into_any(),
                };
                let flags = view! {
                    {lot
                        .expiring_soon
                        .then(|| view! { <span class="badge warn">{t("billing-lot-expiring")}</span> })}
                    {lot
                        .frozen
                        .then(|| view! { <span class="badge bad">{t("billing-lot-frozen")}</span> })}
                };
                view! {
                    <tr class=lot.expiring_soon.then_some("expiring")>
                        <td>{label("billing-source", LOT_SOURCES, &lot.source)}</td>
                        <td class="number">
                            {locale
                                .t_args(
                                    "billing-lot-remaining",
                                    &[
                                        ("remaining", lot.remaining.into()),
                                        ("amount", lot.amount.into()),
                                    ],
                                )}
                        </td>
                        <td class="nowrap">{expires}</td>
                        <td>{flags}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label=t("billing-lots-table")>
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{t("billing-lot-source")}</th>
                            <th scope="col" class="number">
                                {t("billing-lot-left")}
                            </th>
                            <th scope="col">{t("billing-lot-expires")}</th>
                            <th scope="col">
                                <span class="visually-hidden">{t("billing-lot-status")}</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="lots-heading">
            <h2 id="lots-heading">{t("billing-lots-heading")}</h2>
            <p class="muted">{t("billing-lots-lead")}</p>
            {body}
        </section>
    }
    .into_any()
}

//! The credit history: one page of ledger entries, filtered by kind.

use crate::components::billing::{ENTRY_KINDS, label};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::LedgerEntryView;
use leptos::prelude::*;

#[component]
pub(crate) fn HistoryPanel(
    entries: Vec<LedgerEntryView>,
    kind: Option<String>,
    older: Option<i64>,
) -> impl IntoView {
    let locale = use_locale();
    let page = locale.path("/settings/billing");
    let selected = kind.clone().unwrap_or_default();
    let kind_query = kind.map(|k| format!("kind={k}&")).unwrap_or_default();
    let paging = view! {
        <p class="history-paging">
            {older
                .map(|before| {
                    view! {
                        <a class="button small" href=format!("{page}?{kind_query}before={before}") rel="next">
                            {t("billing-history-older")}
                        </a>
                    }
                })}
        </p>
    };
    view! {
        <section class="panel" aria-labelledby="history-heading" id="history">
            <h2 id="history-heading">{t("billing-history-heading")}</h2>
            <p class="muted">{t("billing-history-lead")}</p>
            <HistoryFilter page=page.clone() selected />
            <HistoryTable entries />
            {paging}
        </section>
    }
    .into_any()
}

/// Which kinds of entry to show: a form that reads (`GET`), so the page can be linked.
#[component]
fn HistoryFilter(page: String, selected: String) -> impl IntoView {
    let options = ENTRY_KINDS
        .iter()
        .map(|k| {
            view! {
                <option value=*k selected=*k == selected>
                    {label("billing-kind", ENTRY_KINDS, k)}
                </option>
            }
        })
        .collect_view();
    view! {
        <form class="history-filter" method="get" action=page>
            <div class="field">
                <label for="history-kind">{t("billing-history-filter")}</label>
                <select id="history-kind" name="kind">
                    <option value="" selected=selected.is_empty()>
                        {t("billing-history-all")}
                    </option>
                    {options}
                </select>
            </div>
            <button type="submit" class="button small">
                {t("billing-history-apply")}
            </button>
        </form>
    }
}

/// The entries of the page, each with its change and the balance after it.
#[component]
fn HistoryTable(entries: Vec<LedgerEntryView>) -> impl IntoView {
    let locale = use_locale();
    let receipt = move |number: &str| locale.path(&format!("/settings/billing/orders/{number}"));
    if entries.is_empty() {
        return view! { <p class="muted">{t("billing-history-empty")}</p> }.into_any();
    }
    let rows = entries
        .into_iter()
        .map(|entry| {
            let (sign, class) = if entry.delta > 0 {
                ("+", "number credit")
            } else {
                ("", "number debit")
            };
            let order = entry.order_number.map(|number| {
                let href = receipt(&number);
                view! {
                    " "
                    <a href=href>
                        <code>{number}</code>
                    </a>
                }
            });
            view! {
                <tr>
                    <td class="nowrap">
                        <UtcTime ms=entry.created_at />
                    </td>
                    <td>{label("billing-kind", ENTRY_KINDS, &entry.kind)} {order}</td>
                    <td class=class>{format!("{sign}{}", entry.delta)}</td>
                    <td class="number">{entry.balance_after}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=t("billing-history-table")>
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">{t("billing-history-time")}</th>
                        <th scope="col">{t("billing-history-what")}</th>
                        <th scope="col" class="number">
                            {t("billing-history-change")}
                        </th>
                        <th scope="col" class="number">
                            {t("billing-history-after")}
                        </th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

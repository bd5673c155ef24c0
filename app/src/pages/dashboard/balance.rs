//! The balance: what the person can spend, what is held by images being made, and the
//! credits that expire soon with the day the first of them go.

use crate::format::format_utc_date;
use crate::i18n::{t, use_locale};
use crate::model::BalanceView;
use leptos::prelude::*;

#[component]
pub(super) fn BalanceCard(
    balance: BalanceView,
    expiring_soon: i64,
    next_expiry: Option<i64>,
) -> impl IntoView {
    let locale = use_locale();
    let negative = (balance.total < 0).then(|| {
        view! {
            <div class="alert error" role="alert">
                {t("dashboard-balance-negative")}
            </div>
        }
    });
    let held = (balance.held > 0).then(|| {
        view! {
            <p class="hint">
                {locale.t_args("dashboard-balance-held", &[("credits", balance.held.into())])}
            </p>
        }
    });
    let expiring = (expiring_soon > 0).then(|| {
        let first = next_expiry.map(|ms| {
            locale.t_args(
                "dashboard-expiring-first",
                &[("date", format_utc_date(ms).into())],
            )
        });
        view! {
            <p class="dashboard-expiring" data-testid="dashboard-expiring">
                <span class="badge warn">
                    {locale.t_args("dashboard-expiring-soon", &[("credits", expiring_soon.into())])}
                </span>
                " "
                <span class="muted small">{first}</span>
            </p>
        }
    });
    let total_class = if balance.total < 0 {
        "balance-total negative"
    } else {
        "balance-total"
    };
    view! {
        <section class="panel dashboard-balance" aria-labelledby="dashboard-balance-heading">
            <h2 id="dashboard-balance-heading">{t("dashboard-balance-heading")}</h2>
            {negative}
            <p class=total_class>
                <strong data-testid="dashboard-balance">{balance.total}</strong>
                " "
                <span class="unit">{t("dashboard-balance-unit")}</span>
            </p>
            {expiring}
            {held}
            <p class="dashboard-actions">
                <a class="button primary small" href=locale.path("/pricing")>
                    {t("dashboard-buy-credits")}
                </a>
                <a class="button small" href=locale.path("/settings/billing")>
                    {t("dashboard-billing")}
                </a>
            </p>
        </section>
    }
    .into_any()
}

//! Checkout given up (`/checkout/cancel`).

use super::order::CheckoutCard;
use crate::components::forms::AccountHead;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;

/// Where the provider sends the buyer who gave up: nothing was charged.
#[component]
pub fn CheckoutCancelPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <AccountHead title=t("checkout-cancel-title") />
        <CheckoutCard>
            <h1 id="checkout-heading">{t("checkout-cancel-heading")}</h1>
            <p class="lead">{t("checkout-cancel-body")}</p>
            <div class="form-actions">
                <a class="button primary" href=locale.path("/pricing")>
                    {t("checkout-back-to-pricing")}
                </a>
                <a class="button" href=locale.path("/settings/billing")>
                    {t("checkout-to-billing")}
                </a>
            </div>
        </CheckoutCard>
    }
    .into_any()
}

//! The local test checkout (`/checkout/local/{number}`): the developer decides what the
//! "payment" does. No money moves.

use super::order::{CheckoutCard, OrderNotFound, OrderSummary, WithOrder};
use crate::components::billing::{ORDER_STATUSES, label, order_badge};
use crate::components::forms::{AccountHead, CsrfField, FlashMessages};
use crate::i18n::{t, use_locale};
use crate::model::{CheckoutOrderView, PageContext};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The local checkout: the developer decides what the "payment" does. No money moves.
#[component]
pub fn LocalCheckoutPage() -> impl IntoView {
    let params = use_params_map();
    let number = Signal::derive(move || params.with(|p| p.get("number")));
    view! {
        <AccountHead title=t("checkout-local-title") />
        <WithOrder
            number
            render=|ctx, order| {
                if order.provider == "local" {
                    view! { <LocalCheckout ctx order /> }.into_any()
                } else {
                    view! { <OrderNotFound /> }.into_any()
                }
            }
        />
    }
    .into_any()
}

#[component]
pub(crate) fn LocalCheckout(ctx: PageContext, order: CheckoutOrderView) -> impl IntoView {
    let locale = use_locale();
    let action = locale.path(&format!("/checkout/local/{}", order.number));
    let pending = order.status == "created";
    let success = locale.path(&format!("/checkout/success?order={}", order.number));
    let choices = if pending {
        view! {
            <form class="stack" method="post" action=action>
                <CsrfField token=ctx.csrf.clone() />
                <p class="hint">{t("checkout-local-choose")}</p>
                <div class="form-actions checkout-outcomes">
                    <button type="submit" name="outcome" value="pay" class="button primary">
                        {t("checkout-local-pay")}
                    </button>
                    <button type="submit" name="outcome" value="fail" class="button danger">
                        {t("checkout-local-fail")}
                    </button>
                    <button type="submit" name="outcome" value="cancel" class="button">
                        {t("checkout-local-cancel")}
                    </button>
                </div>
            </form>
        }
        .into_any()
    } else {
        view! {
            <p class="alert info">
                {t("checkout-local-done")} " "
                <span class=order_badge(&order.status)>
                    {label("billing-status", ORDER_STATUSES, &order.status)}
                </span>
            </p>
            <p>
                <a class="button block" href=success>
                    {t("checkout-local-see-result")}
                </a>
            </p>
        }
        .into_any()
    };
    view! {
        <CheckoutCard>
            <p class="eyebrow">{t("checkout-local-eyebrow")}</p>
            <h1 id="checkout-heading">{t("checkout-local-heading")}</h1>
            <p class="alert info" data-testid="test-checkout-note">
                {t("checkout-local-no-money")}
            </p>
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            <OrderSummary order=order.clone() />
            {choices}
        </CheckoutCard>
    }
    .into_any()
}

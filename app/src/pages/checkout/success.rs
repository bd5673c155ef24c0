//! Back from the provider (`/checkout/success`): the order's state, followed live once
//! hydrated until the payment is settled.

use super::order::{CheckoutCard, OrderSummary, WithOrder};
use crate::api::load_checkout_order;
use crate::components::billing::{ORDER_STATUSES, label, order_badge, query_value};
use crate::components::forms::{AccountHead, FlashMessages};
use crate::i18n::{t, use_locale};
use crate::model::{CheckoutOrderView, PageContext};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Where the provider sends the buyer back after paying. Payment is confirmed by the
/// provider's webhook, which may arrive a moment later: until then the page says so and
/// refreshes itself (with JavaScript by asking the server every 1.5 s, without it by
/// reloading every 2 s).
#[component]
pub fn CheckoutSuccessPage() -> impl IntoView {
    let query = use_query_map();
    let number = Signal::derive(move || query_value(query, "order"));
    view! {
        <AccountHead title=t("checkout-success-title") />
        <WithOrder number render=|ctx, order| view! { <CheckoutResult ctx order /> } />
    }
    .into_any()
}

/// How long the hydrated success page waits between two looks at a pending order; after
/// [`PATIENT_LOOKS`] looks (a minute), four times as long.
const POLL_INTERVAL: std::time::Duration = std::time::Duration::from_millis(1500);

const PATIENT_LOOKS: u32 = 40;

#[component]
pub(crate) fn CheckoutResult(ctx: PageContext, order: CheckoutOrderView) -> impl IntoView {
    let current = RwSignal::new(order);
    let looks = StoredValue::new(0u32);
    // In the browser only (effects do not run on the server): while the order awaits its
    // payment, look again after a pause. Each answer (even an unchanged one) notifies the
    // effect, which schedules the next look; once the status moves on, it stops. Leaving
    // the page disposes the signal, and a late answer is dropped.
    Effect::new(move |_| {
        let order = current.get();
        if order.status != "created" {
            return;
        }
        let n = looks.get_value();
        looks.set_value(n + 1);
        let pause = if n < PATIENT_LOOKS {
            POLL_INTERVAL
        } else {
            POLL_INTERVAL * 4
        };
        set_timeout(
            move || {
                leptos::task::spawn_local(async move {
                    match load_checkout_order(order.number.clone()).await {
                        Ok(Some(next)) => {
                            current.try_set(next);
                        }
                        // A network hiccup or a lost session: try again after the pause.
                        _ => {
                            current.try_update(|_| ());
                        }
                    }
                });
            },
            pause,
        );
    });
    view! {
        <CheckoutCard>
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            <div aria-live="polite">{move || current.with(result_view)}</div>
        </CheckoutCard>
    }
    .into_any()
}

/// The success page's content for the order as it stands.
fn result_view(order: &CheckoutOrderView) -> AnyView {
    let locale = use_locale();
    let status = view! {
        <span class="visually-hidden" aria-hidden="true" data-testid="order-status">
            {order.status.clone()}
        </span>
    };
    let summary = view! { <OrderSummary order=order.clone() /> };
    let body = match order.status.as_str() {
        "created" => view! {
            <div class="checkout-pending">
                <span class="spinner" aria-hidden="true"></span>
                <h1 id="checkout-heading">{t("checkout-pending-heading")}</h1>
            </div>
            <p class="lead">{t("checkout-pending-body")}</p>
            // Without JavaScript the page reloads itself; with it, `noscript` is inert and
            // the effect above asks the server instead. As markup set in one piece, the
            // browser's parsing of `noscript` cannot upset hydration.
            <noscript inner_html=r#"<meta http-equiv="refresh" content="2">"#></noscript>
            {summary}
        }
        .into_any(),
        "paid" => paid_view(order, summary),
        "failed" | "cancelled" => {
            let (heading, body) = if order.status == "failed" {
                ("checkout-failed-heading", "checkout-failed-body")
            } else {
                ("checkout-cancelled-heading", "checkout-cancelled-body")
            };
            view! {
                <h1 id="checkout-heading">{t(heading)}</h1>
                <div class="alert error" role="alert">
                    {t(body)}
                </div>
                {summary}
                <div class="form-actions">
                    <a class="button primary" href=locale.path("/pricing")>
                        {t("checkout-back-to-pricing")}
                    </a>
                </div>
            }
            .into_any()
        }
        // Refunded or disputed since: what the order is now.
        other => view! {
            <h1 id="checkout-heading">{t("checkout-order-heading")}</h1>
            <p>
                <span class=order_badge(other)>{label("billing-status", ORDER_STATUSES, other)}</span>
            </p>
            {summary}
            <div class="form-actions">
                <a class="button" href=locale.path("/settings/billing")>
                    {t("checkout-to-billing")}
                </a>
            </div>
        }
        .into_any(),
    };
    view! {
        {status}
        {body}
    }
    .into_any()
}

/// Paid: the credits granted, the balance now, and where to go next.
fn paid_view(order: &CheckoutOrderView, summary: impl IntoView + 'static) -> AnyView {
    let locale = use_locale();
    view! {
        <h1 id="checkout-heading">{t("checkout-paid-heading")}</h1>
        <p class="lead">
            {locale.t_args("checkout-paid-body", &[("credits", order.credits.into())])}
        </p>
        <p class="checkout-balance">
            {t("checkout-balance")} " " <strong data-testid="balance">{order.balance}</strong>
        </p>
        {summary}
        <div class="form-actions">
            <a class="button primary" href=locale.path("/workbench")>
                {t("checkout-to-workbench")}
            </a>
            <a class="button" href=locale.path("/settings/billing")>
                {t("checkout-to-billing")}
            </a>
        </div>
    }
    .into_any()
}

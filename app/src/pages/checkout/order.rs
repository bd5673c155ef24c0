//! What every checkout page shares: the card, the order it is about, "not found".

use crate::api::{load_checkout_order, load_page_context};
use crate::components::billing::{product_name, set_not_found};
use crate::components::forms::{LoadFailed, Loading};
use crate::i18n::{t, use_locale};
use crate::model::{CheckoutOrderView, PageContext};
use crate::pages::settings::SignInPrompt;
use leptos::prelude::*;

/// A single card in the middle of the page, as the sign-in pages have.
#[component]
pub(crate) fn CheckoutCard(children: Children) -> impl IntoView {
    view! {
        <div class="auth-page">
            <section class="auth-card checkout-card" aria-labelledby="checkout-heading">
                {children()}
            </section>
        </div>
    }
    .into_any()
}

/// An order that is not there, or not the viewer's: the same answer for both.
#[component]
pub(crate) fn OrderNotFound() -> impl IntoView {
    set_not_found();
    let locale = use_locale();
    view! {
        <CheckoutCard>
            <h1 id="checkout-heading">{t("checkout-not-found-heading")}</h1>
            <p class="lead">{t("checkout-not-found-body")}</p>
            <p>
                <a class="button block" href=locale.path("/settings/billing")>
                    {t("checkout-to-billing")}
                </a>
            </p>
        </CheckoutCard>
    }
    .into_any()
}

/// The order's product, credits and amount.
#[component]
pub(crate) fn OrderSummary(order: CheckoutOrderView) -> impl IntoView {
    let locale = use_locale();
    view! {
        <dl class="order-summary">
            <div>
                <dt>{t("billing-order-number")}</dt>
                <dd>
                    <code>{order.number.clone()}</code>
                </dd>
            </div>
            <div>
                <dt>{t("billing-order-product")}</dt>
                <dd>{product_name(locale, &order.product_key, order.credits)}</dd>
            </div>
            <div>
                <dt>{t("billing-order-credits")}</dt>
                <dd>{order.credits}</dd>
            </div>
            <div>
                <dt>{t("billing-order-amount")}</dt>
                <dd>
                    <strong>{order.amount.clone()}</strong>
                </dd>
            </div>
        </dl>
    }
    .into_any()
}

/// Loads the order named by `number` for the signed-in person, and renders `render` with
/// it; otherwise a sign-in prompt or "not found".
#[component]
pub(crate) fn WithOrder<F, V>(number: Signal<Option<String>>, render: F) -> impl IntoView
where
    F: Fn(PageContext, CheckoutOrderView) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let ctx = Resource::new(|| (), |_| load_page_context());
    let order = Resource::new(
        move || number.get(),
        |number| async move {
            match number {
                Some(number) => load_checkout_order(number).await,
                None => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match (ctx.await, order.await) {
                        (Ok(ctx), order) => match (ctx.viewer.is_some(), order) {
                            (false, _) => view! { <SignInPrompt /> }.into_any(),
                            (true, Ok(Some(order))) => render(ctx, order).into_any(),
                            (true, Ok(None)) => view! { <OrderNotFound /> }.into_any(),
                            (true, Err(_)) => view! { <LoadFailed /> }.into_any(),
                        },
                        (Err(_), _) => view! { <LoadFailed /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

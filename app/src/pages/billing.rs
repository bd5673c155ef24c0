//! Buying credits and keeping track of them: the pricing page, the checkout pages (the
//! local test checkout, success and cancel), the billing settings, printable receipts and,
//! for admins, payment disputes. Every action is a plain form post, so all of it works
//! without JavaScript; once hydrated, the success page follows the payment live.

use super::settings::{SettingsSection, SettingsShell, SignInPrompt, SignedInPage, UtcTime};
use crate::api::{
    load_billing_overview, load_checkout_order, load_disputes, load_page_context, load_pricing,
    load_receipt,
};
use crate::components::forms::{
    AccountHead, CsrfField, Field, FlashMessages, FormAlert, FormFeedback, LoadFailed, Loading,
};
use crate::components::page_meta::PageMeta;
use crate::i18n::{Locale, t, use_locale};
use crate::model::{
    BalanceView, BillingOverview, BillingProfileView, CheckoutOrderView, DisputeView,
    LedgerEntryView, LotView, OrderView, PackageOffer, PageContext, PlanOffer, PricingView,
    ReceiptView, ReferralView, SubscriptionView, Viewer,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Order statuses with a name of their own (`billing-status-…`).
const ORDER_STATUSES: &[&str] = &[
    "created",
    "paid",
    "failed",
    "cancelled",
    "refunded",
    "disputed",
];
/// Subscription statuses with a name of their own (`billing-subscription-status-…`).
const SUBSCRIPTION_STATUSES: &[&str] = &[
    "active",
    "trialing",
    "past_due",
    "paused",
    "unpaid",
    "incomplete",
    "cancelled",
    "ended",
];
/// Ledger entry kinds, in the order the history filter offers them.
const ENTRY_KINDS: &[&str] = &[
    "grant",
    "capture",
    "reserve",
    "release",
    "expire",
    "claw_back",
    "adjust",
    "freeze",
    "unfreeze",
];
const LOT_SOURCES: &[&str] = &[
    "signup_bonus",
    "purchase",
    "subscription",
    "referral",
    "admin",
];
const DISPUTE_STATUSES: &[&str] = &["open", "won", "lost"];

/// The name of `value` from the family `prefix` (`billing-status-paid`); a value we do not
/// know shows as stored.
fn label(prefix: &str, known: &[&str], value: &str) -> String {
    if known.contains(&value) {
        t(&format!("{prefix}-{}", value.replace('_', "-")))
    } else {
        value.to_string()
    }
}

/// A product's name in the page's language: "500 credits", "Pro — 800 credits a month".
fn product_name(locale: Locale, key: &str, credits: i64) -> String {
    locale.t_args(key, &[("credits", credits.into())])
}

/// The badge colour of an order status.
fn order_badge(status: &str) -> &'static str {
    match status {
        "paid" => "badge ok",
        "created" => "badge warn",
        "refunded" | "disputed" | "failed" => "badge bad",
        _ => "badge neutral",
    }
}

/// A payment provider's name.
fn provider_label(provider: &str) -> String {
    match provider {
        "stripe" => "Stripe".to_string(),
        "creem" => "Creem".to_string(),
        "local" => t("billing-provider-local"),
        other => other.to_string(),
    }
}

/// The currency prices show in when the visitor has not chosen one.
fn default_currency(locale: Locale) -> &'static str {
    match locale {
        Locale::ZhCn => "cny",
        Locale::En => "usd",
    }
}

/// Marks the response as "not found" on the server, for an order that is not there.
fn set_not_found() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}

/// A query parameter of the current URL, when present and not empty; followed as the
/// query changes.
fn query_value(query: Memo<leptos_router::params::ParamsMap>, name: &str) -> Option<String> {
    query
        .with(|q| q.get(name))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

// ---------------------------------------------------------------------------------------
// Pricing.

#[component]
pub fn PricingPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let currency = move || {
        query_value(query, "currency")
            .map(|c| c.to_ascii_lowercase())
            .filter(|c| c == "usd" || c == "cny")
            .unwrap_or_else(|| default_currency(locale).to_string())
    };
    let ctx = Resource::new(|| (), |_| load_page_context());
    let pricing = Resource::new(currency, |currency| load_pricing(Some(currency)));
    view! {
        <PageMeta title=t("pricing-title") description=t("pricing-description") page="/pricing" />
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match (ctx.await, pricing.await) {
                    (Ok(ctx), Ok(pricing)) => view! { <Pricing ctx pricing /> }.into_any(),
                    _ => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

const PRICING_FORMS: &[&str] = &["checkout"];

#[component]
fn Pricing(ctx: PageContext, pricing: PricingView) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "checkout");
    let page = locale.path("/pricing");
    let currency_link = |code: &'static str, key: &'static str| {
        view! {
            <li>
                <a
                    href=format!("{page}?currency={code}")
                    aria-current=(pricing.currency == code).then_some("true")
                >
                    {t(key)}
                </a>
            </li>
        }
    };
    let switch = view! {
        <nav class="currency-switch" aria-label=t("pricing-currency")>
            <ul>
                {currency_link("usd", "pricing-currency-usd")}
                {currency_link("cny", "pricing-currency-cny")}
            </ul>
        </nav>
    };
    let form = OfferForm {
        action: locale.path("/checkout"),
        csrf: ctx.csrf.clone(),
        currency: pricing.currency.clone(),
    };
    let packages = pricing
        .packages
        .iter()
        .map(|offer| view! { <PackageCard offer=offer.clone() form=form.clone() /> })
        .collect_view();
    // Monthly plans first, then yearly: the catalog's order within each.
    let mut plans: Vec<&PlanOffer> = pricing.plans.iter().collect();
    plans.sort_by_key(|p| p.interval == "year");
    let plans = plans
        .into_iter()
        .map(|offer| view! { <PlanCard offer=offer.clone() form=form.clone() /> })
        .collect_view();
    let has_plans = !pricing.plans.is_empty();
    let bonus = (pricing.signup_bonus > 0).then(|| {
        view! {
            <p class="pricing-bonus">
                {locale
                    .t_args(
                        "pricing-signup-bonus",
                        &[
                            ("credits", pricing.signup_bonus.into()),
                            ("days", pricing.signup_bonus_days.into()),
                        ],
                    )}
            </p>
        }
    });
    let test_note = pricing.test_checkout.then(|| {
        view! {
            <p class="alert info" data-testid="test-checkout-note">
                <strong>{t("pricing-test-checkout-heading")}</strong>
                " "
                {t("pricing-test-checkout-body")}
            </p>
        }
    });
    let signed_out = (!pricing.signed_in).then(|| {
        view! {
            <p class="muted small">
                {t("pricing-sign-in-first")} " "
                <a href=locale.path("/sign-in")>{t("nav-sign-in")}</a>
            </p>
        }
    });
    view! {
        <section class="section pricing-page" aria-labelledby="pricing-heading">
            <div class="container">
                <h1 id="pricing-heading">{t("pricing-heading")}</h1>
                <p class="section-lead">{t("pricing-lead")}</p>
                <FlashMessages flash=ctx.flash.clone() forms=PRICING_FORMS />
                <FormAlert feedback />
                {test_note}
                <div class="pricing-bar">{switch} {bonus}</div>
                {signed_out}
                <section class="offer-section" aria-labelledby="packages-heading">
                    <h2 id="packages-heading">{t("pricing-packages-heading")}</h2>
                    <p class="muted">{t("pricing-packages-lead")}</p>
                    <ul class="offer-grid">{packages}</ul>
                </section>
                {has_plans
                    .then(|| {
                        view! {
                            <section class="offer-section" aria-labelledby="plans-heading">
                                <h2 id="plans-heading">{t("pricing-plans-heading")}</h2>
                                <p class="muted">{t("pricing-plans-lead")}</p>
                                <ul class="offer-grid">{plans}</ul>
                            </section>
                        }
                    })}
                <p class="muted small pricing-fine-print">{t("pricing-fine-print")}</p>
            </div>
        </section>
    }
    .into_any()
}

/// What every checkout form of the pricing page shares.
#[derive(Clone)]
struct OfferForm {
    action: String,
    csrf: String,
    currency: String,
}

impl OfferForm {
    /// The form that starts buying `product`; the server prices it from its catalog.
    fn render(&self, product: String, button: String, name: String) -> impl IntoView + use<> {
        view! {
            <form method="post" action=self.action.clone()>
                <CsrfField token=self.csrf.clone() />
                <input type="hidden" name="product" value=product />
                <input type="hidden" name="currency" value=self.currency.clone() />
                <button type="submit" class="button primary block">
                    {button}
                    <span class="visually-hidden">" " {name}</span>
                </button>
            </form>
        }
    }
}

#[component]
fn PackageCard(offer: PackageOffer, form: OfferForm) -> impl IntoView {
    let locale = use_locale();
    let name = product_name(locale, "billing-product-package", offer.credits);
    let class = if offer.popular {
        "card offer popular"
    } else {
        "card offer"
    };
    let valid = locale.t_args(
        "pricing-valid-days",
        &[("days", offer.validity_days.into())],
    );
    view! {
        <li class=class>
            {offer.popular.then(|| view! { <p class="offer-flag">{t("pricing-popular")}</p> })}
            <h3>{name.clone()}</h3>
            <p class="offer-price">
                <span class="amount">{offer.price}</span>
            </p>
            <ul class="offer-facts">
                <li>{valid}</li>
                <li>{t("pricing-package-once")}</li>
            </ul>
            {form.render(offer.id, t("pricing-buy"), name)}
        </li>
    }
    .into_any()
}

#[component]
fn PlanCard(offer: PlanOffer, form: OfferForm) -> impl IntoView {
    let locale = use_locale();
    let (key, per) = if offer.interval == "year" {
        ("billing-product-plan-year", "pricing-per-year")
    } else {
        ("billing-product-plan-month", "pricing-per-month")
    };
    let name = product_name(locale, key, offer.credits);
    let class = if offer.popular {
        "card offer popular"
    } else {
        "card offer"
    };
    view! {
        <li class=class>
            {offer.popular.then(|| view! { <p class="offer-flag">{t("pricing-popular")}</p> })}
            <h3>{name.clone()}</h3>
            <p class="offer-price">
                <span class="amount">{offer.price}</span>
                " "
                <span class="per">{t(per)}</span>
            </p>
            <ul class="offer-facts">
                <li>{t("pricing-plan-renews")}</li>
                <li>{t("pricing-plan-expiry")}</li>
            </ul>
            {form.render(offer.id, t("pricing-subscribe"), name)}
        </li>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// Checkout.

/// A single card in the middle of the page, as the sign-in pages have.
#[component]
fn CheckoutCard(children: Children) -> impl IntoView {
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
fn OrderNotFound() -> impl IntoView {
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
fn OrderSummary(order: CheckoutOrderView) -> impl IntoView {
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
fn WithOrder<F, V>(number: Signal<Option<String>>, render: F) -> impl IntoView
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
fn LocalCheckout(ctx: PageContext, order: CheckoutOrderView) -> impl IntoView {
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
fn CheckoutResult(ctx: PageContext, order: CheckoutOrderView) -> impl IntoView {
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
        "paid" => view! {
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
        .into_any(),
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

// ---------------------------------------------------------------------------------------
// Billing settings.

const BILLING_FORMS: &[&str] = &["billing-profile"];

#[component]
pub fn BillingPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        (
            query_value(query, "kind"),
            query_value(query, "before").and_then(|b| b.parse::<i64>().ok()),
        )
    };
    let overview = Resource::new(filter, |(kind, before)| load_billing_overview(kind, before));
    view! {
        <SignedInPage
            title=t("billing-title")
            data=overview
            render=|ctx, viewer, overview| view! { <Billing ctx viewer overview=overview /> }
        />
    }
    .into_any()
}

#[component]
fn Billing(ctx: PageContext, viewer: Viewer, overview: Option<BillingOverview>) -> impl IntoView {
    let body = match overview {
        Some(overview) => view! {
            <BalancePanel balance=overview.balance expiring_soon=overview.expiring_soon />
            <LotsPanel lots=overview.lots />
            <HistoryPanel
                entries=overview.entries
                kind=overview.kind
                older=overview.older
            />
            <OrdersPanel orders=overview.orders />
            <SubscriptionsPanel
                ctx=ctx.clone()
                subscriptions=overview.subscriptions
                portal=overview.manage_via_portal
            />
            <ProfilePanel ctx=ctx.clone() profile=overview.profile />
            <ReferralPanel referral=overview.referral />
        }
        .into_any(),
        None => view! { <LoadFailed /> }.into_any(),
    };
    view! {
        <SettingsShell
            viewer
            csrf=ctx.csrf.clone()
            section=SettingsSection::Billing
            heading=t("billing-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=BILLING_FORMS />
            {body}
        </SettingsShell>
    }
    .into_any()
}

#[component]
fn BalancePanel(balance: BalanceView, expiring_soon: i64) -> impl IntoView {
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
fn LotsPanel(lots: Vec<LotView>) -> impl IntoView {
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

#[component]
fn HistoryPanel(
    entries: Vec<LedgerEntryView>,
    kind: Option<String>,
    older: Option<i64>,
) -> impl IntoView {
    let locale = use_locale();
    let page = locale.path("/settings/billing");
    let receipt = move |number: &str| locale.path(&format!("/settings/billing/orders/{number}"));
    let selected = kind.clone().unwrap_or_default();
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
    let filter = view! {
        <form class="history-filter" method="get" action=page.clone()>
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
    };
    let body = if entries.is_empty() {
        view! { <p class="muted">{t("billing-history-empty")}</p> }.into_any()
    } else {
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
    };
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
            {filter}
            {body}
            {paging}
        </section>
    }
    .into_any()
}

#[component]
fn OrdersPanel(orders: Vec<OrderView>) -> impl IntoView {
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

/// Whether a local subscription can still be cancelled here.
fn cancellable_locally(subscription: &SubscriptionView) -> bool {
    subscription.provider == "local"
        && !subscription.cancel_at_period_end
        && !matches!(subscription.status.as_str(), "cancelled" | "ended")
}

#[component]
fn SubscriptionsPanel(
    ctx: PageContext,
    subscriptions: Vec<SubscriptionView>,
    portal: bool,
) -> impl IntoView {
    let locale = use_locale();
    let items = subscriptions
        .iter()
        .map(|sub| {
            let name = product_name(locale, &sub.product_key, sub.credits);
            let badge = if sub.status == "active" || sub.status == "trialing" {
                "badge ok"
            } else if sub.status == "past_due" || sub.status == "unpaid" {
                "badge bad"
            } else {
                "badge neutral"
            };
            let ended = matches!(sub.status.as_str(), "cancelled" | "ended");
            let period = sub.period_end.map(|end| {
                let key = if ended {
                    "billing-subscription-ended"
                } else if sub.cancel_at_period_end {
                    "billing-subscription-ends"
                } else {
                    "billing-subscription-renews"
                };
                view! {
                    <p class="muted small">
                        {t(key)} " " <UtcTime ms=end />
                    </p>
                }
            });
            let cancel = cancellable_locally(sub).then(|| {
                let action = locale.path(&format!("/settings/billing/subscriptions/{}/cancel", sub.id));
                view! {
                    <form method="post" action=action>
                        <CsrfField token=ctx.csrf.clone() />
                        <button type="submit" class="button small danger">
                            {t("billing-subscription-cancel")}
                            <span class="visually-hidden">" " {name.clone()}</span>
                        </button>
                    </form>
                }
            });
            view! {
                <li>
                    <div>
                        <p class="identity-name">
                            {name.clone()} " "
                            <span class=badge>
                                {label("billing-subscription-status", SUBSCRIPTION_STATUSES, &sub.status)}
                            </span>
                            {(sub.cancel_at_period_end && !ended)
                                .then(|| {
                                    view! {
                                        " "
                                        <span class="badge warn">
                                            {t("billing-subscription-cancelling")}
                                        </span>
                                    }
                                })}
                        </p>
                        {period}
                        <p class="muted small">
                            {t("billing-subscription-via")} " " {provider_label(&sub.provider)}
                        </p>
                    </div>
                    {cancel}
                </li>
            }
        })
        .collect_view();
    let empty = subscriptions.is_empty().then(|| {
        view! {
            <p class="muted">
                {t("billing-subscriptions-empty")} " "
                <a href=locale.path("/pricing")>{t("billing-see-plans")}</a>
            </p>
        }
    });
    let portal = portal.then(|| {
        view! {
            <form class="inline-form" method="post" action=locale.path("/settings/billing/portal")>
                <CsrfField token=ctx.csrf.clone() />
                <p class="hint" id="portal-hint">
                    {t("billing-portal-hint")}
                </p>
                <div class="form-actions">
                    <button type="submit" class="button" aria-describedby="portal-hint">
                        {t("billing-portal")}
                    </button>
                </div>
            </form>
        }
    });
    view! {
        <section class="panel" aria-labelledby="subscriptions-heading" id="subscriptions">
            <h2 id="subscriptions-heading">{t("billing-subscriptions-heading")}</h2>
            {empty}
            {(!subscriptions.is_empty()).then(|| view! { <ul class="identity-list">{items}</ul> })}
            {portal}
        </section>
    }
    .into_any()
}

#[component]
fn ProfilePanel(ctx: PageContext, profile: BillingProfileView) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "billing-profile");
    let address = feedback.value_or("address", &profile.address);
    view! {
        <section class="panel" aria-labelledby="billing-profile-heading" id="billing-details">
            <h2 id="billing-profile-heading">{t("billing-profile-heading")}</h2>
            <p class="muted">{t("billing-profile-lead")}</p>
            <form class="stack" method="post" action=locale.path("/settings/billing/profile")>
                <CsrfField token=ctx.csrf.clone() />
                <FormAlert feedback=feedback.clone() />
                <Field
                    feedback=feedback.clone()
                    name="name"
                    label=t("billing-profile-name")
                    autocomplete="name"
                    maxlength=120
                    optional=true
                    value=feedback.value_or("name", &profile.name)
                />
                <Field
                    feedback=feedback.clone()
                    name="company"
                    label=t("billing-profile-company")
                    autocomplete="organization"
                    maxlength=120
                    optional=true
                    value=feedback.value_or("company", &profile.company)
                />
                <div class="field">
                    <label for="billing-profile-address">
                        {t("billing-profile-address")}
                        <span class="optional">{t("form-optional")}</span>
                    </label>
                    <textarea
                        id="billing-profile-address"
                        name="address"
                        rows="4"
                        maxlength="500"
                        autocomplete="street-address"
                    >
                        {address}
                    </textarea>
                </div>
                <Field
                    feedback=feedback.clone()
                    name="tax_id"
                    label=t("billing-profile-tax-id")
                    maxlength=40
                    optional=true
                    value=feedback.value_or("tax_id", &profile.tax_id)
                    hint=t("billing-profile-tax-id-hint")
                />
                <div class="form-actions">
                    <button type="submit" class="button primary">
                        {t("billing-profile-submit")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn ReferralPanel(referral: ReferralView) -> impl IntoView {
    let locale = use_locale();
    let stats = locale.t_args(
        "billing-referral-stats",
        &[
            ("referred", referral.referred.into()),
            ("rewarded", referral.rewarded.into()),
        ],
    );
    let bonus = (referral.referrer_bonus > 0 || referral.referred_bonus > 0).then(|| {
        view! {
            <p>
                {locale
                    .t_args(
                        "billing-referral-bonus",
                        &[
                            ("mine", referral.referrer_bonus.into()),
                            ("theirs", referral.referred_bonus.into()),
                        ],
                    )}
            </p>
        }
    });
    view! {
        <section class="panel" aria-labelledby="referral-heading" id="referral">
            <h2 id="referral-heading">{t("billing-referral-heading")}</h2>
            {bonus}
            <div class="field referral-link">
                <label for="referral-link">{t("billing-referral-link")}</label>
                <input
                    id="referral-link"
                    type="text"
                    readonly
                    value=referral.link
                    data-testid="referral-link"
                />
            </div>
            <p class="muted small">{stats}</p>
        </section>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// Receipts.

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
fn Receipt(
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

#[component]
fn ReceiptBody(receipt: ReceiptView) -> impl IntoView {
    let locale = use_locale();
    let order = receipt.order.clone();
    let name = product_name(locale, &order.product_key, order.credits);
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
    let profile = receipt.profile.clone();
    let line =
        |value: String| (!value.is_empty()).then(|| view! { <span class="line">{value}</span> });
    let tax_id = (!profile.tax_id.is_empty()).then(|| {
        view! {
            <span class="line">{t("billing-profile-tax-id")} ": " {profile.tax_id.clone()}</span>
        }
    });
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
    let facts = view! {
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
    .into_any();
    let party = view! {
        <section class="receipt-party" aria-labelledby="billed-to">
            <h3 id="billed-to">{t("receipt-billed-to")}</h3>
            <p>
                {line(profile.name.clone())} {line(profile.company.clone())}
                {line(profile.address.clone())} {tax_id}
                <span class="line">{receipt.email.clone()}</span>
            </p>
        </section>
    }
    .into_any();
    let items = view! {
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
    .into_any();
    view! {
        <article class="panel receipt" aria-labelledby="receipt-title" data-testid="receipt">
            <header class="receipt-head">
                <p class="brand">
                    <img src="/favicon.svg" width="24" height="24" alt="" />
                    <span>"banana nano"</span>
                </p>
                <h2 id="receipt-title">{t("receipt-document")}</h2>
            </header>
            {facts}
            {party}
            {items}
            <p class="muted small">{t("receipt-note")}</p>
            <div class="form-actions no-print">{print}</div>
        </article>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// Disputes, for admins.

#[component]
pub fn DisputesPage() -> impl IntoView {
    let disputes = Resource::new(|| (), |_| load_disputes());
    view! {
        <SignedInPage
            title=t("disputes-title")
            data=disputes
            render=|ctx, viewer, disputes| view! { <Disputes ctx viewer disputes=disputes /> }
        />
    }
    .into_any()
}

#[component]
fn Disputes(ctx: PageContext, viewer: Viewer, disputes: Option<Vec<DisputeView>>) -> impl IntoView {
    let body = match disputes {
        Some(disputes) if disputes.is_empty() => view! {
            <section class="panel">
                <p class="muted">{t("disputes-empty")}</p>
            </section>
        }
        .into_any(),
        Some(disputes) => disputes
            .into_iter()
            .map(|dispute| view! { <DisputeCard ctx=ctx.clone() dispute /> })
            .collect_view()
            .into_any(),
        // Not an admin, or not past two-step verification in this session.
        None => view! {
            <div class="alert error" role="alert">
                {t("admin-forbidden")}
            </div>
        }
        .into_any(),
    };
    view! {
        <SettingsShell
            viewer
            csrf=ctx.csrf.clone()
            section=SettingsSection::AdminDisputes
            heading=t("disputes-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            <p class="muted">{t("disputes-lead")}</p>
            {body}
        </SettingsShell>
    }
    .into_any()
}

#[component]
fn DisputeCard(ctx: PageContext, dispute: DisputeView) -> impl IntoView {
    let locale = use_locale();
    let heading_id = format!("dispute-{}", dispute.id);
    let body_id = format!("dispute-{}-body", dispute.id);
    let badge = match dispute.status.as_str() {
        "open" => "badge bad",
        "won" => "badge ok",
        _ => "badge neutral",
    };
    let notes = if dispute.notes.is_empty() {
        view! { <p class="muted small">{t("disputes-no-notes")}</p> }.into_any()
    } else {
        view! {
            <ol class="dispute-notes">
                {dispute
                    .notes
                    .iter()
                    .map(|note| {
                        view! {
                            <li>
                                <p class="muted small">
                                    {note.author.clone().unwrap_or_else(|| t("disputes-note-system"))}
                                    " · "
                                    <UtcTime ms=note.created_at />
                                </p>
                                <p class="note-body">{note.body.clone()}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    let class = if dispute.status == "open" {
        "panel dispute open"
    } else {
        "panel dispute"
    };
    let reason = if dispute.reason.is_empty() {
        t("disputes-reason-unknown")
    } else {
        dispute.reason.clone()
    };
    view! {
        <section class=class aria-labelledby=heading_id>
            <h2 id=heading_id.clone()>
                <code>{dispute.order_number.clone()}</code>
                " "
                <span class=badge>{label("disputes-status", DISPUTE_STATUSES, &dispute.status)}</span>
            </h2>
            <dl class="receipt-facts">
                <div>
                    <dt>{t("billing-order-amount")}</dt>
                    <dd>
                        <strong>{dispute.amount.clone()}</strong>
                    </dd>
                </div>
                <div>
                    <dt>{t("disputes-reason")}</dt>
                    <dd>{reason}</dd>
                </div>
                <div>
                    <dt>{t("disputes-provider")}</dt>
                    <dd>{provider_label(&dispute.provider)}</dd>
                </div>
                <div>
                    <dt>{t("disputes-opened")}</dt>
                    <dd>
                        <UtcTime ms=dispute.created_at />
                    </dd>
                </div>
                {dispute
                    .closed_at
                    .map(|at| {
                        view! {
                            <div>
                                <dt>{t("disputes-closed")}</dt>
                                <dd>
                                    <UtcTime ms=at />
                                </dd>
                            </div>
                        }
                    })}
            </dl>
            <h3>{t("disputes-notes")}</h3>
            {notes}
            <form
                class="stack"
                method="post"
                action=locale.path(&format!("/admin/disputes/{}/notes", dispute.id))
            >
                <CsrfField token=ctx.csrf.clone() />
                <div class="field">
                    <label for=body_id.clone()>{t("disputes-note-label")}</label>
                    <textarea id=body_id name="body" rows="3" maxlength="2000" required></textarea>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button small">
                        {t("disputes-note-submit")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[cfg(all(test, feature = "ssr"))]
mod render_tests {
    use super::*;
    use crate::components::forms::test_support::{check, ctx, error, render, viewer};
    use crate::model::DisputeNoteView;

    /// The history filter is the one form that reads (`GET`) instead of posting: left out
    /// of the check that every form posts with its token.
    fn without_history_filter(html: &str) -> String {
        match html.find(r#"method="get""#) {
            Some(at) => {
                let start = html[..at].rfind("<form").unwrap();
                let end = at + html[at..].find("</form>").unwrap() + "</form>".len();
                format!("{}{}", &html[..start], &html[end..])
            }
            None => html.to_string(),
        }
    }

    /// The text of the element with `data-testid="{id}"`.
    fn test_id_text<'a>(html: &'a str, id: &str) -> Option<&'a str> {
        let at = html.find(&format!(r#"data-testid="{id}""#))?;
        let open = at + html[at..].find('>')? + 1;
        let close = open + html[open..].find('<')?;
        Some(&html[open..close])
    }

    fn pricing() -> PricingView {
        PricingView {
            currency: "cny".into(),
            packages: vec![
                PackageOffer {
                    id: "starter".into(),
                    credits: 100,
                    price: "¥69.90".into(),
                    validity_days: 365,
                    popular: false,
                },
                PackageOffer {
                    id: "creator".into(),
                    credits: 500,
                    price: "¥279.90".into(),
                    validity_days: 365,
                    popular: true,
                },
            ],
            plans: vec![
                PlanOffer {
                    id: "pro-monthly".into(),
                    interval: "month".into(),
                    credits: 800,
                    price: "¥139.00".into(),
                    popular: true,
                },
                PlanOffer {
                    id: "pro-yearly".into(),
                    interval: "year".into(),
                    credits: 9600,
                    price: "¥1390.00".into(),
                    popular: false,
                },
            ],
            signed_in: false,
            test_checkout: true,
            signup_bonus: 30,
            signup_bonus_days: 30,
        }
    }

    fn order(status: &str) -> CheckoutOrderView {
        CheckoutOrderView {
            number: "BN-20261122-7KQ2MX".into(),
            product_key: "billing-product-package".into(),
            credits: 500,
            amount: "$39.90".into(),
            status: status.into(),
            provider: "local".into(),
            balance: 530,
        }
    }

    #[test]
    fn pricing_offers_every_product_with_a_checkout_form() {
        for locale in Locale::ALL {
            let context = ctx(
                None,
                error("checkout", "billing-error-unknown-product", &[]),
            );
            let html = render(locale, || {
                view! { <Pricing ctx=context.clone() pricing=pricing() /> }
            });
            check(&format!("pricing-{}", locale.tag()), &html);
            let action = format!(r#"action="{}""#, locale.path("/checkout"));
            assert_eq!(html.matches(&action).count(), 4);
            for id in ["starter", "creator", "pro-monthly", "pro-yearly"] {
                assert!(
                    html.contains(&format!(r#"name="product" value="{id}""#)),
                    "{id}"
                );
            }
            assert_eq!(html.matches(r#"name="currency" value="cny""#).count(), 4);
            assert!(html.contains("¥279.90") && html.contains("¥1390.00"));
            let page = locale.path("/pricing");
            assert!(html.contains(&format!(r#"href="{page}?currency=usd""#)));
            assert!(html.contains(&format!(
                r#"href="{page}?currency=cny" aria-current="true""#
            )));
            assert!(html.contains(r#"data-testid="test-checkout-note""#));
            assert!(html.contains("30"), "signup bonus");
            assert!(html.contains(r#"role="alert""#), "the refusal shows");
        }
        let html = render(Locale::En, || {
            view! { <Pricing ctx=ctx(None, None) pricing=pricing() /> }
        });
        assert!(html.contains(">500 credits<") && html.contains("Pro — 9600 credits a year"));
        let mut live = pricing();
        live.test_checkout = false;
        let html = render(Locale::En, || {
            view! { <Pricing ctx=ctx(None, None) pricing=live.clone() /> }
        });
        assert!(!html.contains("test-checkout-note"));
    }

    #[test]
    fn the_local_checkout_offers_three_outcomes() {
        for locale in Locale::ALL {
            let html = render(locale, || {
                view! { <LocalCheckout ctx=ctx(Some(viewer()), None) order=order("created") /> }
            });
            check(&format!("checkout-local-{}", locale.tag()), &html);
            assert!(html.contains(&format!(
                r#"action="{}""#,
                locale.path("/checkout/local/BN-20261122-7KQ2MX")
            )));
            for outcome in ["pay", "fail", "cancel"] {
                assert!(html.contains(&format!(r#"name="outcome" value="{outcome}""#)));
            }
            assert!(html.contains("$39.90"));
            let html = render(locale, || {
                view! { <LocalCheckout ctx=ctx(Some(viewer()), None) order=order("paid") /> }
            });
            check(&format!("checkout-local-done-{}", locale.tag()), &html);
            assert!(!html.contains(r#"name="outcome""#));
        }
    }

    #[test]
    fn the_success_page_follows_the_order() {
        for locale in Locale::ALL {
            for status in ORDER_STATUSES {
                let html = render(locale, || {
                    view! { <CheckoutResult ctx=ctx(Some(viewer()), None) order=order(status) /> }
                });
                check(&format!("checkout-{status}-{}", locale.tag()), &html);
                assert_eq!(test_id_text(&html, "order-status"), Some(*status));
                assert_eq!(
                    html.contains(r#"http-equiv="refresh""#),
                    *status == "created",
                    "{status}: reloads only while pending"
                );
                assert_eq!(
                    test_id_text(&html, "balance"),
                    (*status == "paid").then_some("530"),
                    "{status}"
                );
            }
        }
    }

    fn overview() -> BillingOverview {
        BillingOverview {
            balance: BalanceView {
                available: 120,
                held: 10,
                frozen: 500,
                debt: 0,
                total: 120,
            },
            lots: vec![
                LotView {
                    source: "signup_bonus".into(),
                    amount: 30,
                    remaining: 20,
                    expires_at: Some(1_700_000_000_000),
                    frozen: false,
                    expiring_soon: true,
                },
                LotView {
                    source: "purchase".into(),
                    amount: 500,
                    remaining: 500,
                    expires_at: Some(1_731_536_000_000),
                    frozen: true,
                    expiring_soon: false,
                },
            ],
            expiring_soon: 20,
            entries: vec![LedgerEntryView {
                kind: "grant".into(),
                delta: 500,
                balance_after: 620,
                order_number: Some("BN-20261122-7KQ2MX".into()),
                created_at: 1_700_000_000_000,
            }],
            kind: Some("grant".into()),
            older: Some(1_699_999_999_000),
            orders: vec![OrderView {
                number: "BN-20261122-7KQ2MX".into(),
                product_key: "billing-product-package".into(),
                credits: 500,
                amount: "$39.90".into(),
                status: "paid".into(),
                created_at: 1_700_000_000_000,
                paid_at: Some(1_700_000_060_000),
            }],
            subscriptions: vec![SubscriptionView {
                id: "sub-1".into(),
                product_key: "billing-product-plan-month".into(),
                credits: 800,
                status: "active".into(),
                period_end: Some(1_702_592_000_000),
                cancel_at_period_end: false,
                provider: "local".into(),
            }],
            manage_via_portal: false,
            profile: BillingProfileView {
                name: "Ada Lovelace".into(),
                company: String::new(),
                address: "12 St James's Square\nLondon".into(),
                tax_id: String::new(),
            },
            referral: ReferralView {
                link: "https://banana.example/r/abcd2345".into(),
                referred: 3,
                rewarded: 1,
                referrer_bonus: 100,
                referred_bonus: 50,
            },
        }
    }

    #[test]
    fn billing_settings_show_credits_orders_and_forms() {
        for locale in Locale::ALL {
            let flash = error(
                "billing-profile",
                "billing-profile-error-too-long",
                &[("name", "Ada typed this"), ("tax_id", "GB123")],
            )
            .map(|mut f| {
                f.args = vec![("field".into(), "tax_id".into())];
                f
            });
            let context = ctx(Some(viewer()), flash);
            let html = render(locale, || {
                view! { <Billing ctx=context.clone() viewer=viewer() overview=Some(overview()) /> }
            });
            check(
                &format!("billing-{}", locale.tag()),
                &without_history_filter(&html),
            );
            assert_eq!(test_id_text(&html, "billing-balance"), Some("120"));
            assert!(html.contains(r#"<tr class="expiring">"#));
            assert!(html.contains(r#"<option value="grant" selected"#));
            let page = locale.path("/settings/billing");
            assert!(html.contains(&format!(
                r#"href="{page}?kind=grant&amp;before=1699999999000""#
            )));
            assert!(html.contains(&format!(
                r#"href="{}""#,
                locale.path("/settings/billing/orders/BN-20261122-7KQ2MX")
            )));
            assert!(html.contains(&format!(
                r#"action="{}""#,
                locale.path("/settings/billing/subscriptions/sub-1/cancel")
            )));
            assert!(!html.contains("/settings/billing/portal"));
            assert!(html.contains(&format!(
                r#"action="{}""#,
                locale.path("/settings/billing/profile")
            )));
            // Refused: the typed values come back, and the message names the field.
            assert!(
                html.contains(r#"value="Ada typed this""#) && html.contains(r#"value="GB123""#)
            );
            assert!(!html.contains("{ $field }") && !html.contains("One of the fields"));
            assert!(html.contains(r#"value="https://banana.example/r/abcd2345""#));
            for name in ["name", "company", "address", "tax_id"] {
                assert!(html.contains(&format!(r#"name="{name}""#)), "{name}");
            }
        }
        // In debt, with a provider's portal.
        let mut owing = overview();
        owing.balance = BalanceView {
            available: 0,
            held: 0,
            frozen: 0,
            debt: 40,
            total: -40,
        };
        owing.manage_via_portal = true;
        owing.subscriptions[0].provider = "stripe".into();
        let html = render(Locale::En, || {
            view! { <Billing ctx=ctx(Some(viewer()), None) viewer=viewer() overview=Some(owing.clone()) /> }
        });
        check("billing-debt-en", &without_history_filter(&html));
        assert_eq!(test_id_text(&html, "billing-balance"), Some("-40"));
        assert!(html.contains("Spending is blocked"));
        assert!(html.contains(r#"action="/settings/billing/portal""#));
        assert!(!html.contains("/cancel\""));
    }

    #[test]
    fn receipts_print_the_order_and_billing_details() {
        let receipt = ReceiptView {
            order: OrderView {
                number: "BN-20261122-7KQ2MX".into(),
                product_key: "billing-product-plan-year".into(),
                credits: 9600,
                amount: "¥1390.00".into(),
                status: "refunded".into(),
                created_at: 1_700_000_000_000,
                paid_at: Some(1_700_000_060_000),
            },
            kind: "subscription".into(),
            refunded: Some("¥1390.00".into()),
            refunded_at: Some(1_700_100_000_000),
            period_start: Some(1_700_000_060_000),
            period_end: Some(1_731_622_460_000),
            provider: "stripe".into(),
            profile: BillingProfileView {
                name: "Ada Lovelace".into(),
                company: "Analytical Engines".into(),
                address: "London".into(),
                tax_id: "GB123".into(),
            },
            email: "ada@example.com".into(),
        };
        for locale in Locale::ALL {
            let html = render(locale, || {
                view! { <Receipt ctx=ctx(Some(viewer()), None) viewer=viewer() receipt=Ok(Some(receipt.clone())) /> }
            });
            check(&format!("receipt-{}", locale.tag()), &html);
            for text in [
                "BN-20261122-7KQ2MX",
                "9600",
                "Analytical Engines",
                "GB123",
                "ada@example.com",
                "2023-11-14",
            ] {
                assert!(html.contains(text), "{text}");
            }
            assert!(html.contains("−¥1390.00"));
            let html = render(locale, || {
                view! { <Receipt ctx=ctx(Some(viewer()), None) viewer=viewer() receipt=Ok(None) /> }
            });
            check(&format!("receipt-missing-{}", locale.tag()), &html);
            assert!(html.contains(r#"role="alert""#));
        }
    }

    #[test]
    fn disputes_list_with_a_note_form_each() {
        let disputes = vec![DisputeView {
            id: "d-1".into(),
            order_number: "BN-20261122-7KQ2MX".into(),
            provider: "stripe".into(),
            status: "open".into(),
            reason: "fraudulent".into(),
            amount: "$39.90".into(),
            created_at: 1_700_000_000_000,
            closed_at: None,
            notes: vec![DisputeNoteView {
                author: Some("Grace".into()),
                body: "Sent evidence.".into(),
                created_at: 1_700_000_100_000,
            }],
        }];
        let mut admin = viewer();
        admin.role = "admin".into();
        for locale in Locale::ALL {
            let html = render(locale, || {
                view! { <Disputes ctx=ctx(Some(admin.clone()), None) viewer=admin.clone() disputes=Some(disputes.clone()) /> }
            });
            check(&format!("disputes-{}", locale.tag()), &html);
            assert!(html.contains(&format!(
                r#"action="{}""#,
                locale.path("/admin/disputes/d-1/notes")
            )));
            assert!(html.contains(r#"name="body""#));
            assert!(html.contains("Sent evidence.") && html.contains("Grace"));
            let html = render(locale, || {
                view! { <Disputes ctx=ctx(Some(admin.clone()), None) viewer=admin.clone() disputes=None /> }
            });
            assert!(!html.contains("<form class=\"stack\""));
        }
    }
}

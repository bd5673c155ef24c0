//! The pricing page (`/pricing`): credit packages and plans, each with its checkout form.

mod offer;

use crate::api::{load_page_context, load_pricing};
use crate::components::billing::query_value;
use crate::components::forms::{FlashMessages, FormAlert, FormFeedback, LoadFailed, Loading};
use crate::components::page_meta::PageMeta;
use crate::i18n::{Locale, t, use_locale};
use crate::model::{PageContext, PlanOffer, PricingView};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use offer::{OfferForm, PackageCard, PlanCard};

/// The currency prices show in when the visitor has not chosen one.
fn default_currency(locale: Locale) -> &'static str {
    match locale {
        Locale::ZhCn => "cny",
        Locale::En => "usd",
    }
}

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
pub(crate) fn Pricing(ctx: PageContext, pricing: PricingView) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "checkout");
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
                <div class="pricing-bar">
                    <CurrencySwitch current=pricing.currency.clone() />
                    <SignupBonus credits=pricing.signup_bonus days=pricing.signup_bonus_days />
                </div>
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

/// Links that show the prices in another currency.
#[component]
fn CurrencySwitch(current: String) -> impl IntoView {
    let locale = use_locale();
    let page = locale.path("/pricing");
    let currency_link = |code: &'static str, key: &'static str| {
        view! {
            <li>
                <a
                    href=format!("{page}?currency={code}")
                    aria-current=(current == code).then_some("true")
                >
                    {t(key)}
                </a>
            </li>
        }
    };
    view! {
        <nav class="currency-switch" aria-label=t("pricing-currency")>
            <ul>
                {currency_link("usd", "pricing-currency-usd")}
                {currency_link("cny", "pricing-currency-cny")}
            </ul>
        </nav>
    }
}

/// The credits every new account starts with, when there are any.
#[component]
fn SignupBonus(credits: i64, days: i64) -> impl IntoView {
    let locale = use_locale();
    (credits > 0).then(|| {
        view! {
            <p class="pricing-bonus">
                {locale
                    .t_args(
                        "pricing-signup-bonus",
                        &[("credits", credits.into()), ("days", days.into())],
                    )}
            </p>
        }
    })
}

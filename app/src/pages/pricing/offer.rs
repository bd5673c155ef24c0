//! One offer of the pricing page: a credit package or a plan, with its checkout form.

use crate::components::billing::product_name;
use crate::components::forms::CsrfField;
use crate::i18n::{t, use_locale};
use crate::model::{PackageOffer, PlanOffer};
use leptos::prelude::*;

/// What every checkout form of the pricing page shares.
#[derive(Clone)]
pub(crate) struct OfferForm {
    pub(crate) action: String,
    pub(crate) csrf: String,
    pub(crate) currency: String,
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
pub(crate) fn PackageCard(offer: PackageOffer, form: OfferForm) -> impl IntoView {
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
pub(crate) fn PlanCard(offer: PlanOffer, form: OfferForm) -> impl IntoView {
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

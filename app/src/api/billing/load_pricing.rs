//! The pricing page's offers, priced from the server's catalog.

use crate::model::PricingView;
use leptos::prelude::*;

/// Every product priced in `currency` (`usd` or `cny`; anything else: US dollars). The page
/// passes its locale's currency unless the visitor chose one. Open to everyone.
#[server(endpoint = "pricing")]
pub async fn load_pricing(currency: Option<String>) -> Result<PricingView, ServerFnError> {
    use crate::api::ssr::{internal, session, state};
    use crate::model::{PackageOffer, PlanOffer};
    use domain::{billing::Currency, config::PaymentProviderKind};
    let state = state()?;
    let session = session().await?;
    let signed_in = domain::accounts::sessions::signed_in_user(&state, &session)
        .await
        .map_err(internal)?
        .is_some();
    let currency = currency
        .as_deref()
        .and_then(Currency::parse)
        .unwrap_or(Currency::Usd);
    let price = |usd: i64, cny: i64| match currency {
        Currency::Usd => currency.format(usd),
        Currency::Cny => currency.format(cny),
    };
    let billing = &state.config.billing;
    let catalog = &billing.catalog;
    Ok(PricingView {
        currency: currency.code().to_string(),
        packages: catalog
            .packages
            .iter()
            .map(|p| PackageOffer {
                id: p.id.clone(),
                credits: p.credits,
                price: price(p.usd, p.cny),
                validity_days: p.validity_days,
                popular: p.popular,
            })
            .collect(),
        plans: catalog
            .plans
            .iter()
            .map(|p| PlanOffer {
                id: p.id.clone(),
                interval: p.interval.as_str().to_string(),
                credits: p.credits,
                price: price(p.usd, p.cny),
                popular: p.popular,
            })
            .collect(),
        signed_in,
        test_checkout: billing.provider == PaymentProviderKind::Local,
        signup_bonus: catalog.signup_bonus.credits,
        signup_bonus_days: catalog.signup_bonus.validity_days,
    })
}

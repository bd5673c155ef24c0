//! `/checkout`: starts a payment for a product of the catalog, and the local checkout's
//! choices (dev only).

use crate::http::{CurrentUser, FormContext, HttpError, see_other};
use app::i18n::Locale;
use axum::{
    Form,
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use domain::{
    billing::{self, BillingError, Currency, LocalOutcome, Product},
    config::PaymentProviderKind,
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CheckoutForm {
    #[serde(default)]
    product: String,
    #[serde(default)]
    currency: String,
}

/// Starts a checkout for a product of the catalog. Only the product id and the currency
/// are read from the form: the price is the catalog's.
pub async fn checkout(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<CheckoutForm>,
) -> Response {
    let currency = Currency::parse(&form.currency).unwrap_or(Currency::Usd);
    let pricing = ctx.path(&format!("/pricing?currency={}", currency.code()));
    let catalog = &ctx.state.config.billing.catalog;
    let Some(product) = catalog.product(&form.product) else {
        return ctx
            .refuse_at(
                &pricing,
                "checkout",
                HttpError::domain(BillingError::UnknownProduct),
                &[],
            )
            .await;
    };
    let name = product_name(ctx.locale, &product);
    let buyer = billing::Buyer {
        user_id: &user.id,
        email: &user.email,
        locale: ctx.locale.tag(),
    };
    match billing::start_checkout(&ctx.state, &buyer, &form.product, currency, &name).await {
        Ok((order, start)) => {
            tracing::info!(order = %order.number, provider = %order.provider, "checkout started");
            see_other(&start.redirect_url)
        }
        Err(e) => {
            ctx.refuse_at(&pricing, "checkout", HttpError::domain(e), &[])
                .await
        }
    }
}

/// A product's name in the person's language, as the provider's checkout page shows it.
fn product_name(locale: Locale, product: &Product) -> String {
    let (key, credits) = match product {
        Product::Package(p) => ("billing-product-package", p.credits),
        Product::Plan(p) => match p.interval {
            billing::Interval::Month => ("billing-product-plan-month", p.credits),
            billing::Interval::Year => ("billing-product-plan-year", p.credits),
        },
    };
    app::components::forms::localize_with_args(
        locale,
        key,
        &[("credits".to_string(), credits.to_string())],
    )
}

#[derive(Deserialize)]
pub struct LocalCheckoutForm {
    #[serde(default)]
    outcome: String,
}

/// The local checkout's buttons: pay, fail or cancel, applied exactly as a provider's
/// events would be. Only while the local checkout takes payments (never in production).
pub async fn local_checkout(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Path(number): Path<String>,
    Form(form): Form<LocalCheckoutForm>,
) -> Response {
    if ctx.state.config.billing.provider != PaymentProviderKind::Local || !ctx.state.config.is_dev()
    {
        return HttpError::not_found().into_response();
    }
    let outcome = match form.outcome.as_str() {
        "pay" => LocalOutcome::Pay,
        "fail" => LocalOutcome::Fail,
        "cancel" => LocalOutcome::Cancel,
        _ => return StatusCode::UNPROCESSABLE_ENTITY.into_response(),
    };
    let order = match billing::order_by_number(&ctx.state.db, &user.id, &number).await {
        Ok(Some(order)) if order.provider == "local" => order,
        Ok(_) => return HttpError::not_found().into_response(),
        Err(e) => return ctx.refuse("", HttpError::domain(e), &[]).await,
    };
    let catalog = &ctx.state.config.billing.catalog;
    if let Err(e) = billing::complete_local_checkout(&ctx.state.db, catalog, &order, outcome).await
    {
        return ctx.refuse("", HttpError::domain(e), &[]).await;
    }
    let page = if outcome == LocalOutcome::Cancel {
        "/checkout/cancel"
    } else {
        "/checkout/success"
    };
    see_other(&ctx.path(&format!("{page}?order={}", order.number)))
}

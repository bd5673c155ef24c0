//! Payments over HTTP: the checkout form, the local checkout's choices, billing settings
//! forms, referral links, and the providers' webhooks (raw body, signature first).

use crate::auth::{AuthState, FormContext, Refusal, see_other};
use app::i18n::Locale;
use axum::{
    Form, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use domain::{
    AppState,
    billing::{self, Applied, BillingError, BillingProfile, Currency, LocalOutcome, Product},
    config::PaymentProviderKind,
};
use serde::Deserialize;
use tower_sessions::Session;

/// The session key holding the referral code a visitor arrived with.
pub const REFERRAL: &str = "referral";

/// Webhooks can be large (invoices with many lines) but not unbounded.
const MAX_WEBHOOK_BYTES: usize = 1024 * 1024;

/// Billing forms, in every locale, and the referral link.
pub fn routes(state: AuthState) -> Router {
    let mut router = Router::new();
    for locale in Locale::ALL {
        let p = |page: &str| locale.path(page);
        router = router
            .route(&p("/checkout"), post(checkout))
            .route(&p("/checkout/local/{number}"), post(local_checkout))
            .route(&p("/settings/billing/profile"), post(save_profile))
            .route(&p("/settings/billing/portal"), post(portal))
            .route(
                &p("/settings/billing/subscriptions/{id}/cancel"),
                post(cancel_local_subscription),
            )
            .route(&p("/admin/disputes/{id}/notes"), post(dispute_note));
    }
    router.route("/r/{code}", get(referral)).with_state(state)
}

/// The providers' webhooks: outside the session and the anti-forgery guard (they are
/// signed instead).
pub fn webhook_routes(state: AppState) -> Router {
    Router::new()
        .route("/webhooks/{provider}", post(webhook))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_WEBHOOK_BYTES))
        .with_state(state)
}

fn refusal(e: &BillingError) -> Refusal {
    let status = match e {
        BillingError::UnknownProduct => StatusCode::UNPROCESSABLE_ENTITY,
        BillingError::UnknownOrder => StatusCode::NOT_FOUND,
        BillingError::ProviderUnavailable => StatusCode::CONFLICT,
        BillingError::Provider(_) => StatusCode::BAD_GATEWAY,
        other => {
            tracing::error!(error = %other, "billing operation failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    Refusal::new(e.message_key(), status)
}

#[derive(Deserialize)]
pub struct CheckoutForm {
    #[serde(default)]
    product: String,
    #[serde(default)]
    currency: String,
}

/// Starts a checkout for a product of the catalog. Only the product id and the currency
/// are read from the form: the price is the catalog's.
async fn checkout(ctx: FormContext, Form(form): Form<CheckoutForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let currency = Currency::parse(&form.currency).unwrap_or(Currency::Usd);
    let pricing = ctx.path(&format!("/pricing?currency={}", currency.code()));
    let catalog = &ctx.state.config.billing.catalog;
    let Some(product) = catalog.product(&form.product) else {
        return ctx
            .refuse_at(
                &pricing,
                "checkout",
                refusal(&BillingError::UnknownProduct),
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
        Err(e) => ctx.refuse_at(&pricing, "checkout", refusal(&e), &[]).await,
    }
}

/// A product's name in the person's language, as the provider's checkout page shows it.
pub fn product_name(locale: Locale, product: &Product) -> String {
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
async fn local_checkout(
    ctx: FormContext,
    Path(number): Path<String>,
    Form(form): Form<LocalCheckoutForm>,
) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    if ctx.state.config.billing.provider != PaymentProviderKind::Local || !ctx.state.config.is_dev()
    {
        return crate::AppError::NotFound.into_response();
    }
    let outcome = match form.outcome.as_str() {
        "pay" => LocalOutcome::Pay,
        "fail" => LocalOutcome::Fail,
        "cancel" => LocalOutcome::Cancel,
        _ => return StatusCode::UNPROCESSABLE_ENTITY.into_response(),
    };
    let order = match billing::order_by_number(&ctx.state.db, &user.id, &number).await {
        Ok(Some(order)) if order.provider == "local" => order,
        Ok(_) => return crate::AppError::NotFound.into_response(),
        Err(e) => return ctx.refuse("", refusal(&e), &[]).await,
    };
    let catalog = &ctx.state.config.billing.catalog;
    if let Err(e) = billing::complete_local_checkout(&ctx.state.db, catalog, &order, outcome).await
    {
        return ctx.refuse("", refusal(&e), &[]).await;
    }
    let page = if outcome == LocalOutcome::Cancel {
        "/checkout/cancel"
    } else {
        "/checkout/success"
    };
    see_other(&ctx.path(&format!("{page}?order={}", order.number)))
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    tax_id: String,
}

async fn save_profile(ctx: FormContext, Form(form): Form<ProfileForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let fields = [
        ("name", form.name.as_str()),
        ("company", form.company.as_str()),
        ("address", form.address.as_str()),
        ("tax_id", form.tax_id.as_str()),
    ];
    let profile = BillingProfile {
        name: form.name.clone(),
        company: form.company.clone(),
        address: form.address.clone(),
        tax_id: form.tax_id.clone(),
    };
    let profile = match profile.validated() {
        Ok(profile) => profile,
        Err(e) => {
            let mut refused = Refusal::new(e.message_key(), StatusCode::UNPROCESSABLE_ENTITY);
            refused
                .args
                .push(("field".to_string(), e.field().to_string()));
            return ctx.refuse("billing-profile", refused, &fields).await;
        }
    };
    match billing::save_billing_profile(&ctx.state.db, &user.id, &profile).await {
        Ok(()) => {
            ctx.done(
                &ctx.path("/settings/billing"),
                "billing-notice-profile-saved",
            )
            .await
        }
        Err(e) => ctx.refuse("billing-profile", refusal(&e), &fields).await,
    }
}

/// Sends the person to their provider's billing portal (a short-lived link, made now).
async fn portal(ctx: FormContext) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let back = format!(
        "{}{}",
        ctx.state.config.public_url,
        ctx.path("/settings/billing")
    );
    match billing::portal_url(&ctx.state, &user.id, &back).await {
        Ok(url) => see_other(&url),
        Err(e) => ctx.refuse("billing-portal", refusal(&e), &[]).await,
    }
}

async fn cancel_local_subscription(ctx: FormContext, Path(id): Path<String>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let catalog = &ctx.state.config.billing.catalog;
    match billing::cancel_local_subscription(&ctx.state.db, catalog, &user.id, &id).await {
        Ok(true) => {
            ctx.done(
                &ctx.path("/settings/billing"),
                "billing-notice-subscription-cancelled",
            )
            .await
        }
        Ok(false) => crate::AppError::NotFound.into_response(),
        Err(e) => ctx.refuse("billing-portal", refusal(&e), &[]).await,
    }
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
}

async fn dispute_note(
    ctx: FormContext,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Response {
    // The gate lets only admins with a fresh second factor reach /admin/*.
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    if form.body.trim().is_empty() {
        return ctx
            .refuse(
                "dispute-note",
                Refusal::new("billing-error-note-empty", StatusCode::UNPROCESSABLE_ENTITY),
                &[],
            )
            .await;
    }
    match billing::add_dispute_note(&ctx.state.db, &id, &user.id, &form.body).await {
        Ok(true) => {
            domain::audit::record(
                ctx.state.db.pool(),
                Some(&user.id),
                None,
                "dispute.note_added",
                serde_json::json!({ "dispute": id }),
                Some(&ctx.client.ip),
            )
            .await
            .ok();
            ctx.done(
                &ctx.path("/admin/disputes"),
                "admin-notice-dispute-note-added",
            )
            .await
        }
        Ok(false) => crate::AppError::NotFound.into_response(),
        Err(e) => ctx.refuse("dispute-note", refusal(&e), &[]).await,
    }
}

/// `/r/{code}`: remembers who referred this visitor, then offers sign-up.
async fn referral(session: Session, Path(code): Path<String>) -> Response {
    if billing::is_referral_code(&code)
        && let Err(e) = session.insert(REFERRAL, code).await
    {
        tracing::warn!(error = %e, "could not remember a referral");
    }
    see_other("/sign-up")
}

/// After an account is created: records the referral the visitor arrived with, if any.
pub async fn attribute_referral(state: &AppState, session: &Session, user_id: &str) {
    let Ok(Some(code)) = session.remove::<String>(REFERRAL).await else {
        return;
    };
    match billing::attribute_referral(&state.db, user_id, &code).await {
        Ok(outcome) => tracing::info!(?outcome, "referral"),
        Err(e) => tracing::warn!(error = %e, "could not record a referral"),
    }
}

/// `POST /webhooks/{provider}`: signature on the raw body first, then the event, once.
/// 400 for a bad signature or payload (nothing changes), 409 for an event about a payment
/// not recorded yet (the provider redelivers it), 200 otherwise.
async fn webhook(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(gateway) = state.payments.webhook_gateway(&provider) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let signature = headers
        .get(gateway.signature_header())
        .and_then(|v| v.to_str().ok());
    match billing::receive_webhook(&state, &provider, signature, &body).await {
        Ok(Applied::Done) | Ok(Applied::Duplicate) => StatusCode::OK.into_response(),
        Ok(Applied::NotYet(why)) => (StatusCode::CONFLICT, why).into_response(),
        Err(BillingError::BadSignature) => {
            tracing::warn!(provider, "webhook refused: bad or stale signature");
            (StatusCode::BAD_REQUEST, "bad signature").into_response()
        }
        Err(BillingError::BadPayload(reason)) => {
            tracing::warn!(provider, reason, "webhook refused: bad payload");
            (StatusCode::BAD_REQUEST, "bad payload").into_response()
        }
        Err(e) => {
            tracing::error!(provider, error = %e, "webhook failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

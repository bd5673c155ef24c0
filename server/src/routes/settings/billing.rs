//! `/settings/billing/*` forms: the billing profile on receipts, the provider's billing
//! portal, and cancelling a local subscription.

use crate::http::{CurrentUser, FormContext, HttpError, see_other};
use axum::{
    Form,
    extract::Path,
    response::{IntoResponse, Response},
};
use domain::billing::{self, BillingProfile};
use serde::Deserialize;

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

pub async fn save_profile(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<ProfileForm>,
) -> Response {
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
            return ctx
                .refuse("billing-profile", HttpError::domain(e), &fields)
                .await;
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
        Err(e) => {
            ctx.refuse("billing-profile", HttpError::domain(e), &fields)
                .await
        }
    }
}

/// Sends the person to their provider's billing portal (a short-lived link, made now).
pub async fn portal(ctx: FormContext, CurrentUser(user): CurrentUser) -> Response {
    let back = format!(
        "{}{}",
        ctx.state.config.public_url,
        ctx.path("/settings/billing")
    );
    match billing::portal_url(&ctx.state, &user.id, &back).await {
        Ok(url) => see_other(&url),
        Err(e) => {
            ctx.refuse("billing-portal", HttpError::domain(e), &[])
                .await
        }
    }
}

pub async fn cancel_local_subscription(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let catalog = &ctx.state.config.billing.catalog;
    match billing::cancel_local_subscription(&ctx.state.db, catalog, &user.id, &id).await {
        Ok(true) => {
            ctx.done(
                &ctx.path("/settings/billing"),
                "billing-notice-subscription-cancelled",
            )
            .await
        }
        Ok(false) => HttpError::not_found().into_response(),
        Err(e) => {
            ctx.refuse("billing-portal", HttpError::domain(e), &[])
                .await
        }
    }
}

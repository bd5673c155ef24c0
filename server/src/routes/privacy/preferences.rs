//! Processing preferences and marketing email: the signed-in person's restriction,
//! objection and newsletter choices (forms on `/settings/privacy`).

use crate::http::{CurrentUser, FormContext, HttpError};
use axum::{Form, http::StatusCode, response::Response};
use domain::privacy::preferences;
use serde::Deserialize;

/// Checkboxes: present ("on") when ticked.
#[derive(Deserialize)]
pub struct ProcessingForm {
    restrict: Option<String>,
    object: Option<String>,
}

fn ticked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty())
}

/// `POST /settings/privacy/processing`: restriction (Art. 18) and objection (Art. 21), as
/// the two boxes say.
pub async fn processing(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<ProcessingForm>,
) -> Response {
    let now = domain::now_ms();
    let (restrict, object) = (ticked(&form.restrict), ticked(&form.object));
    let saved = async {
        preferences::set_restricted(&ctx.state, &user.id, restrict, now).await?;
        preferences::set_objected(&ctx.state, &user.id, object, now).await
    }
    .await;
    match saved {
        Ok(choices) => {
            let notice = if choices.limits_processing() {
                "privacy-notice-processing-limited"
            } else {
                "privacy-notice-processing-full"
            };
            ctx.done(&ctx.path("/settings/privacy"), notice).await
        }
        Err(e) => failed(&ctx, "privacy-processing", e).await,
    }
}

#[derive(Deserialize)]
pub struct MarketingForm {
    #[serde(default)]
    subscribe: String,
}

/// `POST /settings/privacy/marketing`: `subscribe=1` opts in to news and offers, `0` out.
pub async fn marketing_choice(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<MarketingForm>,
) -> Response {
    let subscribe = match form.subscribe.as_str() {
        "1" => true,
        "0" => false,
        _ => {
            let error = HttpError::new("privacy-error-choice", StatusCode::UNPROCESSABLE_ENTITY);
            return ctx
                .refuse_at(
                    &ctx.path("/settings/privacy"),
                    "privacy-marketing",
                    error,
                    &[],
                )
                .await;
        }
    };
    match preferences::set_marketing(
        &ctx.state,
        &user.id,
        subscribe,
        "settings",
        domain::now_ms(),
    )
    .await
    {
        Ok(_) => {
            let notice = if subscribe {
                "privacy-notice-marketing-on"
            } else {
                "privacy-notice-marketing-off"
            };
            ctx.done(&ctx.path("/settings/privacy"), notice).await
        }
        Err(e) => failed(&ctx, "privacy-marketing", e).await,
    }
}

/// The privacy page again with a general error; the cause goes to the log only.
async fn failed(ctx: &FormContext, form: &str, error: impl std::fmt::Display) -> Response {
    let error = HttpError::internal(format_args!("saving privacy preferences failed: {error}"));
    ctx.refuse_at(&ctx.path("/settings/privacy"), form, error, &[])
        .await
}

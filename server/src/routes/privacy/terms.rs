//! Accepting changed terms (`/terms/accept`, which the terms gate leads to) and hiding the
//! notice of a material policy change.

use crate::{
    http::{CurrentUser, FormContext, HttpError, local_path},
    middleware::terms::TERMS_DUE,
};
use axum::{
    Form,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use domain::privacy::policy;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct AcceptForm {
    accept: Option<String>,
    to: Option<String>,
}

pub async fn accept(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<AcceptForm>,
) -> Response {
    if form.accept.as_deref().is_none_or(|v| v.is_empty()) {
        return ctx
            .refuse(
                "terms-accept",
                HttpError::new(
                    "terms-accept-error-unticked",
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                &[],
            )
            .await;
    }
    match policy::accept_terms(&ctx.state, &user.id, domain::now_ms(), Some(&ctx.client.ip)).await {
        Ok(_) => {
            let _ = ctx.session.insert(TERMS_DUE, false).await;
            let to = local_path(form.to.as_deref())
                .filter(|to| !to.contains("/terms/accept"))
                .map(str::to_owned)
                .unwrap_or_else(|| ctx.path("/workbench"));
            ctx.done(&to, "terms-accept-notice").await
        }
        Err(e) => {
            let error =
                HttpError::internal(format_args!("could not record the accepted terms: {e}"));
            ctx.refuse("terms-accept", error, &[]).await
        }
    }
}

#[derive(Deserialize)]
pub struct DismissForm {
    #[serde(default)]
    key: String,
    to: Option<String>,
}

/// Hides the notice of a material policy change for the signed-in person.
pub async fn dismiss(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<DismissForm>,
) -> Response {
    let to = local_path(form.to.as_deref()).unwrap_or("/").to_owned();
    if form.key.len() > 100 {
        return StatusCode::BAD_REQUEST.into_response();
    }
    if let Err(e) = policy::dismiss_notice(&ctx.state.db, &user.id, &form.key).await {
        return HttpError::internal(format_args!("could not dismiss a policy notice: {e}"))
            .into_response();
    }
    Redirect::to(&to).into_response()
}

//! Cancelling a task: `POST /api/tasks/{id}/cancel` (JSON) and the plain form's button.

use super::{INTERNAL, locale_of, owner::owner_of};
use crate::http::{FormContext, HttpError, MaybeUser, see_other};
use app::{api::workbench::ssr::task_view, model::TaskView};
use axum::{
    Json,
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use domain::generation::tasks::{self, Cancelled};
use serde::Deserialize;

async fn cancel(
    ctx: &FormContext,
    user: Result<MaybeUser, HttpError>,
    id: &str,
) -> Result<TaskView, HttpError> {
    let not_found = || HttpError::new("generation-error-not-found", StatusCode::NOT_FOUND);
    let owner = owner_of(ctx, user?.0).await?.ok_or_else(not_found)?;
    let state = &ctx.state;
    match tasks::cancel(&state.db, &state.events, &owner, id, domain::now_ms())
        .await
        .map_err(|e| HttpError::internal_as(INTERNAL, e))?
    {
        Cancelled::Done(task) => Ok(task_view(state, &task)),
        Cancelled::NotFound => Err(not_found()),
        Cancelled::TooLate(_) => Err(HttpError::new(
            "generation-error-too-late",
            StatusCode::CONFLICT,
        )),
    }
}

#[derive(Deserialize, Default)]
pub struct LocaleQuery {
    #[serde(default)]
    locale: Option<String>,
}

/// `POST /api/tasks/{id}/cancel`.
pub async fn cancel_json(
    ctx: FormContext,
    user: Result<MaybeUser, HttpError>,
    Path(id): Path<String>,
    body: Option<Json<LocaleQuery>>,
) -> Response {
    let locale = locale_of(body.as_ref().and_then(|b| b.locale.as_deref()));
    match cancel(&ctx, user, &id).await {
        Ok(view) => Json(view).into_response(),
        Err(error) => error.json(locale),
    }
}

/// `POST /workbench/tasks/{id}/cancel`: the plain form's cancel button.
pub async fn cancel_form(
    ctx: FormContext,
    user: Result<MaybeUser, HttpError>,
    Path(id): Path<String>,
) -> Response {
    match cancel(&ctx, user, &id).await {
        Ok(_) => see_other(&ctx.path("/workbench")),
        Err(error) => ctx.refuse("workbench", error, &[]).await,
    }
}

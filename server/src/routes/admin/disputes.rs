//! `/admin/disputes/{id}/notes`: an admin's note on a payment dispute.

use crate::http::{AdminUser, FormContext, HttpError};
use axum::{
    Form,
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use domain::billing;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
}

pub async fn dispute_note(
    ctx: FormContext,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Response {
    if form.body.trim().is_empty() {
        return ctx
            .refuse(
                "dispute-note",
                HttpError::new("billing-error-note-empty", StatusCode::UNPROCESSABLE_ENTITY),
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
        Ok(false) => HttpError::not_found().into_response(),
        Err(e) => ctx.refuse("dispute-note", HttpError::domain(e), &[]).await,
    }
}

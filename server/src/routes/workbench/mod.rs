//! The workbench over HTTP: uploads, submits (JSON for the hydrated page, multipart for the
//! plain form), the live task stream, cancel, and the providers' signed callbacks.
//!
//! Every route works for accounts and guests. A guest is known by the signed `guest`
//! cookie, made on their first upload or submit; every task and upload route checks that
//! the object belongs to whoever asks.

mod callbacks;
mod events;
mod multipart;
mod owner;
mod submit;
mod tasks;
mod uploads;

use crate::http::{HttpState, LocalizedRoutes};
use app::i18n::Locale;
use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use domain::AppState;

/// A multipart request carries at most a few images: the references, a mask and the form.
const MAX_FORM_BODY: usize = 64 * 1024 * 1024;
/// One upload. Files over the upload limit (10 MB) are refused, but a body up to this size
/// is read to its end first, so the client, still sending, receives the refusal instead of
/// a reset connection.
const MAX_UPLOAD_BODY: usize = 64 * 1024 * 1024;
/// Provider callbacks are small JSON documents.
const MAX_CALLBACK_BODY: usize = 1024 * 1024;

/// The code of every failure of the workbench that is ours, not the person's.
const INTERNAL: &str = "generation-error-internal";

/// The workbench's routes, with the session (and the anti-forgery guard).
pub fn router(state: HttpState) -> Router {
    Router::new()
        .route(
            "/api/uploads",
            post(uploads::upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
        )
        .route("/api/generations", post(submit::submit_json))
        .route("/api/tasks/events", get(events::events))
        .route("/api/tasks/{id}/cancel", post(tasks::cancel_json))
        .localized(
            "/workbench",
            post(submit::submit_form).layer(DefaultBodyLimit::max(MAX_FORM_BODY)),
        )
        .localized("/workbench/tasks/{id}/cancel", post(tasks::cancel_form))
        .with_state(state)
}

/// Providers' callbacks: outside the session and the anti-forgery guard (they are signed).
pub fn callback_router(state: AppState) -> Router {
    Router::new()
        .route("/callbacks/{provider}", post(callbacks::callback))
        .layer(DefaultBodyLimit::max(MAX_CALLBACK_BODY))
        .with_state(state)
}

/// The language of a JSON answer: the page's, as the request names it.
fn locale_of(tag: Option<&str>) -> Locale {
    tag.and_then(Locale::from_tag).unwrap_or(Locale::En)
}

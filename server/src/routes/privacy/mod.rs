//! The privacy centre over HTTP: consent choices, self-service (export, deletion),
//! processing preferences, marketing email, rights requests and changed terms. The rules
//! live in `domain::privacy`; these handlers only translate requests to them.

mod consent;
mod delete;
mod export;
mod jobs;
mod preferences;
mod requests;
mod terms;
mod unsubscribe;

pub use jobs::spawn_background;

use crate::http::{FormContext, HttpState, LocalizedRoutes};
use app::i18n::Locale;
use axum::{
    Router,
    routing::{get, post},
};
use domain::privacy::marketing::UNSUBSCRIBE_PATH;

/// The forms' names in flash messages, as the settings page shows their errors.
const EXPORT_FORM: &str = "privacy-export";
const DELETE_FORM: &str = "privacy-delete";

/// Every privacy route that runs with the session (forms, pages' POST targets).
pub fn router(state: HttpState) -> Router {
    let mut router = Router::new()
        .route("/consent", post(consent::choose))
        .localized("/settings/privacy/export", post(export::request_export))
        .localized("/settings/privacy/exports/{id}", get(export::download))
        .localized("/settings/privacy/delete", post(delete::delete_account))
        .localized(
            "/settings/privacy/processing",
            post(preferences::processing),
        )
        .localized(
            "/settings/privacy/marketing",
            post(preferences::marketing_choice),
        )
        .localized("/privacy/requests", post(requests::submit))
        .localized("/privacy/requests/verify", post(requests::verify))
        // One path for both: `List-Unsubscribe` names it, mail clients POST to it.
        .route(
            UNSUBSCRIBE_PATH,
            get(unsubscribe::unsubscribe_page).post(unsubscribe::unsubscribe),
        );
    for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::DEFAULT) {
        router = router.route(
            &locale.path(UNSUBSCRIBE_PATH),
            get(unsubscribe::unsubscribe_page),
        );
    }
    router
        .localized("/terms/accept", post(terms::accept))
        .route("/policy-notice/dismiss", post(terms::dismiss))
        .with_state(state)
}

/// The privacy settings page, where the export and deletion forms live and show their
/// errors.
fn settings_page(ctx: &FormContext) -> String {
    ctx.path("/settings/privacy")
}

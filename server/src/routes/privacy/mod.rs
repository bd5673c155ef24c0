//! The privacy centre over HTTP: consent choices, first-party analytics, self-service
//! (export, deletion), processing preferences and rights requests. The rules live in
//! `domain::privacy`; this module only translates requests to them.

pub mod consent;
pub mod preferences;
pub mod requests;
pub mod self_service;
pub mod terms;

use crate::auth::AuthState;
use axum::Router;

/// The privacy centre's background work: the export builder, the retention sweeper, and
/// the service notices of material policy changes (resumed at every start).
pub fn spawn_background(state: domain::AppState) {
    self_service::spawn_export_worker(state.clone());
    preferences::spawn_sweeper(state.clone());
    tokio::spawn(async move {
        match domain::privacy::policy::send_material_notices(&state, domain::now_ms()).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "sent policy change notices"),
            Err(e) => tracing::warn!(error = %e, "could not send policy change notices"),
        }
    });
}

/// Every privacy route that runs with the session (forms, pages' POST targets).
pub fn routes(state: AuthState) -> Router {
    Router::new()
        .merge(consent::routes(state.clone()))
        .merge(self_service::routes(state.clone()))
        .merge(preferences::routes(state.clone()))
        .merge(terms::routes(state.clone()))
        .merge(requests::routes(state))
}

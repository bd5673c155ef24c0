//! The terms gate. When a material version of the terms is published, everyone who
//! accepted an older one is asked to accept it at their next sign-in: until they do, pages
//! lead to /terms/accept (the legal documents and signing out stay open).

use app::i18n::Locale;
use axum::{
    extract::{Request, State},
    http::{Method, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use domain::{AppState, accounts::sessions::keys, privacy::policy};
use tower_sessions::Session;

/// The session's record of whether its person must accept the terms again: checked once
/// per sign-in.
pub const TERMS_DUE: &str = "privacy.terms_due";

/// Pages that stay open while the terms wait to be accepted: the documents themselves, and
/// every privacy right — someone who will not accept new terms can still take their data
/// and leave.
fn exempt(page: &str) -> bool {
    matches!(
        page,
        "/terms" | "/terms/accept" | "/privacy" | "/cookies" | "/sign-in" | "/sign-out"
    ) || page.starts_with("/legal/")
        || page.starts_with("/privacy/")
        || page.starts_with("/settings/privacy")
        || page == "/unsubscribe"
        || page.starts_with("/api/")
        || page.starts_with("/dev/")
}

/// Whether the session's person must accept the terms, computed once per session.
async fn due(state: &AppState, session: &Session, user_id: &str) -> bool {
    if let Ok(Some(due)) = session.get::<bool>(TERMS_DUE).await {
        return due;
    }
    let due = match policy::terms_due_for(&state.db, user_id).await {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!(error = %e, "could not check the accepted terms");
            return false;
        }
    };
    let _ = session.insert(TERMS_DUE, due).await;
    due
}

/// The middleware (inside the session layer): sends page views to /terms/accept while due.
pub async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_page = request.method() == Method::GET
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    let path = request.uri().path().to_owned();
    let (locale, page) = Locale::split_path(&path);
    if !is_page || exempt(page) {
        return next.run(request).await;
    }
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return next.run(request).await;
    };
    let Ok(Some(user_id)) = session.get::<String>(keys::USER_ID).await else {
        return next.run(request).await;
    };
    if !due(&state, &session, &user_id).await {
        return next.run(request).await;
    }
    let back = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| path.clone());
    let to: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
    Redirect::to(&format!("{}?to={to}", locale.path("/terms/accept"))).into_response()
}

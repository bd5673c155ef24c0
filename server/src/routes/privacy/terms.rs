//! Accepting changed terms. When a material version of the terms is published, everyone who
//! accepted an older one is asked to accept it at their next sign-in: until they do, pages
//! lead to /terms/accept (the legal documents and signing out stay open).

use crate::auth::{AuthState, FormContext, Refusal, local_path};
use app::i18n::Locale;
use axum::{
    Form, Router,
    extract::{Request, State},
    http::{Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
    routing::post,
};
use domain::{AppState, accounts::sessions::keys, privacy::policy};
use serde::Deserialize;
use tower_sessions::Session;

/// The session's record of whether its person must accept the terms again: checked once
/// per sign-in.
const TERMS_DUE: &str = "privacy.terms_due";

pub fn routes(state: AuthState) -> Router {
    let mut router = Router::new();
    for locale in Locale::ALL {
        router = router.route(&locale.path("/terms/accept"), post(accept));
    }
    router
        .route("/policy-notice/dismiss", post(dismiss))
        .with_state(state)
}

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

#[derive(Deserialize)]
pub struct AcceptForm {
    accept: Option<String>,
    to: Option<String>,
}

async fn accept(ctx: FormContext, Form(form): Form<AcceptForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    if form.accept.as_deref().is_none_or(|v| v.is_empty()) {
        return ctx
            .refuse(
                "terms-accept",
                Refusal::new(
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
            tracing::error!(error = %e, "could not record the accepted terms");
            ctx.refuse(
                "terms-accept",
                Refusal::new("error-internal", StatusCode::INTERNAL_SERVER_ERROR),
                &[],
            )
            .await
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
async fn dismiss(ctx: FormContext, Form(form): Form<DismissForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let to = local_path(form.to.as_deref()).unwrap_or("/").to_owned();
    if form.key.len() > 100 {
        return StatusCode::BAD_REQUEST.into_response();
    }
    if let Err(e) = policy::dismiss_notice(&ctx.state.db, &user.id, &form.key).await {
        tracing::error!(error = %e, "could not dismiss a policy notice");
        return crate::AppError::Internal(anyhow::anyhow!("notice not dismissed")).into_response();
    }
    Redirect::to(&to).into_response()
}

//! Every route, by URL family: each area owns its `router()`, and [`router`] assembles
//! them with the middleware around them.

pub mod admin;
pub mod assets;
pub mod auth;
pub mod billing;
pub mod dev_mail;
pub mod files;
pub mod health;
pub mod legal;
pub mod pages;
pub mod prefs;
pub mod privacy;
pub mod settings;
pub mod sitemap;
pub mod support;
pub mod workbench;

use crate::middleware::{self, ErrorPages, SiteSecurity};
use axum::{
    Router,
    routing::{get, post},
};
use domain::{AppState, config::Mode};
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::{
    CompressionLevel,
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

/// The whole site: the bundle and the signed provider endpoints outside the session;
/// everything else inside it; and around all, request ids, tracing, security headers,
/// error pages and compression.
pub fn router(state: AppState) -> Router {
    let security = Arc::new(SiteSecurity {
        https: state.config.is_https(),
        turnstile: state.config.turnstile.is_some(),
        dev_reload: (state.config.mode == Mode::Dev && std::env::var_os("LEPTOS_WATCH").is_some())
            .then(|| format!("ws://{}:3001", state.config.addr.ip())),
    });
    let error_pages = ErrorPages {
        stylesheet: format!("/pkg/{}.css", pages::OUTPUT_NAME).into(),
    };
    Router::new()
        .merge(pages::bundle(&state))
        .merge(billing::webhook_router(state.clone()))
        .merge(workbench::callback_router(state.clone()))
        .merge(with_session(&state))
        .layer(
            ServiceBuilder::new()
                .layer(axum::middleware::from_fn(middleware::request_id_guard))
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                        let id = request
                            .headers()
                            .get("x-request-id")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default();
                        tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
                    }),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(axum::middleware::from_fn_with_state(security, middleware::security_headers))
                .layer(axum::middleware::from_fn_with_state(error_pages, middleware::error_pages))
                .layer(CompressionLayer::new().quality(CompressionLevel::Fastest)),
        )
}

/// Everything but the bundle and the signed endpoints sees the session: pages, forms,
/// server functions, behind the gates.
fn with_session(state: &AppState) -> Router {
    let pages = pages::pages(state);
    let forms = pages.state;
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/sitemap.xml", get(sitemap::sitemap))
        .route("/robots.txt", get(sitemap::robots))
        .route("/lang/{tag}", get(prefs::choose_language))
        .route("/prefs/theme", post(prefs::choose_theme))
        .with_state(state.clone())
        .merge(auth::router(forms.clone()))
        .merge(settings::router(forms.clone()))
        .merge(admin::router(forms.clone()))
        .merge(files::router(forms.clone()))
        .merge(dev_mail::router(forms.clone()))
        .merge(billing::router(forms.clone()))
        .merge(workbench::router(forms.clone()))
        .merge(privacy::router(forms.clone()))
        .merge(support::router(forms))
        .merge(pages.router)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::account::header_account,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::gate::gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::csrf::csrf_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::terms::gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::consent::track,
        ))
        .layer(middleware::session::session_layer(state))
}

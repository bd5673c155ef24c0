//! The router: machine endpoints (health, sitemap, robots), the preference endpoints
//! (language, theme), static files, and the Leptos app for every page.

use crate::{
    AppError, auth,
    middleware::{self, CspNonce, ErrorPages, SiteSecurity},
};
use app::{LOCALE_COOKIE, PUBLIC_PAGES, SiteInfo, Theme, i18n::Locale};
use axum::{
    Form, Json, Router,
    extract::{Path, Query, State},
    handler::HandlerWithoutStateExt,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use domain::{AppState, config::Mode, privacy};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde::Deserialize;
use std::{sync::Arc, time::Duration};
use tower::ServiceBuilder;
use tower_http::{
    CompressionLevel,
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

/// The name of the WASM bundle and stylesheet: set by cargo-leptos at build time.
pub const OUTPUT_NAME: &str = match option_env!("LEPTOS_OUTPUT_NAME") {
    Some(name) => name,
    None => "banana-nano",
};

fn leptos_options(state: &AppState) -> LeptosOptions {
    let config = &state.config;
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .env(match config.mode {
            Mode::Dev => leptos::config::Env::DEV,
            Mode::Production => leptos::config::Env::PROD,
        })
        .site_addr(config.addr)
        .reload_port(3001)
        .build()
}

/// The app's routes, generated once per process. Generating them runs the app with
/// resource loading suppressed process-wide (`leptos_server`'s global flag), so a page
/// rendering meanwhile in another server of the same process (the integration tests start
/// many) would wait forever on its resources.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

pub fn router(state: AppState) -> Router {
    let options = leptos_options(&state);
    let site = SiteInfo {
        public_url: state.config.public_url.clone(),
    };
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_context(site.clone());
            // Use the nonce the security middleware put in this response's CSP.
            if let Some(nonce) = use_context::<http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
            {
                provide_context(leptos::nonce::Nonce::from_value(nonce.0));
            }
        }
    };
    let shell = {
        let options = options.clone();
        move || app::shell(options.clone())
    };
    let render_page =
        leptos_axum::render_app_to_stream_with_context(context.clone(), shell.clone());
    // Account forms show their page again, whole, when they refuse something.
    let render_async = leptos_axum::render_app_async_with_context(context.clone(), shell.clone());
    let auth_state = auth::AuthState {
        app: state.clone(),
        render: Arc::new(move |request| Box::pin(render_async(request))),
    };
    let site_root = state.config.site_root.clone();
    let static_files = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        ))
        .service(
            ServeDir::new(&site_root)
                .precompressed_br()
                .precompressed_gzip()
                .append_index_html_on_directories(false)
                .call_fallback_on_method_not_allowed(true)
                .fallback(render_page.into_service()),
        );
    // The bundle's names do not change between builds, so browsers revalidate them.
    let bundle = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(
            ServeDir::new(site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        );

    let pages = Router::new()
        .leptos_routes_with_context(&options, route_list(), context, shell)
        .fallback_service(static_files)
        .with_state(options.clone())
        .layer(axum::middleware::from_fn(middleware::locale_redirect));

    let security = Arc::new(SiteSecurity {
        https: state.config.is_https(),
        turnstile: state.config.turnstile.is_some(),
        dev_reload: (state.config.mode == Mode::Dev && std::env::var_os("LEPTOS_WATCH").is_some())
            .then(|| format!("ws://{}:3001", state.config.addr.ip())),
    });
    let error_pages = ErrorPages {
        stylesheet: format!("/pkg/{OUTPUT_NAME}.css").into(),
    };

    // Everything but the bundle sees the session: pages, forms, server functions.
    let with_session = Router::new()
        .route("/healthz", get(healthz))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
        .route("/lang/{tag}", get(choose_language))
        .route("/prefs/theme", post(choose_theme))
        .with_state(state.clone())
        .merge(auth::routes(auth_state.clone()))
        .merge(crate::billing::routes(auth_state.clone()))
        .merge(crate::generation::routes(auth_state.clone()))
        .merge(crate::privacy::routes(auth_state))
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::csrf_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::privacy::terms::gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::privacy::consent::track,
        ))
        .layer(auth::session_layer(&state));

    Router::new()
        .nest_service("/pkg", bundle)
        .merge(crate::billing::webhook_routes(state.clone()))
        .merge(crate::generation::callback_routes(state.clone()))
        .merge(with_session)
        .layer(
            ServiceBuilder::new()
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

/// 200 when the database answers, 503 otherwise; never the error's text.
async fn healthz(State(state): State<AppState>) -> Response {
    let database = state.db.backend().name();
    match tokio::time::timeout(Duration::from_secs(3), state.db.ping()).await {
        Ok(Ok(())) => {
            Json(serde_json::json!({ "status": "ok", "database": database })).into_response()
        }
        outcome => {
            if let Ok(Err(e)) = outcome {
                tracing::warn!(error = %e, "health check: database unavailable");
            } else {
                tracing::warn!("health check: database timed out");
            }
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": database })),
            )
                .into_response()
        }
    }
}

/// Every public page in every locale, each with its alternates.
async fn sitemap(State(state): State<AppState>) -> Response {
    let base = &state.config.public_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for page in PUBLIC_PAGES {
        for locale in Locale::ALL {
            xml.push_str(&format!(
                "  <url>\n    <loc>{base}{}</loc>\n",
                locale.path(page)
            ));
            for alternate in Locale::ALL {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{base}{}\"/>\n",
                    alternate.tag(),
                    alternate.path(page)
                ));
            }
            xml.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{base}{}\"/>\n  </url>\n",
                Locale::DEFAULT.path(page)
            ));
        }
    }
    xml.push_str("</urlset>\n");
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /settings/\nDisallow: /admin/\nDisallow: /lang/\n\n\
         Sitemap: {}/sitemap.xml\n",
        state.config.public_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// A local path to send someone back to, else the home page.
fn local_path(to: Option<&str>) -> &str {
    auth::local_path(to).unwrap_or("/")
}

/// A cookie as the privacy registry declares it: its lifetime and HttpOnly come from
/// there, so what we set and what the cookie policy says cannot differ.
pub(crate) fn preference_cookie(state: &AppState, name: &str, value: &str) -> HeaderValue {
    let rule = privacy::cookie(name).expect("every cookie is declared in the privacy registry");
    let mut cookie = format!("{name}={value}; Path=/; SameSite=Lax");
    if let Some(lifetime) = rule.lifetime {
        cookie.push_str(&format!("; Max-Age={}", lifetime.as_secs()));
    }
    if rule.http_only {
        cookie.push_str("; HttpOnly");
    }
    if state.config.is_https() {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).expect("cookie is ASCII")
}

/// Removes cookie `name` (declared in the registry) from the browser.
pub(crate) fn removal_cookie(state: &AppState, name: &str) -> HeaderValue {
    debug_assert!(privacy::cookie(name).is_some());
    let mut cookie = format!("{name}=; Path=/; SameSite=Lax; Max-Age=0");
    if state.config.is_https() {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).expect("cookie is ASCII")
}

#[derive(Deserialize)]
struct ReturnTo {
    to: Option<String>,
}

/// `/lang/<tag>?to=/page`: remembers the language and shows the same page in it.
async fn choose_language(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    Query(query): Query<ReturnTo>,
) -> Result<Response, AppError> {
    let locale = Locale::ALL
        .into_iter()
        .find(|l| l.tag() == tag)
        .ok_or(AppError::NotFound)?;
    // `to` is a path inside a locale; strip a prefix if a caller passed a full path.
    let page = Locale::split_path(local_path(query.to.as_deref())).1;
    let mut response = Redirect::to(&locale.path(page)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        preference_cookie(&state, LOCALE_COOKIE, locale.tag()),
    );
    Ok(response)
}

#[derive(Deserialize)]
struct ThemeForm {
    theme: String,
    to: Option<String>,
}

/// The no-JavaScript theme toggle: remembers the theme and goes back to the page.
/// (Cross-site posts never get here: the anti-forgery guard refuses them.)
async fn choose_theme(
    State(state): State<AppState>,
    Form(form): Form<ThemeForm>,
) -> Result<Response, AppError> {
    let theme = Theme::parse(&form.theme).ok_or(AppError::NotFound)?;
    let mut response = Redirect::to(local_path(form.to.as_deref())).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        preference_cookie(&state, Theme::COOKIE, theme.as_str()),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/pricing?x=1")), "/pricing?x=1");
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(None), "/");
    }
}

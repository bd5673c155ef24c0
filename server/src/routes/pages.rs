//! The app's pages: Leptos rendering with the app's state in context, the static files of
//! the built site, and the bundle. Every page of the app is served here.

use crate::{
    http::{HttpState, RenderPage},
    middleware::{self, CspNonce},
};
use app::SiteInfo;
use axum::{
    Router,
    handler::HandlerWithoutStateExt,
    http::{HeaderValue, header},
};
use domain::{AppState, config::Mode};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

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

/// The pages, and the state the other routes share (with the renderer that shows a refused
/// form again).
pub struct Pages {
    pub router: Router,
    pub state: HttpState,
}

/// The app's pages, the site's static files (unknown paths fall back to the app, which
/// answers 404) and the locale redirect of first visits.
pub fn pages(state: &AppState) -> Pages {
    let options = leptos_options(state);
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
    let render: RenderPage = Arc::new(move |request| Box::pin(render_async(request)));
    let static_files = ServiceBuilder::new()
        // A day for the site's files; nothing for what is not one (the app's 404 page
        // answers unknown paths here and must not be kept by shared caches).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            site_file_cache_control,
        ))
        .service(
            ServeDir::new(&state.config.site_root)
                .precompressed_br()
                .precompressed_gzip()
                .append_index_html_on_directories(false)
                .call_fallback_on_method_not_allowed(true)
                .fallback(render_page.into_service()),
        );
    let router = Router::new()
        .leptos_routes_with_context(&options, route_list(), context, shell)
        .fallback_service(static_files)
        .with_state(options)
        .layer(axum::middleware::from_fn(
            middleware::body_limit::server_fn_limit,
        ))
        .layer(axum::middleware::from_fn(middleware::locale_redirect));
    Pages {
        router,
        state: HttpState {
            app: state.clone(),
            render,
        },
    }
}

/// A day for a file of the site; `no-store` for anything else (a 404 page).
fn site_file_cache_control<B>(response: &axum::http::Response<B>) -> Option<HeaderValue> {
    Some(HeaderValue::from_static(
        if response.status().is_success() {
            "public, max-age=86400"
        } else {
            "no-store"
        },
    ))
}

/// `/pkg`: the bundle. Its names do not change between builds, so browsers revalidate.
pub fn bundle(state: &AppState) -> Router {
    let service = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(
            ServeDir::new(state.config.site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        );
    Router::new().nest_service("/pkg", service)
}

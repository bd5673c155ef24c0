//! Middleware shared by every response: security headers with a per-request CSP nonce,
//! error pages (including for panics), and the locale redirect for first visits; and in
//! submodules, what runs with the session: the session layer, the anti-forgery guard, the
//! account gate, the terms gate and consent.

pub mod account;
pub mod body_limit;
pub mod consent;
pub mod csrf;
pub mod gate;
pub mod session;
pub mod terms;

use crate::http::error_page::{RenderErrorPage, error_document, wants_html};
use app::{LOCALE_COOKIE, i18n::Locale};
use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use futures::FutureExt;
use std::{panic::AssertUnwindSafe, sync::Arc};

/// The nonce of this response's Content-Security-Policy; Leptos puts it on its scripts.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// What the header middleware needs to know about the deployment.
#[derive(Clone, Debug)]
pub struct SiteSecurity {
    pub https: bool,
    /// Cloudflare Turnstile is on: its script and frame are allowed.
    pub turnstile: bool,
    /// The live-reload websocket of `cargo leptos watch`, allowed in dev mode only.
    pub dev_reload: Option<String>,
}

/// The policy: our own origin for everything; inline scripts only with this response's
/// nonce (Leptos's hydration and data scripts carry it); script files only from our own
/// origin (the bundle, which the hydration script imports and preloads); WebAssembly
/// compilation; no framing, no plugins.
pub fn content_security_policy(nonce: &str, dev_reload: Option<&str>, turnstile: bool) -> String {
    let connect = match dev_reload {
        Some(ws) => format!("'self' {ws}"),
        None => "'self'".to_string(),
    };
    let (challenge_script, frames) = if turnstile {
        (
            " https://challenges.cloudflare.com",
            "https://challenges.cloudflare.com",
        )
    } else {
        ("", "'none'")
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'{challenge_script}; \
         style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src {connect}; \
         frame-src {frames}; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

pub async fn security_headers(
    State(site): State<Arc<SiteSecurity>>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = domain::secrets::random_hex(16);
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A handler that serves foreign HTML (the dev outbox's emails) sets a stricter policy
    // of its own; every other response gets the site's.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let csp = content_security_policy(&nonce, site.dev_reload.as_deref(), site.turnstile);
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&csp).expect("ASCII policy"),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if site.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    response
}

/// Keeps a client's `x-request-id` only when it is a UUID (as ours are); anything else is
/// dropped, and the request gets an id of our own. Logs and error pages show the id, so a
/// client must not be able to put text of its choosing there.
pub async fn request_id_guard(mut request: Request, next: Next) -> Response {
    let valid = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(|id| uuid::Uuid::parse_str(id).is_ok());
    if valid == Some(false) {
        request.headers_mut().remove("x-request-id");
    }
    next.run(request).await
}

/// Where the error document's stylesheet lives.
#[derive(Clone, Debug)]
pub struct ErrorPages {
    pub stylesheet: Arc<str>,
}

/// Turns marked error responses and panics into localized error pages (or JSON for API
/// clients). A panic is logged with the request id the page shows.
pub async fn error_pages(
    State(pages): State<ErrorPages>,
    request: Request,
    next: Next,
) -> Response {
    let locale = Locale::split_path(request.uri().path()).0;
    let html = wants_html(request.headers());
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let response = match AssertUnwindSafe(next.run(request)).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %message, request_id = request_id.as_deref().unwrap_or(""), "handler panicked");
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(RenderErrorPage);
            response
        }
    };
    if response.extensions().get::<RenderErrorPage>().is_none() {
        return response;
    }
    let status = response.status();
    let reference = status
        .is_server_error()
        .then_some(request_id.as_deref())
        .flatten();
    if html {
        (
            status,
            error_document(locale, status, reference, &pages.stylesheet),
        )
            .into_response()
    } else {
        let body = serde_json::json!({
            "error": status.canonical_reason().unwrap_or("error").to_lowercase(),
            "request_id": reference,
        });
        (status, axum::Json(body)).into_response()
    }
}

/// Paths that are pages (as opposed to assets, feeds and machine endpoints).
pub fn is_page_path(path: &str) -> bool {
    const NOT_PAGES: &[&str] = &["/pkg/", "/api/", "/lang/", "/prefs/", "/dev/"];
    const MACHINE: &[&str] = &["/healthz", "/metrics", "/sitemap.xml", "/robots.txt"];
    if NOT_PAGES.iter().any(|p| path.starts_with(p)) || MACHINE.contains(&path) {
        return false;
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    !last.contains('.')
}

/// On a page without a locale prefix, sends people who chose another language (cookie)
/// or, on a first visit, whose browser prefers one (Accept-Language) to that language's
/// version of the same page. English stays at `/` for everyone else, crawlers included.
pub async fn locale_redirect(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !matches!(*request.method(), Method::GET | Method::HEAD) || !is_page_path(path) {
        return next.run(request).await;
    }
    let (locale, page) = Locale::split_path(path);
    if locale != Locale::DEFAULT {
        return next.run(request).await;
    }
    let headers = request.headers();
    let wanted = match app::request_cookie(headers, LOCALE_COOKIE) {
        Some(tag) => Locale::from_tag(tag),
        None => headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Locale::negotiate),
    };
    if let Some(wanted) = wanted.filter(|l| *l != Locale::DEFAULT) {
        let mut target = wanted.path(page);
        if let Some(query) = request.uri().query() {
            target.push('?');
            target.push_str(query);
        }
        let mut response = (StatusCode::FOUND, [(header::LOCATION, target)]).into_response();
        response.headers_mut().insert(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
        return response;
    }
    let mut response = next.run(request).await;
    response.headers_mut().append(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_told_from_assets_and_endpoints() {
        for page in [
            "/",
            "/pricing",
            "/zh-CN/",
            "/legal/privacy/versions",
            "/settings/security",
        ] {
            assert!(is_page_path(page), "{page}");
        }
        for other in [
            "/pkg/banana-nano.wasm",
            "/favicon.svg",
            "/healthz",
            "/sitemap.xml",
            "/api/v1/tasks",
            "/lang/en",
        ] {
            assert!(!is_page_path(other), "{other}");
        }
    }

    #[test]
    fn the_policy_allows_only_nonced_scripts_and_no_framing() {
        let csp = content_security_policy("abc123", None, false);
        assert!(csp.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(
            content_security_policy("n", Some("ws://127.0.0.1:3001"), false)
                .contains("connect-src 'self' ws://127.0.0.1:3001")
        );
    }

    /// A handler that panics (or fails) yields a real 500 page in the path's language with
    /// the request id to quote, or JSON for API clients; the panic text never leaks.
    #[tokio::test]
    async fn failures_become_localized_500_pages() {
        use axum::{Router, body::Body, routing::get};
        use tower::ServiceExt;
        let pages = ErrorPages {
            stylesheet: "/pkg/banana-nano.css".into(),
        };
        async fn explode() -> &'static str {
            panic!("secret internal detail")
        }
        async fn fail() -> Result<(), crate::http::HttpError> {
            Err(anyhow::anyhow!("database said something private").into())
        }
        let router = Router::new()
            .route("/zh-CN/explode", get(explode))
            .route("/explode", get(explode))
            .route("/api/v1/fail", get(fail))
            .layer(axum::middleware::from_fn_with_state(pages, error_pages));
        let request = |path: &str, accept: &str| {
            axum::http::Request::builder()
                .uri(path)
                .header(header::ACCEPT, accept)
                .header("x-request-id", "req-42")
                .body(Body::empty())
                .unwrap()
        };
        let body = |response: Response| async move {
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap();
            String::from_utf8(bytes.to_vec()).unwrap()
        };

        let response = router
            .clone()
            .oneshot(request("/zh-CN/explode", "text/html"))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let html = body(response).await;
        assert!(
            html.contains("<html lang=\"zh-CN\">") && html.contains("我们这边出了点问题"),
            "{html}"
        );
        assert!(html.contains("req-42"));
        assert!(!html.contains("secret internal detail"));

        let response = router
            .clone()
            .oneshot(request("/explode", "text/html"))
            .await
            .unwrap();
        assert!(
            body(response)
                .await
                .contains("Something went wrong on our side")
        );

        let response = router
            .oneshot(request("/api/v1/fail", "application/json"))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let json = body(response).await;
        assert!(json.contains("\"request_id\":\"req-42\""), "{json}");
        assert!(!json.contains("private"), "{json}");
    }

    /// HSTS only when the site is served over https; the policy's nonce is the one the
    /// request carried to the page.
    #[tokio::test]
    async fn hsts_follows_the_public_scheme_and_the_nonce_reaches_the_handler() {
        use axum::{Extension, Router, body::Body, routing::get};
        use tower::ServiceExt;
        async fn page(Extension(nonce): Extension<CspNonce>) -> String {
            nonce.0
        }
        for https in [false, true] {
            let site = Arc::new(SiteSecurity {
                turnstile: false,
                https,
                dev_reload: None,
            });
            let router = Router::new()
                .route("/", get(page))
                .layer(axum::middleware::from_fn_with_state(site, security_headers));
            let response = router
                .oneshot(axum::http::Request::get("/").body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(
                response
                    .headers()
                    .contains_key(header::STRICT_TRANSPORT_SECURITY),
                https
            );
            let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .to_string();
            let bytes = axum::body::to_bytes(response.into_body(), 1024)
                .await
                .unwrap();
            let nonce = String::from_utf8(bytes.to_vec()).unwrap();
            assert_eq!(nonce.len(), 32);
            assert!(csp.contains(&format!("'nonce-{nonce}'")), "{csp}");
        }
    }
}

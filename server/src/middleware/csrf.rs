//! The anti-forgery guard on every state-changing request (forms, server functions, JSON
//! endpoints). Browsers say where a request comes from in `Sec-Fetch-Site` or `Origin`;
//! anything cross-site is refused. A client that sends neither must prove it read one of
//! our pages: the session's token in the `csrf_token` form field or `X-CSRF-Token`.

use crate::http::HttpError;
use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{AppState, accounts::sessions::flow};
use subtle::ConstantTimeEq;
use tower_sessions::Session;

/// Form bodies read to find a token are small; anything larger is refused here.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// What the browser told us about where the request comes from.
#[derive(Debug, PartialEq, Eq)]
pub enum Provenance {
    SameOrigin,
    CrossSite,
    /// Neither header: not a browser page, or a very old browser.
    Unknown,
}

/// Reads `Sec-Fetch-Site`, else `Origin` (compared with our public origin and the Host the
/// request was sent to).
pub fn same_origin(headers: &HeaderMap, public_url: &str) -> Provenance {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `none`: typed into the address bar or a bookmark — the person's own doing.
        return if matches!(site, "same-origin" | "none") {
            Provenance::SameOrigin
        } else {
            Provenance::CrossSite
        };
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => {
            let host_matches = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|host| {
                    origin
                        .split_once("://")
                        .is_some_and(|(scheme, o)| o == host && matches!(scheme, "http" | "https"))
                });
            if origin == public_url || host_matches {
                Provenance::SameOrigin
            } else {
                Provenance::CrossSite
            }
        }
        None => Provenance::Unknown,
    }
}

fn safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

pub async fn csrf_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if safe(request.method()) {
        return next.run(request).await;
    }
    // RFC 8058's one-click unsubscribe: mail clients POST it from their own servers, with
    // no cookie, origin or form token. The signed token in its URL is the proof, and all it
    // can do is stop marketing email for the person it names.
    if request.uri().path() == domain::privacy::marketing::UNSUBSCRIBE_PATH {
        return next.run(request).await;
    }
    match same_origin(request.headers(), &state.config.public_url) {
        Provenance::SameOrigin => return next.run(request).await,
        Provenance::CrossSite => {
            tracing::info!(path = %request.uri().path(), "cross-site request refused");
            return HttpError::forbidden().into_response();
        }
        Provenance::Unknown => {}
    }
    let expected = match request.extensions().get::<Session>() {
        Some(session) => session.get::<String>(flow::CSRF).await.ok().flatten(),
        None => None,
    };
    let Some(expected) = expected else {
        return HttpError::forbidden().into_response();
    };
    let matches = |given: &str| bool::from(given.as_bytes().ct_eq(expected.as_bytes()));
    if let Some(given) = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if matches(given) {
            next.run(request).await
        } else {
            HttpError::forbidden().into_response()
        };
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return HttpError::forbidden().into_response();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return HttpError::forbidden().into_response();
    };
    let token = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf_token")
        .map(|(_, v)| v.into_owned());
    match token {
        Some(token) if matches(&token) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => HttpError::forbidden().into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provenance_is_read_from_fetch_metadata_then_origin() {
        let public = "http://127.0.0.1:3000";
        let mut headers = HeaderMap::new();
        assert_eq!(same_origin(&headers, public), Provenance::Unknown);
        headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert_eq!(same_origin(&headers, public), Provenance::CrossSite);
        headers.insert("sec-fetch-site", "same-site".parse().unwrap());
        assert_eq!(same_origin(&headers, public), Provenance::CrossSite);
        headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert_eq!(same_origin(&headers, public), Provenance::SameOrigin);
        let mut headers = HeaderMap::new();
        headers.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        headers.insert(header::HOST, "127.0.0.1:3000".parse().unwrap());
        assert_eq!(same_origin(&headers, public), Provenance::CrossSite);
        headers.insert(header::ORIGIN, "null".parse().unwrap());
        assert_eq!(same_origin(&headers, public), Provenance::CrossSite);
        headers.insert(header::ORIGIN, "http://127.0.0.1:3000".parse().unwrap());
        assert_eq!(same_origin(&headers, public), Provenance::SameOrigin);
    }
}

//! The body limit of server functions. They take small JSON or form bodies; one over the
//! limit is refused with 413 and a message in the asker's language before the framework
//! reads it (left to the framework, the cut-off surfaced as a 500 with its own wording).

use crate::http::HttpError;
use app::{LOCALE_COOKIE, i18n::Locale, request_cookie};
use axum::{
    body::Body,
    extract::Request,
    http::{HeaderMap, StatusCode, header},
    middleware::Next,
    response::Response,
};
use http_body_util::BodyExt;

/// The most a server function's body may hold.
pub const MAX_SERVER_FN_BODY: usize = 2 * 1024 * 1024;

/// How much of an oversized body without a declared length is read (and dropped) before
/// the refusal; beyond it the connection is cut.
const DRAIN_LIMIT: usize = 8 * MAX_SERVER_FN_BODY;

/// The asker's language: the one they chose, else their browser's.
fn locale_of(headers: &HeaderMap) -> Locale {
    request_cookie(headers, LOCALE_COOKIE)
        .and_then(Locale::from_tag)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::negotiate)
        })
        .unwrap_or_default()
}

fn too_large(headers: &HeaderMap) -> Response {
    HttpError::new("error-request-too-large", StatusCode::PAYLOAD_TOO_LARGE)
        .with_arg("max_mb", MAX_SERVER_FN_BODY / (1024 * 1024))
        .json(locale_of(headers))
}

/// For requests with a body (the pages router's only ones are server functions): a
/// declared length over the limit is refused at once; otherwise the body is read up to the
/// limit and refused as soon as it goes past it.
pub async fn server_fn_limit(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(0) => return next.run(request).await,
        Some(length) if length > MAX_SERVER_FN_BODY as u64 => {
            // Refused unread: the connection cannot carry another request after it.
            let mut response = too_large(request.headers());
            response.headers_mut().insert(
                header::CONNECTION,
                axum::http::HeaderValue::from_static("close"),
            );
            return response;
        }
        Some(_) => return next.run(request).await,
        None if request.method() == axum::http::Method::GET => return next.run(request).await,
        None => {}
    }
    // No declared length (a chunked body): read it, up to the limit. Past it, the rest is
    // read and dropped (up to a bound) before answering, so a client still sending gets
    // the answer instead of a broken connection.
    let (parts, mut body) = request.into_parts();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return too_large(&parts.headers);
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen += data.len();
        if seen > MAX_SERVER_FN_BODY {
            if seen > DRAIN_LIMIT {
                break;
            }
            continue;
        }
        kept.extend_from_slice(&data);
    }
    if seen > MAX_SERVER_FN_BODY {
        return too_large(&parts.headers);
    }
    next.run(Request::from_parts(parts, Body::from(kept))).await
}

//! Small responses and the checks behind them: redirects after a post, the local paths a
//! person may be sent back to, cookies added to a response.

use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
};

/// A 303 to `to`: where a form continues.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A local path to continue to: absolute, on this site, never `//host`.
pub fn local_path(to: Option<&str>) -> Option<&str> {
    match to {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            Some(path)
        }
        _ => None,
    }
}

/// A value as it may appear in a query string.
pub fn query_value(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// `response` with `cookie` set, if there is one.
pub fn with_cookie(mut response: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        let or_home = |to| local_path(to).unwrap_or("/");
        assert_eq!(or_home(Some("/pricing?x=1")), "/pricing?x=1");
        assert_eq!(or_home(Some("//evil.example/")), "/");
        assert_eq!(or_home(Some("https://evil.example/")), "/");
        assert_eq!(or_home(Some("/\\evil.example")), "/");
        assert_eq!(or_home(None), "/");
    }
}

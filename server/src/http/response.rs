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

/// A local path to continue to: one leading `/` followed by neither `/` nor `\`, and no
/// control character or whitespace anywhere (browsers drop tabs and newlines from URLs, so
/// `/\t/evil.example` would otherwise become `//evil.example`, another site).
pub fn local_path(to: Option<&str>) -> Option<&str> {
    let path = to?;
    let mut chars = path.chars();
    if chars.next() != Some('/') || matches!(chars.next(), Some('/' | '\\')) {
        return None;
    }
    if path
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    Some(path)
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
        // Browsers strip tabs and newlines: these would be `//evil.example`.
        for sneaky in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{a0}/evil.example",
            "/pricing\u{7f}",
        ] {
            assert_eq!(or_home(Some(sneaky)), "/", "{sneaky:?}");
        }
        assert_eq!(or_home(Some("/")), "/");
        assert_eq!(
            or_home(Some("/zh-CN/settings/billing")),
            "/zh-CN/settings/billing"
        );
    }

    proptest::proptest! {
        /// Whatever is accepted, joined to our origin the way a browser resolves a
        /// `Location` (the `url` crate follows the same WHATWG rules), stays on our origin.
        #[test]
        fn accepted_paths_stay_on_our_origin(to in "\\PC{0,40}", raw in proptest::collection::vec(0u8..=127, 0..24)) {
            let origin = url::Url::parse("https://banana.example/").unwrap();
            let ascii = String::from_utf8(raw).unwrap();
            for candidate in [to.as_str(), ascii.as_str(), &format!("/{ascii}"), &format!("/{to}")] {
                if let Some(path) = local_path(Some(candidate)) {
                    let joined = origin.join(path).unwrap();
                    proptest::prop_assert_eq!(joined.origin(), origin.origin(), "{:?}", candidate);
                }
            }
        }
    }
}

//! Facts every layer may need about the site: its public pages, its origin, the theme and
//! language cookies.

/// Every public page, as a path inside a locale; the sitemap lists each in every locale.
pub const PUBLIC_PAGES: &[&str] = &[
    "/",
    "/pricing",
    "/workbench",
    "/privacy",
    "/terms",
    "/cookies",
    "/legal/subprocessors",
    "/support",
];

/// Facts about the deployment the pages need (absolute URLs for canonical links and
/// Open Graph). Provided by the server; in the browser derived from the page's origin.
#[derive(Clone, Debug)]
pub struct SiteInfo {
    /// The public origin, without a trailing slash, e.g. `https://banana.example`.
    pub public_url: String,
}

/// The theme the person chose with the toggle; `None` follows the system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub const COOKIE: &'static str = "theme";

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(value: &str) -> Option<Theme> {
        match value {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// The name of the cookie that remembers the chosen language.
pub const LOCALE_COOKIE: &str = "lang";

/// The value of cookie `name` in a request's headers.
#[cfg(feature = "ssr")]
pub fn request_cookie<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_exact_name() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "xlang=fr; lang=zh-CN; theme=dark".parse().unwrap(),
        );
        headers.append(http::header::COOKIE, "other=1".parse().unwrap());
        assert_eq!(request_cookie(&headers, LOCALE_COOKIE), Some("zh-CN"));
        assert_eq!(request_cookie(&headers, Theme::COOKIE), Some("dark"));
        assert_eq!(request_cookie(&headers, "other"), Some("1"));
        assert_eq!(request_cookie(&headers, "missing"), None);
    }
}

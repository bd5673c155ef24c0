//! The cookies the product may set: each one's name, category and lifetime, and whether it
//! needs consent.

use super::days;
use std::time::Duration;

/// What a cookie is for, which decides whether it needs consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CookieCategory {
    /// Needed for what the person asked for (sign-in, language, security); no consent.
    Essential,
    /// Remembers choices the person made in the interface.
    Functional,
    /// Measures use; only after consent.
    Analytics,
    /// Attribution and promotion; only after consent.
    Marketing,
}

impl CookieCategory {
    pub fn needs_consent(self) -> bool {
        matches!(self, CookieCategory::Analytics | CookieCategory::Marketing)
    }
}

/// A cookie banana nano may set.
#[derive(Clone, Copy, Debug)]
pub struct CookieRule {
    pub name: &'static str,
    pub category: CookieCategory,
    /// Its lifetime; `None` for a session cookie that ends with the browser session.
    pub lifetime: Option<Duration>,
    /// Whether scripts on the page may read it (theme: the toggle writes it in place).
    pub http_only: bool,
}

/// The sign-in session (and, before sign-in, the anti-forgery token of a form).
pub const SESSION_COOKIE: &str = "session";

/// A guest's signed id: lets a visitor without an account use the workbench and keep their
/// uploads and results until they sign up.
pub const GUEST_COOKIE: &str = "guest";

/// The cookie that remembers a browser's choice (essential: it records a refusal too).
pub const CONSENT_COOKIE: &str = "consent";
/// The analytics visitor id, set only with analytics consent.
pub const ANALYTICS_COOKIE: &str = "bn_aid";
/// The campaign a visitor arrived from (`utm_source`…), set only with marketing consent.
pub const ATTRIBUTION_COOKIE: &str = "bn_utm";

/// Every cookie the product sets. A test fails when a response sets any other.
pub const COOKIES: &[CookieRule] = &[
    CookieRule {
        name: SESSION_COOKIE,
        category: CookieCategory::Essential,
        // Renewed while in use; ends after this long without use (the idle expiry).
        lifetime: Some(days(7)),
        http_only: true,
    },
    CookieRule {
        name: "lang",
        category: CookieCategory::Essential,
        lifetime: Some(days(365)),
        http_only: true,
    },
    CookieRule {
        name: GUEST_COOKIE,
        category: CookieCategory::Essential,
        // A guest's uploads and results are kept this long unless moved to an account.
        lifetime: Some(days(15)),
        http_only: true,
    },
    CookieRule {
        name: "theme",
        category: CookieCategory::Functional,
        lifetime: Some(days(365)),
        http_only: false,
    },
    CookieRule {
        // The consent choice itself; a refusal must be remembered too. Asked again after
        // this long.
        name: CONSENT_COOKIE,
        category: CookieCategory::Essential,
        lifetime: Some(days(365)),
        http_only: true,
    },
    CookieRule {
        name: ANALYTICS_COOKIE,
        category: CookieCategory::Analytics,
        lifetime: Some(days(395)),
        http_only: true,
    },
    CookieRule {
        name: ATTRIBUTION_COOKIE,
        category: CookieCategory::Marketing,
        lifetime: Some(days(30)),
        http_only: true,
    },
];

/// The declaration of cookie `name`, if the product declares it.
pub fn cookie(name: &str) -> Option<&'static CookieRule> {
    COOKIES.iter().find(|cookie| cookie.name == name)
}

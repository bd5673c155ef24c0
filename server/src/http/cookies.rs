//! Cookies as the privacy registry declares them: their lifetime and HttpOnly come from
//! there, so what we set and what the cookie policy says cannot differ.

use axum::http::HeaderValue;
use domain::{AppState, privacy};

/// Sets cookie `name` (declared in the registry) to `value`.
pub fn preference_cookie(state: &AppState, name: &str, value: &str) -> HeaderValue {
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
pub fn removal_cookie(state: &AppState, name: &str) -> HeaderValue {
    debug_assert!(privacy::cookie(name).is_some());
    let mut cookie = format!("{name}=; Path=/; SameSite=Lax; Max-Age=0");
    if state.config.is_https() {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).expect("cookie is ASCII")
}

//! `domain`: everything banana nano does on the server, independent of the web framework.
//! Configuration, the database, and (as the product grows) accounts, credits, generation,
//! storage, privacy and email live here; `server` only translates HTTP to these calls.

pub mod accounts;
pub mod audit;
pub mod billing;
pub mod config;
pub mod credits;
pub mod dashboard;
pub mod db;
pub mod email;
pub mod error;
pub mod generation;
pub mod images;
pub mod onboarding;
pub mod privacy;
pub mod ratelimit;
pub mod registry;
pub mod sealed;
pub mod secrets;
mod state;
pub mod storage;
pub mod support;
#[cfg(test)]
mod testing;
pub mod totp;
pub mod turnstile;
pub mod types;
pub mod useragent;

pub use state::AppState;

/// Milliseconds since the Unix epoch: how every time is stored.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Escapes text for HTML element content and double- or single-quoted attributes (emails,
/// the server's own error and outbox pages).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A new time-ordered identifier (UUIDv7), as stored in every `id` column.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

//! `domain`: everything banana nano does on the server, independent of the web framework.
//! Configuration, the database, and (as the product grows) accounts, credits, generation,
//! storage, privacy and email live here; `server` only translates HTTP to these calls.

pub mod accounts;
pub mod audit;
pub mod config;
pub mod db;
pub mod email;
pub mod images;
pub mod privacy;
pub mod ratelimit;
pub mod secrets;
mod state;
pub mod storage;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
pub mod totp;
pub mod turnstile;
pub mod useragent;

pub use state::AppState;

/// Milliseconds since the Unix epoch: how every time is stored.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// A new time-ordered identifier (UUIDv7), as stored in every `id` column.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

//! What every domain error tells the layers above: a stable code and a kind.
//!
//! The code is a stable, kebab-case identifier (`auth-error-credentials`) and doubles as
//! the Fluent message key, so a message is found from its code in one place
//! ([`message_key`]). The kind says what sort of failure it is; the HTTP layer turns a kind
//! into a status in one place. Causes (database or provider text) stay in the error for the
//! logs and never reach a page.

mod accounts;
mod billing;
mod generation;
mod operations;
mod privacy;
mod support;

/// The sort of failure, which the HTTP layer maps to a status code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is invalid (422).
    Invalid,
    /// The request itself is malformed or does not match this browser's state (400).
    Malformed,
    /// Missing or wrong credentials (401).
    Unauthenticated,
    /// The person may not do this (403).
    Forbidden,
    /// Nothing of that name, or not the person's (404).
    NotFound,
    /// It clashes with the current state (409).
    Conflict,
    /// It existed but is used up or expired (410).
    Gone,
    /// The balance does not cover it (402).
    PaymentRequired,
    /// The input is too large (413).
    TooLarge,
    /// The file is of a type we do not take (415).
    UnsupportedMedia,
    /// Too many attempts; try again after this many seconds (429).
    RateLimited { retry_after_seconds: u64 },
    /// A service we depend on is unavailable; the request may be retried (503).
    Unavailable,
    /// A service we depend on failed or answered unexpectedly (502).
    Upstream,
    /// Our fault; the cause is logged (500).
    Internal,
}

/// A domain error with a stable code and a kind.
pub trait Coded {
    /// The stable code; also the Fluent message key (see [`message_key`]).
    fn code(&self) -> &'static str;
    /// What sort of failure this is.
    fn kind(&self) -> ErrorKind;
    /// Arguments of the message (`seconds`, `credits`…), as plain strings.
    fn args(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// The code of a failure on our side, whoever answers it (a handler or a server function).
pub const INTERNAL: &str = "error-internal";

/// The Fluent message key of an error code: the one place the two are related.
pub fn message_key(code: &'static str) -> &'static str {
    code
}

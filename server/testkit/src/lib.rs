//! Test support for banana nano, a dev-dependency only: the product never links it.
//!
//! - [`db_test!`] and [`harness`]: every database test runs on SQLite, and on PostgreSQL
//!   when `TEST_DATABASE_URL` is set, in a fresh database removed even when the test panics.
//! - [`TestDatabase`], [`state_with`], [`insert_user`]: fixtures on `domain`'s types.
//! - [`peers`] and [`resend`]: local servers speaking the remote image providers' and
//!   Resend's documented protocols, for the adapters' tests.
//! - [`process`]: child processes (the server binary, moto) stopped when a test ends.

pub mod database;
mod fixtures;
pub mod harness;
pub mod peers;
pub mod process;
pub mod resend;

pub use database::{Backend, FreshDatabase, TEST_DATABASE_URL};
pub use fixtures::{TestDatabase, insert_user, state_with};
pub use harness::Fixture;
pub use process::{KillOnDrop, Moto, TEST_PYTHON};

/// The `token=` value of the first link in `text` (an email body).
pub fn token_in(text: &str) -> String {
    let start = text.find("token=").expect("a link with a token") + "token=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}

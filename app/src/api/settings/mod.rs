//! The account settings pages' server functions.

mod load_security_overview;

pub use load_security_overview::load_security_overview;

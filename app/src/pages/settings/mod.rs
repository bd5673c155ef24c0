//! The account settings (`/settings/…`): profile, security, privacy, billing and support,
//! each in the same frame with the section navigation.

pub mod billing;
pub mod privacy;
pub mod profile;
#[cfg(all(test, feature = "ssr"))]
mod render_tests;
pub mod security;
mod shell;
pub mod support;

pub use shell::{SettingsSection, SettingsShell, SignInPrompt, SignedInPage};

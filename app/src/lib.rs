//! The banana nano user interface. Compiled twice: with `ssr` into the server, which renders
//! every page to HTML, and with `hydrate` into the WebAssembly bundle, which makes that HTML
//! interactive. Nothing here touches the database or secrets.

pub mod api;
pub mod components;
pub mod format;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod legal;
pub mod model;
pub mod pages;
mod routes;
pub mod site;

pub use routes::App;
#[cfg(feature = "ssr")]
pub use routes::shell;
#[cfg(feature = "ssr")]
pub use site::request_cookie;
pub use site::{LOCALE_COOKIE, PUBLIC_PAGES, SiteInfo, Theme};

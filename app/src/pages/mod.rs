//! One module per route family; each page owns its view.

pub mod admin;
pub mod auth;
pub mod billing;
pub mod errors;
pub mod landing;
pub mod legal;
pub mod privacy_requests;
pub mod privacy_settings;
pub mod settings;
pub mod terms_accept;
pub mod workbench;

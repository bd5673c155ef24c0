//! One module per route family; each page owns its view.

pub mod admin;
pub mod auth;
pub mod billing;
pub mod errors;
pub mod landing;
pub mod settings;
pub mod workbench;

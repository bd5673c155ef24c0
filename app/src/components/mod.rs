//! Reusable pieces of UI shared by several pages.

pub mod account_menu;
pub mod auth_card;
pub mod billing;
#[cfg(feature = "hydrate")]
pub mod client;
pub mod consent;
pub mod forms;
pub mod layout;
pub mod mask_canvas;
pub mod page_meta;
pub mod time;
pub mod uploader;

//! Reusable pieces of UI shared by several pages.

#[cfg(feature = "hydrate")]
pub mod client;
pub mod consent;
pub mod forms;
pub mod layout;
pub mod mask_canvas;
pub mod page_meta;
pub mod uploader;

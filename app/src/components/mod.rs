//! Reusable pieces of UI shared by several pages.

pub mod forms;
pub mod layout;
pub mod page_meta;

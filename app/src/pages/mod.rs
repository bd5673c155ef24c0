//! One module per route family; each page owns its view.

pub mod errors;
pub mod landing;

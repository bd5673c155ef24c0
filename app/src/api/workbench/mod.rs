//! The workbench's server functions and the server-side helpers its task routes share.

mod load_workbench;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use load_workbench::load_workbench;

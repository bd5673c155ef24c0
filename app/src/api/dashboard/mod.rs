//! The dashboard's server function.

mod load_dashboard;

pub use load_dashboard::load_dashboard;

//! The admin pages' server functions: the overview and the disputes (admins past two-step
//! verification in this session only) and two-factor enrolment.

mod load_admin_overview;
mod load_disputes;
mod load_two_factor_setup;

pub use load_admin_overview::load_admin_overview;
pub use load_disputes::load_disputes;
pub use load_two_factor_setup::load_two_factor_setup;

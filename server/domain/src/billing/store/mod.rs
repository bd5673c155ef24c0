//! Orders, subscriptions, customers, billing profiles, disputes, referrals and the signup
//! bonus: the rows billing keeps.

mod customers;
mod disputes;
mod orders;
mod referrals;
mod subscriptions;

pub use customers::*;
pub use disputes::*;
pub use orders::*;
pub use referrals::*;
pub use subscriptions::*;

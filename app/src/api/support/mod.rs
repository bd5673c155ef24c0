//! Support tickets as their person sees them: their list, one thread (signed in, or
//! through the thread's signed link), and what a visitor's confirmation link is for.

mod load_support_link;
mod load_support_thread;
mod load_support_tickets;

pub use load_support_link::load_support_link;
pub use load_support_thread::load_support_thread;
pub use load_support_tickets::load_support_tickets;

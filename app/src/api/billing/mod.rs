//! Pricing, checkout status, the billing settings and receipts. Prices come from the
//! server's catalog only; orders are looked up for their owner only.

mod load_billing_overview;
mod load_checkout_order;
mod load_pricing;
mod load_receipt;
#[cfg(feature = "ssr")]
pub(crate) mod wire;

pub use load_billing_overview::load_billing_overview;
pub use load_checkout_order::load_checkout_order;
pub use load_pricing::load_pricing;
pub use load_receipt::load_receipt;

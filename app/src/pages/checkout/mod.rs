//! The checkout pages: the local test checkout (`/checkout/local/{number}`) and where the
//! payment provider sends the buyer back (`/checkout/success`, `/checkout/cancel`). Every
//! action is a plain form post; once hydrated, the success page follows the payment live.

pub mod cancel;
pub mod local;
mod order;
pub mod success;

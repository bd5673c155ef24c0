//! Rights requests as their senders see them: one request's status (for the holder of its
//! status link, or its signed-in owner) and what a confirmation link is for.

mod load_privacy_request;
mod load_privacy_request_link;

pub use crate::model::{PrivacyRequestView, RequestLinkView};
pub use load_privacy_request::load_privacy_request;
pub use load_privacy_request_link::load_privacy_request_link;

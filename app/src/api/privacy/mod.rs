//! The privacy pages' server functions: the consent decision of a request, the policy
//! notice, the privacy settings overview and rights requests.

#[cfg(feature = "ssr")]
mod consent_of_request;
mod load_policy_notice;
mod load_privacy_overview;
mod requests;

#[cfg(feature = "ssr")]
pub use consent_of_request::consent_of_request;
pub use load_policy_notice::load_policy_notice;
pub use load_privacy_overview::load_privacy_overview;
pub use requests::{
    PrivacyRequestView, RequestLinkView, load_privacy_request, load_privacy_request_link,
};

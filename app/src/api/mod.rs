//! Server functions: thin — the session, then `domain`, then a wire type from `model`.
//! One server function per file, in folders named after the pages' URLs.

mod admin;
mod billing;
mod dashboard;
mod legal;
mod load_page_context;
mod privacy;
mod settings;
mod support;
pub mod workbench;

pub use admin::{load_admin_overview, load_disputes, load_two_factor_setup};
pub use billing::{load_billing_overview, load_checkout_order, load_pricing, load_receipt};
pub use dashboard::load_dashboard;
pub use legal::{load_legal_doc, load_legal_snapshot, load_legal_versions};
pub use load_page_context::load_page_context;
#[cfg(feature = "ssr")]
pub use privacy::consent_of_request;
pub use privacy::{
    PrivacyRequestView, RequestLinkView, load_policy_notice, load_privacy_overview,
    load_privacy_request, load_privacy_request_link,
};
pub use settings::load_security_overview;
pub use support::{load_support_link, load_support_thread, load_support_tickets};
pub use workbench::load_workbench;

#[cfg(feature = "ssr")]
pub mod ssr;

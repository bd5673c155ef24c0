//! The consent decision the server's consent middleware made for this request.

use leptos::prelude::*;

/// The consent decision the server made for this request (see the server's consent
/// middleware), as the banner and the settings page show it.
#[cfg(feature = "ssr")]
pub fn consent_of_request() -> crate::model::ConsentView {
    use crate::model::ConsentView;
    use domain::privacy::consent::Decision;
    let decision = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Decision>().cloned())
        .unwrap_or(Decision::Undecided);
    let choice = decision.choice();
    ConsentView {
        undecided: decision == Decision::Undecided,
        gpc: decision == Decision::Gpc,
        analytics: choice.analytics,
        marketing: choice.marketing,
    }
}

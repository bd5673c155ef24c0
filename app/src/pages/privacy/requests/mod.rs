//! Rights requests written in: the form anyone can send one with (signed in or not), the
//! page that confirms a request from the link mailed to its address, and the page that
//! shows where a request stands. Plain HTML forms posting to the server: everything works
//! without JavaScript.

mod form;
#[cfg(all(test, feature = "ssr"))]
mod render_tests;
pub mod status;
pub mod verify;

use crate::components::forms::{AccountHead, WithPageContext};
use crate::i18n::t;
use form::RequestForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What a request can ask for, in the order the form offers them.
pub const KINDS: [&str; 6] = ["access", "correct", "delete", "restrict", "object", "port"];

/// The longest description the server accepts (the domain's `MAX_DETAILS`).
pub(crate) const MAX_DETAILS: u32 = 5000;

pub(crate) const FORM: &str = "privacy-request";

pub(crate) const FORMS: &[&str] = &[FORM];

pub(crate) const VERIFY_FORM: &str = "privacy-request-verify";

pub(crate) const VERIFY_FORMS: &[&str] = &[VERIFY_FORM];

/// A query parameter of the current URL, when present and not empty.
pub(crate) fn query_param(name: &'static str) -> Option<String> {
    use_query_map()
        .with_untracked(|query| query.get(name))
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty())
}

/// Gives the response the status the page stands for (a missing request is a real 404).
pub(crate) fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// Text as typed, one paragraph per line.
pub(crate) fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| view! { <p>{line.to_string()}</p> })
        .collect_view()
}

/// `/privacy/requests`: the form.
#[component]
pub fn PrivacyRequestsPage() -> impl IntoView {
    // Other pages may link here with the kind chosen (`?kind=correct`).
    let kind = query_param("kind");
    view! {
        <AccountHead title=t("privacy-requests-title") />
        <div class="container narrow privacy-requests">
            <WithPageContext render=move |ctx| {
                view! { <RequestForm ctx kind=kind.clone() /> }
            } />
        </div>
    }
    .into_any()
}

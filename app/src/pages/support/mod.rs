//! Support: the form anyone can write to us with (signed in or not, a screenshot
//! optional), the page that confirms a visitor's ticket from the link mailed to them, and
//! a visitor's thread behind its signed link. Plain HTML forms posting to the server:
//! everything works without JavaScript.

pub mod confirm;
mod form;
#[cfg(all(test, feature = "ssr"))]
mod render_tests;
pub mod thread;
pub mod ticket;

use crate::components::forms::{AccountHead, WithPageContext};
use crate::i18n::t;
use form::SupportForm;
use leptos::prelude::*;

/// What a ticket can be about, in the order the form offers them.
pub const TOPICS: [&str; 5] = ["account", "billing", "generation", "privacy", "other"];

/// The longest message the server accepts (the domain's `MAX_MESSAGE`).
pub(crate) const MAX_MESSAGE: u32 = 5000;

pub(crate) const FORM: &str = "support";
pub(crate) const FORMS: &[&str] = &[FORM];
pub(crate) const CONFIRM_FORM: &str = "support-confirm";
pub(crate) const CONFIRM_FORMS: &[&str] = &[CONFIRM_FORM];
pub(crate) const REPLY_FORM: &str = "support-reply";
pub(crate) const REPLY_FORMS: &[&str] = &[REPLY_FORM];

/// The screenshot types the form offers (the server judges the file by its content).
pub(crate) const SCREENSHOT_TYPES: &str = "image/png,image/jpeg,image/webp";

/// `/support`: the form.
#[component]
pub fn SupportPage() -> impl IntoView {
    // Other pages may link here with the topic chosen (`?topic=billing`).
    let topic = crate::pages::privacy::requests::query_param("topic");
    view! {
        <AccountHead title=t("support-title") />
        <div class="container narrow support">
            <WithPageContext render=move |ctx| {
                view! { <SupportForm ctx topic=topic.clone() /> }
            } />
        </div>
    }
    .into_any()
}

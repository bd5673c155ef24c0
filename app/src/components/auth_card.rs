//! What the sign-in and sign-up pages share: the centred card, the note for someone
//! already signed in, and query parameters the forms carry along.

use crate::i18n::{t, use_locale};
use crate::model::PageContext;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A centred card with the page's heading, which the card's landmark is named after.
#[component]
pub(crate) fn AuthCard(
    heading: String,
    #[prop(optional, into)] lead: String,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="auth-page">
            <section class="auth-card" aria-labelledby="auth-heading">
                <h1 id="auth-heading">{heading}</h1>
                {(!lead.is_empty()).then(|| view! { <p class="lead">{lead}</p> })}
                {children()}
            </section>
        </div>
    }
    .into_any()
}

/// When someone already signed in opens a sign-in or sign-up page.
#[component]
pub(crate) fn AlreadySignedIn(ctx: PageContext) -> impl IntoView {
    let locale = use_locale();
    ctx.viewer.map(|viewer| {
        let text = locale.t_args(
            "auth-already-signed-in",
            &[("name", viewer.display_name.into())],
        );
        view! {
            <p class="alert info">
                {text} " "
                <a href=locale.path("/settings/profile")>{t("auth-go-to-settings")}</a>
            </p>
        }
    })
}

/// A query parameter of the current URL, when present and not empty.
pub(crate) fn query_param(name: &'static str) -> Option<String> {
    use_query_map()
        .with_untracked(|query| query.get(name))
        .filter(|value| !value.is_empty())
}

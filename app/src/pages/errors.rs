//! Error pages (404 and 500) that carry their status code to the HTTP response.

use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// A localized error page. On the server it sets the response status, so a missing page
/// is a real 404 and a failure a real 500, never an error page served with 200.
#[component]
pub fn ErrorPage(status: u16) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    let key = if status == 404 {
        "not-found"
    } else {
        "server-error"
    };
    let home = use_locale().path("/");
    view! {
        <Title text=t(&format!("{key}-title")) />
        <Meta name="robots" content="noindex" />
        <section class="error-page" aria-labelledby="error-title">
            <p class="error-code">{status}</p>
            <h1 id="error-title">{t(&format!("{key}-title"))}</h1>
            <p>{t(&format!("{key}-body"))}</p>
            <a class="button primary" href=home>
                {t("error-home")}
            </a>
        </section>
    }
}

//! The legal pages: the privacy policy, the terms, the cookie policy and the subprocessor
//! list, each with its version, effective date, table of contents and archive of every
//! published version. Current and archived versions render through one component, so an
//! old version reads exactly as it did. Plain HTML: everything works without JavaScript.

mod document;
pub mod versions;

use super::errors::ErrorPage;
use crate::api::load_legal_doc;
use crate::components::forms::Loading;
use crate::components::page_meta::PageMeta;
use crate::format::utc_parts;
use crate::i18n::{t, use_locale};
use crate::model::legal::LegalDocKind;
use document::LegalDocument;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <CurrentLegalPage kind=LegalDocKind::Privacy /> }
}

#[component]
pub fn TermsPage() -> impl IntoView {
    view! { <CurrentLegalPage kind=LegalDocKind::Terms /> }
}

#[component]
pub fn CookiesPage() -> impl IntoView {
    view! { <CurrentLegalPage kind=LegalDocKind::Cookies /> }
}

#[component]
pub fn SubprocessorsPage() -> impl IntoView {
    view! { <CurrentLegalPage kind=LegalDocKind::Subprocessors /> }
}

/// The title of a document in the page's language.
pub(crate) fn doc_title(kind: LegalDocKind) -> String {
    t(&format!("legal-{}-title", kind.id()))
}

/// `YYYY-MM-DD` of a unix time in milliseconds (UTC).
pub(crate) fn utc_date(ms: i64) -> String {
    let (y, m, d, _, _) = utc_parts(ms);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The current version of a document, as this site runs now.
#[component]
fn CurrentLegalPage(kind: LegalDocKind) -> impl IntoView {
    let locale = use_locale();
    let doc = Resource::new(
        || (),
        move |_| load_legal_doc(kind.id().to_string(), locale.tag().to_string()),
    );
    view! {
        <PageMeta
            title=format!("{} · banana nano", doc_title(kind))
            description=t(&format!("legal-{}-description", kind.id()))
            page=kind.page()
        />
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match doc.await {
                    Ok(Some(doc)) => view! { <LegalDocument doc kind /> }.into_any(),
                    Ok(None) => view! { <ErrorPage status=404 /> }.into_any(),
                    Err(_) => view! { <ErrorPage status=500 /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// The document id and version in the URL.
pub(crate) fn route_param(
    name: &'static str,
) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get(name)).unwrap_or_default()
}

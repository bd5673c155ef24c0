//! A document's archive (`/legal/{doc}/versions`) and one published version as it read
//! (`/legal/{doc}/versions/{version}`).

use super::document::LegalDocument;
use super::{doc_title, route_param, utc_date};
use crate::api::{load_legal_snapshot, load_legal_versions};
use crate::components::forms::Loading;
use crate::i18n::{t, use_locale};
use crate::model::legal::{ArchivedLegalDoc, LegalArchive, LegalDocKind};
use crate::pages::errors::ErrorPage;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// `/legal/<doc>/versions`: every published version of a document.
#[component]
pub fn LegalVersionsPage() -> impl IntoView {
    let doc = route_param("doc");
    let archive = Resource::new(doc, load_legal_versions);
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match archive.await {
                    Ok(Some(archive)) => match LegalDocKind::parse(&archive.doc) {
                        Some(kind) => view! { <VersionList archive kind /> }.into_any(),
                        None => view! { <ErrorPage status=404 /> }.into_any(),
                    },
                    Ok(None) => view! { <ErrorPage status=404 /> }.into_any(),
                    Err(_) => view! { <ErrorPage status=500 /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn VersionList(archive: LegalArchive, kind: LegalDocKind) -> impl IntoView {
    let locale = use_locale();
    let title = locale.t_args("legal-versions-title", &[("doc", doc_title(kind).into())]);
    let body = if archive.versions.is_empty() {
        view! { <p class="muted">{t("legal-versions-none")}</p> }.into_any()
    } else {
        let rows = archive
            .versions
            .into_iter()
            .map(|v| {
                let href = locale.path(&kind.version_page(&v.version));
                let published = utc_date(v.published_at);
                view! {
                    <tr class:current=v.current>
                        <th scope="row">
                            <a href=href>{v.version.clone()}</a>
                            {v.current.then(|| view! {
                                " "
                                <span class="badge ok">{t("legal-versions-current")}</span>
                            })}
                        </th>
                        <td>
                            <time datetime=v.effective.clone()>{v.effective.clone()}</time>
                        </td>
                        <td>
                            <time datetime=published.clone()>{published.clone()}</time>
                        </td>
                        <td>
                            {if v.material {
                                view! { <span class="badge warn">{t("legal-versions-material")}</span> }
                                    .into_any()
                            } else {
                                view! { <span class="muted">{t("legal-versions-minor")}</span> }
                                    .into_any()
                            }}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label=title.clone()>
                <table class="data-table legal-versions">
                    <thead>
                        <tr>
                            <th scope="col">{t("legal-versions-col-version")}</th>
                            <th scope="col">{t("legal-versions-col-effective")}</th>
                            <th scope="col">{t("legal-versions-col-published")}</th>
                            <th scope="col">{t("legal-versions-col-change")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Title text=format!("{title} · banana nano") />
        <Meta name="description" content=t("legal-versions-description") />
        <article class="container legal">
            <header class="legal-header">
                <h1>{title.clone()}</h1>
                <p class="lead">{t("legal-versions-intro")}</p>
            </header>
            {body}
            <p class="legal-back">
                <a href=locale.path(kind.page())>{t("legal-versions-back")}</a>
            </p>
        </article>
    }
    .into_any()
}

/// `/legal/<doc>/versions/<version>`: a published version as it read.
#[component]
pub fn LegalVersionPage() -> impl IntoView {
    let locale = use_locale();
    let doc = route_param("doc");
    let version = route_param("version");
    let snapshot = Resource::new(
        move || (doc(), version()),
        move |(doc, version)| load_legal_snapshot(doc, version, locale.tag().to_string()),
    );
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match snapshot.await {
                    Ok(Some(archived)) => match LegalDocKind::parse(&archived.doc.doc) {
                        Some(kind) => view! { <ArchivedDocument archived kind /> }.into_any(),
                        None => view! { <ErrorPage status=404 /> }.into_any(),
                    },
                    Ok(None) => view! { <ErrorPage status=404 /> }.into_any(),
                    Err(_) => view! { <ErrorPage status=500 /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn ArchivedDocument(archived: ArchivedLegalDoc, kind: LegalDocKind) -> impl IntoView {
    let locale = use_locale();
    let doc = archived.doc;
    let notice = if doc.version == archived.current_version {
        view! { <p class="alert info legal-archived">{t("legal-archived-is-current")}</p> }
            .into_any()
    } else {
        view! {
            <p class="alert info legal-archived">
                {locale.t_args("legal-archived-notice", &[("date", doc.effective.clone().into())])}
                " "
                <a href=locale.path(kind.page())>{t("legal-archived-current-link")}</a>
            </p>
        }
        .into_any()
    };
    view! {
        <Title text=format!("{} ({}) · banana nano", doc.title, doc.version) />
        <Meta name="robots" content="noindex" />
        <LegalDocument doc kind notice />
    }
    .into_any()
}

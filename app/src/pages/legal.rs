//! The legal pages: the privacy policy, the terms, the cookie policy and the subprocessor
//! list, each with its version, effective date, table of contents and archive of every
//! published version. Current and archived versions render through one component, so an
//! old version reads exactly as it did. Plain HTML: everything works without JavaScript.

use crate::api::{load_legal_doc, load_legal_snapshot, load_legal_versions};
use crate::components::forms::Loading;
use crate::components::page_meta::PageMeta;
use crate::i18n::{Locale, t, use_locale};
use crate::model::legal::{
    ArchivedLegalDoc, Block, Inline, LegalArchive, LegalDoc, LegalDocKind, Text,
};
use crate::pages::errors::ErrorPage;
use crate::pages::settings::utc_parts;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
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
fn doc_title(kind: LegalDocKind) -> String {
    t(&format!("legal-{}-title", kind.id()))
}

/// `YYYY-MM-DD` of a unix time in milliseconds (UTC).
fn utc_date(ms: i64) -> String {
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
fn route_param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get(name)).unwrap_or_default()
}

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

/// A legal document: title, version and effective date, the link to its archive, the note
/// that English governs a translation, a table of contents, and its sections.
#[component]
fn LegalDocument(
    doc: LegalDoc,
    kind: LegalDocKind,
    #[prop(optional, into)] notice: Option<AnyView>,
) -> impl IntoView {
    let locale = use_locale();
    let translated = Locale::from_tag(&doc.locale).is_some_and(|l| l != Locale::En);
    let toc = doc
        .sections
        .iter()
        .map(|section| {
            view! {
                <li>
                    <a href=format!("#{}", section.id)>{section.heading.clone()}</a>
                </li>
            }
        })
        .collect_view();
    let sections = doc
        .sections
        .into_iter()
        .map(|section| {
            let heading_id = format!("{}-heading", section.id);
            let labelled_by = heading_id.clone();
            let label = section.heading.clone();
            let blocks = section
                .blocks
                .into_iter()
                .map(|block| block_view(block, &label))
                .collect_view();
            view! {
                <section id=section.id class="legal-section" aria-labelledby=labelled_by>
                    <h2 id=heading_id>{section.heading}</h2>
                    {blocks}
                </section>
            }
        })
        .collect_view();
    view! {
        <article class="container legal" lang=doc.locale.clone()>
            <header class="legal-header">
                <h1>{doc.title.clone()}</h1>
                <p class="legal-meta">
                    <span>{locale.t_args("legal-meta-version", &[("version", doc.version.clone().into())])}</span>
                    <time datetime=doc.effective.clone()>
                        {locale.t_args("legal-meta-effective", &[("date", doc.effective.clone().into())])}
                    </time>
                    <a href=locale.path(&kind.versions_page())>{t("legal-archive-link")}</a>
                </p>
                {notice}
                {translated.then(|| view! {
                    <p class="legal-translation-note">{t("legal-english-governs")}</p>
                })}
                <p class="lead">{doc.summary.clone()}</p>
            </header>
            <nav class="legal-toc" aria-labelledby="legal-toc-heading">
                <h2 id="legal-toc-heading">{t("legal-toc-heading")}</h2>
                <ol>{toc}</ol>
            </nav>
            {sections}
        </article>
    }
    .into_any()
}

/// Running text with its links.
fn text_view(text: Text) -> impl IntoView {
    text.0
        .into_iter()
        .map(|inline| match inline {
            Inline::Text(text) => text.into_any(),
            Inline::Link { text, href } => view! { <a href=href>{text}</a> }.into_any(),
        })
        .collect_view()
}

fn block_view(block: Block, label: &str) -> AnyView {
    match block {
        Block::Paragraph(text) => view! { <p>{text_view(text)}</p> }.into_any(),
        Block::List(items) => view! {
            <ul class="legal-list">
                {items
                    .into_iter()
                    .map(|item| view! { <li>{text_view(item)}</li> })
                    .collect_view()}
            </ul>
        }
        .into_any(),
        Block::Table { head, rows } => {
            let head = head
                .into_iter()
                .map(|cell| view! { <th scope="col">{cell}</th> })
                .collect_view();
            // The first cell names the row (a data category, a cookie, a service).
            let rows = rows
                .into_iter()
                .map(|row| {
                    let cells = row
                        .into_iter()
                        .enumerate()
                        .map(|(i, cell)| {
                            if i == 0 {
                                view! { <th scope="row">{cell}</th> }.into_any()
                            } else {
                                view! { <td>{cell}</td> }.into_any()
                            }
                        })
                        .collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect_view();
            view! {
                <div class="table-scroll legal-table-wrap" tabindex="0" role="region" aria-label=label.to_string()>
                    <table class="data-table legal-table">
                        <thead>
                            <tr>{head}</tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }
    }
}

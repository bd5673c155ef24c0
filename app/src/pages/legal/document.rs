//! One legal document rendered: heading, version, contents and its sections' paragraphs,
//! lists and tables.

use crate::i18n::{Locale, t, use_locale};
use crate::model::legal::{Block, Inline, LegalDoc, LegalDocKind, Text};
use leptos::prelude::*;

/// A legal document: title, version and effective date, the link to its archive, the note
/// that English governs a translation, a table of contents, and its sections.
#[component]
pub(crate) fn LegalDocument(
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

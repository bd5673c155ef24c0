//! The legal documents (privacy policy, terms, cookie policy, subprocessor list) as data:
//! sections of paragraphs, lists and tables. The server builds them (`crate::legal`) from the
//! privacy registry and the locale files, publishes each version as a JSON snapshot of this model,
//! and the pages render current and archived versions through the same component.

use serde::{Deserialize, Serialize};

/// One of the legal documents of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LegalDocKind {
    Privacy,
    Terms,
    Cookies,
    Subprocessors,
}

impl LegalDocKind {
    pub const ALL: [LegalDocKind; 4] = [
        LegalDocKind::Privacy,
        LegalDocKind::Terms,
        LegalDocKind::Cookies,
        LegalDocKind::Subprocessors,
    ];

    /// Stable id, as in `/legal/<id>/versions` and the locale keys (`legal-<id>-title`).
    pub fn id(self) -> &'static str {
        match self {
            LegalDocKind::Privacy => "privacy",
            LegalDocKind::Terms => "terms",
            LegalDocKind::Cookies => "cookies",
            LegalDocKind::Subprocessors => "subprocessors",
        }
    }

    pub fn parse(id: &str) -> Option<LegalDocKind> {
        LegalDocKind::ALL.into_iter().find(|doc| doc.id() == id)
    }

    /// Where the current version is read (a path inside a locale).
    pub fn page(self) -> &'static str {
        match self {
            LegalDocKind::Privacy => "/privacy",
            LegalDocKind::Terms => "/terms",
            LegalDocKind::Cookies => "/cookies",
            LegalDocKind::Subprocessors => "/legal/subprocessors",
        }
    }

    /// The list of every published version (a path inside a locale).
    pub fn versions_page(self) -> String {
        format!("/legal/{}/versions", self.id())
    }

    /// One published version (a path inside a locale).
    pub fn version_page(self, version: &str) -> String {
        format!("/legal/{}/versions/{version}", self.id())
    }
}

#[cfg(feature = "ssr")]
impl From<LegalDocKind> for domain::privacy::policy::Doc {
    fn from(kind: LegalDocKind) -> Self {
        use domain::privacy::policy::Doc;
        match kind {
            LegalDocKind::Privacy => Doc::Privacy,
            LegalDocKind::Terms => Doc::Terms,
            LegalDocKind::Cookies => Doc::Cookies,
            LegalDocKind::Subprocessors => Doc::Subprocessors,
        }
    }
}

/// A document as it reads in one language at one version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LegalDoc {
    /// The document's id (`privacy`, `terms`, `cookies`, `subprocessors`).
    pub doc: String,
    pub version: String,
    /// The day it takes effect, `YYYY-MM-DD`.
    pub effective: String,
    /// The language it is written in (`en`, `zh-CN`).
    pub locale: String,
    pub title: String,
    /// One or two sentences above the table of contents.
    pub summary: String,
    pub sections: Vec<Section>,
}

impl LegalDoc {
    /// Everything the document says, as plain text (for tests and search).
    pub fn plain_text(&self) -> String {
        let mut out = format!("{}\n{}\n", self.title, self.summary);
        for section in &self.sections {
            out.push_str(&section.heading);
            out.push('\n');
            for block in &section.blocks {
                match block {
                    Block::Paragraph(text) => out.push_str(&text.plain()),
                    Block::List(items) => {
                        for item in items {
                            out.push_str("- ");
                            out.push_str(&item.plain());
                            out.push('\n');
                        }
                    }
                    Block::Table { head, rows } => {
                        out.push_str(&head.join(" | "));
                        out.push('\n');
                        for row in rows {
                            out.push_str(&row.join(" | "));
                            out.push('\n');
                        }
                    }
                }
                out.push('\n');
            }
        }
        out
    }
}

/// A titled part of a document; `id` is its anchor in the table of contents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// A piece of a section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Block {
    Paragraph(Text),
    /// A bulleted list.
    List(Vec<Text>),
    /// A table with a header row; each row has as many cells as the header.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// Running text that may contain links.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Text(pub Vec<Inline>);

impl Text {
    /// The text without its link targets.
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|inline| match inline {
                Inline::Text(text) | Inline::Link { text, .. } => text.as_str(),
            })
            .collect()
    }

    pub fn links(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().filter_map(|inline| match inline {
            Inline::Link { text, href } => Some((text.as_str(), href.as_str())),
            Inline::Text(_) => None,
        })
    }
}

/// A run of text or a link. `href` is a path on this site or a `mailto:` address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Inline {
    Text(String),
    Link { text: String, href: String },
}

/// One published version in the archive list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LegalVersionView {
    pub version: String,
    /// The day it took effect, `YYYY-MM-DD`.
    pub effective: String,
    pub material: bool,
    pub published_at: i64,
    /// The version the site follows now.
    pub current: bool,
}

/// The archive of one document: every published version, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LegalArchive {
    pub doc: String,
    pub current: String,
    pub versions: Vec<LegalVersionView>,
}

/// A published version as it read, and what the current version is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArchivedLegalDoc {
    pub doc: LegalDoc,
    pub current_version: String,
}

//! The legal documents of the site and the version of each that the running code names as
//! current. The policy workflows publish and announce these versions.

/// The version of the terms and privacy policy a person accepts at sign-up.
pub const TERMS_VERSION: &str = "2026-11-22";

/// A legal document of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Doc {
    Privacy,
    Terms,
    Cookies,
    Subprocessors,
}

impl Doc {
    pub const ALL: [Doc; 4] = [Doc::Privacy, Doc::Terms, Doc::Cookies, Doc::Subprocessors];

    /// Stable id: URLs (`/legal/<id>/versions`), the database, locale keys.
    pub fn id(self) -> &'static str {
        match self {
            Doc::Privacy => "privacy",
            Doc::Terms => "terms",
            Doc::Cookies => "cookies",
            Doc::Subprocessors => "subprocessors",
        }
    }

    pub fn parse(id: &str) -> Option<Doc> {
        Doc::ALL.into_iter().find(|doc| doc.id() == id)
    }

    /// Where the current version is read.
    pub fn path(self) -> &'static str {
        match self {
            Doc::Privacy => "/privacy",
            Doc::Terms => "/terms",
            Doc::Cookies => "/cookies",
            Doc::Subprocessors => "/legal/subprocessors",
        }
    }
}

/// A version of a document as the code defines it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    pub doc: Doc,
    /// Versions are dates (`YYYY-MM-DD`, a suffix for a second one on a day), so they sort.
    pub version: &'static str,
    /// The day it takes effect (`YYYY-MM-DD`, UTC).
    pub effective: &'static str,
    /// Whether it changes what we do with data or what people agree to in a way they must
    /// be told of.
    pub material: bool,
}

/// The current version of every document.
pub const CURRENT: &[Version] = &[
    Version {
        doc: Doc::Privacy,
        version: "2026-11-23",
        effective: "2026-11-23",
        material: false,
    },
    Version {
        doc: Doc::Terms,
        version: TERMS_VERSION,
        effective: TERMS_VERSION,
        material: false,
    },
    Version {
        doc: Doc::Cookies,
        version: "2026-11-23",
        effective: "2026-11-23",
        material: false,
    },
    Version {
        doc: Doc::Subprocessors,
        version: "2026-11-23",
        effective: "2026-11-23",
        material: false,
    },
];

/// The current version of `doc`.
pub fn current(doc: Doc) -> &'static Version {
    CURRENT
        .iter()
        .find(|v| v.doc == doc)
        .expect("every document has a current version (checked by tests)")
}

/// The privacy policy version a consent choice is recorded against.
pub fn consent_version() -> &'static str {
    current(Doc::Privacy).version
}

/// Unix milliseconds of the start (00:00 UTC) of `YYYY-MM-DD`.
pub fn day_start_ms(date: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(date.get(..10)?, &format).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp() * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_has_one_current_version_with_a_valid_date() {
        for doc in Doc::ALL {
            assert_eq!(CURRENT.iter().filter(|v| v.doc == doc).count(), 1);
            let version = current(doc);
            assert!(day_start_ms(version.effective).is_some(), "{doc:?}");
            assert!(day_start_ms(version.version).is_some(), "{doc:?}");
            assert_eq!(Doc::parse(doc.id()), Some(doc));
        }
        assert_eq!(current(Doc::Terms).version, TERMS_VERSION);
        assert_eq!(day_start_ms("1970-01-02"), Some(86_400_000));
        assert_eq!(day_start_ms("not a date"), None);
    }
}

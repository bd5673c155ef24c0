//! Privacy: the workflows that keep the registry's promises (consent, analytics, rights
//! requests, export, deletion, the retention sweep, marketing, breach notices, policy
//! versions). The registry itself, the data they all read, is [`crate::registry`]; it is
//! re-exported here so `privacy::…` names every privacy fact in one place.

pub mod analytics;
pub mod breach;
pub mod consent;
pub mod deletion;
pub mod export;
pub mod marketing;
pub mod policy;
pub mod preferences;
pub mod requests;
pub mod sweep;
#[cfg(test)]
mod tests_breach;
#[cfg(test)]
mod tests_export_deletion;
#[cfg(test)]
mod tests_marketing;
#[cfg(test)]
mod tests_requests;
#[cfg(test)]
mod tests_sweep;

pub use crate::registry::{
    CATEGORIES, COOKIES, CategoryRule, CookieCategory, CookieRule, DataCategory, GUEST_COOKIE,
    LegalBasis, MINIMUM_AGE, PROCESSORS, Processor, Purpose, REQUEST_DEADLINE, REQUEST_EXTENSION,
    Retention, SESSION_COOKIE, TERMS_VERSION, cookie, days, is_expired, processors, rule,
};

use crate::AppState;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;

/// A keyed hash of `value` under `purpose`: stored instead of link tokens, and used as the
/// pseudonym that replaces a purged person's id in the payment records we must keep. The
/// database alone cannot turn it back into the id or a working link.
pub fn keyed_hash(state: &AppState, purpose: &str, value: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(state.config.secret_key.expose_secret().as_bytes())
            .expect("HMAC takes any key length");
    mac.update(purpose.as_bytes());
    mac.update(b":");
    mac.update(value.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The pseudonym that stands for a purged person in the payment and credit records kept for
/// tax law: stable (the records of one person stay together), not the id, not reversible.
pub fn pseudonym(state: &AppState, user_id: &str) -> String {
    format!("gone-{}", &keyed_hash(state, "pseudonym", user_id)[..32])
}

#[cfg(test)]
mod promises {
    //! `docs/privacy-promises.md` lists every promise of the privacy policy with the code
    //! that keeps it and the tests that prove it. These checks keep the table honest: every
    //! code and test reference names something that exists (the test suite runs the tests).

    use std::path::{Path, PathBuf};

    const TABLE: &str = include_str!("../../../../docs/privacy-promises.md");

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// The backticked `path::item` references in a table cell.
    fn references(cell: &str) -> Vec<(String, String)> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .filter_map(|r| r.split_once("::"))
            .map(|(path, item)| (path.trim().to_string(), item.trim().to_string()))
            .collect()
    }

    fn squeeze(text: &str) -> String {
        text.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// Whether `file` declares the test `name` (a Rust test function or test macro, or a
    /// Playwright test title).
    fn declares_test(file: &str, name: &str) -> bool {
        if name.contains(' ') || name.contains(':') {
            return file.contains(&format!("'{name}'")) || file.contains(&format!("`{name}`"));
        }
        let file = squeeze(file);
        file.contains(&format!("fn{name}("))
            || file.contains(&format!("!({name},"))
            || file.contains(&format!("!({name})"))
    }

    #[test]
    fn every_promise_names_code_and_tests_that_exist() {
        let rows: Vec<Vec<&str>> = TABLE
            .lines()
            .filter(|l| l.starts_with('|') && !l.starts_with("|-") && !l.starts_with("| #"))
            .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
            .collect();
        assert!(
            rows.len() >= 30,
            "at least 30 promises, found {}",
            rows.len()
        );
        for row in &rows {
            assert_eq!(row.len(), 4, "a row has #, promise, code, tests: {row:?}");
            let code = references(row[2]);
            let tests = references(row[3]);
            assert!(!code.is_empty(), "promise {} names its code", row[0]);
            assert!(!tests.is_empty(), "promise {} names its tests", row[0]);
            for (path, item) in code {
                let text = std::fs::read_to_string(root().join(&path))
                    .unwrap_or_else(|_| panic!("promise {}: {path} does not exist", row[0]));
                assert!(
                    text.contains(item.trim_end_matches("()")),
                    "promise {}: {path} has no `{item}`",
                    row[0]
                );
            }
            for (path, name) in tests {
                let text = std::fs::read_to_string(root().join(&path))
                    .unwrap_or_else(|_| panic!("promise {}: {path} does not exist", row[0]));
                assert!(
                    declares_test(&text, &name),
                    "promise {}: {path} has no test `{name}`",
                    row[0]
                );
            }
        }
    }
}

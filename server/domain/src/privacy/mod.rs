//! The privacy registry: what personal data banana nano keeps, why, on what legal basis,
//! who else receives it, which cookies exist, and how long each kind is kept. It is data,
//! not prose: the policy pages, the consent banner, the export, the retention sweeper and
//! the subprocessor list all read it, so the published policy and the running code cannot
//! drift apart. Human-readable names and descriptions live in the locale files under the
//! ids used here.

use std::time::Duration;

pub mod analytics;
pub mod breach;
pub mod consent;
pub mod deletion;
pub mod export;
pub mod marketing;
pub mod policy;
pub mod preferences;
pub mod processors;
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

/// A kind of personal data, as the policy groups it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataCategory {
    /// Email, display name, avatar, locale, password hash or OAuth ids, sessions, profile.
    Account,
    /// Pages and features used, timestamps, client error reports.
    Usage,
    /// Device type, operating system, browser, IP address and the rough location it implies.
    DeviceNetwork,
    /// Cookies and local storage.
    Cookies,
    /// Orders, checkout sessions, amounts, plans, credit balance and ledger, billing contact.
    OrdersPayments,
    /// Reference images, masks, brush strokes, prompts, negative prompts and parameters.
    UploadsPrompts,
    /// Generated images, thumbnails, archives and their delivery metadata.
    GeneratedContent,
    /// A guest's id, uploads and results before they sign up.
    GuestData,
    /// Server logs and analytics events.
    LogsAnalytics,
    /// Support conversations, newsletter preferences, survey answers.
    SupportMarketing,
}

impl DataCategory {
    pub const ALL: [DataCategory; 10] = [
        DataCategory::Account,
        DataCategory::Usage,
        DataCategory::DeviceNetwork,
        DataCategory::Cookies,
        DataCategory::OrdersPayments,
        DataCategory::UploadsPrompts,
        DataCategory::GeneratedContent,
        DataCategory::GuestData,
        DataCategory::LogsAnalytics,
        DataCategory::SupportMarketing,
    ];

    /// A stable id: locale keys (`privacy-category-<id>`), export file names, audit entries.
    pub fn id(self) -> &'static str {
        match self {
            DataCategory::Account => "account",
            DataCategory::Usage => "usage",
            DataCategory::DeviceNetwork => "device-network",
            DataCategory::Cookies => "cookies",
            DataCategory::OrdersPayments => "orders-payments",
            DataCategory::UploadsPrompts => "uploads-prompts",
            DataCategory::GeneratedContent => "generated-content",
            DataCategory::GuestData => "guest-data",
            DataCategory::LogsAnalytics => "logs-analytics",
            DataCategory::SupportMarketing => "support-marketing",
        }
    }
}

/// Why data is processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Run the service a person asked for: accounts, the workbench, history, the API.
    ProvideService,
    /// Take payments, grant and spend credits, issue invoices and refunds.
    Billing,
    /// Prevent abuse and fraud, enforce quotas, investigate incidents.
    Security,
    /// Understand use and improve the product.
    Improvement,
    /// Newsletters and promotions.
    Marketing,
    /// Tax, accounting and lawful requests.
    Compliance,
    /// Answer questions and requests.
    Support,
}

/// The legal basis of a purpose (GDPR Art. 6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LegalBasis {
    Contract,
    LegalObligation,
    LegitimateInterest,
    Consent,
}

impl Purpose {
    /// The basis each purpose rests on; a purpose on consent stops when consent is withdrawn.
    pub fn legal_basis(self) -> LegalBasis {
        match self {
            Purpose::ProvideService | Purpose::Support => LegalBasis::Contract,
            Purpose::Billing | Purpose::Compliance => LegalBasis::LegalObligation,
            Purpose::Security | Purpose::Improvement => LegalBasis::LegitimateInterest,
            Purpose::Marketing => LegalBasis::Consent,
        }
    }
}

/// How long data of a category is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retention {
    /// While the account exists, then this long after it is deleted.
    WhileActiveThen(Duration),
    /// This long after it was created.
    For(Duration),
    /// This long after it was created, unless moved into an account first.
    UnlessMigrated(Duration),
    /// This long, then only in aggregated or anonymized form.
    ThenAnonymized(Duration),
    /// Until the person unsubscribes or withdraws consent.
    UntilWithdrawn,
}

pub const fn days(n: u64) -> Duration {
    Duration::from_secs(n * 24 * 60 * 60)
}

/// Limits on keeping data ("at most 12 months") round down to whole years of 365 days;
/// obligations to keep it ("7 years for tax") round up to 366-day years, so a leap day
/// never makes us delete early.
const ONE_YEAR_AT_MOST: Duration = days(365);
const TWO_YEARS_AT_MOST: Duration = days(2 * 365);
const SEVEN_YEARS_AT_LEAST: Duration = days(7 * 366);

/// How long a deletion or other rights request may take at most.
pub const REQUEST_DEADLINE: Duration = days(30);
/// The one extension a rights request may get, with notice to the person.
pub const REQUEST_EXTENSION: Duration = days(30);
/// The minimum age of a person using the service.
pub const MINIMUM_AGE: u8 = 16;

/// One entry of the registry: a category, why it is processed, and how long it is kept.
#[derive(Clone, Copy, Debug)]
pub struct CategoryRule {
    pub category: DataCategory,
    pub purposes: &'static [Purpose],
    pub retention: Retention,
}

/// Every category, its purposes and its retention rule. The stricter promise of the
/// policies we follow wins wherever they differ.
pub const CATEGORIES: &[CategoryRule] = &[
    CategoryRule {
        category: DataCategory::Account,
        purposes: &[Purpose::ProvideService, Purpose::Security, Purpose::Support],
        retention: Retention::WhileActiveThen(days(90)),
    },
    CategoryRule {
        category: DataCategory::Usage,
        purposes: &[Purpose::Improvement, Purpose::Security],
        retention: Retention::ThenAnonymized(TWO_YEARS_AT_MOST),
    },
    CategoryRule {
        category: DataCategory::DeviceNetwork,
        purposes: &[Purpose::ProvideService, Purpose::Security],
        retention: Retention::ThenAnonymized(TWO_YEARS_AT_MOST),
    },
    CategoryRule {
        category: DataCategory::Cookies,
        purposes: &[
            Purpose::ProvideService,
            Purpose::Improvement,
            Purpose::Marketing,
        ],
        // Each cookie's own lifetime applies; see `COOKIES`.
        retention: Retention::ThenAnonymized(TWO_YEARS_AT_MOST),
    },
    CategoryRule {
        category: DataCategory::OrdersPayments,
        purposes: &[Purpose::Billing, Purpose::Compliance, Purpose::Support],
        retention: Retention::For(SEVEN_YEARS_AT_LEAST),
    },
    CategoryRule {
        category: DataCategory::UploadsPrompts,
        purposes: &[Purpose::ProvideService],
        retention: Retention::For(ONE_YEAR_AT_MOST),
    },
    CategoryRule {
        category: DataCategory::GeneratedContent,
        purposes: &[Purpose::ProvideService],
        retention: Retention::For(ONE_YEAR_AT_MOST),
    },
    CategoryRule {
        category: DataCategory::GuestData,
        purposes: &[Purpose::ProvideService, Purpose::Security],
        retention: Retention::UnlessMigrated(days(15)),
    },
    CategoryRule {
        category: DataCategory::LogsAnalytics,
        purposes: &[Purpose::Security, Purpose::Improvement],
        retention: Retention::ThenAnonymized(TWO_YEARS_AT_MOST),
    },
    CategoryRule {
        category: DataCategory::SupportMarketing,
        purposes: &[Purpose::Support, Purpose::Marketing],
        retention: Retention::UntilWithdrawn,
    },
];

/// The rule of one category.
pub fn rule(category: DataCategory) -> &'static CategoryRule {
    CATEGORIES
        .iter()
        .find(|rule| rule.category == category)
        .expect("every category has a rule (checked by tests)")
}

/// What a cookie is for, which decides whether it needs consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CookieCategory {
    /// Needed for what the person asked for (sign-in, language, security); no consent.
    Essential,
    /// Remembers choices the person made in the interface.
    Functional,
    /// Measures use; only after consent.
    Analytics,
    /// Attribution and promotion; only after consent.
    Marketing,
}

impl CookieCategory {
    pub fn needs_consent(self) -> bool {
        matches!(self, CookieCategory::Analytics | CookieCategory::Marketing)
    }
}

/// A cookie banana nano may set.
#[derive(Clone, Copy, Debug)]
pub struct CookieRule {
    pub name: &'static str,
    pub category: CookieCategory,
    /// Its lifetime; `None` for a session cookie that ends with the browser session.
    pub lifetime: Option<Duration>,
    /// Whether scripts on the page may read it (theme: the toggle writes it in place).
    pub http_only: bool,
}

/// The sign-in session (and, before sign-in, the anti-forgery token of a form).
pub const SESSION_COOKIE: &str = "session";

/// A guest's signed id: lets a visitor without an account use the workbench and keep their
/// uploads and results until they sign up.
pub const GUEST_COOKIE: &str = "guest";

/// The version of the terms and privacy policy a person accepts at sign-up.
pub const TERMS_VERSION: &str = "2026-11-22";

/// Every cookie the product sets. A test fails when a response sets any other.
pub const COOKIES: &[CookieRule] = &[
    CookieRule {
        name: SESSION_COOKIE,
        category: CookieCategory::Essential,
        // Renewed while in use; ends after this long without use (the idle expiry).
        lifetime: Some(days(7)),
        http_only: true,
    },
    CookieRule {
        name: "lang",
        category: CookieCategory::Essential,
        lifetime: Some(days(365)),
        http_only: true,
    },
    CookieRule {
        name: GUEST_COOKIE,
        category: CookieCategory::Essential,
        // A guest's uploads and results are kept this long unless moved to an account.
        lifetime: Some(days(15)),
        http_only: true,
    },
    CookieRule {
        name: "theme",
        category: CookieCategory::Functional,
        lifetime: Some(days(365)),
        http_only: false,
    },
    CookieRule {
        // The consent choice itself; a refusal must be remembered too. Asked again after
        // this long.
        name: consent::CONSENT_COOKIE,
        category: CookieCategory::Essential,
        lifetime: Some(days(365)),
        http_only: true,
    },
    CookieRule {
        name: consent::ANALYTICS_COOKIE,
        category: CookieCategory::Analytics,
        lifetime: Some(days(395)),
        http_only: true,
    },
    CookieRule {
        name: consent::ATTRIBUTION_COOKIE,
        category: CookieCategory::Marketing,
        lifetime: Some(days(30)),
        http_only: true,
    },
];

/// The declaration of cookie `name`, if the product declares it.
pub fn cookie(name: &str) -> Option<&'static CookieRule> {
    COOKIES.iter().find(|cookie| cookie.name == name)
}

/// A third party that receives personal data on our behalf.
#[derive(Clone, Copy, Debug)]
pub struct Processor {
    /// Stable id: locale keys (`privacy-processor-<id>`) and configuration switches.
    pub id: &'static str,
    /// The company and service as it names itself.
    pub name: &'static str,
    pub receives: &'static [DataCategory],
    /// Where it processes data.
    pub location: &'static str,
}

/// Every processor the product can be configured to use. Only those the running
/// configuration enables are listed as active on the subprocessor page.
pub const PROCESSORS: &[Processor] = &[
    Processor {
        id: "stripe",
        name: "Stripe (cards, WeChat Pay, Alipay)",
        receives: &[DataCategory::Account, DataCategory::OrdersPayments],
        location: "United States, European Union",
    },
    Processor {
        id: "creem",
        name: "Creem",
        receives: &[DataCategory::Account, DataCategory::OrdersPayments],
        location: "European Union",
    },
    Processor {
        id: "gemini",
        name: "Google Gemini API",
        receives: &[DataCategory::UploadsPrompts],
        location: "United States",
    },
    Processor {
        id: "kie",
        name: "Kie.ai",
        receives: &[DataCategory::UploadsPrompts],
        location: "Singapore, United States",
    },
    Processor {
        id: "openai",
        name: "OpenAI",
        receives: &[DataCategory::UploadsPrompts],
        location: "United States",
    },
    Processor {
        id: "replicate",
        name: "Replicate",
        receives: &[DataCategory::UploadsPrompts],
        location: "United States",
    },
    Processor {
        id: "resend",
        name: "Resend",
        receives: &[DataCategory::Account, DataCategory::SupportMarketing],
        location: "United States",
    },
    Processor {
        id: "s3",
        name: "S3-compatible object storage",
        receives: &[
            DataCategory::UploadsPrompts,
            DataCategory::GeneratedContent,
            DataCategory::GuestData,
        ],
        location: "as configured by the operator",
    },
    Processor {
        id: "smtp",
        name: "SMTP mail relay",
        receives: &[DataCategory::Account, DataCategory::SupportMarketing],
        location: "as configured by the operator",
    },
    Processor {
        id: "image-check",
        name: "Image safety check service",
        receives: &[DataCategory::UploadsPrompts, DataCategory::GeneratedContent],
        location: "as configured by the operator",
    },
    Processor {
        id: "turnstile",
        name: "Cloudflare Turnstile",
        receives: &[DataCategory::DeviceNetwork],
        location: "Global (Cloudflare network)",
    },
    Processor {
        id: "google-oauth",
        name: "Google sign-in",
        receives: &[DataCategory::Account],
        location: "United States",
    },
    Processor {
        id: "github-oauth",
        name: "GitHub sign-in",
        receives: &[DataCategory::Account],
        location: "United States",
    },
];

/// Whether a stored item created at `created_ms` is past its category's retention at
/// `now_ms` (for categories whose clock starts at creation).
pub fn is_expired(category: DataCategory, created_ms: i64, now_ms: i64) -> bool {
    let limit = match rule(category).retention {
        Retention::For(d) | Retention::UnlessMigrated(d) | Retention::ThenAnonymized(d) => d,
        Retention::WhileActiveThen(_) | Retention::UntilWithdrawn => return false,
    };
    now_ms.saturating_sub(created_ms) > limit.as_millis() as i64
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_category_has_exactly_one_rule_with_a_purpose() {
        for category in DataCategory::ALL {
            let rules = CATEGORIES.iter().filter(|r| r.category == category).count();
            assert_eq!(rules, 1, "{category:?}");
            assert!(!rule(category).purposes.is_empty(), "{category:?}");
        }
        let ids: HashSet<_> = DataCategory::ALL.iter().map(|c| c.id()).collect();
        assert_eq!(ids.len(), DataCategory::ALL.len(), "ids are unique");
    }

    /// The periods the policy promises, in one place: changing one is a policy change.
    #[test]
    fn retention_periods_are_the_promised_ones() {
        use DataCategory::*;
        assert_eq!(
            rule(Account).retention,
            Retention::WhileActiveThen(days(90))
        );
        assert_eq!(rule(OrdersPayments).retention, Retention::For(days(2562)));
        assert_eq!(rule(UploadsPrompts).retention, Retention::For(days(365)));
        assert_eq!(rule(GeneratedContent).retention, Retention::For(days(365)));
        assert_eq!(
            rule(GuestData).retention,
            Retention::UnlessMigrated(days(15))
        );
        assert_eq!(
            rule(LogsAnalytics).retention,
            Retention::ThenAnonymized(days(730))
        );
        assert_eq!(rule(SupportMarketing).retention, Retention::UntilWithdrawn);
        assert_eq!(REQUEST_DEADLINE, days(30));
        assert_eq!(MINIMUM_AGE, 16);
    }

    #[test]
    fn marketing_rests_on_consent_and_billing_on_law() {
        assert_eq!(Purpose::Marketing.legal_basis(), LegalBasis::Consent);
        assert_eq!(Purpose::Billing.legal_basis(), LegalBasis::LegalObligation);
        assert_eq!(Purpose::ProvideService.legal_basis(), LegalBasis::Contract);
    }

    #[test]
    fn cookies_are_unique_and_only_tracking_ones_need_consent() {
        let names: HashSet<_> = COOKIES.iter().map(|c| c.name).collect();
        assert_eq!(names.len(), COOKIES.len());
        assert!(!cookie("lang").unwrap().category.needs_consent());
        assert!(CookieCategory::Analytics.needs_consent());
        assert!(CookieCategory::Marketing.needs_consent());
        assert!(cookie("tracker").is_none());
    }

    #[test]
    fn processors_are_unique_and_say_what_they_receive() {
        let ids: HashSet<_> = PROCESSORS.iter().map(|p| p.id).collect();
        assert_eq!(ids.len(), PROCESSORS.len());
        assert!(
            PROCESSORS
                .iter()
                .all(|p| !p.receives.is_empty() && !p.location.is_empty())
        );
    }

    #[test]
    fn expiry_follows_the_category_clock() {
        let day_ms = days(1).as_millis() as i64;
        let created = 1_000 * day_ms;
        assert!(!is_expired(
            DataCategory::GuestData,
            created,
            created + 15 * day_ms
        ));
        assert!(is_expired(
            DataCategory::GuestData,
            created,
            created + 15 * day_ms + 1
        ));
        assert!(!is_expired(
            DataCategory::GeneratedContent,
            created,
            created + 365 * day_ms
        ));
        assert!(is_expired(
            DataCategory::GeneratedContent,
            created,
            created + 366 * day_ms
        ));
        // Payment records outlive seven calendar years, leap days included.
        assert!(!is_expired(
            DataCategory::OrdersPayments,
            created,
            created + 2557 * day_ms
        ));
        // Account data is kept while the account lives; its clock starts at deletion.
        assert!(!is_expired(
            DataCategory::Account,
            created,
            created + 10_000 * day_ms
        ));
    }
}

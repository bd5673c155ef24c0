//! The privacy registry: data categories, purposes, legal bases, processors, cookies,
//! retention periods and document versions. It is data, not prose: the policy pages, the
//! consent banner, the export, the retention sweeper and the subprocessor list all read it,
//! so the published policy and the running code cannot drift apart. Human-readable names and
//! descriptions live in the locale files under the ids used here.

use std::time::Duration;

pub mod cookies;
pub mod documents;
pub mod processors;

pub use cookies::{
    ANALYTICS_COOKIE, ATTRIBUTION_COOKIE, CONSENT_COOKIE, COOKIES, CookieCategory, CookieRule,
    GUEST_COOKIE, SESSION_COOKIE, cookie,
};
pub use documents::{CURRENT, Doc, TERMS_VERSION, Version};
pub use processors::{PROCESSORS, Processor};

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
/// How long a visitor's support ticket waits for its emailed confirmation link; an
/// unconfirmed ticket, with its screenshot, is deleted after it (an address typed by
/// someone else is not kept). Confirmed tickets are support conversations
/// ([`DataCategory::SupportMarketing`]): in the person's export, deleted with the account.
pub const SUPPORT_CONFIRM_WINDOW: Duration = days(7);
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
mod tests;

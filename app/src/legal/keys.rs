//! The locale keys of the registry's purposes, legal bases, cookie categories and places.

use domain::privacy::{CookieCategory, LegalBasis, Purpose};

/// Every cookie category, in the order the pages explain them.
pub(super) const COOKIE_CATEGORIES: [CookieCategory; 4] = [
    CookieCategory::Essential,
    CookieCategory::Functional,
    CookieCategory::Analytics,
    CookieCategory::Marketing,
];

pub(super) fn cookie_category_key(category: CookieCategory) -> String {
    let id = match category {
        CookieCategory::Essential => "essential",
        CookieCategory::Functional => "functional",
        CookieCategory::Analytics => "analytics",
        CookieCategory::Marketing => "marketing",
    };
    format!("legal-cookie-category-{id}")
}

pub(super) fn purpose_key(purpose: Purpose) -> String {
    let id = match purpose {
        Purpose::ProvideService => "provide-service",
        Purpose::Billing => "billing",
        Purpose::Security => "security",
        Purpose::Improvement => "improvement",
        Purpose::Marketing => "marketing",
        Purpose::Compliance => "compliance",
        Purpose::Support => "support",
    };
    format!("legal-purpose-{id}")
}

pub(super) fn basis_key(basis: LegalBasis) -> String {
    let id = match basis {
        LegalBasis::Contract => "contract",
        LegalBasis::LegalObligation => "legal-obligation",
        LegalBasis::LegitimateInterest => "legitimate-interest",
        LegalBasis::Consent => "consent",
    };
    format!("legal-basis-{id}")
}

/// The locale key of a place a processor names (`United States` → `legal-place-united-states`).
pub(super) fn place_key(place: &str) -> String {
    let mut slug = String::new();
    for c in place.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    format!("legal-place-{}", slug.trim_end_matches('-'))
}

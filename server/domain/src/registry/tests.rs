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
    assert_eq!(SUPPORT_CONFIRM_WINDOW, days(7));
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

use super::keys::{COOKIE_CATEGORIES, basis_key, cookie_category_key, place_key, purpose_key};
use super::*;
use crate::i18n::Locale;
use crate::model::legal::*;
use domain::privacy::{
    CATEGORIES, COOKIES, DataCategory, MINIMUM_AGE, PROCESSORS, Processor, REQUEST_DEADLINE,
    Retention, policy,
};
use std::collections::BTreeSet;
use std::path::Path;

fn processor(id: &str) -> &'static Processor {
    PROCESSORS.iter().find(|p| p.id == id).unwrap()
}

/// A deployment with Gemini and Stripe switched on, and nothing else.
fn facts() -> LegalFacts {
    let active = vec![processor("stripe"), processor("gemini")];
    LegalFacts {
        inactive: PROCESSORS
            .iter()
            .filter(|p| !active.iter().any(|a| a.id == p.id))
            .collect(),
        active,
        contact_email: Some("privacy@banana.example".into()),
        operator: Some("Banana Works Ltd".into()),
        offline_engine: true,
        image_check: false,
        guest_trial_credits: 3,
        signup_bonus: Some(domain::billing::Bonus {
            credits: 20,
            validity_days: 30,
        }),
    }
}

fn section<'a>(doc: &'a LegalDoc, id: &str) -> &'a Section {
    doc.sections
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("{} has a section {id}", doc.doc))
}

fn section_text(doc: &LegalDoc, id: &str) -> String {
    let only = LegalDoc {
        sections: vec![section(doc, id).clone()],
        ..doc.clone()
    };
    only.plain_text()
}

/// Message ids defined in `locales/<locale>/legal.ftl`.
fn legal_keys(locale: Locale) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(locale.tag())
        .join("legal.ftl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with([' ', '#', '*', '[', '}']) && !line.is_empty())
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_string()))
        .collect()
}

#[test]
fn periods_read_as_people_say_them() {
    let en = Locale::En;
    assert_eq!(format_period(en, privacy_days(1)), "1 day");
    assert_eq!(format_period(en, privacy_days(90)), "90 days");
    assert_eq!(format_period(en, privacy_days(365)), "1 year");
    assert_eq!(format_period(en, privacy_days(730)), "2 years");
    // Obligations to keep data count 366-day years.
    assert_eq!(format_period(en, privacy_days(7 * 366)), "7 years");
    assert_eq!(format_period(en, privacy_days(400)), "400 days");
    assert_eq!(
        format_period(en, std::time::Duration::from_secs(90 * 60)),
        "2 hours"
    );
    assert_eq!(format_period(Locale::ZhCn, privacy_days(15)), "15 天");
    assert_eq!(format_period(Locale::ZhCn, privacy_days(730)), "2 年");
}

fn privacy_days(n: u64) -> std::time::Duration {
    domain::privacy::days(n)
}

/// Every key the documents look up per registry entry exists in both languages, so a new
/// cookie, processor, category or place cannot render blank or as its key.
#[test]
fn every_registry_entry_has_its_words_in_every_locale() {
    let mut wanted: Vec<String> = Vec::new();
    for category in DataCategory::ALL {
        wanted.push(format!("legal-category-{}-name", category.id()));
        wanted.push(format!("legal-category-{}-contains", category.id()));
    }
    for rule in CATEGORIES {
        for purpose in rule.purposes {
            wanted.push(purpose_key(*purpose));
            wanted.push(format!("{}-long", purpose_key(*purpose)));
            wanted.push(basis_key(purpose.legal_basis()));
        }
    }
    for cookie in COOKIES {
        wanted.push(format!("legal-cookie-{}-purpose", cookie.name));
    }
    for category in COOKIE_CATEGORIES {
        wanted.push(cookie_category_key(category));
        wanted.push(format!("{}-about", cookie_category_key(category)));
    }
    for processor in PROCESSORS {
        wanted.push(format!("legal-processor-{}-service", processor.id));
        for place in processor.location.split(", ") {
            wanted.push(place_key(place));
        }
    }
    for kind in LegalDocKind::ALL {
        for suffix in ["title", "description", "summary"] {
            wanted.push(format!("legal-{}-{suffix}", kind.id()));
        }
    }
    for locale in Locale::ALL {
        let have = legal_keys(locale);
        let missing: Vec<&String> = wanted.iter().filter(|k| !have.contains(*k)).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", locale.tag());
    }
}

/// The cookies announced for consent and analytics have their purposes written already.
#[test]
fn upcoming_cookies_have_purposes() {
    for locale in Locale::ALL {
        let have = legal_keys(locale);
        for name in ["consent", "bn_aid", "bn_utm"] {
            assert!(
                have.contains(&format!("legal-cookie-{name}-purpose")),
                "{}: {name}",
                locale.tag()
            );
        }
    }
}

/// No message is missing: a missing key would show as the key itself.
#[test]
fn every_document_builds_in_every_locale_without_missing_words() {
    // With and without a contact address: the sentences around the form differ.
    let variants = [
        facts(),
        LegalFacts {
            contact_email: None,
            ..facts()
        },
    ];
    for (kind, facts) in LegalDocKind::ALL
        .into_iter()
        .flat_map(|kind| variants.iter().map(move |facts| (kind, facts)))
    {
        for locale in Locale::ALL {
            let doc = build(kind, locale, facts);
            let current = policy::current(kind.into());
            assert_eq!(doc.version, current.version);
            assert_eq!(doc.effective, current.effective);
            assert_eq!(doc.locale, locale.tag());
            assert!(!doc.sections.is_empty());
            let text = doc.plain_text();
            assert!(!text.contains("legal-"), "{kind:?}/{locale:?}: {text}");
            assert!(!text.contains('\u{E000}') && !text.contains('\u{E001}'));
            assert!(
                !text.contains("{ $"),
                "{kind:?}/{locale:?}: unfilled placeable"
            );
            let ids: BTreeSet<_> = doc.sections.iter().map(|s| s.id.as_str()).collect();
            assert_eq!(ids.len(), doc.sections.len(), "section ids are unique");
            for section in &doc.sections {
                assert!(!section.heading.is_empty());
                for block in &section.blocks {
                    if let Block::Table { head, rows } = block {
                        assert!(rows.iter().all(|row| row.len() == head.len()));
                        assert!(rows.iter().flatten().all(|cell| !cell.trim().is_empty()));
                    }
                }
            }
        }
    }
}

#[test]
fn the_privacy_policy_lists_every_category_with_its_registry_retention() {
    let doc = build(LegalDocKind::Privacy, Locale::En, &facts());
    let data = section_text(&doc, "data");
    let retention = section_text(&doc, "retention");
    for rule in CATEGORIES {
        let name = Locale::En.t(&format!("legal-category-{}-name", rule.category.id()));
        assert!(data.contains(&name), "{name} in the data table");
        assert!(retention.contains(&name), "{name} in the retention list");
    }
    // The periods are the registry's, formatted.
    assert!(retention.contains("While your account exists, then 90 days after you delete it"));
    assert!(retention.contains("7 years from when it is created"));
    assert!(retention.contains("Up to 2 years, then only in aggregated or anonymized form"));
    let guest = match domain::privacy::rule(DataCategory::GuestData).retention {
        Retention::UnlessMigrated(d) => format_period(Locale::En, d),
        other => panic!("guest data retention changed: {other:?}"),
    };
    assert!(section_text(&doc, "ai").contains(&format!("kept for {guest} and then deleted")));
    // Purposes carry their legal basis.
    assert!(data.contains("Marketing (your consent)"));
    assert!(data.contains("Billing (legal obligation)"));
}

#[test]
fn the_privacy_policy_states_rights_deadlines_and_age_from_the_registry() {
    let doc = build(LegalDocKind::Privacy, Locale::En, &facts());
    let exercise = section_text(&doc, "exercise");
    assert!(exercise.contains(&format!(
        "within {}",
        format_period(Locale::En, REQUEST_DEADLINE)
    )));
    let children = section_text(&doc, "children");
    assert!(children.contains(&format!("aged {MINIMUM_AGE} or older")));
    let rights = section_text(&doc, "rights");
    for word in [
        "Access",
        "Correction",
        "Deletion",
        "Restriction",
        "Objection",
        "Portability",
        "Withdrawing consent",
        "No sale",
        "Global Privacy Control",
        "Marketing",
        "Complaint",
    ] {
        assert!(rights.contains(word), "right {word}");
    }
    // Self-service and the request form are links into this locale.
    let links: Vec<(String, String)> = section(&doc, "exercise")
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(text) => Some(text),
            _ => None,
        })
        .flat_map(|text| text.links().map(|(t, h)| (t.to_string(), h.to_string())))
        .collect();
    let hrefs: Vec<&str> = links.iter().map(|(_, h)| h.as_str()).collect();
    assert!(hrefs.contains(&"/settings/privacy"), "{hrefs:?}");
    assert!(hrefs.contains(&"/privacy/requests"), "{hrefs:?}");
    assert!(
        hrefs.contains(&"mailto:privacy@banana.example"),
        "{hrefs:?}"
    );
    let zh = build(LegalDocKind::Privacy, Locale::ZhCn, &facts());
    let zh_links: Vec<String> = zh
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Paragraph(text) => Some(text),
            _ => None,
        })
        .flat_map(|text| text.links().map(|(_, h)| h.to_string()).collect::<Vec<_>>())
        .collect();
    assert!(zh_links.contains(&"/zh-CN/settings/privacy".to_string()));
    assert!(zh_links.contains(&"/zh-CN/cookies".to_string()));
}

#[test]
fn only_active_processors_are_named_as_receiving_data() {
    let doc = build(LegalDocKind::Privacy, Locale::En, &facts());
    let sharing = section_text(&doc, "sharing");
    assert!(sharing.contains("Stripe"));
    assert!(sharing.contains("Google Gemini API"));
    assert!(!sharing.contains("Replicate"));
    assert!(!sharing.contains("Resend"));
    let ai = section_text(&doc, "ai");
    assert!(ai.contains("Google Gemini API"));
    assert!(!ai.contains("OpenAI"));
    let transfers = section_text(&doc, "transfers");
    assert!(transfers.contains("United States"));
    assert!(!transfers.contains("Singapore"), "only Kie works there");

    let sub = build(LegalDocKind::Subprocessors, Locale::En, &facts());
    let active = section_text(&sub, "active");
    let inactive = section_text(&sub, "inactive");
    assert!(active.contains("Google Gemini API") && !active.contains("Replicate"));
    assert!(inactive.contains("Replicate") && !inactive.contains("Google Gemini API"));

    let none = LegalFacts {
        active: Vec::new(),
        inactive: PROCESSORS.iter().collect(),
        ..facts()
    };
    let sub = build(LegalDocKind::Subprocessors, Locale::En, &none);
    assert!(
        !sub.sections
            .iter()
            .flat_map(|s| &s.blocks)
            .any(|b| matches!(b, Block::Table { .. })),
        "no processor table without processors"
    );
    let privacy = build(LegalDocKind::Privacy, Locale::En, &none);
    assert!(section_text(&privacy, "ai").contains("only with its built-in offline engine"));
}

#[test]
fn the_cookie_page_has_a_row_per_cookie_with_its_lifetime() {
    let doc = build(LegalDocKind::Cookies, Locale::En, &facts());
    let Some(Block::Table { rows, .. }) = section(&doc, "list").blocks.first() else {
        panic!("the cookie list is a table");
    };
    assert_eq!(rows.len(), COOKIES.len());
    for (row, cookie) in rows.iter().zip(COOKIES) {
        assert_eq!(row[0], cookie.name);
        assert_eq!(
            row[2],
            Locale::En.t(&format!("legal-cookie-{}-purpose", cookie.name))
        );
        let lifetime = cookie
            .lifetime
            .map(|d| format_period(Locale::En, d))
            .unwrap_or_else(|| Locale::En.t("legal-period-session"));
        assert_eq!(row[3], lifetime);
    }
    let choices = section_text(&doc, "choices");
    assert!(choices.contains("Global Privacy Control"));
}

#[test]
fn without_a_contact_address_the_request_form_is_the_way_in() {
    let facts = LegalFacts {
        contact_email: None,
        operator: None,
        ..facts()
    };
    let doc = build(LegalDocKind::Privacy, Locale::En, &facts);
    let text = doc.plain_text();
    assert!(!text.contains('@'), "no address is invented");
    assert!(text.contains(&Locale::En.t("legal-operator-default")));
    let contact_links: Vec<String> = section(&doc, "contact")
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(text) => {
                Some(text.links().map(|(_, h)| h.to_string()).collect::<Vec<_>>())
            }
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(contact_links, ["/privacy/requests", "/support"]);
}

#[test]
fn terms_state_the_age_and_the_configured_bonus() {
    let doc = build(LegalDocKind::Terms, Locale::En, &facts());
    assert!(section_text(&doc, "age").contains(&format!("at least {MINIMUM_AGE} years old")));
    let credits = section_text(&doc, "credits");
    assert!(credits.contains("20 free credits"));
    assert!(credits.contains("expire after 30 days"));
    assert!(credits.contains("no cash value"));
    let no_bonus = LegalFacts {
        signup_bonus: None,
        ..facts()
    };
    let doc = build(LegalDocKind::Terms, Locale::En, &no_bonus);
    assert!(!section_text(&doc, "credits").contains("free credits"));
    let zh = build(LegalDocKind::Terms, Locale::ZhCn, &facts());
    assert!(section_text(&zh, "language").contains("以英文版本为准"));
}

#[test]
fn documents_survive_their_json_snapshot() {
    for kind in LegalDocKind::ALL {
        let doc = build(kind, Locale::ZhCn, &facts());
        let json = serde_json::to_string(&doc).unwrap();
        let back: LegalDoc = serde_json::from_str(&json).unwrap();
        assert_eq!(back, doc);
    }
}

#[test]
fn document_kinds_match_the_policy_documents() {
    for kind in LegalDocKind::ALL {
        let doc: policy::Doc = kind.into();
        assert_eq!(doc.id(), kind.id());
        assert_eq!(doc.path(), kind.page());
        assert_eq!(LegalDocKind::parse(kind.id()), Some(kind));
    }
    assert_eq!(LegalDocKind::parse("nope"), None);
}

#[test]
fn place_keys_are_slugs() {
    assert_eq!(place_key("United States"), "legal-place-united-states");
    assert_eq!(
        place_key("Global (Cloudflare network)"),
        "legal-place-global-cloudflare-network"
    );
}

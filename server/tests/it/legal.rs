//! The legal pages over HTTP: rendered from the privacy registry and this site's
//! configuration, in every language, with their versions published at start-up.

use crate::support;
use testkit::{TestDatabase, db_test};

use app::i18n::Locale;
use app::legal::format_period;
use domain::privacy::{CATEGORIES, DataCategory, MINIMUM_AGE, Retention, policy, rule};
use reqwest::StatusCode;
use support::{TestApp, escape};

const PAGES: [(&str, policy::Doc); 4] = [
    ("/privacy", policy::Doc::Privacy),
    ("/terms", policy::Doc::Terms),
    ("/cookies", policy::Doc::Cookies),
    ("/legal/subprocessors", policy::Doc::Subprocessors),
];

async fn page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app.get(path).await;
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// A message as a page shows it, with placeables filled.
fn shown(locale: Locale, key: &str, args: &[(&'static str, String)]) -> String {
    let args: Vec<_> = args
        .iter()
        .map(|(name, value)| (*name, value.clone().into()))
        .collect();
    escape(&locale.t_args(key, &args))
}

db_test!(
    every_page_shows_its_version_in_both_languages,
    |app: TestApp| async move {
        for (path, doc) in PAGES {
            let current = policy::current(doc);
            for locale in Locale::ALL {
                let url = locale.path(path);
                let (status, html) = page(&app, &url).await;
                assert_eq!(status, StatusCode::OK, "{url}");
                assert!(html.contains(&format!("<html lang=\"{}\"", locale.tag())));
                assert!(
                    html.contains(&shown(
                        locale,
                        "legal-meta-version",
                        &[("version", current.version.to_string())]
                    )),
                    "{url} shows its version"
                );
                assert!(
                    html.contains(&shown(
                        locale,
                        "legal-meta-effective",
                        &[("date", current.effective.to_string())]
                    )),
                    "{url} shows its effective date"
                );
                assert!(
                    html.contains(&format!(
                        "href=\"{}\"",
                        locale.path(&format!("/legal/{}/versions", doc.id()))
                    )),
                    "{url} links its archive"
                );
                assert!(html.contains("class=\"legal-toc\""), "{url} has contents");
                // The translation says that English governs; English needs no such note.
                let note = escape(&locale.t("legal-english-governs"));
                assert_eq!(
                    html.contains(&note),
                    locale != Locale::En,
                    "{url}: the governing-language note"
                );
            }
        }
        // The legal pages are in the sitemap, in every language.
        let sitemap = app.get("/sitemap.xml").await.text().await.unwrap();
        for (path, _) in PAGES {
            assert!(sitemap.contains(&format!("{}</loc>", Locale::ZhCn.path(path))));
        }
    }
);

db_test!(
    the_privacy_policy_follows_the_registry,
    |app: TestApp| async move {
        let (_, html) = page(&app, "/privacy").await;
        for rule in CATEGORIES {
            let name =
                escape(&Locale::En.t(&format!("legal-category-{}-name", rule.category.id())));
            assert!(
                html.contains(&format!("<th scope=\"row\">{name}</th>")),
                "{name} in the data table"
            );
        }
        let period = |category| match rule(category).retention {
            Retention::WhileActiveThen(d)
            | Retention::For(d)
            | Retention::UnlessMigrated(d)
            | Retention::ThenAnonymized(d) => format_period(Locale::En, d),
            Retention::UntilWithdrawn => unreachable!(),
        };
        for (category, key) in [
            (DataCategory::Account, "legal-retention-while-active"),
            (DataCategory::OrdersPayments, "legal-retention-for"),
            (DataCategory::UploadsPrompts, "legal-retention-for"),
            (DataCategory::GuestData, "legal-retention-unless-migrated"),
            (
                DataCategory::LogsAnalytics,
                "legal-retention-then-anonymized",
            ),
        ] {
            let line = shown(
                Locale::En,
                "legal-privacy-retention-line",
                &[
                    (
                        "category",
                        Locale::En.t(&format!("legal-category-{}-name", category.id())),
                    ),
                    (
                        "retention",
                        Locale::En.t_args(key, &[("period", period(category).into())]),
                    ),
                ],
            );
            assert!(html.contains(&line), "retention of {category:?}: {line}");
        }
        assert!(html.contains(&format!("aged {MINIMUM_AGE} or older")));
        assert!(html.contains("href=\"/settings/privacy\""));
        assert!(html.contains("href=\"/privacy/requests\""));
        assert!(html.contains("href=\"/cookies\""));
        // Nothing is configured: no outside processor is named as receiving data.
        assert!(html.contains(&escape(&Locale::En.t("legal-privacy-sharing-none"))));
        assert!(!html.contains("Stripe (cards"));
        // Tables are whole: a head and a body.
        assert!(html.contains("<thead>") && html.contains("<tbody>"));

        let (_, zh) = page(&app, "/zh-CN/privacy").await;
        assert!(zh.contains("href=\"/zh-CN/settings/privacy\""));
        assert!(zh.contains(&escape(&Locale::ZhCn.t("legal-category-account-name"))));
    }
);

db_test!(
    the_cookie_page_lists_every_cookie,
    |app: TestApp| async move {
        let (_, html) = page(&app, "/cookies").await;
        for cookie in domain::privacy::COOKIES {
            assert!(
                html.contains(&format!("<th scope=\"row\">{}</th>", cookie.name)),
                "cookie {}",
                cookie.name
            );
            assert!(html.contains(&escape(
                &Locale::En.t(&format!("legal-cookie-{}-purpose", cookie.name))
            )));
        }
    }
);

db_test!(subprocessors_follow_the_configuration);

async fn subprocessors_follow_the_configuration(database: &TestDatabase) {
    use figment::providers::Serialized;
    let app = support::spawn_app_with(database, |figment| {
        figment
            .merge(Serialized::default("gemini_api_key", "g-test-key"))
            .merge(Serialized::default(
                "contact_email",
                "privacy@banana.example",
            ))
            .merge(Serialized::default("operator_name", "Banana Works Ltd"))
    })
    .await;
    let (status, html) = page(&app, "/legal/subprocessors").await;
    assert_eq!(status, StatusCode::OK);
    let section = |id: &str| {
        let start = html
            .find(&format!("<section id=\"{id}\""))
            .unwrap_or_else(|| panic!("section {id}"));
        let end = html[start..].find("</section>").unwrap() + start;
        html[start..end].to_string()
    };
    let active = section("active");
    let inactive = section("inactive");
    assert!(active.contains("Google Gemini API"), "{active}");
    assert!(!active.contains("Replicate"), "{active}");
    assert!(inactive.contains("Replicate"), "{inactive}");
    assert!(!inactive.contains("Google Gemini API"), "{inactive}");

    let (_, privacy) = page(&app, "/privacy").await;
    assert!(privacy.contains("Google Gemini API"));
    assert!(privacy.contains("href=\"mailto:privacy@banana.example\""));
    assert!(privacy.contains("Banana Works Ltd"));
    app.stop().await.unwrap();
}

db_test!(
    start_up_publishes_the_current_versions,
    |app: TestApp| async move {
        for (path, doc) in PAGES {
            let current = policy::current(doc);
            let versions = policy::versions(&app.db, doc).await.unwrap();
            assert_eq!(versions.len(), 1, "{path}");
            assert_eq!(versions[0].version, current.version);

            let list = format!("/legal/{}/versions", doc.id());
            let (status, html) = page(&app, &list).await;
            assert_eq!(status, StatusCode::OK, "{list}");
            let archived = format!("{list}/{}", current.version);
            assert!(html.contains(&format!("href=\"{archived}\"")), "{html}");
            assert!(html.contains(&escape(&Locale::En.t("legal-versions-current"))));

            for locale in Locale::ALL {
                let url = locale.path(&archived);
                let (status, html) = page(&app, &url).await;
                assert_eq!(status, StatusCode::OK, "{url}");
                let title = escape(&locale.t(&format!("legal-{}-title", doc.id())));
                assert!(html.contains(&format!("<h1>{title}</h1>")), "{url}");
                assert!(html.contains(&escape(&locale.t("legal-archived-is-current"))));
                assert!(html.contains("noindex"), "{url}: archives are not indexed");
            }
        }
    }
);

db_test!(a_later_start_keeps_what_was_published);

/// Publishing is idempotent: another start (or another instance) with a different
/// configuration neither adds a version nor rewrites the text first published.
async fn a_later_start_keeps_what_was_published(database: &TestDatabase) {
    let doc = policy::Doc::Privacy;
    let version = policy::current(doc).version;
    let first = support::spawn_app(database).await;
    let published = policy::versions(&first.db, doc).await.unwrap();
    let text = policy::snapshot(&first.db, doc, version, "zh-CN")
        .await
        .unwrap()
        .expect("published in Chinese");
    assert!(text.contains("\"locale\":\"zh-CN\""));
    first.stop().await.unwrap();

    let second = support::spawn_app_with(database, |figment| {
        figment.merge(figment::providers::Serialized::default(
            "contact_email",
            "later@banana.example",
        ))
    })
    .await;
    assert_eq!(policy::versions(&second.db, doc).await.unwrap(), published);
    let again = policy::snapshot(&second.db, doc, version, "zh-CN")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again, text);
    assert!(!again.contains("later@banana.example"));
    // The live page follows the configuration.
    let (_, html) = page(&second, "/privacy").await;
    assert!(html.contains("later@banana.example"));
    second.stop().await.unwrap();
}

db_test!(
    unknown_documents_and_versions_are_404s,
    |app: TestApp| async move {
        for path in [
            "/legal/privacy/versions/1999-01-01",
            "/zh-CN/legal/terms/versions/1999-01-01",
            "/legal/nothing/versions",
            "/legal/nothing/versions/2026-11-23",
        ] {
            let (status, html) = page(&app, path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(html.contains("class=\"error-page\""), "{path}");
        }
    }
);

//! Consent, analytics and changed terms over HTTP: what a browser is sent and what the
//! server stores, for each choice.

use crate::support;
use testkit::db_test;

use domain::privacy::{self, policy};
use reqwest::{StatusCode, header};
use support::{Browser, TestApp, verified_account};

/// The names of the cookies a response sets (`name=value; …`), with their values.
fn set_cookies(response: &reqwest::Response) -> Vec<(String, String)> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .map(|(name, value)| (name.trim().to_string(), value.to_string()))
        .collect()
}

fn set(response: &reqwest::Response, name: &str) -> Option<String> {
    set_cookies(response)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

/// Every cookie a response sets is declared in the privacy registry.
fn assert_declared(response: &reqwest::Response) {
    for (name, _) in set_cookies(response) {
        assert!(
            privacy::cookie(&name).is_some(),
            "cookie `{name}` is not declared in the privacy registry"
        );
    }
}

async fn events(app: &TestApp, visitor: &str) -> i64 {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM analytics_events WHERE visitor_id = $1")
            .bind(visitor)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    count
}

async fn page(browser: &Browser, path: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut request = browser
        .client
        .get(browser.url(path))
        .header(header::ACCEPT, "text/html");
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    assert_declared(&response);
    response
}

fn visitor_of(consent: &str) -> String {
    consent.rsplit('.').next().unwrap().to_string()
}

db_test!(
    banner_until_a_choice_and_reject_stores_nothing,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        let first = page(&browser, "/pricing?utm_source=mail", &[]).await;
        assert_eq!(first.status(), StatusCode::OK);
        assert!(set(&first, "bn_aid").is_none() && set(&first, "bn_utm").is_none());
        let html = first.text().await.unwrap();
        assert!(
            html.contains("data-testid=\"consent-banner\""),
            "the banner asks"
        );
        let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM analytics_events")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(total, 0, "nothing is counted before a choice");

        let response = browser
            .post("/consent", &[("choice", "reject"), ("to", "/pricing")])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/pricing");
        assert_declared(&response);
        let consent = set(&response, "consent").expect("the choice is remembered");
        assert!(consent.starts_with(&format!("{}.00.", policy::consent_version())));
        assert!(set(&response, "bn_aid").is_none_or(|v| v.is_empty()));
        let visitor = visitor_of(&consent);
        for path in ["/", "/pricing", "/workbench"] {
            let response = page(&browser, path, &[]).await;
            assert!(set(&response, "bn_aid").is_none());
            let html = response.text().await.unwrap();
            assert!(!html.contains("data-testid=\"consent-banner\""));
        }
        assert_eq!(events(&app, &visitor).await, 0);
        let (source, analytics): (String, i64) =
            sqlx::query_as("SELECT source, analytics FROM consent_records WHERE visitor_id = $1")
                .bind(&visitor)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!((source.as_str(), analytics), ("banner", 0));
    }
);

db_test!(
    accept_sets_the_analytics_cookie_and_counts_pages,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        let response = browser
            .post("/consent", &[("choice", "accept"), ("to", "/")])
            .await;
        assert_declared(&response);
        let consent = set(&response, "consent").unwrap();
        let visitor = visitor_of(&consent);
        assert_eq!(set(&response, "bn_aid").as_deref(), Some(visitor.as_str()));
        let landing = page(&browser, "/?utm_source=spring&utm_campaign=launch", &[]).await;
        assert_eq!(set(&landing, "bn_utm").as_deref(), Some("spring..launch"));
        page(&browser, "/settings/billing/orders/BN-20261122-0042", &[]).await;
        page(&browser, "/pricing", &[]).await;
        assert!(events(&app, &visitor).await >= 2);
        let paths: Vec<(String,)> =
            sqlx::query_as("SELECT path FROM analytics_events WHERE visitor_id = $1")
                .bind(&visitor)
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        assert!(
            paths.iter().all(|(p,)| !p.contains('?')),
            "no query strings"
        );

        // Withdrawing takes the cookies back and stops the counting.
        let response = browser
            .post(
                "/consent",
                &[("choice", "withdraw"), ("source", "settings"), ("to", "/")],
            )
            .await;
        assert_eq!(set(&response, "bn_aid").as_deref(), Some(""));
        let before = events(&app, &visitor).await;
        page(&browser, "/pricing", &[]).await;
        assert_eq!(events(&app, &visitor).await, before);
    }
);

db_test!(
    gpc_is_a_refusal_over_any_stored_choice,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        let response = browser
            .post("/consent", &[("choice", "accept"), ("to", "/")])
            .await;
        let visitor = visitor_of(&set(&response, "consent").unwrap());
        let gpc = [("sec-gpc", "1")];
        let response = page(&browser, "/?utm_source=x", &gpc).await;
        assert_eq!(
            set(&response, "bn_aid").as_deref(),
            Some(""),
            "the cookie is taken back"
        );
        assert!(set(&response, "bn_utm").is_none());
        let html = response.text().await.unwrap();
        assert!(
            !html.contains("data-testid=\"consent-banner\""),
            "GPC already answered"
        );
        assert_eq!(events(&app, &visitor).await, 0);
        // Choosing "accept all" while the signal is on records a refusal.
        let response = browser
            .client
            .post(browser.url("/consent"))
            .header("sec-gpc", "1")
            .form(&[("choice", "accept"), ("to", "/")])
            .send()
            .await
            .unwrap();
        let consent = set(&response, "consent").unwrap();
        assert!(consent.contains(".00."), "{consent}");
        let (source,): (String,) = sqlx::query_as(
        "SELECT source FROM consent_records WHERE visitor_id = $1 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(&visitor)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
        assert_eq!(source, "gpc");
    }
);

db_test!(
    material_terms_are_accepted_again_at_sign_in,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        verified_account(&app, &browser, "terms@example.com").await;
        let state = domain::AppState::new((*app.config).clone(), app.db.clone()).unwrap();
        let now = domain::now_ms();
        let published = policy::publish(
            &state,
            policy::Doc::Terms,
            "2099-01-01",
            policy::day_start_ms("2099-01-01").unwrap(),
            true,
            &[("en".into(), "{}".into())],
            now,
        )
        .await
        .unwrap();
        assert!(published);
        // Signed in before the change: asked at the next sign-in, so sign out and in.
        browser.post("/sign-out", &[]).await;
        let response = browser
            .post(
                "/sign-in",
                &[
                    ("email", "terms@example.com"),
                    ("password", support::PASSWORD),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let response = page(&browser, "/settings/profile", &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let to = response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        assert!(to.starts_with("/terms/accept?to="), "{to}");
        // The legal pages and every privacy right stay open: declining new terms never stops
        // anyone from taking their data or leaving.
        for open in ["/terms", "/settings/privacy", "/privacy/requests"] {
            assert_eq!(
                page(&browser, open, &[]).await.status(),
                StatusCode::OK,
                "{open}"
            );
        }
        let settings = page(&browser, "/settings/privacy", &[])
            .await
            .text()
            .await
            .unwrap();
        for section in [
            "privacy-consent-heading",
            "privacy-export-heading",
            "privacy-correct-heading",
            "privacy-processing-heading",
            "privacy-marketing-heading",
            "privacy-rights-heading",
            "privacy-delete-heading",
        ] {
            assert!(
                settings.contains(&support::escape(&support::en(section))),
                "the privacy settings page has its `{section}` section"
            );
        }
        let page_html = page(&browser, &to, &[]).await.text().await.unwrap();
        assert!(page_html.contains("/terms/accept"));
        // Not ticking the box refuses.
        let refused = browser
            .post("/terms/accept", &[("to", "/settings/profile")])
            .await;
        assert_ne!(refused.status(), StatusCode::OK);
        let accepted = browser
            .post(
                "/terms/accept",
                &[("accept", "on"), ("to", "/settings/profile")],
            )
            .await;
        assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
        assert_eq!(accepted.headers()[header::LOCATION], "/settings/profile");
        assert_eq!(
            page(&browser, "/settings/profile", &[]).await.status(),
            StatusCode::OK
        );
        let (version,): (String,) =
            sqlx::query_as("SELECT terms_version FROM users WHERE email = 'terms@example.com'")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(version, "2099-01-01");
        // The in-product notice shows until dismissed.
        let html = page(&browser, "/pricing", &[]).await.text().await.unwrap();
        assert!(html.contains("data-testid=\"policy-notice\""));
        let key = support::input_value(&html, "key").expect("the dismiss form names the notice");
        let response = browser
            .post(
                "/policy-notice/dismiss",
                &[("key", &key), ("to", "/pricing")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let html = page(&browser, "/pricing", &[]).await.text().await.unwrap();
        assert!(!html.contains("data-testid=\"policy-notice\""));
    }
);

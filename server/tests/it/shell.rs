//! The frame of every page: the header knows who is asking (name, credits, the menu), for
//! visitors offers sign-in, and keeps up under many signed-in renders at once.

use crate::support::{self, Browser, TestApp, verified_account};
use domain::credits;
use futures::future::join_all;
use reqwest::{StatusCode, header};
use std::time::Duration;
use testkit::{TestDatabase, db_test};

async fn user_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn available(app: &TestApp, user: &str) -> i64 {
    credits::balance(&app.db, user, domain::now_ms())
        .await
        .unwrap()
        .available
}

/// The credits the header shows, as a number (from "1,234 credits" or "120 credits").
fn header_credits(html: &str) -> Option<i64> {
    let marker = r#"data-testid="header-balance""#;
    let at = html.find(marker)?;
    let start = at + html[at..].find('>')? + 1;
    let end = start + html[start..].find("</span>")?;
    let digits: String = html[start..end]
        .split('<')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once('>').map_or("", |p| p.1)
            }
        })
        .collect::<String>()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

async fn page(browser: &Browser, path: &str) -> String {
    let response = browser
        .client
        .get(browser.url(path))
        .header(header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

db_test!(the_header_knows_who_is_asking, |app: TestApp| async move {
    // A visitor: sign in and try it, no account menu, and no session started.
    let visitor = Browser::new(&app);
    let html = page(&visitor, "/pricing").await;
    assert!(html.contains(r#"href="/sign-in""#));
    assert!(html.contains(&support::en("nav-try-free")));
    assert!(!html.contains(r#"data-testid="account-menu""#));

    let browser = Browser::new(&app);
    verified_account(&app, &browser, "header@example.com").await;
    let user = user_id(&app, "header@example.com").await;
    for path in [
        "/",
        "/pricing",
        "/privacy",
        "/workbench",
        "/settings/profile",
    ] {
        let html = page(&browser, path).await;
        assert!(html.contains(r#"data-testid="account-menu""#), "{path}");
        assert!(html.contains("Ada"), "{path}");
        assert!(html.contains("header@example.com"), "{path}");
        assert_eq!(
            header_credits(&html),
            Some(available(&app, &user).await),
            "{path}"
        );
        assert!(html.contains(r#"action="/sign-out""#), "{path}");
        assert!(!html.contains(&support::en("nav-try-free")), "{path}");
        // Only admins see the way to the admin pages.
        assert!(!html.contains(r#"href="/admin""#), "{path}");
    }
    // Chinese pages link within their locale.
    let html = page(&browser, "/zh-CN/pricing").await;
    assert!(html.contains(r#"href="/zh-CN/settings/billing""#));

    // The header follows the ledger: credits granted show on the next page.
    let key = credits::IdempotencyKey::new("test:header:grant").unwrap();
    credits::grant(
        &app.db,
        credits::Grant::new(&user, credits::LotSource::Admin, 250, None, &key),
    )
    .await
    .unwrap();
    let html = page(&browser, "/pricing").await;
    assert_eq!(header_credits(&html), Some(available(&app, &user).await));

    // Signed out again, the header is a visitor's.
    browser.post("/sign-out", &[]).await;
    let html = page(&browser, "/pricing").await;
    assert!(!html.contains(r#"data-testid="account-menu""#));
});

db_test!(two_hundred_signed_in_renders_all_finish);
/// Many signed-in pages rendered at once all finish, while other servers of the same
/// process are built beside them. Building a server generates Leptos's route list, which
/// pauses every resource in the process while it runs (a process-wide flag in
/// `leptos_server`); the route list is generated once per process so no render waits on it.
async fn two_hundred_signed_in_renders_all_finish(database: &TestDatabase) {
    let app = support::spawn_app(database).await;
    let browser = Browser::new(&app);
    verified_account(&app, &browser, "many@example.com").await;
    let pages = [
        "/",
        "/pricing",
        "/privacy",
        "/settings/profile",
        "/workbench",
    ];
    let renders = (0..200).map(|i| {
        let browser = &browser;
        let path = pages[i % pages.len()];
        async move {
            let html = tokio::time::timeout(Duration::from_secs(120), page(browser, path))
                .await
                .unwrap_or_else(|_| panic!("render {i} of {path} did not finish"));
            assert!(html.contains(r#"data-testid="account-menu""#), "{path}");
            assert!(html.contains("</html>"), "{path}");
        }
    });
    let more_servers = async {
        for _ in 0..2 {
            support::spawn_app(database).await.stop().await.unwrap();
        }
    };
    let (done, ()) = tokio::join!(join_all(renders), more_servers);
    assert_eq!(done.len(), 200);
    app.stop().await.unwrap();
}

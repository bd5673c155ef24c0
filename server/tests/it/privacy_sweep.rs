//! Privacy choices and retention over the real server and binary: the preference forms, the
//! one-click unsubscribe a mail client sends without a session, its confirmation page, and
//! `server sweep`.

use crate::support;
use testkit::db_test;

use domain::{
    AppState,
    db::Db,
    privacy::{
        marketing::{self, Campaign, Delivery},
        preferences,
    },
};
use reqwest::{StatusCode, header};
use std::process::{Command, Output};
use support::{Browser, TestApp, en, verified_account};

async fn user_id(db: &Db, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// The server's state, for sending email as the running instance would.
fn state_of(app: &TestApp) -> AppState {
    AppState::new((*app.config).clone(), app.db.clone()).unwrap()
}

db_test!(
    preference_forms_save_choices_for_the_signed_in_person,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        verified_account(&app, &browser, "ada@example.com").await;
        let ada = user_id(&app.db, "ada@example.com").await;

        let response = browser
            .post("/settings/privacy/marketing", &[("subscribe", "1")])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/settings/privacy");
        assert!(preferences::get(&app.db, &ada).await.unwrap().marketing);

        let response = browser
            .post("/settings/privacy/processing", &[("restrict", "on")])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let choices = preferences::get(&app.db, &ada).await.unwrap();
        assert!(choices.restricted && !choices.objected);
        assert!(preferences::limits_processing(&app.db, &ada).await);

        // Unticked boxes lift both.
        browser
            .post("/settings/privacy/processing", &[("object", "on")])
            .await;
        let choices = preferences::get(&app.db, &ada).await.unwrap();
        assert!(!choices.restricted && choices.objected);
        browser.post("/settings/privacy/processing", &[]).await;
        assert!(!preferences::limits_processing(&app.db, &ada).await);

        // In Chinese, back to the Chinese page.
        let response = browser
            .post("/zh-CN/settings/privacy/marketing", &[("subscribe", "0")])
            .await;
        assert_eq!(
            response.headers()[header::LOCATION],
            "/zh-CN/settings/privacy"
        );
        assert!(!preferences::get(&app.db, &ada).await.unwrap().marketing);

        // A value the form never sends is refused with the page again, and changes nothing.
        let response = browser
            .post("/settings/privacy/marketing", &[("subscribe", "yes")])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!preferences::get(&app.db, &ada).await.unwrap().marketing);

        // Signed out, the forms change nothing and lead to sign-in.
        let stranger = Browser::new(&app);
        let response = stranger
            .post("/settings/privacy/marketing", &[("subscribe", "1")])
            .await;
        assert!(response.status().is_redirection());
        assert!(
            response.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .ends_with("/sign-in")
        );
        assert!(!preferences::get(&app.db, &ada).await.unwrap().marketing);
    }
);

db_test!(
    one_click_unsubscribe_works_without_a_session_and_only_by_post,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        verified_account(&app, &browser, "bo@example.com").await;
        let bo = user_id(&app.db, "bo@example.com").await;
        browser
            .post("/settings/privacy/marketing", &[("subscribe", "1")])
            .await;
        let state = state_of(&app);
        let campaign = Campaign {
            id: "launch".into(),
            subject: "We launched".into(),
            body: "Come and see.".into(),
        };
        assert_eq!(
            marketing::send(&state, &bo, &campaign, domain::now_ms())
                .await
                .unwrap(),
            Delivery::Sent
        );
        let mail = domain::email::outbox_latest_to(&app.db, "bo@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(mail.kind, "marketing");
        let header = mail.header("List-Unsubscribe").unwrap();
        let url = header.trim_start_matches('<').trim_end_matches('>');
        let path = url
            .strip_prefix(&app.config.public_url)
            .unwrap()
            .to_string();
        assert!(path.starts_with("/unsubscribe?token="), "{path}");

        // A link scanner's GET shows the question and changes nothing.
        let page = app.get(&path).await;
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(page.headers()[header::CACHE_CONTROL], "no-store");
        let html = page.text().await.unwrap();
        assert!(html.contains(&en("unsubscribe-title")), "{html}");
        assert!(html.contains("method=\"post\""));
        assert!(preferences::get(&app.db, &bo).await.unwrap().marketing);

        // The mail client's POST: no cookie, no origin, no form token (`app.client` sends none).
        for _ in 0..2 {
            let response = app
                .client
                .post(app.url(&path))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click")
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "answered, and again");
            assert!(response.headers().get(header::SET_COOKIE).is_none());
            assert!(!preferences::get(&app.db, &bo).await.unwrap().marketing);
        }
        let changes: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE subject_id = $1 \
         AND action = 'privacy.marketing_changed'",
        )
        .bind(&bo)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(changes, 2, "in once, out once");
        assert_eq!(
            marketing::send(&state, &bo, &campaign, domain::now_ms())
                .await
                .unwrap(),
            Delivery::Skipped(marketing::SkipReason::NotOptedIn)
        );

        // A forged or damaged token does nothing, and says so.
        let last = if path.ends_with('0') { '1' } else { '0' };
        let forged = format!("{}{last}", &path[..path.len() - 1]);
        let response = app
            .client
            .post(app.url(&forged))
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&forged).await.status(), StatusCode::NOT_FOUND);

        // The exemption is for this path only: other forms still need proof of origin.
        let response = app
            .client
            .post(app.url("/settings/privacy/marketing"))
            .form(&[("subscribe", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
);

db_test!(
    the_unsubscribe_page_speaks_the_persons_language,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        verified_account(&app, &browser, "cy@example.com").await;
        let cy = user_id(&app.db, "cy@example.com").await;
        sqlx::query("UPDATE users SET locale = 'zh-CN' WHERE id = $1")
            .bind(&cy)
            .execute(app.db.pool())
            .await
            .unwrap();
        let state = state_of(&app);
        let link = marketing::unsubscribe_link(&state, &cy);
        let path = link.strip_prefix(&app.config.public_url).unwrap();
        let html = app.get(path).await.text().await.unwrap();
        assert!(html.contains("<html lang=\"zh-CN\">"), "{html}");
        assert!(html.contains(&app::i18n::Locale::ZhCn.t("unsubscribe-button")));
        let html = app
            .get(&format!("/zh-CN{path}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("<html lang=\"zh-CN\">"));
        // Its button posts to the one-click address.
        assert!(html.contains(&format!("action=\"{}\"", path.replace('&', "&amp;"))));
    }
);

// ---------------------------------------------------------------------------------------
// `server sweep`

fn server(dir: &std::path::Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .current_dir(dir)
        .args(args)
        .env_clear()
        .env("BANANA_LOG_LEVEL", "off");
    if let Ok(path) = std::env::var("PATH") {
        command.env("PATH", path);
    }
    command.output().expect("run server")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The count a report table shows for `rule`.
fn affected(table: &str, rule: &str) -> u64 {
    table
        .lines()
        .find_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some(rule)).then(|| words.next().unwrap().parse().unwrap())
        })
        .unwrap_or_else(|| panic!("no row for {rule} in:\n{table}"))
}

async fn events(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM analytics_events")
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn sweep_prints_what_it_did_and_dry_runs_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    stdout(&server(dir.path(), &["migrate"]));
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("data").join("banana.db").display()
    );
    let db = Db::connect(&url, 1).await.unwrap();
    // Two events from 2030-01-01, and a session that ended then.
    let jan_2030: i64 = 1_893_456_000_000;
    for name in ["page_view", "generate"] {
        sqlx::query(
            "INSERT INTO analytics_events (id, visitor_id, name, path, created_at) \
             VALUES ($1, 'v', $2, '/', $3)",
        )
        .bind(domain::new_id())
        .bind(name)
        .bind(jan_2030)
        .execute(db.pool())
        .await
        .unwrap();
    }
    db.close().await;

    // Two years and a bit later, as a dry run: reported, not done.
    let table = stdout(&server(
        dir.path(),
        &["sweep", "--dry-run", "--now", "2032-06-01T00:00:00Z"],
    ));
    assert!(table.starts_with("rule"), "{table}");
    for rule in domain::privacy::sweep::RULES {
        affected(&table, rule);
    }
    assert_eq!(affected(&table, "analytics-events"), 2);
    assert_eq!(affected(&table, "total"), 2);
    assert!(table.contains("dry run: nothing was changed"));
    let db = Db::connect(&url, 1).await.unwrap();
    assert_eq!(events(&db).await, 2);
    db.close().await;

    // Before the period ends, nothing to do.
    let table = stdout(&server(
        dir.path(),
        &["sweep", "--now", "2031-06-01T00:00:00+08:00"],
    ));
    assert_eq!(affected(&table, "analytics-events"), 0);

    let table = stdout(&server(
        dir.path(),
        &["sweep", "--now", "2032-06-01T00:00:00Z"],
    ));
    assert_eq!(affected(&table, "analytics-events"), 2);
    assert!(!table.contains("dry run"));
    let db = Db::connect(&url, 1).await.unwrap();
    assert_eq!(events(&db).await, 0);
    let runs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM retention_runs")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(runs as usize, 3 * domain::privacy::sweep::RULES.len());
    db.close().await;

    // A time that is not one is refused before anything runs.
    let refused = server(dir.path(), &["sweep", "--now", "next tuesday"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("RFC 3339"));
}

//! Self-service privacy over HTTP, as a browser uses it: asking for a download of one's
//! data, the emailed link that works only for its owner, and deleting the account, which
//! signs the person out everywhere and locks the account.

use crate::support;
use testkit::db_test;

use reqwest::{StatusCode, header};
use support::{Browser, PASSWORD, TestApp, latest_mail, verified_account};

async fn sign_in(browser: &Browser, email: &str, password: &str) -> reqwest::Response {
    browser.get("/sign-in").await;
    browser
        .post("/sign-in", &[("email", email), ("password", password)])
        .await
}

/// Runs the export job the way the server's worker does, and waits for the email with the
/// link (the worker may be quicker). Returns the link's path and query.
async fn export_link(app: &TestApp, email: &str) -> String {
    let state = domain::AppState::new((*app.config).clone(), app.db.clone()).unwrap();
    for _ in 0..100 {
        domain::privacy::export::run_pending(&state, domain::now_ms())
            .await
            .unwrap();
        let mail = latest_mail(app, email).await;
        if let Some(start) = mail.find("/settings/privacy/exports/") {
            let end = mail[start..]
                .find(|c: char| c.is_whitespace() || c == '"' || c == '<')
                .map_or(mail.len(), |n| start + n);
            return mail[start..end].to_string();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no export email to {email}");
}

db_test!(
    an_export_is_emailed_and_downloads_only_for_its_owner,
    |app: TestApp| async move {
        let ada = Browser::new(&app);
        verified_account(&app, &ada, "ada@example.com").await;
        ada.get("/settings/privacy").await;
        let response = ada.post("/settings/privacy/export", &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/settings/privacy");
        let link = export_link(&app, "ada@example.com").await;
        assert!(link.contains("?token="), "{link}");

        let response = ada.get(&link).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/zip");
        let disposition = response.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.starts_with("attachment; filename=\"banana-nano-data-")
                && disposition.ends_with(".zip\""),
            "{disposition}"
        );
        assert!(
            response.headers()[header::CACHE_CONTROL]
                .to_str()
                .unwrap()
                .contains("no-store")
        );
        let zip = response.bytes().await.unwrap();
        assert!(zip.starts_with(b"PK\x03\x04"), "a ZIP archive");
        for name in [
            "account.json",
            "orders-payments.json",
            "logs-analytics.json",
        ] {
            assert!(
                zip.windows(name.len()).any(|w| w == name.as_bytes()),
                "{name} is in the archive"
            );
        }

        // Without the token, with another one, or as someone else: nothing to see.
        let (path, _) = link.split_once('?').unwrap();
        assert_eq!(ada.get(path).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            ada.get(&format!("{path}?token=0000")).await.status(),
            StatusCode::NOT_FOUND
        );
        let bob = Browser::new(&app);
        verified_account(&app, &bob, "bob@example.com").await;
        assert_eq!(bob.get(&link).await.status(), StatusCode::NOT_FOUND);
        let stranger = Browser::new(&app);
        let response = stranger.get(&link).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/sign-in");

        // Asking in Chinese returns to the Chinese page.
        bob.get("/zh-CN/settings/privacy").await;
        let response = bob.post("/zh-CN/settings/privacy/export", &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[header::LOCATION],
            "/zh-CN/settings/privacy"
        );
    }
);

db_test!(
    deleting_the_account_signs_out_everywhere_and_locks_it,
    |app: TestApp| async move {
        let laptop = Browser::new(&app);
        verified_account(&app, &laptop, "ada@example.com").await;
        let phone = Browser::new(&app);
        assert_eq!(
            sign_in(&phone, "ada@example.com", PASSWORD).await.status(),
            StatusCode::SEE_OTHER
        );
        laptop.get("/settings/privacy").await;

        // The wrong password deletes nothing and keeps the person signed in.
        let refused = laptop
            .post(
                "/settings/privacy/delete",
                &[
                    ("password", "not the password"),
                    ("confirm_email", "ada@example.com"),
                ],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
        // So does someone else's address.
        let refused = laptop
            .post(
                "/settings/privacy/delete",
                &[("password", PASSWORD), ("confirm_email", "bob@example.com")],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            laptop.get("/settings/profile").await.status(),
            StatusCode::OK
        );

        let before = laptop.session_cookie();
        let response = laptop
            .post(
                "/settings/privacy/delete",
                &[("password", PASSWORD), ("confirm_email", "ADA@example.com")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/sign-in");
        let notice = laptop.get("/sign-in").await.text().await.unwrap();
        assert!(
            notice.contains(&support::escape(&support::en("privacy-delete-notice-done"))),
            "the person is told the account is gone"
        );
        assert_ne!(
            laptop.session_cookie(),
            before,
            "the session cookie is replaced"
        );

        // Signed out on every device at once.
        for browser in [&laptop, &phone] {
            let response = browser.get("/settings/profile").await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER);
            assert_eq!(response.headers()[header::LOCATION], "/sign-in");
        }
        let sessions: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE u.email = 'ada@example.com'",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(sessions, 0);
        // And nobody signs in to it again.
        let again = sign_in(&Browser::new(&app), "ada@example.com", PASSWORD).await;
        assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
        let mail = latest_mail(&app, "ada@example.com").await;
        assert!(mail.contains("deleted"), "{mail}");
    }
);

//! Rights requests over HTTP, as a browser sends them: the form without JavaScript, the
//! confirmation link in the email (a button, never the GET), the status page for the link's
//! holder or the signed-in owner only, refusals with their statuses, every locale, and the
//! Turnstile challenge when configured.

use crate::support;
use testkit::{TestDatabase, db_test};

use reqwest::{StatusCode, header};
use std::collections::HashMap;
use support::{Browser, TestApp, en, input_value, latest_mail, token_of, verified_account};

const DAY_MS: i64 = 24 * 3600 * 1000;

fn location(response: &reqwest::Response) -> String {
    response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

/// (status, verified_at, due_at, user_id) of a stored request.
async fn stored(
    db: &domain::db::Db,
    id: &str,
) -> (String, Option<i64>, Option<i64>, Option<String>) {
    sqlx::query_as(
        "SELECT status, verified_at, due_at, user_id FROM privacy_requests WHERE id = $1",
    )
    .bind(id.to_owned())
    .fetch_one(db.pool())
    .await
    .unwrap()
}

db_test!(
    a_written_in_request_is_confirmed_through_its_emailed_link,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        let form = browser.get("/privacy/requests").await;
        assert_eq!(form.status(), StatusCode::OK);
        let form = form.text().await.unwrap();
        for name in ["kind", "email", "details", "csrf_token"] {
            assert!(form.contains(&format!("name=\"{name}\"")), "{name}");
        }
        assert!(form.contains("action=\"/privacy/requests\""));

        let response = browser
            .post(
                "/privacy/requests",
                &[
                    ("kind", "delete"),
                    ("email", "Nobody@Example.com"),
                    ("details", "Everything, please."),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/privacy/requests");
        let (_, _, page) = browser.follow(response).await;
        assert!(
            page.contains(&en("privacy-requests-notice-check-inbox")),
            "{page}"
        );

        let mail = latest_mail(&app, "nobody@example.com").await;
        assert!(mail.contains("/privacy/requests/verify?token="), "{mail}");
        let token = token_of(&mail);
        let id: String = sqlx::query_scalar("SELECT id FROM privacy_requests")
            .fetch_one(app.db.pool())
            .await
            .unwrap();

        // Opening the link only shows what it is for; a mail scanner confirms nothing.
        let page = browser
            .get(&format!("/privacy/requests/verify?token={token}"))
            .await;
        assert_eq!(page.status(), StatusCode::OK);
        let page = page.text().await.unwrap();
        assert_eq!(input_value(&page, "token").as_deref(), Some(token.as_str()));
        assert!(page.contains(&en("privacy-request-kind-delete")));
        assert_eq!(stored(&app.db, &id).await.0, "unverified");

        // Until confirmed, the request is not even shown to whoever typed the address.
        let hidden = browser.get(&format!("/privacy/requests/{id}")).await;
        assert_eq!(hidden.status(), StatusCode::NOT_FOUND);

        let before = domain::now_ms();
        let response = browser
            .post("/privacy/requests/verify", &[("token", &token)])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            location(&response),
            format!("/privacy/requests/{id}?token={token}")
        );
        let (status, _, page) = browser.follow(response).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains(&en("privacy-requests-notice-verified")),
            "{page}"
        );
        assert!(page.contains(&en("privacy-request-status-open")));
        assert!(page.contains("Everything, please."));

        let (status, verified_at, due_at, user_id) = stored(&app.db, &id).await;
        assert_eq!(status, "open");
        let verified_at = verified_at.unwrap();
        assert!(verified_at >= before);
        assert_eq!(due_at, Some(verified_at + 30 * DAY_MS));
        assert_eq!(user_id, None, "no account has this address");

        let mail = latest_mail(&app, "nobody@example.com").await;
        assert!(
            mail.contains(&domain::privacy::requests::due_date(
                verified_at + 30 * DAY_MS
            )),
            "{mail}"
        );
        assert!(mail.contains(&format!("/privacy/requests/{id}?token={token}")));

        // The status link is the only way in without signing in.
        let stranger = Browser::new(&app);
        for path in [
            format!("/privacy/requests/{id}"),
            format!("/privacy/requests/{id}?token=0123abcd"),
            format!("/privacy/requests/{}?token={token}", domain::new_id()),
        ] {
            let response = stranger.get(&path).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            let page = response.text().await.unwrap();
            assert!(!page.contains("Everything, please."));
        }
        let response = stranger
            .get(&format!("/privacy/requests/{id}?token={token}"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);

        // A link that is not one of ours is refused, as a page and as a post.
        let response = browser
            .post("/privacy/requests/verify", &[("token", "not-a-token")])
            .await;
        assert_eq!(response.status(), StatusCode::GONE);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains(&en("privacy-requests-error-link-invalid"))
        );
        let response = browser.get("/privacy/requests/verify?token=nope").await;
        assert_eq!(response.status(), StatusCode::GONE);
    }
);

db_test!(
    a_signed_in_request_is_confirmed_by_the_sign_in,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        verified_account(&app, &browser, "ada@example.com").await;
        let user_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind("ada@example.com")
            .fetch_one(app.db.pool())
            .await
            .unwrap();

        let form = browser.get("/privacy/requests").await.text().await.unwrap();
        assert!(form.contains("readonly"), "the account's address is fixed");
        assert_eq!(
            input_value(&form, "email").as_deref(),
            Some("ada@example.com")
        );

        let response = browser
            .post(
                "/privacy/requests",
                &[
                    ("kind", "access"),
                    ("email", "ada@example.com"),
                    ("details", ""),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let to = location(&response);
        let id = to
            .strip_prefix("/privacy/requests/")
            .expect("the request's page")
            .to_string();
        assert!(!id.contains('?'), "no secret in the address bar: {to}");
        let (status, _, page) = browser.follow(response).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains(&en("privacy-requests-notice-received")),
            "{page}"
        );
        assert!(page.contains(&en("privacy-request-kind-access")));

        let (status, verified_at, due_at, owner) = stored(&app.db, &id).await;
        assert_eq!(status, "open");
        assert_eq!(due_at, Some(verified_at.unwrap() + 30 * DAY_MS));
        assert_eq!(owner.as_deref(), Some(user_id.as_str()));
        let verified_by: String =
            sqlx::query_scalar("SELECT verified_by FROM privacy_requests WHERE id = $1")
                .bind(id.clone())
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(verified_by, "login");

        let mail = latest_mail(&app, "ada@example.com").await;
        assert!(
            mail.contains(&format!("/privacy/requests/{id}?token=")),
            "{mail}"
        );

        // Someone else, signed in or not, sees nothing.
        let other = Browser::new(&app);
        verified_account(&app, &other, "bo@example.com").await;
        let response = other.get(&format!("/privacy/requests/{id}")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let response = Browser::new(&app)
            .get(&format!("/privacy/requests/{id}"))
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
);

db_test!(
    refused_requests_come_back_with_their_error_and_status,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        browser.get("/privacy/requests").await;
        // Each refused form comes back with its error, as a 422.
        let cases: [(&str, &str, &str, &str); 3] = [
            ("", "cy@example.com", "", "privacy-requests-error-kind"),
            ("access", "not an address", "", "auth-error-email"),
            (
                "correct",
                "cy@example.com",
                " ",
                "privacy-requests-error-details-missing",
            ),
        ];
        for (kind, email, details, key) in cases {
            let response = browser
                .post(
                    "/privacy/requests",
                    &[("kind", kind), ("email", email), ("details", details)],
                )
                .await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{key}");
            let page = response.text().await.unwrap();
            assert!(page.contains(&en(key)), "{key}: {page}");
            assert!(page.contains("role=\"alert\""));
        }
        // What was typed comes back.
        let response = browser
            .post(
                "/privacy/requests",
                &[
                    ("kind", "correct"),
                    ("email", "cy@example.com"),
                    ("details", ""),
                ],
            )
            .await;
        let page = response.text().await.unwrap();
        assert!(
            page.contains("<option value=\"correct\" selected"),
            "{page}"
        );
        assert_eq!(
            input_value(&page, "email").as_deref(),
            Some("cy@example.com")
        );
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM privacy_requests")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(stored, 0);
    }
);

db_test!(
    every_locale_has_the_form_the_link_and_the_status,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        let zh = app::i18n::Locale::ZhCn;
        let form = browser.get("/zh-CN/privacy/requests").await;
        assert_eq!(form.status(), StatusCode::OK);
        let form = form.text().await.unwrap();
        assert!(form.contains(&support::escape(&zh.t("privacy-requests-heading"))));
        assert!(form.contains("action=\"/zh-CN/privacy/requests\""));

        let response = browser
            .post(
                "/zh-CN/privacy/requests",
                &[
                    ("kind", "port"),
                    ("email", "di@example.com"),
                    ("details", ""),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/zh-CN/privacy/requests");
        let mail = latest_mail(&app, "di@example.com").await;
        assert!(
            mail.contains("/zh-CN/privacy/requests/verify?token="),
            "{mail}"
        );
        assert!(mail.contains("确认"), "written in Chinese: {mail}");
        let token = token_of(&mail);

        let page = browser
            .get(&format!("/zh-CN/privacy/requests/verify?token={token}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("action=\"/zh-CN/privacy/requests/verify\""));
        let response = browser
            .post("/zh-CN/privacy/requests/verify", &[("token", &token)])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let to = location(&response);
        assert!(to.starts_with("/zh-CN/privacy/requests/"), "{to}");
        let (status, _, page) = browser.follow(response).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(&support::escape(&zh.t("privacy-request-status-open"))));
        let mail = latest_mail(&app, "di@example.com").await;
        assert!(mail.contains("/zh-CN/privacy/requests/"), "{mail}");
    }
);

/// A local Turnstile siteverify: tokens `pass-*` are valid once, for this form's action.
async fn siteverify_peer() -> String {
    use axum::{Form, Json, Router, routing::post};
    use std::sync::{Arc, Mutex};
    let used = Arc::new(Mutex::new(std::collections::HashSet::<String>::new()));
    let router = Router::new().route(
        "/siteverify",
        post(move |Form(form): Form<HashMap<String, String>>| {
            let used = used.clone();
            async move {
                let token = form.get("response").cloned().unwrap_or_default();
                let fresh = used.lock().unwrap().insert(token.clone());
                let ok = form.get("secret").map(String::as_str) == Some("turnstile-secret")
                    && token.starts_with("pass-")
                    && fresh;
                Json(serde_json::json!({
                    "success": ok, "challenge_ts": "2026-11-22T00:00:00Z",
                    "hostname": "127.0.0.1", "error-codes": [], "action": "privacy-request"
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}/siteverify")
}

db_test!(turnstile_guards_requests_from_visitors_when_configured);

async fn turnstile_guards_requests_from_visitors_when_configured(database: &TestDatabase) {
    let verify_url = siteverify_peer().await;
    let app = support::spawn_app_with(database, |figment| {
        use figment::providers::Serialized;
        figment
            .merge(Serialized::default(
                "turnstile_site_key",
                "1x00000000000000000000AA",
            ))
            .merge(Serialized::default(
                "turnstile_secret_key",
                "turnstile-secret",
            ))
            .merge(Serialized::default("turnstile_verify_url", verify_url))
    })
    .await;
    let browser = Browser::new(&app);
    let page = browser.get("/privacy/requests").await.text().await.unwrap();
    assert!(page.contains("data-sitekey=\"1x00000000000000000000AA\""));
    assert!(page.contains("data-action=\"privacy-request\""));
    let fields = |token: &'static str| {
        vec![
            ("kind", "access"),
            ("email", "ed@example.com"),
            ("details", ""),
            ("cf-turnstile-response", token),
        ]
    };
    let without = browser.post("/privacy/requests", &fields("")).await;
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    assert!(
        without
            .text()
            .await
            .unwrap()
            .contains(&en("auth-error-captcha"))
    );
    let ok = browser.post("/privacy/requests", &fields("pass-1")).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let replay = browser.post("/privacy/requests", &fields("pass-1")).await;
    assert_eq!(replay.status(), StatusCode::FORBIDDEN);
    app.stop().await.unwrap();
}

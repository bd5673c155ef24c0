//! Support over HTTP, as a browser sends it: the form without JavaScript (screenshot
//! included) signed in and as a visitor confirmed by the emailed link, threads only for
//! their owner or link, refusals that store nothing, the rate limit, support's answer by
//! email, and the privacy machinery (export, deletion).
//!
//! (`support` is the name of the test harness module, hence this module's name.)

use crate::support::{
    self as harness, Browser, PASSWORD, TestApp, en, input_value, latest_mail, token_of,
    verified_account,
};
use reqwest::{StatusCode, header, multipart};
use testkit::db_test;

fn location(response: &reqwest::Response) -> String {
    response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(width, height, image::Rgb([30, 144, 255]))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// The support form as a browser sends it (multipart, like the page's form).
fn form(fields: &[(&'static str, &str)], screenshot: Option<Vec<u8>>) -> multipart::Form {
    let mut form = multipart::Form::new();
    for (name, value) in fields {
        form = form.text(*name, value.to_string());
    }
    if let Some(bytes) = screenshot {
        form = form.part(
            "screenshot",
            multipart::Part::bytes(bytes).file_name("screen.png"),
        );
    }
    form
}

async fn send(browser: &Browser, path: &str, form: multipart::Form) -> reqwest::Response {
    browser
        .client
        .post(browser.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// Files under the data dir whose path has a `support` folder (stored screenshots).
fn screenshot_files(app: &TestApp) -> usize {
    fn walk(dir: &std::path::Path, inside: bool) -> usize {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|entry| {
                        let path = entry.path();
                        let here = inside || entry.file_name() == "support";
                        match path.is_dir() {
                            true => walk(&path, here),
                            false => usize::from(here),
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    walk(app.data_dir.path(), false)
}

fn app_state(app: &TestApp) -> domain::AppState {
    domain::AppState::new((*app.config).clone(), app.db.clone()).unwrap()
}

/// A support agent's account id.
async fn staff_id(app: &TestApp) -> String {
    let agent = Browser::new(app);
    verified_account(app, &agent, "agent@example.com").await;
    sqlx::query_scalar("SELECT id FROM users WHERE email = 'agent@example.com'")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// Builds the person's requested export and returns the emailed download link.
async fn export_link(app: &TestApp, email: &str) -> String {
    let state = app_state(app);
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

/// Opens a ticket signed in; returns its id.
async fn open_signed_in(browser: &Browser, message: &str) -> String {
    let response = send(
        browser,
        "/support",
        form(
            &[("topic", "billing"), ("message", message)],
            Some(png(120, 80)),
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    to.strip_prefix("/settings/support/")
        .unwrap_or_else(|| panic!("{to}"))
        .to_string()
}

db_test!(
    a_signed_in_ticket_is_listed_and_only_its_owner_sees_it,
    |app: TestApp| async move {
        let ada = Browser::new(&app);
        verified_account(&app, &ada, "ada@example.com").await;
        let page = ada.get("/support").await.text().await.unwrap();
        for name in ["topic", "message", "screenshot", "csrf_token"] {
            assert!(page.contains(&format!("name=\"{name}\"")), "{name}");
        }
        assert!(page.contains("enctype=\"multipart/form-data\""));
        assert!(
            page.contains("href=\"/privacy/requests\""),
            "the rights form"
        );

        let id = open_signed_in(&ada, "My top-up did not arrive.").await;
        let (status, _, thread) = ada
            .follow(ada.get(&format!("/settings/support/{id}")).await)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(thread.contains("My top-up did not arrive."), "{thread}");
        assert!(
            thread.contains("/files/support/"),
            "the screenshot is shown"
        );
        let list = ada.get("/settings/support").await.text().await.unwrap();
        assert!(list.contains(&format!("href=\"/settings/support/{id}\"")));
        assert!(list.contains(&en("support-topic-billing")));
        assert!(
            list.contains("href=\"/settings/support\""),
            "the settings entry"
        );
        let zh = ada
            .get("/zh-CN/settings/support")
            .await
            .text()
            .await
            .unwrap();
        assert!(zh.contains(&harness::escape(
            &app::i18n::Locale::ZhCn.t("support-topic-billing")
        )));

        // Someone else: the same 404 as for no ticket, and no reply gets in.
        let bob = Browser::new(&app);
        verified_account(&app, &bob, "bob@example.com").await;
        let theirs = bob.get(&format!("/settings/support/{id}")).await;
        assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
        assert!(!theirs.text().await.unwrap().contains("My top-up"));
        let reply = send(
            &bob,
            &format!("/settings/support/{id}/reply"),
            form(&[("message", "Let me in")], None),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::NOT_FOUND);
        let link = bob
            .get(&format!("/support/tickets/{id}?token=0123456789abcdef"))
            .await;
        assert_eq!(link.status(), StatusCode::NOT_FOUND);
        assert_eq!(count(&app, "support_messages").await, 1);
        // Signed out: the settings ask to sign in.
        let stranger = Browser::new(&app);
        let response = stranger.get(&format!("/settings/support/{id}")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/sign-in");
    }
);

db_test!(
    a_visitor_ticket_is_confirmed_through_its_emailed_link,
    |app: TestApp| async move {
        let visitor = Browser::new(&app);
        let page = visitor.get("/support").await.text().await.unwrap();
        assert!(page.contains("name=\"email\""));
        let response = send(
            &visitor,
            "/support",
            form(
                &[
                    ("topic", "generation"),
                    ("email", "Guest@Example.com"),
                    ("message", "The result was blank."),
                ],
                None,
            ),
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/support");
        let (_, _, page) = visitor.follow(response).await;
        assert!(page.contains(&en("support-notice-check-inbox")), "{page}");
        let (id, status): (String, String) =
            sqlx::query_as("SELECT id, status FROM support_tickets")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(status, "unconfirmed");

        let mail = latest_mail(&app, "guest@example.com").await;
        assert!(mail.contains("/support/confirm?token="), "{mail}");
        let token = token_of(&mail);
        // Opening the link shows the button; it confirms nothing by itself.
        let page = visitor
            .get(&format!("/support/confirm?token={token}"))
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(input_value(&page, "token").as_deref(), Some(token.as_str()));
        let stored: String = sqlx::query_scalar("SELECT status FROM support_tickets")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(stored, "unconfirmed");

        let response = visitor
            .post("/support/confirm", &[("token", token.as_str())])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let thread = location(&response);
        assert!(
            thread.starts_with(&format!("/support/tickets/{id}?token=")),
            "{thread}"
        );
        let (status, _, page) = visitor.follow(response).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(&en("support-notice-confirmed")), "{page}");
        assert!(page.contains("The result was blank."));
        let stored: String = sqlx::query_scalar("SELECT status FROM support_tickets")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(stored, "open");

        // The visitor answers through the link.
        let link_token = thread.split("token=").nth(1).unwrap().to_string();
        let response = send(
            &visitor,
            &format!("/support/tickets/{id}/reply"),
            form(
                &[("token", &link_token), ("message", "Still blank today.")],
                None,
            ),
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, _, page) = visitor.follow(response).await;
        assert!(page.contains("Still blank today."), "{page}");
        // A used or made-up confirmation link is refused with its status.
        let refused = visitor
            .post("/support/confirm", &[("token", "made-up")])
            .await;
        assert_eq!(refused.status(), StatusCode::GONE);
    }
);

db_test!(
    bad_screenshots_are_refused_and_nothing_is_stored,
    |app: TestApp| async move {
        let ada = Browser::new(&app);
        verified_account(&app, &ada, "ada@example.com").await;
        let fields = [("topic", "account"), ("message", "See the picture.")];
        let oversize = send(
            &ada,
            "/support",
            form(&fields, Some(vec![7u8; 5 * 1024 * 1024 + 10])),
        )
        .await;
        assert_eq!(oversize.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let page = oversize.text().await.unwrap();
        assert!(page.contains("See the picture."), "the message is kept");
        let html = send(
            &ada,
            "/support",
            form(
                &fields,
                Some(b"<html><script>alert(1)</script></html>".to_vec()),
            ),
        )
        .await;
        assert_eq!(html.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(
            html.text()
                .await
                .unwrap()
                .contains(&en("support-error-screenshot-format"))
        );
        let empty = send(&ada, "/support", form(&[("topic", "account")], None)).await;
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        for table in ["support_tickets", "support_messages", "support_attachments"] {
            assert_eq!(count(&app, table).await, 0, "{table}");
        }
        assert_eq!(screenshot_files(&app), 0);
    }
);

db_test!(tickets_are_rate_limited, |app: TestApp| async move {
    let visitor = Browser::new(&app);
    visitor.get("/support").await;
    let mut statuses = Vec::new();
    for i in 0..11 {
        let email = format!("flood{i}@example.com");
        let response = send(
            &visitor,
            "/support",
            form(
                &[("topic", "other"), ("email", &email), ("message", "Hello")],
                None,
            ),
        )
        .await;
        statuses.push(response.status());
    }
    assert!(
        statuses[..10].iter().all(|s| *s == StatusCode::SEE_OTHER),
        "{statuses:?}"
    );
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(count(&app, "support_tickets").await, 10);
});

db_test!(
    an_answer_is_emailed_and_shown_in_the_thread,
    |app: TestApp| async move {
        let ada = Browser::new(&app);
        verified_account(&app, &ada, "ada@example.com").await;
        let id = open_signed_in(&ada, "Where are my credits?").await;
        let state = app_state(&app);
        let staff = staff_id(&app).await;
        domain::support::answer(&state, &id, &staff, "They are back now.", domain::now_ms())
            .await
            .unwrap();
        let mail = latest_mail(&app, "ada@example.com").await;
        assert!(mail.contains("They are back now."), "{mail}");
        assert!(mail.contains(&format!("/settings/support/{id}")), "{mail}");
        let page = ada
            .get(&format!("/settings/support/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("They are back now."));
        assert!(page.contains(&en("support-status-answered")));

        domain::support::close(&state, &id, &staff, domain::now_ms())
            .await
            .unwrap();
        let closed = send(
            &ada,
            &format!("/settings/support/{id}/reply"),
            form(&[("message", "One more thing")], None),
        )
        .await;
        assert_eq!(closed.status(), StatusCode::CONFLICT);
    }
);

db_test!(
    the_export_holds_tickets_and_deletion_removes_them,
    |app: TestApp| async move {
        let ada = Browser::new(&app);
        verified_account(&app, &ada, "ada@example.com").await;
        let id = open_signed_in(&ada, "Please check my invoice.").await;
        assert_eq!(screenshot_files(&app), 1);

        ada.get("/settings/privacy").await;
        let response = ada.post("/settings/privacy/export", &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let link = export_link(&app, "ada@example.com").await;
        let zip = ada.get(&link).await.bytes().await.unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
        let mut document = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("support-marketing.json").unwrap(),
            &mut document,
        )
        .unwrap();
        assert!(document.contains(&id), "{document}");
        assert!(document.contains("Please check my invoice."));
        assert!(
            archive
                .file_names()
                .any(|n| n.starts_with("images/support/"))
        );

        let response = ada
            .post(
                "/settings/privacy/delete",
                &[("password", PASSWORD), ("confirm_email", "ada@example.com")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        for table in ["support_tickets", "support_messages", "support_attachments"] {
            assert_eq!(count(&app, table).await, 0, "{table}");
        }
        assert_eq!(screenshot_files(&app), 0);
    }
);

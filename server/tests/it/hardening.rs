//! Holes found by trying the running server as an attacker would, each shown closed.

use crate::support::{
    Browser, PASSWORD, TestApp, en, input_value, latest_mail, sign_up, spawn_app_with, token_of,
};
use reqwest::{StatusCode, header};
use testkit::{TestDatabase, db_test};

db_test!(
    language_and_terms_redirects_stay_on_this_site,
    |app: TestApp| async move {
        // Browsers drop tabs and newlines from a Location: `/\t/evil.example` would be
        // `//evil.example`, another site.
        for to in [
            "/%09/evil.example",
            "/%0A/evil.example",
            "/%0D%0A/evil.example",
            "/%20/evil.example",
            "//evil.example",
            "/%5Cevil.example",
            "https://evil.example/",
        ] {
            let response = app.get(&format!("/lang/en?to={to}")).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{to}");
            assert_eq!(response.headers()[header::LOCATION], "/", "{to}");
            let response = app.get(&format!("/lang/zh-CN?to={to}")).await;
            assert_eq!(response.headers()[header::LOCATION], "/zh-CN/", "{to}");
        }
        // A page of the site is still where the switch leads.
        let response = app.get("/lang/zh-CN?to=/pricing%3Fcurrency%3Dcny").await;
        assert_eq!(
            response.headers()[header::LOCATION],
            "/zh-CN/pricing?currency=cny"
        );
        // The theme form and the terms form use the same check.
        let browser = Browser::new(&app);
        let response = browser
            .post(
                "/prefs/theme",
                &[("theme", "dark"), ("to", "/\t/evil.example")],
            )
            .await;
        assert_eq!(response.headers()[header::LOCATION], "/");
    }
);

db_test!(
    an_oversized_server_function_body_is_413_with_a_message,
    |app: TestApp| async move {
        let big = vec![b'a'; 3 * 1024 * 1024];
        let response = app
            .client
            .post(app.url("/api/page-context"))
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(big.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        // Refused without reading the body: the server closes that connection.
        assert_eq!(response.headers()[header::CONNECTION], "close");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "error-request-too-large");
        assert_eq!(
            body["message"],
            "That request is too large: it can be up to 2 MB."
        );

        // Without a declared length (chunked), in Chinese for a Chinese browser.
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            big.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
        let response = app
            .client
            .post(app.url("/api/page-context"))
            .header("sec-fetch-site", "same-origin")
            .header(header::ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["message"], "请求过大：最多 2 MB。");

        // A body within the limit still reaches the server function.
        let response = app
            .client
            .post(app.url("/api/page-context"))
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
);

db_test!(
    only_admins_start_a_two_factor_enrolment,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        crate::support::verified_account(&app, &browser, "plain@example.com").await;
        let response = browser.post("/api/two-factor-setup", &[]).await;
        assert!(!response.status().is_success(), "{}", response.status());
        let body = response.text().await.unwrap();
        assert!(body.contains("forbidden"), "{body}");
        assert!(!body.contains("otpauth"), "{body}");
        // Nothing was stored for the account either.
        let secret: Option<String> =
            sqlx::query_scalar("SELECT totp_secret FROM users WHERE email = $1")
                .bind("plain@example.com")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(secret, None);
    }
);

fn png(side: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(side, side, image::Rgb([200, 180, 40]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

db_test!(
    the_plain_form_counts_its_files_before_decoding_and_keeps_nothing_it_refuses,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        let post = |files: usize, aspect: &'static str| {
            let mut form = reqwest::multipart::Form::new()
                .text("prompt", "a banana on a beach")
                .text("model", "offline")
                .text("aspect_ratio", aspect);
            for i in 0..files {
                form = form.part(
                    "reference_files",
                    reqwest::multipart::Part::bytes(png(32)).file_name(format!("r{i}.png")),
                );
            }
            browser
                .client
                .post(browser.url("/workbench"))
                .header(header::ACCEPT, "text/html")
                .multipart(form)
                .send()
        };
        // More files than the model takes (4): refused before anything is decoded,
        // stored, or a guest made for the asker.
        let response = post(6, "1:1").await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(count(&app, "uploads").await, 0);
        assert_eq!(count(&app, "guests").await, 0);

        // Files within the limit but a request the domain refuses: the files it had
        // stored are gone again.
        let response = post(2, "not-a-ratio").await.unwrap();
        assert!(response.status().is_client_error(), "{}", response.status());
        assert_eq!(count(&app, "uploads").await, 0);
        let stored: Vec<String> = std::fs::read_dir(app.data_dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path().display().to_string())
            .collect();
        for dir in stored {
            let uploads = std::path::Path::new(&dir).join("uploads");
            if uploads.is_dir() {
                assert_eq!(std::fs::read_dir(&uploads).unwrap().count(), 0, "{dir}");
            }
        }

        // A request that fits goes through.
        let response = post(2, "1:1").await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(count(&app, "uploads").await, 2);
    }
);

/// Signs in at the form; the answer's status says whether it worked (303) or not.
async fn sign_in_status(browser: &Browser, email: &str, password: &str) -> StatusCode {
    browser.get("/sign-in").await;
    browser
        .post("/sign-in", &[("email", email), ("password", password)])
        .await
        .status()
}

async fn signed_in(browser: &Browser) -> bool {
    browser.get("/settings/profile").await.status() == StatusCode::OK
}

db_test!(
    a_confirmation_link_signs_in_only_the_browser_that_signed_up,
    |app: TestApp| async move {
        // Across two browsers: someone signs up with Ada's address and signs in.
        let mallory = Browser::new(&app);
        sign_up(&mallory, "ada@example.com", "Mallory").await;
        assert_eq!(
            sign_in_status(&mallory, "ada@example.com", PASSWORD).await,
            StatusCode::SEE_OTHER
        );
        assert!(signed_in(&mallory).await);
        let token = token_of(&latest_mail(&app, "ada@example.com").await);

        // Ada follows the link in her own browser: the page also offers "I did not sign up".
        let ada = Browser::new(&app);
        let page = ada
            .get(&format!("/verify-email?token={token}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(&en("verify-email-not-me")), "{page}");
        let response = ada
            .post("/verify-email", &[("token", &token), ("change", "")])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/sign-in");
        let (_, _, page) = ada.follow(response).await;
        assert!(
            page.contains(&en("auth-notice-email-verified-sign-in")),
            "{page}"
        );
        assert!(
            !signed_in(&ada).await,
            "another browser is never signed in by the link"
        );

        // On one device: a browser that signed up for Bob is signed in by Bob's link, and a
        // link for someone else opened there afterwards signs nobody in.
        let shared = Browser::new(&app);
        sign_up(&shared, "bob@example.com", "Bob").await;
        let bob = token_of(&latest_mail(&app, "bob@example.com").await);
        let cy = Browser::new(&app);
        sign_up(&cy, "cy@example.com", "Cy").await;
        let cy_token = token_of(&latest_mail(&app, "cy@example.com").await);
        let response = shared
            .post("/verify-email", &[("token", &cy_token), ("change", "")])
            .await;
        assert_eq!(response.headers()[header::LOCATION], "/sign-in");
        assert!(!signed_in(&shared).await);
        let response = shared
            .post("/verify-email", &[("token", &bob), ("change", "")])
            .await;
        assert_eq!(response.headers()[header::LOCATION], "/dashboard");
        let profile = shared.get("/settings/profile").await.text().await.unwrap();
        assert!(profile.contains("bob@example.com"), "{profile}");
    }
);

db_test!(
    i_did_not_sign_up_takes_the_account_back,
    |app: TestApp| async move {
        let mallory = Browser::new(&app);
        sign_up(&mallory, "ada@example.com", "Mallory").await;
        assert_eq!(
            sign_in_status(&mallory, "ada@example.com", PASSWORD).await,
            StatusCode::SEE_OTHER
        );
        let token = token_of(&latest_mail(&app, "ada@example.com").await);

        let ada = Browser::new(&app);
        ada.get(&format!("/verify-email?token={token}")).await;
        let response = ada.post("/verify-email/not-me", &[("token", &token)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        assert!(location.starts_with("/reset-password?token="), "{location}");
        let (status, _, page) = ada.follow(response).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains(&en("auth-notice-account-taken-back")),
            "{page}"
        );
        let reset = input_value(&page, "token").expect("the page carries the reset token");

        // Every session of the account ended; the password someone else chose is gone.
        assert!(!signed_in(&mallory).await);
        assert_eq!(
            sign_in_status(&mallory, "ada@example.com", PASSWORD).await,
            StatusCode::UNAUTHORIZED
        );
        // The link is spent: it cannot confirm or disown a second time.
        let again = ada.post("/verify-email/not-me", &[("token", &token)]).await;
        assert_eq!(again.status(), StatusCode::GONE);

        // Ada chooses her own password, and it is the one that works.
        let done = ada
            .post(
                "/reset-password",
                &[("token", &reset), ("password", "orange river lantern")],
            )
            .await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            sign_in_status(&ada, "ada@example.com", "orange river lantern").await,
            StatusCode::SEE_OTHER
        );
        assert!(signed_in(&ada).await);
        assert_eq!(
            sign_in_status(&mallory, "ada@example.com", PASSWORD).await,
            StatusCode::UNAUTHORIZED
        );
        let audited: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'account.disowned'")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(audited, 1);
    }
);

db_test!(two_factor_keys_are_sealed_at_rest_and_resealed_when_keys_rotate);

async fn two_factor_keys_are_sealed_at_rest_and_resealed_when_keys_rotate(database: &TestDatabase) {
    use domain::sealed::FieldKeys;
    let k1 = format!("k1:{}", "1f".repeat(32));
    let k2 = format!("k2:{}", "2e".repeat(32));
    // A key stored in plain text, as before sealing.
    let admin = testkit::insert_user(&database.db, "root@example.com").await;
    let plain = domain::totp::TotpSecret::generate().to_base32();
    sqlx::query("UPDATE users SET totp_secret = $1, totp_enabled_at = 1 WHERE id = $2")
        .bind(&plain)
        .bind(&admin)
        .execute(database.db.pool())
        .await
        .unwrap();
    let stored = || async {
        sqlx::query_scalar::<_, String>("SELECT totp_secret FROM users WHERE id = $1")
            .bind(&admin)
            .fetch_one(database.db.pool())
            .await
            .unwrap()
    };
    let context = format!("totp:{admin}").into_bytes();

    // The first start seals it under the first key.
    let keys = k1.clone();
    let app = spawn_app_with(database, move |f| f.merge(("field_keys", keys))).await;
    let sealed = stored().await;
    assert!(sealed.starts_with("sealed1.k1."), "{sealed}");
    assert!(!sealed.contains(&plain));
    let opened = FieldKeys::parse(&k1)
        .unwrap()
        .open(&sealed, &context)
        .unwrap();
    assert_eq!(opened.plaintext, plain.as_bytes());
    app.stop().await.unwrap();

    // A new first key: the next start reseals under it, and the old key is no longer needed.
    let keys = format!("{k2},{k1}");
    let app = spawn_app_with(database, move |f| f.merge(("field_keys", keys))).await;
    let resealed = stored().await;
    assert!(resealed.starts_with("sealed1.k2."), "{resealed}");
    let opened = FieldKeys::parse(&k2)
        .unwrap()
        .open(&resealed, &context)
        .unwrap();
    assert_eq!(opened.plaintext, plain.as_bytes());
    assert!(
        FieldKeys::parse(&k1)
            .unwrap()
            .open(&resealed, &context)
            .is_err()
    );
    app.stop().await.unwrap();
}

/// The source files under `dir` (relative to the server crate), with their text.
fn sources(dir: &str) -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), text)
        })
        .collect();
    files.sort();
    files
}

/// Admin handlers and server functions all go through the one admin check (the role, the
/// second factor of this account in this session): the extractors `AdminUser` and
/// `EnrollingAdmin` over HTTP, `require_admin` and `require_admin_enrolling` in server
/// functions, both built on `sessions::admin_access`. A new handler that forgets fails here.
#[test]
fn every_admin_handler_uses_the_one_admin_check() {
    let mut handlers = 0;
    for (path, text) in sources("src/routes/admin") {
        for signature in text.split("pub async fn ").skip(1) {
            let params = &signature[..signature.find(')').unwrap_or(signature.len())];
            let name = &signature[..signature.find('(').unwrap_or(0)];
            handlers += 1;
            assert!(
                params.contains("AdminUser") || params.contains("EnrollingAdmin"),
                "{path}: handler {name} takes no admin extractor"
            );
        }
    }
    assert!(handlers >= 2, "the admin handlers were found");
    let mut functions = 0;
    for (path, text) in sources("../app/src/api/admin") {
        for function in text.split("#[server(").skip(1) {
            functions += 1;
            let body = &function[..function.find("\n}\n").unwrap_or(function.len())];
            assert!(
                body.contains("require_admin(") || body.contains("require_admin_enrolling("),
                "{path}: a server function does not check for an admin"
            );
        }
    }
    assert!(functions >= 3, "the admin server functions were found");
    // Nothing outside the session's admin check reads the second factor for itself.
    for dir in [
        "src/http",
        "src/middleware",
        "../app/src/api",
        "src/routes/admin",
    ] {
        for (path, text) in sources(dir) {
            assert!(
                !text.contains("second_factor_given("),
                "{path} reads the second factor itself instead of the admin check"
            );
        }
    }
}

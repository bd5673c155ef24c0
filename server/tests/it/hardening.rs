//! Holes found by trying the running server as an attacker would, each shown closed.

use crate::support::{Browser, TestApp};
use reqwest::{StatusCode, header};
use testkit::db_test;

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

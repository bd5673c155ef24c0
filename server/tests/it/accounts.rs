//! Accounts over HTTP, as a browser uses them: sign-up, verification, sign-in and out,
//! failures that reveal nothing, rate limits, sessions and devices, password and email
//! changes, reset, profile and avatar, admin two-factor, OAuth with a local provider,
//! Turnstile with a local siteverify, and the anti-forgery guard on every form.

use crate::support;
use testkit::{TestDatabase, db_test};

use app::i18n::Locale;
use reqwest::{StatusCode, header};
use std::collections::HashMap;
use support::{
    Browser, PASSWORD, TestApp, en, input_value, latest_mail, sign_up, token_of, unescape,
    verified_account,
};

async fn sign_in(browser: &Browser, email: &str, password: &str) -> reqwest::Response {
    browser.get("/sign-in").await;
    browser
        .post("/sign-in", &[("email", email), ("password", password)])
        .await
}

db_test!(
    sign_up_verify_sign_out_and_sign_in_again,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        let form = browser.get("/sign-up").await.text().await.unwrap();
        assert!(
            form.contains("name=\"age_confirmed\"") && form.contains("name=\"terms_accepted\"")
        );
        let response = sign_up(&browser, "ada@example.com", "Ada Lovelace").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, path, page) = browser.follow(response).await;
        assert_eq!(path, "/verify-email");
        assert!(page.contains(&en("auth-notice-check-inbox")), "{page}");

        let mail = latest_mail(&app, "ada@example.com").await;
        assert!(mail.contains("/verify-email?token="), "{mail}");
        let token = token_of(&mail);
        // Opening the link shows a button; nothing is spent by a GET (mail scanners).
        let page = browser
            .get(&format!("/verify-email?token={token}"))
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(input_value(&page, "token").as_deref(), Some(token.as_str()));
        let before = browser.session_cookie();
        let response = browser
            .post("/verify-email", &[("token", &token), ("change", "")])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let after = browser.session_cookie();
        assert!(
            after.is_some() && after != before,
            "a new session id at sign-in"
        );
        let (status, _, page) = browser.follow(response).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Ada Lovelace"));
        assert!(page.contains(&en("auth-notice-email-verified")));

        // The link works once.
        let again = browser
            .post("/verify-email", &[("token", &token), ("change", "")])
            .await;
        assert_eq!(again.status(), StatusCode::GONE);
        assert!(
            again
                .text()
                .await
                .unwrap()
                .contains(&en("auth-error-link-used"))
        );

        let response = browser.post("/sign-out", &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let response = browser.get("/settings/profile").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/sign-in");

        let response = sign_in(&browser, "ADA@example.com", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        // Back to the page the gate turned us away from.
        assert_eq!(response.headers()[header::LOCATION], "/settings/profile");
        let (status, _, _) = browser.follow(response).await;
        assert_eq!(status, StatusCode::OK);
    }
);

db_test!(
    failures_reveal_nothing_and_rate_limits_trip,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        verified_account(&app, &browser, "ada@example.com").await;
        browser.post("/sign-out", &[]).await;

        let wrong = sign_in(&browser, "ada@example.com", "not the password").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let wrong = wrong.text().await.unwrap();
        assert!(wrong.contains(&en("auth-error-credentials")));
        assert!(wrong.contains("role=\"alert\""));
        // The address typed is kept; the password is not.
        assert_eq!(
            input_value(&wrong, "email").as_deref(),
            Some("ada@example.com")
        );
        let unknown = sign_in(&browser, "nobody@example.com", "not the password").await;
        assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
        assert!(
            unknown
                .text()
                .await
                .unwrap()
                .contains(&en("auth-error-credentials"))
        );

        // Sign-up and reset answer the same for registered and new addresses.
        let existing = sign_up(&Browser::new(&app), "ada@example.com", "Someone").await;
        let fresh = sign_up(&Browser::new(&app), "new@example.com", "Someone").await;
        assert_eq!(existing.status(), fresh.status());
        assert_eq!(
            existing.headers()[header::LOCATION],
            fresh.headers()[header::LOCATION]
        );
        let other = Browser::new(&app);
        other.get("/forgot-password").await;
        let known = other
            .post("/forgot-password", &[("email", "ada@example.com")])
            .await;
        let unknown = other
            .post("/forgot-password", &[("email", "nobody@example.com")])
            .await;
        assert_eq!(known.status(), StatusCode::SEE_OTHER);
        assert_eq!(known.status(), unknown.status());
        assert_eq!(
            known.headers()[header::LOCATION],
            unknown.headers()[header::LOCATION]
        );

        // Five attempts per account per 15 minutes: the sixth is refused, even with the
        // right password, with a clear wait.
        for _ in 0..4 {
            let r = sign_in(&browser, "ada@example.com", "still not it").await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        let limited = sign_in(&browser, "ada@example.com", PASSWORD).await;
        assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = limited.headers()[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&retry));
        let page = limited.text().await.unwrap();
        assert!(page.contains("Try again in"), "{page}");
        // The limit is per account: another account signs in meanwhile.
        let bob = Browser::new(&app);
        verified_account(&app, &bob, "bob@example.com").await;
        bob.post("/sign-out", &[]).await;
        assert_eq!(
            sign_in(&bob, "bob@example.com", PASSWORD).await.status(),
            StatusCode::SEE_OTHER
        );
        // Recovery: once the window has passed, the account may try again.
        sqlx::query("UPDATE rate_limits SET window_start = window_start - 900001")
            .execute(app.db.pool())
            .await
            .unwrap();
        assert_eq!(
            sign_in(&browser, "ada@example.com", PASSWORD)
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
    }
);

db_test!(
    sessions_rotate_and_revoked_ones_are_refused_at_once,
    |app: TestApp| async move {
        let laptop = Browser::new(&app);
        verified_account(&app, &laptop, "ada@example.com").await;
        laptop.post("/sign-out", &[]).await;
        laptop.get("/sign-in").await;
        let anonymous = laptop.session_cookie();
        assert!(anonymous.is_some(), "the form token started a session");
        let response = sign_in(&laptop, "ada@example.com", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_ne!(laptop.session_cookie(), anonymous, "session fixation");

        let phone = Browser::with_user_agent(
            &app,
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
        );
        assert_eq!(
            sign_in(&phone, "ada@example.com", PASSWORD).await.status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            phone.get("/settings/profile").await.status(),
            StatusCode::OK
        );

        let page = laptop.get("/settings/security").await.text().await.unwrap();
        assert!(page.contains("Safari") && page.contains("iOS"), "{page}");
        assert!(page.contains("Firefox") && page.contains("Linux"));
        let handle = input_value(&page, "handle").expect("a revoke form for the other device");
        let response = laptop
            .post("/settings/security/devices/revoke", &[("handle", &handle)])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let refused = phone.get("/settings/profile").await;
        assert_eq!(refused.status(), StatusCode::SEE_OTHER);
        assert_eq!(refused.headers()[header::LOCATION], "/sign-in");
        assert_eq!(
            laptop.get("/settings/profile").await.status(),
            StatusCode::OK
        );

        // Someone else's handle changes nothing.
        let bob = Browser::new(&app);
        verified_account(&app, &bob, "bob@example.com").await;
        let bob_page = bob.get("/settings/security").await.text().await.unwrap();
        assert!(
            input_value(&bob_page, "handle").is_none(),
            "only his current device"
        );
        let own: Vec<(String,)> = sqlx::query_as("SELECT handle FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'ada@example.com')")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        bob.post(
            "/settings/security/devices/revoke",
            &[("handle", &own[0].0)],
        )
        .await;
        assert_eq!(
            laptop.get("/settings/profile").await.status(),
            StatusCode::OK
        );

        // Sign out everywhere ends this one too.
        let response = laptop
            .post("/settings/security/sign-out-everywhere", &[])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            laptop.get("/settings/profile").await.status(),
            StatusCode::SEE_OTHER
        );
    }
);

db_test!(
    changing_the_password_signs_out_the_other_browsers,
    |app: TestApp| async move {
        let first = Browser::new(&app);
        verified_account(&app, &first, "ada@example.com").await;
        let second = Browser::new(&app);
        sign_in(&second, "ada@example.com", PASSWORD).await;
        assert_eq!(
            second.get("/settings/profile").await.status(),
            StatusCode::OK
        );

        first.get("/settings/security").await;
        let wrong = first
            .post(
                "/settings/security/password",
                &[
                    ("current_password", "nope nope nope"),
                    ("new_password", "orange river lantern"),
                ],
            )
            .await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let weak = first
            .post(
                "/settings/security/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", "password123"),
                ],
            )
            .await;
        assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let weak_page = weak.text().await.unwrap();
        eprintln!("PAGE {weak_page}");
        assert!(weak_page.contains(&en("auth-error-password-common")));
        let before = first.session_cookie();
        let done = first
            .post(
                "/settings/security/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", "orange river lantern"),
                ],
            )
            .await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        assert_ne!(
            first.session_cookie(),
            before,
            "privilege change rotates the id"
        );
        assert_eq!(
            first.get("/settings/profile").await.status(),
            StatusCode::OK
        );
        assert_eq!(
            second.get("/settings/profile").await.status(),
            StatusCode::SEE_OTHER
        );
        first.post("/sign-out", &[]).await;
        assert_eq!(
            sign_in(&first, "ada@example.com", "orange river lantern")
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
    }
);

db_test!(
    reset_links_work_once_and_expire,
    |app: TestApp| async move {
        let signed_in = Browser::new(&app);
        verified_account(&app, &signed_in, "ada@example.com").await;
        let browser = Browser::new(&app);
        browser.get("/forgot-password").await;
        browser
            .post("/forgot-password", &[("email", "ada@example.com")])
            .await;
        let token = token_of(&latest_mail(&app, "ada@example.com").await);
        let page = browser
            .get(&format!("/reset-password?token={token}"))
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(input_value(&page, "token").as_deref(), Some(token.as_str()));
        let short = browser
            .post(
                "/reset-password",
                &[("token", &token), ("password", "short")],
            )
            .await;
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let done = browser
            .post(
                "/reset-password",
                &[("token", &token), ("password", "orange river lantern")],
            )
            .await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        assert_eq!(done.headers()[header::LOCATION], "/sign-in");
        // Every session ended, the one elsewhere included.
        assert_eq!(
            signed_in.get("/settings/profile").await.status(),
            StatusCode::SEE_OTHER
        );
        let reused = browser
            .post(
                "/reset-password",
                &[("token", &token), ("password", "another fine lantern")],
            )
            .await;
        assert_eq!(reused.status(), StatusCode::GONE);
        // An expired link is refused as expired.
        browser
            .post("/forgot-password", &[("email", "ada@example.com")])
            .await;
        let token = token_of(&latest_mail(&app, "ada@example.com").await);
        sqlx::query("UPDATE auth_tokens SET expires_at = 0 WHERE purpose = 'reset-password' AND used_at IS NULL")
            .execute(app.db.pool())
            .await
            .unwrap();
        let expired = browser
            .post(
                "/reset-password",
                &[("token", &token), ("password", "orange river lantern 2")],
            )
            .await;
        assert_eq!(expired.status(), StatusCode::GONE);
        assert!(
            expired
                .text()
                .await
                .unwrap()
                .contains(&en("auth-error-link-expired"))
        );
    }
);

db_test!(
    changing_the_email_confirms_the_new_address,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        verified_account(&app, &browser, "ada@example.com").await;
        browser.get("/settings/security").await;
        let response = browser
            .post(
                "/settings/security/email",
                &[
                    ("new_email", "ada@new.example"),
                    ("current_password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let mail = latest_mail(&app, "ada@new.example").await;
        assert!(mail.contains("change=1"), "{mail}");
        let token = token_of(&mail);
        let response = browser
            .post("/verify-email", &[("token", &token), ("change", "1")])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let page = browser
            .get("/settings/security")
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("ada@new.example"));
        let notice = latest_mail(&app, "ada@example.com").await;
        assert!(notice.contains("ada@new.example"));
    }
);

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(width, height, image::Rgb([250, 204, 21]))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

db_test!(
    profile_changes_are_checked_and_the_avatar_is_private,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        verified_account(&app, &browser, "ada@example.com").await;
        browser.get("/settings/profile").await;
        let mut fields = vec![
            ("display_name", "Ada L."),
            ("locale", "en"),
            ("theme", "dark"),
            ("company_name", "Analytical Engines"),
            ("region", "London"),
            ("phone", "020 7946 0958"),
            ("bio", "Poetical science."),
        ];
        let refused = browser.post("/settings/profile", &fields).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = refused.text().await.unwrap();
        assert!(page.contains(&en("profile-error-phone")));
        assert_eq!(
            input_value(&page, "company_name").as_deref(),
            Some("Analytical Engines")
        );
        fields[5] = ("phone", "+44 20 7946 0958");
        let saved = browser.post("/settings/profile", &fields).await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let page = browser.get("/settings/profile").await.text().await.unwrap();
        assert_eq!(
            input_value(&page, "phone").as_deref(),
            Some("+442079460958")
        );
        let audit: Vec<(String, String)> =
            sqlx::query_as("SELECT action, detail FROM audit_log WHERE action = 'profile.updated'")
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        assert_eq!(audit.len(), 1);
        assert!(audit[0].1.contains("phone") && !audit[0].1.contains("7946"));

        // A picture with the wrong name is judged by its content.
        let upload = |bytes: Vec<u8>, name: &'static str| {
            let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
            reqwest::multipart::Form::new().part("avatar", part)
        };
        let html = browser
            .client
            .post(browser.url("/settings/profile/avatar"))
            .multipart(upload(
                b"<html><script>alert(1)</script></html>".to_vec(),
                "me.png",
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(html.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let response = browser
            .client
            .post(browser.url("/settings/profile/avatar"))
            .multipart(upload(png(640, 480), "me.png"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let page = browser.get("/settings/profile").await.text().await.unwrap();
        let start = page.find("/files/avatars/").expect("the avatar is shown");
        let src = unescape(&page[start..start + page[start..].find('"').unwrap()]);
        let picture = app.get(&src).await;
        assert_eq!(picture.status(), StatusCode::OK);
        assert_eq!(picture.headers()[header::CONTENT_TYPE], "image/png");
        let bytes = picture.bytes().await.unwrap();
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (256, 256));
        // Without a valid signature there is nothing to see.
        let unsigned = src.split('?').next().unwrap().to_string();
        assert_eq!(app.get(&unsigned).await.status(), StatusCode::NOT_FOUND);
        let tampered = src.replace("sig=", "sig=00");
        assert_eq!(app.get(&tampered).await.status(), StatusCode::FORBIDDEN);
    }
);

/// Every form and server function that changes something, in both locales.
fn mutating_endpoints() -> Vec<String> {
    let mut paths = vec![
        "/sign-out".to_string(),
        "/prefs/theme".to_string(),
        "/api/page-context".to_string(),
        "/api/security-overview".to_string(),
        "/api/admin-overview".to_string(),
        "/api/two-factor-setup".to_string(),
        "/api/pricing".to_string(),
        "/api/checkout-order".to_string(),
        "/api/billing-overview".to_string(),
        "/api/receipt".to_string(),
        "/api/disputes".to_string(),
        "/api/workbench".to_string(),
        "/api/uploads".to_string(),
        "/api/generations".to_string(),
        "/api/tasks/x/cancel".to_string(),
        "/api/policy-notice".to_string(),
        "/api/privacy-overview".to_string(),
        "/api/privacy-request".to_string(),
        "/api/privacy-request-link".to_string(),
        "/api/legal-doc".to_string(),
        "/api/legal-versions".to_string(),
        "/api/legal-snapshot".to_string(),
        "/consent".to_string(),
        "/policy-notice/dismiss".to_string(),
    ];
    for locale in Locale::ALL {
        for page in [
            "/sign-in",
            "/sign-in/two-factor",
            "/sign-up",
            "/sign-up/complete",
            "/forgot-password",
            "/reset-password",
            "/verify-email",
            "/verify-email/resend",
            "/settings/profile",
            "/settings/profile/avatar",
            "/settings/security/email",
            "/settings/security/password",
            "/settings/security/devices/revoke",
            "/settings/security/sign-out-everywhere",
            "/settings/security/unlink",
            "/admin/two-factor",
            "/checkout",
            "/checkout/local/BN-20261122-AAAAAA",
            "/settings/billing/profile",
            "/settings/billing/portal",
            "/settings/billing/subscriptions/x/cancel",
            "/admin/disputes/x/notes",
            "/workbench",
            "/workbench/tasks/x/cancel",
            "/settings/privacy/export",
            "/settings/privacy/delete",
            "/settings/privacy/processing",
            "/settings/privacy/marketing",
            "/terms/accept",
            "/privacy/requests",
            "/privacy/requests/verify",
        ] {
            paths.push(locale.path(page));
        }
    }
    paths
}

db_test!(
    cross_site_posts_are_refused_everywhere,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        verified_account(&app, &browser, "ada@example.com").await;
        let page = browser.get("/settings/profile").await.text().await.unwrap();
        let token = input_value(&page, "csrf_token").expect("forms carry the token");
        // The same browser, signed in, lured by another site.
        let forged = |path: &str| {
            browser
                .client
                .post(browser.url(path))
                .form(&[("display_name", "Mallory"), ("email", "m@evil.example")])
        };
        for path in mutating_endpoints() {
            let cross = forged(&path)
                .header("sec-fetch-site", "cross-site")
                .send()
                .await
                .unwrap();
            assert_eq!(
                cross.status(),
                StatusCode::FORBIDDEN,
                "{path} (Sec-Fetch-Site)"
            );
            let same_site = forged(&path)
                .header("sec-fetch-site", "same-site")
                .send()
                .await
                .unwrap();
            assert_eq!(
                same_site.status(),
                StatusCode::FORBIDDEN,
                "{path} (same-site)"
            );
        }
        // Old browsers: Origin only.
        let old = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        for path in mutating_endpoints() {
            let response = old
                .post(app.url(&path))
                .header(header::ORIGIN, "https://evil.example")
                .header(
                    header::COOKIE,
                    format!("session={}", browser.session_cookie().unwrap()),
                )
                .form(&[("csrf_token", token.as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path} (Origin)");
        }
        // Neither header: only the session's token gets through.
        let bare = |fields: &[(&str, &str)]| {
            old.post(app.url("/settings/profile"))
                .header(
                    header::COOKIE,
                    format!("session={}", browser.session_cookie().unwrap()),
                )
                .form(fields)
        };
        let missing = bare(&[("display_name", "Mallory")]).send().await.unwrap();
        assert_eq!(missing.status(), StatusCode::FORBIDDEN);
        let wrong = bare(&[("display_name", "Mallory"), ("csrf_token", "0000")])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
        let right = bare(&[
            ("display_name", "Ada again"),
            ("locale", "en"),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
        assert_eq!(right.status(), StatusCode::SEE_OTHER);
        // Nothing the forged requests sent was stored.
        let name: String = sqlx::query_scalar("SELECT display_name FROM users")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(name, "Ada again");
    }
);

fn totp_secret(page: &str) -> domain::totp::TotpSecret {
    let start = page.find("secret=").expect("an otpauth link") + "secret=".len();
    let secret: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    domain::totp::TotpSecret::from_base32(&secret).unwrap()
}

db_test!(
    admins_enrol_two_factor_and_use_it_at_sign_in,
    |app: TestApp| async move {
        let state = domain::AppState::new((*app.config).clone(), app.db.clone()).unwrap();
        let (_, link) = domain::accounts::create_admin(&state, "root@example.com")
            .await
            .unwrap();
        let token = token_of(&link.unwrap());
        let browser = Browser::new(&app);
        browser.get(&format!("/reset-password?token={token}")).await;
        let set = browser
            .post(
                "/reset-password",
                &[("token", &token), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(set.status(), StatusCode::SEE_OTHER);
        // A plain user is refused admin pages.
        let user = Browser::new(&app);
        verified_account(&app, &user, "ada@example.com").await;
        assert_eq!(user.get("/admin").await.status(), StatusCode::FORBIDDEN);

        assert_eq!(
            sign_in(&browser, "root@example.com", PASSWORD)
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
        let gated = browser.get("/admin").await;
        assert_eq!(gated.status(), StatusCode::SEE_OTHER);
        assert_eq!(gated.headers()[header::LOCATION], "/admin/two-factor");
        let page = browser.get("/admin/two-factor").await.text().await.unwrap();
        assert!(page.contains("<svg"), "a QR code");
        let secret = totp_secret(&unescape(&page));
        let now = domain::now_ms() / 1000;
        let wrong = browser
            .post(
                "/admin/two-factor",
                &[("code", &secret.code_at(now + 3600))],
            )
            .await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let before = browser.session_cookie();
        let enrolled = browser
            .post("/admin/two-factor", &[("code", &secret.code_at(now))])
            .await;
        // The codes come in the answer itself, not stored in the session for a next page.
        assert_eq!(enrolled.status(), StatusCode::OK);
        assert_eq!(enrolled.headers()[header::CACHE_CONTROL], "no-store");
        assert_ne!(browser.session_cookie(), before);
        let page = enrolled.text().await.unwrap();
        let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
        let recovery: Vec<String> = main
            .split("<li><code>")
            .skip(1)
            .map(|item| item.split("</code>").next().unwrap().to_owned())
            .collect();
        assert_eq!(recovery.len(), 10, "recovery codes are shown once: {main}");
        // The key is sealed at rest: the database alone does not give it away.
        let at_rest: String =
            sqlx::query_scalar("SELECT totp_secret FROM users WHERE email = 'root@example.com'")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert!(at_rest.starts_with("sealed1."), "{at_rest}");
        assert!(!at_rest.contains(&secret.to_base32()));
        let again = browser.get("/admin/two-factor").await.text().await.unwrap();
        assert!(!again.contains(&recovery[0]), "and never again");
        let stored: Vec<String> = sqlx::query_scalar("SELECT data FROM sessions")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        assert!(
            stored.iter().all(|data| !data.contains(&recovery[0])),
            "no session keeps them"
        );
        assert_eq!(browser.get("/admin").await.status(), StatusCode::OK);
        let hashes: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM recovery_codes")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        assert!(hashes.iter().all(|h| !recovery.contains(h)));

        // Next sign-in: password, then a code.
        browser.post("/sign-out", &[]).await;
        let response = sign_in(&browser, "root@example.com", PASSWORD).await;
        assert_eq!(response.headers()[header::LOCATION], "/sign-in/two-factor");
        assert_eq!(
            browser.get("/settings/profile").await.status(),
            StatusCode::SEE_OTHER,
            "not signed in before the code"
        );
        let replay = browser
            .post("/sign-in/two-factor", &[("code", &secret.code_at(now))])
            .await;
        assert_eq!(
            replay.status(),
            StatusCode::UNAUTHORIZED,
            "a used code is spent"
        );
        let ok = browser
            .post(
                "/sign-in/two-factor",
                &[("code", &secret.code_at(now + 30))],
            )
            .await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        assert_eq!(browser.get("/admin").await.status(), StatusCode::OK);
        // A recovery code works too, once.
        browser.post("/sign-out", &[]).await;
        sign_in(&browser, "root@example.com", PASSWORD).await;
        let ok = browser
            .post("/sign-in/two-factor", &[("code", &recovery[0])])
            .await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        let admin = browser.get("/admin").await.text().await.unwrap();
        assert!(
            admin.contains("two_factor.enabled"),
            "the audit log is listed"
        );
    }
);

/// A local OAuth2 provider speaking Google's and GitHub's protocols: authorization code
/// with PKCE (S256), client secret, bearer-protected profile endpoints.
mod provider {
    use axum::{
        Form, Json, Router,
        extract::{Query, State},
        http::{HeaderMap, StatusCode},
        response::{IntoResponse, Redirect, Response},
        routing::{get, post},
    };
    use base64::Engine;
    use sha2::Digest;
    use std::{
        collections::HashMap,
        sync::{Arc, Mutex},
    };

    #[derive(Default)]
    pub struct Peer {
        /// code → (PKCE challenge, redirect_uri)
        codes: Mutex<HashMap<String, (String, String)>>,
        pub email_verified: Mutex<bool>,
    }

    pub async fn start() -> (String, Arc<Peer>) {
        let peer = Arc::new(Peer {
            email_verified: Mutex::new(true),
            ..Default::default()
        });
        let router = Router::new()
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            .route("/user", get(github_user))
            .route("/user/emails", get(github_emails))
            .with_state(peer.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        (format!("http://{addr}"), peer)
    }

    async fn authorize(
        State(peer): State<Arc<Peer>>,
        Query(q): Query<HashMap<String, String>>,
    ) -> Response {
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], "client-1");
        assert_eq!(q["code_challenge_method"], "S256");
        let code = format!("code-{}", uuid::Uuid::new_v4().simple());
        peer.codes.lock().unwrap().insert(
            code.clone(),
            (q["code_challenge"].clone(), q["redirect_uri"].clone()),
        );
        Redirect::to(&format!(
            "{}?code={code}&state={}",
            q["redirect_uri"], q["state"]
        ))
        .into_response()
    }

    async fn token(
        State(peer): State<Arc<Peer>>,
        headers: HeaderMap,
        Form(form): Form<HashMap<String, String>>,
    ) -> Response {
        let refuse = |error: &str| {
            (
                StatusCode::BAD_REQUEST,
                Json(serde_json::json!({ "error": error })),
            )
                .into_response()
        };
        // The client authenticates with HTTP Basic (the oauth2 crate's default).
        let basic = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "))
            .and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok())
            .map(|v| String::from_utf8(v).unwrap());
        if basic.as_deref() != Some("client-1:secret-1") {
            return refuse("invalid_client");
        }
        let Some((challenge, redirect)) = peer.codes.lock().unwrap().remove(&form["code"]) else {
            return refuse("invalid_grant");
        };
        let verifier = form.get("code_verifier").cloned().unwrap_or_default();
        let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(sha2::Sha256::digest(verifier.as_bytes()));
        if computed != challenge || form["redirect_uri"] != redirect {
            return refuse("invalid_grant");
        }
        Json(serde_json::json!({
            "access_token": "access-1", "token_type": "bearer", "expires_in": 3600
        }))
        .into_response()
    }

    fn authorized(headers: &HeaderMap) -> bool {
        headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer access-1")
    }

    async fn userinfo(State(peer): State<Arc<Peer>>, headers: HeaderMap) -> Response {
        if !authorized(&headers) {
            return StatusCode::UNAUTHORIZED.into_response();
        }
        let verified = *peer.email_verified.lock().unwrap();
        Json(serde_json::json!({
            "sub": "google-42", "email": "grace@example.com", "email_verified": verified,
            "name": "Grace Hopper"
        }))
        .into_response()
    }

    async fn github_user(headers: HeaderMap) -> Response {
        if !authorized(&headers) {
            return StatusCode::UNAUTHORIZED.into_response();
        }
        Json(serde_json::json!({ "id": 4242, "login": "grace", "name": null, "email": null }))
            .into_response()
    }

    async fn github_emails(headers: HeaderMap) -> Response {
        if !authorized(&headers) {
            return StatusCode::UNAUTHORIZED.into_response();
        }
        Json(serde_json::json!([
            { "email": "old@example.com", "primary": false, "verified": true },
            { "email": "grace@example.com", "primary": true, "verified": true }
        ]))
        .into_response()
    }
}

/// Follows the provider round trip: our start → provider authorize → our callback.
async fn provider_round_trip(browser: &Browser, start: &str) -> reqwest::Response {
    let to_provider = browser.get(start).await;
    assert_eq!(to_provider.status(), StatusCode::SEE_OTHER, "{start}");
    let authorize = to_provider.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let back = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(&authorize)
        .send()
        .await
        .unwrap();
    let callback = back.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let url = reqwest::Url::parse(&callback).unwrap();
    browser
        .get(&format!("{}?{}", url.path(), url.query().unwrap()))
        .await
}

db_test!(google_and_github_sign_in_through_a_local_provider);

async fn google_and_github_sign_in_through_a_local_provider(database: &TestDatabase) {
    let (base, peer) = provider::start().await;
    let app = support::spawn_app_with(database, |figment| {
        use figment::providers::Serialized;
        let mut figment = figment;
        for p in ["google", "github"] {
            figment = figment
                .merge(Serialized::default(&format!("{p}_client_id"), "client-1"))
                .merge(Serialized::default(
                    &format!("{p}_client_secret"),
                    "secret-1",
                ))
                .merge(Serialized::default(
                    &format!("{p}_auth_url"),
                    format!("{base}/authorize"),
                ))
                .merge(Serialized::default(
                    &format!("{p}_token_url"),
                    format!("{base}/token"),
                ));
        }
        figment
            .merge(Serialized::default(
                "google_userinfo_url",
                format!("{base}/userinfo"),
            ))
            .merge(Serialized::default("github_api_url", base.clone()))
    })
    .await;
    let browser = Browser::new(&app);
    let page = browser.get("/sign-in").await.text().await.unwrap();
    assert!(page.contains("/auth/google/start") && page.contains("/auth/github/start"));

    // First visit: a new person confirms age and terms, then has an account.
    let response = provider_round_trip(&browser, "/auth/google/start").await;
    assert_eq!(response.headers()[header::LOCATION], "/sign-up/complete");
    let page = browser.get("/sign-up/complete").await.text().await.unwrap();
    assert_eq!(
        input_value(&page, "display_name").as_deref(),
        Some("Grace Hopper")
    );
    let missing_age = browser
        .post(
            "/sign-up/complete",
            &[("display_name", "Grace"), ("terms_accepted", "on")],
        )
        .await;
    assert_eq!(missing_age.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let created = browser
        .post(
            "/sign-up/complete",
            &[
                ("display_name", "Grace"),
                ("age_confirmed", "on"),
                ("terms_accepted", "on"),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    assert_eq!(created.headers()[header::LOCATION], "/dashboard");
    assert_eq!(
        browser.get("/settings/profile").await.status(),
        StatusCode::OK
    );

    // GitHub links to the same account by its verified primary email.
    browser.post("/sign-out", &[]).await;
    let response = provider_round_trip(&browser, "/auth/github/start").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/dashboard");
    let page = browser
        .get("/settings/security")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("name=\"provider\" value=\"github\"") || page.contains("value=\"github\"")
    );
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(users, 1);

    // A callback whose state does not match this browser is refused.
    let stranger = Browser::new(&app);
    let forged = stranger
        .get("/auth/google/callback?code=code-x&state=forged")
        .await;
    assert_eq!(forged.status(), StatusCode::SEE_OTHER);
    let (_, _, page) = stranger.follow(forged).await;
    assert!(page.contains(&en("auth-error-provider-state")));
    assert_eq!(
        stranger.get("/settings/profile").await.status(),
        StatusCode::SEE_OTHER
    );
    // An unverified provider email neither signs in nor creates an account.
    *peer.email_verified.lock().unwrap() = false;
    sqlx::query("DELETE FROM oauth_identities WHERE provider = 'google'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let response = provider_round_trip(&stranger, "/auth/google/start").await;
    let (_, _, page) = stranger.follow(response).await;
    assert!(page.contains(&en("auth-error-provider-email")), "{page}");
    app.stop().await.unwrap();
}

/// A local Turnstile siteverify: tokens `pass-*` are valid once.
async fn siteverify_peer() -> String {
    use axum::{Form, Json, Router, routing::post};
    use std::sync::{Arc, Mutex};
    let used = Arc::new(Mutex::new(std::collections::HashSet::<String>::new()));
    let router = Router::new().route(
        "/siteverify",
        post(move |Form(form): Form<HashMap<String, String>>| {
            let used = used.clone();
            async move {
                if form.get("secret").map(String::as_str) != Some("turnstile-secret") {
                    return Json(serde_json::json!({ "success": false, "error-codes": ["invalid-input-secret"] }));
                }
                let token = form.get("response").cloned().unwrap_or_default();
                if !token.starts_with("pass-") {
                    return Json(serde_json::json!({ "success": false, "error-codes": ["invalid-input-response"] }));
                }
                if !used.lock().unwrap().insert(token) {
                    return Json(serde_json::json!({ "success": false, "error-codes": ["timeout-or-duplicate"] }));
                }
                Json(serde_json::json!({
                    "success": true, "challenge_ts": "2026-11-22T00:00:00Z",
                    "hostname": "127.0.0.1", "error-codes": [], "action": "sign-up"
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}/siteverify")
}

db_test!(turnstile_guards_sign_up_when_configured);

async fn turnstile_guards_sign_up_when_configured(database: &TestDatabase) {
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
    let page = browser.get("/sign-up").await;
    let csp = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("https://challenges.cloudflare.com"));
    let page = page.text().await.unwrap();
    assert!(page.contains("data-sitekey=\"1x00000000000000000000AA\""));
    let fields = |token: &'static str| {
        vec![
            ("display_name", "Ada"),
            ("email", "ada@example.com"),
            ("password", PASSWORD),
            ("age_confirmed", "on"),
            ("terms_accepted", "on"),
            ("cf-turnstile-response", token),
        ]
    };
    let without = browser.post("/sign-up", &fields("")).await;
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    assert!(
        without
            .text()
            .await
            .unwrap()
            .contains(&en("auth-error-captcha"))
    );
    let bad = browser.post("/sign-up", &fields("fail-1")).await;
    assert_eq!(bad.status(), StatusCode::FORBIDDEN);
    let ok = browser.post("/sign-up", &fields("pass-1")).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let replay = browser.post("/sign-up", &fields("pass-1")).await;
    assert_eq!(
        replay.status(),
        StatusCode::FORBIDDEN,
        "tokens are single-use"
    );
    app.stop().await.unwrap();
}

db_test!(production_hides_the_outbox_and_marks_cookies_secure);

async fn production_hides_the_outbox_and_marks_cookies_secure(database: &TestDatabase) {
    let app = support::spawn_app_with(database, |figment| {
        use figment::providers::Serialized;
        figment
            .merge(Serialized::default("mode", "production"))
            .merge(Serialized::default("secret_key", "k".repeat(48)))
            .merge(Serialized::default(
                "field_keys",
                format!("k1:{}", "0f".repeat(32)),
            ))
            .merge(Serialized::default("public_url", "https://banana.test"))
            .merge(Serialized::default("contact_email", "privacy@banana.test"))
            .merge(Serialized::default("operator_name", "Banana Test Ltd"))
            .merge(Serialized::default("email_transport", "smtp"))
            .merge(Serialized::default(
                "smtp_url",
                "smtp://127.0.0.1:9?tls=none",
            ))
            .merge(Serialized::default("payment_provider", "stripe"))
            .merge(Serialized::default("stripe_secret_key", "sk_live_test"))
            .merge(Serialized::default("stripe_webhook_secret", "whsec_test"))
    })
    .await;
    assert_eq!(app.get("/dev/mail").await.status(), StatusCode::NOT_FOUND);
    let page = app.get("/sign-in").await;
    let cookie = page.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("session="), "{cookie}");
    for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    app.stop().await.unwrap();
}

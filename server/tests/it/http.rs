//! The server over HTTP: pages, locales, machine endpoints, headers, errors, shutdown.

use crate::support;
use testkit::{TestDatabase, db_test};

use reqwest::{StatusCode, header};
use support::TestApp;

fn csp_nonce(response: &reqwest::Response) -> String {
    let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    let start = csp.find("'nonce-").expect("a nonce in the policy") + 7;
    csp[start..].split('\'').next().unwrap().to_string()
}

db_test!(
    landing_renders_in_english_with_hydration,
    |app: TestApp| async move {
        let response = app.get("/").await;
        assert_eq!(response.status(), StatusCode::OK);
        let nonce = csp_nonce(&response);
        let html = response.text().await.unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);
        assert!(html.contains("<html lang=\"en\""));
        assert!(html.contains("Say what you see. Get the picture."));
        // The hydration script loads this build's bundle and carries the response's nonce.
        assert!(html.contains("/pkg/banana-nano.js"));
        assert!(html.contains("/pkg/banana-nano") && html.contains(".wasm\""));
        assert!(html.contains(&format!("nonce=\"{nonce}\"")));
        let base = format!("http://{}", app.addr);
        assert!(
            html.contains(&format!("<link href=\"{base}/\" rel=\"canonical\">")),
            "canonical"
        );
        assert!(html.contains(&format!(
            "<link href=\"{base}/zh-CN/\" hreflang=\"zh-CN\" rel=\"alternate\">"
        )));
        assert!(html.contains(&format!(
            "<link href=\"{base}/\" hreflang=\"x-default\" rel=\"alternate\">"
        )));
        assert!(html.contains("property=\"og:title\""));
        assert_eq!(html.matches("class=\"faq-item\"").count(), 6);
    }
);

db_test!(chinese_lives_under_its_prefix, |app: TestApp| async move {
    for path in ["/zh-CN/", "/zh-CN"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("<html lang=\"zh-CN\""), "{path}");
        assert!(html.contains("说出你想看到的"), "{path}");
        assert!(
            html.contains("href=\"/zh-CN/workbench\""),
            "links stay in the locale"
        );
    }
});

db_test!(
    unknown_paths_are_localized_404s,
    |app: TestApp| async move {
        let response = app.get("/no/such/page").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let html = response.text().await.unwrap();
        assert!(html.contains("We couldn’t find that page"));
        assert!(html.contains("noindex"));
        let response = app.get("/zh-CN/no/such/page").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(response.text().await.unwrap().contains("找不到这个页面"));
        // Missing files are 404s as well, not pages.
        assert_eq!(
            app.get("/pkg/missing.js").await.status(),
            StatusCode::NOT_FOUND
        );
    }
);

db_test!(health_checks_the_database, |app: TestApp| async move {
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
});

db_test!(
    sitemap_and_robots_list_every_locale,
    |app: TestApp| async move {
        let response = app.get("/sitemap.xml").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/xml")
        );
        let xml = response.text().await.unwrap();
        let base = format!("http://{}", app.addr);
        assert!(xml.contains(&format!("<loc>{base}/</loc>")));
        assert!(xml.contains(&format!("<loc>{base}/zh-CN/</loc>")));
        let robots = app.get("/robots.txt").await.text().await.unwrap();
        assert!(robots.contains(&format!("Sitemap: {base}/sitemap.xml")));
    }
);

db_test!(
    first_visit_follows_accept_language_then_the_cookie,
    |app: TestApp| async move {
        let zh_browser = |path: &str| {
            app.client
                .get(app.url(path))
                .header(header::ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9,en;q=0.8")
        };
        let response = zh_browser("/").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(response.headers()[header::LOCATION], "/zh-CN/");
        assert!(
            response.headers()[header::VARY]
                .to_str()
                .unwrap()
                .contains("Accept-Language")
        );
        // Having chosen English, the same browser stays on English pages.
        let response = zh_browser("/")
            .header(header::COOKIE, "lang=en")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        // A chosen language wins over the browser's.
        let response = app
            .client
            .get(app.url("/?ref=x"))
            .header(header::COOKIE, "lang=zh-CN")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(response.headers()[header::LOCATION], "/zh-CN/?ref=x");
        // Crawlers and English browsers get English at /.
        assert_eq!(app.get("/").await.status(), StatusCode::OK);
        // Assets are never redirected.
        let response = zh_browser("/healthz").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
);

db_test!(
    switching_language_keeps_the_page_and_remembers,
    |app: TestApp| async move {
        let response = app.get("/lang/zh-CN?to=/no/such/page").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/zh-CN/no/such/page");
        let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
        assert!(
            cookie.starts_with("lang=zh-CN;")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let response = app.get("/lang/en?to=/zh-CN/").await;
        assert_eq!(response.headers()[header::LOCATION], "/");
        // No open redirect, no unknown language.
        let response = app.get("/lang/en?to=//evil.example/").await;
        assert_eq!(response.headers()[header::LOCATION], "/");
        assert_eq!(
            app.get("/lang/fr?to=/").await.status(),
            StatusCode::NOT_FOUND
        );
    }
);

db_test!(
    theme_choice_is_remembered_and_cross_site_posts_refused,
    |app: TestApp| async move {
        let post = |origin: &str| {
            app.client
                .post(app.url("/prefs/theme"))
                .header(header::ORIGIN, origin)
                .header(header::ACCEPT, "text/html")
                .form(&[("theme", "dark"), ("to", "/zh-CN/")])
        };
        let response = post("https://evil.example").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(response.headers().get(header::SET_COOKIE).is_none());
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("That request was refused")
        );

        let response = post(&app.url("")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/zh-CN/");
        let cookie = response.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.starts_with("theme=dark;"), "{cookie}");

        let html = app
            .client
            .get(app.url("/"))
            .header(header::COOKIE, "theme=dark")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("data-theme=\"dark\""));
        // Without a choice the page follows the system: no attribute at all.
        assert!(
            !app.get("/")
                .await
                .text()
                .await
                .unwrap()
                .contains("data-theme")
        );
    }
);

db_test!(
    every_response_carries_security_headers,
    |app: TestApp| async move {
        for path in ["/", "/zh-CN/", "/nope", "/healthz", "/sitemap.xml"] {
            let response = app.get(path).await;
            let headers = response.headers();
            let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
            assert!(
                csp.contains("frame-ancestors 'none'") && csp.contains("'nonce-"),
                "{path}: {csp}"
            );
            assert!(!csp.contains("unsafe-inline"), "{path}");
            assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
            assert_eq!(
                headers[header::REFERRER_POLICY],
                "strict-origin-when-cross-origin",
                "{path}"
            );
            assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{path}");
            // Served over plain http here, so no HSTS.
            assert!(
                headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
                "{path}"
            );
            assert!(headers.get("x-request-id").is_some(), "{path}");
        }
        // Each response gets its own nonce.
        assert_ne!(
            csp_nonce(&app.get("/").await),
            csp_nonce(&app.get("/").await)
        );
        // A request id the client sends is kept when it is a UUID, so logs can be
        // correlated; anything else is replaced with one of ours.
        let sent = "6f1c1c0e-9a43-4c8e-8a3e-3f6f0d2b7a10";
        let response = app
            .client
            .get(app.url("/healthz"))
            .header("x-request-id", sent)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-request-id"], sent);
        for forged in ["abc-123", "<script>alert(1)</script>", "6f1c1c0e 9a43"] {
            let response = app
                .client
                .get(app.url("/healthz"))
                .header("x-request-id", forged)
                .send()
                .await
                .unwrap();
            let id = response.headers()["x-request-id"].to_str().unwrap();
            assert_ne!(id, forged);
            assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
        }
        // Error pages are never kept by shared caches.
        let response = app.get("/no/such/page").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let cache = response.headers()[header::CACHE_CONTROL].to_str().unwrap();
        assert!(!cache.contains("public"), "{cache}");
    }
);

const BUNDLE_SCRIPT: &str = "export function hydrate(){}\n";

db_test!(pages_and_assets_are_compressed);
async fn pages_and_assets_are_compressed(database: &TestDatabase) {
    let data_dir = tempfile::tempdir().unwrap();
    let dir = data_dir.path();
    // A built bundle with its precompressed copies, in place before the server starts
    // (the start-up precompression pass keeps fresh copies as they are).
    let pkg = dir.join("site").join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("banana-nano.js"), BUNDLE_SCRIPT.repeat(100)).unwrap();
    std::fs::write(pkg.join("banana-nano.js.gz"), b"precompressed").unwrap();
    std::fs::write(pkg.join("banana-nano.js.br"), b"precompressed-br").unwrap();
    let app = support::spawn_app_in(database, data_dir).await;
    // The test client would decompress transparently and drop the header.
    let raw = reqwest::Client::builder()
        .no_brotli()
        .no_gzip()
        .build()
        .unwrap();
    let response = raw
        .get(app.url("/"))
        .header(header::ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
    let response = raw
        .get(app.url("/pkg/banana-nano.js"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"precompressed");
    let response = raw
        .get(app.url("/pkg/banana-nano.js"))
        .send()
        .await
        .unwrap();
    assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(response.text().await.unwrap(), BUNDLE_SCRIPT.repeat(100));
}

db_test!(stops_gracefully_on_signal, |app: TestApp| async move {
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    let addr = app.addr;
    app.stop().await.expect("clean stop");
    assert!(
        reqwest::get(format!("http://{addr}/healthz"))
            .await
            .is_err(),
        "no longer listening"
    );
});

// Every cookie any response sets is declared in the privacy registry, with the lifetime
// and HttpOnly flag the registry gives it.
db_test!(
    every_cookie_set_is_declared_in_the_privacy_registry,
    |app: TestApp| async move {
        let responses = vec![
            app.get("/").await,
            app.get("/zh-CN/").await,
            app.get("/no/such/page").await,
            app.get("/lang/zh-CN?to=/").await,
            app.get("/lang/en?to=/").await,
            app.client
                .post(app.url("/prefs/theme"))
                .header("sec-fetch-site", "same-origin")
                .form(&[("theme", "light"), ("to", "/")])
                .send()
                .await
                .unwrap(),
            // A first-time visitor's first generation makes them a guest.
            app.client
                .post(app.url("/api/generations"))
                .header("sec-fetch-site", "same-origin")
                .json(&serde_json::json!({"model": "offline", "prompt": "a cookie jar"}))
                .send()
                .await
                .unwrap(),
        ];
        let mut seen = Vec::new();
        for response in responses {
            for value in response.headers().get_all(header::SET_COOKIE) {
                let value = value.to_str().unwrap();
                let name = value.split('=').next().unwrap();
                let rule = domain::privacy::cookie(name)
                    .unwrap_or_else(|| panic!("cookie `{name}` is not declared: {value}"));
                assert_eq!(value.contains("HttpOnly"), rule.http_only, "{value}");
                let max_age = rule.lifetime.map(|l| format!("Max-Age={}", l.as_secs()));
                assert!(
                    max_age.as_deref().is_none_or(|m| value.contains(m)),
                    "{value}"
                );
                seen.push(name.to_string());
            }
        }
        seen.sort();
        seen.dedup();
        assert_eq!(
            seen,
            ["guest", "lang", "theme"],
            "the test reached every cookie-setting endpoint"
        );
    }
);

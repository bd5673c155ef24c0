//! The workbench over HTTP, on both databases: guests and accounts, uploads good and bad,
//! submits, the live stream, cancel, every provider against its local peer (callbacks
//! included), retries, refusals, timeouts, and a worker stopped mid-task.

use crate::support;
use testkit::{TestDatabase, db_test};

use domain::{
    credits::{self, Grant, IdempotencyKey, LotSource},
    generation::tasks::{self, Owner, TaskRecord, TaskStatus},
};
use figment::providers::Serialized;
use reqwest::{StatusCode, header, multipart};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::{Browser, TestApp, verified_account};
use testkit::peers::{self, Peer};

const KIE_HMAC: &str = "kie-webhook-hmac-key";

fn png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb(rgb))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

async fn upload(browser: &Browser, bytes: Vec<u8>, name: &str, purpose: &str) -> reqwest::Response {
    let form = multipart::Form::new()
        .text("purpose", purpose.to_string())
        .text("locale", "en")
        .part(
            "file",
            multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    browser
        .client
        .post(browser.url("/api/uploads"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn submit(browser: &Browser, body: Value) -> reqwest::Response {
    browser
        .client
        .post(browser.url("/api/generations"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Waits until task `id` has ended (or fails the test after a minute).
async fn finished(app: &TestApp, id: &str) -> TaskRecord {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let task = tasks::get(&app.db, id)
            .await
            .unwrap()
            .expect("the task exists");
        if task.status.is_terminal() {
            return task;
        }
        assert!(
            Instant::now() < deadline,
            "task {id} still {:?}",
            task.status
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn user_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn grant(app: &TestApp, user: &str, amount: i64) {
    let key = IdempotencyKey::new(format!("test:{user}:{amount}")).unwrap();
    credits::grant(
        &app.db,
        Grant::new(user, LotSource::Purchase, amount, None, &key),
    )
    .await
    .unwrap();
}

async fn reservation(app: &TestApp, task: &TaskRecord) -> String {
    credits::reservation_status(&app.db, task.reservation_id.as_deref().unwrap())
        .await
        .unwrap()
}

async fn balance(app: &TestApp, user: &str) -> (i64, i64) {
    let b = credits::balance(&app.db, user, domain::now_ms())
        .await
        .unwrap();
    (b.available, b.held)
}

/// An account with `amount` credits, signed in in the returned browser.
async fn funded(app: &TestApp, email: &str, amount: i64) -> (Browser, String) {
    let browser = Browser::new(app);
    verified_account(app, &browser, email).await;
    let user = user_id(app, email).await;
    grant(app, &user, amount).await;
    (browser, user)
}

fn quick(figment: figment::Figment) -> figment::Figment {
    figment
        // Balances in these tests are exactly what they grant.
        .merge(Serialized::default("signup_bonus_credits", 0))
        .merge(Serialized::default("generation_workers", 2))
        .merge(Serialized::default("task_retry_base_ms", 20))
        .merge(Serialized::default("provider_poll_ms", 50))
}

/// Reads the task stream until `done` says so or 60 s pass; returns every task view seen.
async fn stream_until(browser: &Browser, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let mut response = browser
        .client
        .get(browser.url("/api/tasks/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut buffer = String::new();
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(&seen) {
        let chunk = tokio::time::timeout_at(deadline.into(), response.chunk())
            .await
            .expect("the stream delivers in time")
            .unwrap()
            .expect("the stream stays open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if event.lines().any(|l| l == "event: task") {
                let data: String = event
                    .lines()
                    .filter_map(|l| l.strip_prefix("data: "))
                    .collect();
                seen.push(serde_json::from_str(&data).unwrap());
            }
        }
    }
    seen
}

fn succeeded(seen: &[Value], id: &str) -> bool {
    seen.iter()
        .any(|t| t["id"] == id && t["status"] == "succeeded")
}

// ---------------------------------------------------------------------------------------

db_test!(guest_generates_and_keeps_it_on_sign_up);
async fn guest_generates_and_keeps_it_on_sign_up(database: &TestDatabase) {
    let app = support::spawn_app_with(database, quick).await;
    let guest = Browser::new(&app);
    // Nothing to stream before the first upload or submit.
    let response = guest.get("/api/tasks/events").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    let response = upload(&guest, png(64, 48, [220, 40, 40]), "red.png", "reference").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("guest="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let uploaded: Value = response.json().await.unwrap();
    assert_eq!(
        (uploaded["width"].as_u64(), uploaded["height"].as_u64()),
        (Some(64), Some(48))
    );

    let response = submit(
        &guest,
        json!({"model": "offline", "prompt": "a red kite over the sea", "aspect_ratio": "1:1",
               "resolution": "1K", "format": "webp", "quantity": 1, "seed": 11,
               "references": [uploaded["id"]]}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert!(
        response.headers().get(header::SET_COOKIE).is_none(),
        "the same guest"
    );
    let submitted: Value = response.json().await.unwrap();
    let id = submitted["tasks"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(submitted["tasks"][0]["cost"], 1);

    let seen = stream_until(&guest, |seen| succeeded(seen, &id)).await;
    let done = seen.iter().rev().find(|t| t["id"] == id).unwrap();
    let output = &done["outputs"][0];
    assert_eq!(output["content_type"], "image/webp");
    assert_eq!(
        (output["width"].as_u64(), output["height"].as_u64()),
        (Some(1024), Some(1024))
    );
    let image = app.get(output["url"].as_str().unwrap()).await;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()[header::CONTENT_TYPE], "image/webp");
    let thumb = app.get(output["thumb_url"].as_str().unwrap()).await;
    assert_eq!(thumb.headers()[header::CONTENT_TYPE], "image/webp");
    let tampered = output["url"].as_str().unwrap().replace("sig=", "sig=00");
    assert_eq!(app.get(&tampered).await.status(), StatusCode::FORBIDDEN);

    // Another guest sees none of it and can cancel nothing of it.
    let stranger = Browser::new(&app);
    upload(&stranger, png(8, 8, [0, 0, 0]), "black.png", "reference").await;
    let response = stranger
        .client
        .post(stranger.url(&format!("/api/tasks/{id}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "not-found");

    // The trial was spent: 3 by default, 1 used.
    let guest_id: String = sqlx::query_scalar("SELECT guest_id FROM tasks WHERE id = $1")
        .bind(&id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let trial = domain::generation::guests::trial(&app.db, &guest_id, 3)
        .await
        .unwrap();
    assert_eq!(trial.remaining, 2);

    // Signing up moves the history to the account.
    verified_account(&app, &guest, "kite@example.com").await;
    let user = user_id(&app, "kite@example.com").await;
    let theirs = tasks::recent(&app.db, &Owner::User(user), 10)
        .await
        .unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].id, id);
    assert_eq!(theirs[0].status, TaskStatus::Succeeded);
    assert!(
        tasks::recent(&app.db, &Owner::Guest(guest_id), 10)
            .await
            .unwrap()
            .is_empty()
    );
    app.stop().await.unwrap();
}

db_test!(bad_uploads_are_refused_clearly);
async fn bad_uploads_are_refused_clearly(database: &TestDatabase) {
    let app = support::spawn_app_with(database, quick).await;
    let browser = Browser::new(&app);
    // A 60000 × 60000 PNG of under 100 bytes: a valid header in front of almost nothing.
    let mut ihdr = 60000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&60000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
    bomb.extend(png_chunk(b"IHDR", &ihdr));
    bomb.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    bomb.extend(png_chunk(b"IEND", &[]));
    let mut corrupt_jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    corrupt_jpeg.extend_from_slice(b"JFIF\0this is not the rest of a JPEG");
    let cases: Vec<(Vec<u8>, &str, StatusCode, &str)> = vec![
        (
            b"plain text wearing a costume".to_vec(),
            "cat.png",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-format",
        ),
        (
            bomb,
            "bomb.png",
            StatusCode::UNPROCESSABLE_ENTITY,
            "too-many-pixels",
        ),
        (
            vec![7u8; 30 * 1024 * 1024],
            "huge.png",
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
        ),
        (
            corrupt_jpeg,
            "broken.jpg",
            StatusCode::UNPROCESSABLE_ENTITY,
            "corrupt",
        ),
        (
            png(8, 8, [1, 2, 3]),
            "../../etc/passwd.png",
            StatusCode::BAD_REQUEST,
            "file-name",
        ),
    ];
    for (bytes, name, status, code) in cases {
        let response = upload(&browser, bytes, name, "reference").await;
        assert_eq!(response.status(), status, "{name}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], code, "{name}");
        let message = body["message"].as_str().unwrap();
        assert!(
            !message.is_empty() && !message.contains("generation-error"),
            "{message}"
        );
    }
    // In the person's language.
    let form = multipart::Form::new().text("locale", "zh-CN").part(
        "file",
        multipart::Part::bytes(b"not an image".to_vec()).file_name("a.png"),
    );
    let response = browser
        .client
        .post(browser.url("/api/uploads"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("PNG、JPEG"),
        "{body}"
    );

    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM uploads")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(stored, 0);
    let files = app.data_dir.path().join("files").join("uploads");
    assert!(!files.exists() || std::fs::read_dir(&files).unwrap().next().is_none());
    app.stop().await.unwrap();
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let mut checked = kind.to_vec();
    checked.extend_from_slice(data);
    chunk.extend_from_slice(&crc32(&checked).to_be_bytes());
    chunk
}

/// PNG chunk checksum (CRC-32, ISO-HDLC).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

db_test!(shortfalls_and_cancels_settle);
async fn shortfalls_and_cancels_settle(database: &TestDatabase) {
    // No workers: submitted tasks stay queued.
    let app = support::spawn_app_with(database, |f| {
        quick(f).merge(Serialized::default("generation_workers", 0))
    })
    .await;
    let (browser, user) = funded(&app, "ada@example.com", 3).await;
    let response = submit(
        &browser,
        json!({"model": "offline", "prompt": "four", "quantity": 4}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::PAYMENT_REQUIRED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        (
            body["error"].as_str(),
            body["required"].as_i64(),
            body["available"].as_i64()
        ),
        (Some("insufficient-credits"), Some(4), Some(3))
    );
    assert!(body["message"].as_str().unwrap().contains('4'));

    let response = submit(
        &browser,
        json!({"model": "offline", "prompt": "two", "quantity": 2}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let submitted: Value = response.json().await.unwrap();
    let id = submitted["tasks"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(balance(&app, &user).await, (1, 2));

    let cancel = |path: String| {
        let client = browser.client.clone();
        let url = browser.url(&path);
        async move { client.post(url).send().await.unwrap() }
    };
    let response = cancel(format!("/api/tasks/{id}/cancel")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let view: Value = response.json().await.unwrap();
    assert_eq!(view["status"], "cancelled");
    assert_eq!(balance(&app, &user).await, (2, 1));
    let response = cancel(format!("/api/tasks/{id}/cancel")).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(balance(&app, &user).await, (2, 1), "released once");

    // Bad choices come back as the field's error, nothing queued.
    let response = submit(
        &browser,
        json!({"model": "offline", "prompt": "x", "aspect_ratio": "7:5"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "aspect-ratio");
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(queued, 2);
    app.stop().await.unwrap();
}

async fn with_peers(
    database: &TestDatabase,
    extra: impl FnOnce(figment::Figment) -> figment::Figment + Send + 'static,
) -> (TestApp, Vec<Peer>) {
    let gemini = peers::gemini().await;
    let kie = peers::kie(KIE_HMAC).await;
    let openai = peers::openai().await;
    let replicate_secret = peers::webhook_secret("replicate webhook secret");
    let replicate = peers::replicate(&replicate_secret).await;
    let (g, k, o, r) = (
        gemini.clone(),
        kie.clone(),
        openai.clone(),
        replicate.clone(),
    );
    let app = support::spawn_app_with(database, move |f| {
        extra(
            quick(f)
                .merge(Serialized::default("gemini_api_key", g.api_key))
                .merge(Serialized::default("gemini_api_url", g.url))
                .merge(Serialized::default("kie_api_key", k.api_key))
                .merge(Serialized::default("kie_api_url", k.url))
                .merge(Serialized::default("kie_webhook_hmac_key", KIE_HMAC))
                .merge(Serialized::default("openai_api_key", o.api_key))
                .merge(Serialized::default("openai_api_url", o.url))
                .merge(Serialized::default("replicate_api_token", r.api_key))
                .merge(Serialized::default("replicate_api_url", r.url))
                .merge(Serialized::default(
                    "replicate_webhook_secret",
                    replicate_secret,
                )),
        )
    })
    .await;
    (app, vec![gemini, kie, openai, replicate])
}

db_test!(every_provider_runs_against_its_peer);
async fn every_provider_runs_against_its_peer(database: &TestDatabase) {
    let (app, peers) = with_peers(database, |f| f).await;
    let (browser, user) = funded(&app, "ada@example.com", 100).await;
    let reference: Value = upload(
        &browser,
        png(32, 32, [10, 200, 10]),
        "green.png",
        "reference",
    )
    .await
    .json()
    .await
    .unwrap();
    let models = [
        ("nano-banana", json!([reference["id"]])),
        ("kie-nano-banana", json!([reference["id"]])),
        ("gpt-image-1", json!([])),
        ("replicate-flux", json!([])),
    ];
    let mut expected_spend = 0;
    for ((model, references), peer) in models.iter().zip(&peers) {
        let response = submit(
            &browser,
            json!({"model": model, "prompt": format!("a green field for {model}"),
                   "aspect_ratio": "1:1", "format": "png", "references": references}),
        )
        .await;
        assert_eq!(response.status(), StatusCode::ACCEPTED, "{model}");
        let submitted: Value = response.json().await.unwrap();
        expected_spend += submitted["tasks"][0]["cost"].as_i64().unwrap();
        let id = submitted["tasks"][0]["id"].as_str().unwrap();
        let task = finished(&app, id).await;
        assert_eq!(
            task.status,
            TaskStatus::Succeeded,
            "{model}: {:?}",
            task.error_code
        );
        assert_eq!(task.attempts, 1, "{model}");
        assert_eq!(task.outputs.len(), 1, "{model}");
        assert_eq!(reservation(&app, &task).await, "captured", "{model}");
        let log = peer.log();
        assert_eq!(log.creates, 1, "{model}: one remote job");
        assert_eq!(log.auth_ok, Some(true), "{model}");
    }
    // Kie fetched the reference from our signed link; Kie and Replicate called back, and
    // we accepted their signatures.
    let kie = peers[1].log();
    assert!(
        kie.fetched.iter().any(|(_, status)| *status == 200),
        "{:?}",
        kie.fetched
    );
    assert!(
        kie.callbacks.iter().any(|(_, status)| *status == 200),
        "{:?}",
        kie.callbacks
    );
    let replicate = peers[3].log();
    assert!(
        replicate.callbacks.iter().any(|(_, status)| *status == 200),
        "{:?}",
        replicate.callbacks
    );
    assert_eq!(balance(&app, &user).await, (100 - expected_spend, 0));

    // A forged callback is refused and wakes nobody.
    let response = app
        .client
        .post(app.url("/callbacks/kie"))
        .header("x-webhook-timestamp", (domain::now_ms() / 1000).to_string())
        .header("x-webhook-signature", "Zm9yZ2Vk")
        .json(&json!({"code": 200, "data": {"taskId": "task_1", "state": "success"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    app.stop().await.unwrap();
}

db_test!(errors_retry_then_settle_once);
async fn errors_retry_then_settle_once(database: &TestDatabase) {
    let (app, _peers) = with_peers(database, |f| {
        f.merge(Serialized::default("task_max_attempts", 2))
            .merge(Serialized::default("task_timeout_seconds", 1))
    })
    .await;
    let (browser, user) = funded(&app, "ada@example.com", 100).await;
    // (prompt, model, status, attempts, error code)
    let cases = [
        (
            "[flaky] a lake",
            "nano-banana",
            TaskStatus::Succeeded,
            2,
            None,
        ),
        (
            "[ratelimit] a hill",
            "nano-banana",
            TaskStatus::Succeeded,
            2,
            None,
        ),
        (
            "[hang] a cave",
            "nano-banana",
            TaskStatus::Failed,
            2,
            Some("timeout"),
        ),
        (
            "[refuse] a secret",
            "nano-banana",
            TaskStatus::Refused,
            1,
            Some("refused-prompt"),
        ),
        (
            "[fail] an empty page",
            "nano-banana",
            TaskStatus::Failed,
            1,
            Some("provider"),
        ),
        (
            "[quota] a coin",
            "gpt-image-1",
            TaskStatus::Failed,
            1,
            Some("provider"),
        ),
        (
            "[refuse] a secret",
            "kie-nano-banana",
            TaskStatus::Refused,
            1,
            Some("refused-prompt"),
        ),
        (
            "[fail] a blank",
            "replicate-flux",
            TaskStatus::Failed,
            1,
            Some("provider"),
        ),
    ];
    let mut ids = Vec::new();
    for (prompt, model, ..) in &cases {
        let body =
            json!({"model": model, "prompt": prompt, "aspect_ratio": "1:1", "format": "png"});
        let response = submit(&browser, body).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED, "{prompt}");
        let submitted: Value = response.json().await.unwrap();
        ids.push(submitted["tasks"][0]["id"].as_str().unwrap().to_string());
    }
    let mut spent = 0;
    for ((prompt, model, status, attempts, code), id) in cases.iter().zip(&ids) {
        let task = finished(&app, id).await;
        assert_eq!(task.status, *status, "{prompt} on {model}");
        assert_eq!(task.attempts, *attempts, "{prompt} on {model}");
        assert_eq!(task.error_code.as_deref(), *code, "{prompt} on {model}");
        let settled = reservation(&app, &task).await;
        if *status == TaskStatus::Succeeded {
            assert_eq!(settled, "captured");
            spent += task.cost;
        } else {
            assert_eq!(settled, "released", "{prompt} on {model} pays nothing");
            assert!(task.outputs.is_empty());
        }
    }
    assert_eq!(balance(&app, &user).await, (100 - spent, 0));
    // Refusals wait in the review queue with the prompt.
    let flags = domain::generation::moderation::open_flags(&app.db, 10)
        .await
        .unwrap();
    assert_eq!(flags.iter().filter(|f| f.source == "provider").count(), 2);
    assert!(
        flags
            .iter()
            .all(|f| f.excerpt.as_deref() == Some("[refuse] a secret"))
    );
    app.stop().await.unwrap();
}

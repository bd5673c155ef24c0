//! Scale-out: two server processes on one PostgreSQL database and one S3 bucket (moto)
//! share the task queue. 200 tasks are each processed exactly once, each reservation is
//! settled once, both processes do work, and a person's live stream on one process sees
//! every result, including those the other process made (PostgreSQL LISTEN/NOTIFY).
//!
//! Runs when `TEST_DATABASE_URL` is set (SQLite is one process's database by design).

use crate::support;

use domain::{
    credits::{self, Grant, IdempotencyKey, LotSource},
    storage::{Storage, StorageKey},
};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use std::{
    collections::HashSet,
    process::{Command, Stdio},
    time::{Duration, Instant},
};
use testkit::{KillOnDrop, Moto, TestDatabase, peers};

const SECRET: &str = "a shared instance secret for both test processes";
const BUCKET: &str = "banana-scale-out";
const SUBMITS: usize = 50;
const PER_SUBMIT: usize = 4;

/// A server process, killed when dropped.
struct Process {
    _child: KillOnDrop,
    url: String,
    _dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start(database_url: &str, moto: &Moto, gemini: &peers::Peer) -> Process {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let child = KillOnDrop::new(
        Command::new(env!("CARGO_BIN_EXE_server"))
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("BANANA_ADDR", format!("127.0.0.1:{port}"))
            .env("BANANA_DATA_DIR", dir.path())
            .env("BANANA_SITE_ROOT", dir.path().join("site"))
            .env("DATABASE_URL", database_url)
            .env("BANANA_SECRET_KEY", SECRET)
            .env("BANANA_LOG_LEVEL", "warn")
            .env("BANANA_STORAGE_URL", format!("s3://{BUCKET}"))
            .env("BANANA_S3_ENDPOINT", moto.endpoint())
            .env("BANANA_S3_ACCESS_KEY_ID", "testing")
            .env("BANANA_S3_SECRET_ACCESS_KEY", "testing")
            .env("BANANA_GEMINI_API_KEY", &gemini.api_key)
            .env("BANANA_GEMINI_API_URL", &gemini.url)
            .env("BANANA_GENERATION_WORKERS", "4")
            .env("BANANA_TASK_RETRY_BASE_MS", "50")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start a server process"),
    );
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(response) = reqwest::get(format!("{url}/healthz")).await
            && response.status().is_success()
        {
            break;
        }
        assert!(Instant::now() < deadline, "server on {port} did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Process {
        _child: child,
        url,
        _dir: dir,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_the_queue_and_the_stream() {
    let Some(database) = TestDatabase::postgres().await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let moto = Moto::start();
    moto.create_bucket(BUCKET).await;
    let gemini = peers::gemini().await;
    let a = start(&database.url, &moto, &gemini).await;
    let b = start(&database.url, &moto, &gemini).await;
    let db = &database.db;

    // One person, signed up on A; the session (in the database) works on both. Cookies
    // are per host, not per port, so one client carries it to either process.
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let mut headers = header::HeaderMap::new();
    headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_provider(jar)
        .default_headers(headers)
        .build()
        .unwrap();
    client
        .get(format!("{}/sign-up", a.url))
        .send()
        .await
        .unwrap();
    let email = "scale@example.com";
    let response = client
        .post(format!("{}/sign-up", a.url))
        .form(&[
            ("display_name", "Scale"),
            ("email", email),
            ("password", support::PASSWORD),
            ("age_confirmed", "on"),
            ("terms_accepted", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mail: String = sqlx::query_scalar(
        "SELECT text FROM email_outbox WHERE to_address = $1 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let token = support::token_of(&mail);
    let response = client
        .post(format!("{}/verify-email", b.url))
        .form(&[("token", token.as_str()), ("change", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let user: String = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(db.pool())
        .await
        .unwrap();
    let key = IdempotencyKey::new("test:scale:grant").unwrap();
    credits::grant(db, Grant::new(&user, LotSource::Purchase, 1000, None, &key))
        .await
        .unwrap();
    let before = credits::balance(db, &user, domain::now_ms())
        .await
        .unwrap()
        .available;

    // The live stream is read from B while every submit goes to A.
    let mut stream = client
        .get(format!("{}/api/tasks/events", b.url))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let total = SUBMITS * PER_SUBMIT;
    let mut ids = HashSet::new();
    for n in 0..SUBMITS {
        let response = client
            .post(format!("{}/api/generations", a.url))
            .json(
                &json!({"model": "nano-banana", "prompt": format!("tile number {n}"),
                          "aspect_ratio": "1:1", "quantity": PER_SUBMIT}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        let submitted: Value = response.json().await.unwrap();
        for task in submitted["tasks"].as_array().unwrap() {
            ids.insert(task["id"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(ids.len(), total);

    let mut seen_done = HashSet::new();
    let mut buffer = String::new();
    let deadline = Instant::now() + Duration::from_secs(240);
    while seen_done.len() < total {
        let chunk = tokio::time::timeout_at(deadline.into(), stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("B streamed {} of {total} results", seen_done.len()))
            .unwrap()
            .expect("the stream stays open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            let data: String = event
                .lines()
                .filter_map(|l| l.strip_prefix("data: "))
                .collect();
            if data.is_empty() {
                continue;
            }
            let task: Value = serde_json::from_str(&data).unwrap();
            if task["status"] == "succeeded" {
                assert!(ids.contains(task["id"].as_str().unwrap()));
                seen_done.insert(task["id"].as_str().unwrap().to_string());
            }
        }
    }

    // Exactly once: every task succeeded on its first attempt with one output.
    let rows: Vec<(String, String, i64, Option<String>)> =
        sqlx::query_as("SELECT id, status, attempts, lease_owner FROM tasks")
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(rows.len(), total);
    assert!(
        rows.iter()
            .all(|(_, status, attempts, _)| status == "succeeded" && *attempts == 1)
    );
    let processes: HashSet<&str> = rows
        .iter()
        .filter_map(|(_, _, _, owner)| owner.as_deref()?.split('/').next())
        .collect();
    assert_eq!(processes.len(), 2, "both processes worked: {processes:?}");
    let outputs: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT task_id) FROM task_outputs")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let output_rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM task_outputs")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!((outputs, output_rows), (total as i64, total as i64));

    // Every reservation settled once: captured, with one capture entry each.
    let captured: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM credit_reservations WHERE user_id = $1 AND status = 'captured'",
    )
    .bind(&user)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(captured, total as i64);
    let captures: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'capture'",
    )
    .bind(&user)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(captures, total as i64);
    let balance = credits::balance(db, &user, domain::now_ms()).await.unwrap();
    assert_eq!(
        (balance.available, balance.held),
        (before - 4 * total as i64, 0)
    );

    // The images are in the shared bucket: a result and a thumbnail per task.
    let storage = Storage::new(
        &domain::config::StorageConfig::S3 {
            bucket: BUCKET.into(),
            endpoint: Some(moto.endpoint()),
            region: "us-east-1".into(),
            access_key_id: Some("testing".into()),
            secret_access_key: Some(secrecy::SecretString::from("testing")),
        },
        b"listing only",
    )
    .unwrap();
    let objects = storage
        .list(&StorageKey::parse("results").unwrap())
        .await
        .unwrap();
    assert_eq!(objects.len(), 2 * total);
    assert_eq!(
        gemini.log().creates as usize,
        total,
        "one provider call per task"
    );

    drop(a);
    drop(b);
}

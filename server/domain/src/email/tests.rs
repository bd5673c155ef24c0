//! Each transport against the real thing or a faithful peer: the outbox on SQLite and
//! PostgreSQL, SMTP against aiosmtpd, Resend against a local server speaking its documented
//! protocol.

use super::*;
use crate::{config, db_test, testing::TestDatabase};
use figment::providers::Serialized;
use std::{
    path::Path,
    process::{Command, Stdio},
    time::Instant,
};

const PUBLIC_URL: &str = "https://studio.banana.test";
const FROM: &str = "banana nano <hello@banana.test>";

/// Configuration as the program loads it, with `settings` over the defaults. The directory
/// holds the data dir and must outlive the configuration's use.
fn config_with(settings: &[(&str, &str)]) -> (Config, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut figment = config::defaults()
        .merge(Serialized::default(
            "data_dir",
            dir.path().display().to_string(),
        ))
        .merge(Serialized::default("public_url", PUBLIC_URL))
        .merge(Serialized::default("email_from", FROM));
    for (key, value) in settings {
        figment = figment.merge(Serialized::default(key, value));
    }
    let config = Config::load(figment).expect("test configuration loads");
    (config, dir)
}

fn verify_email(to: &str, locale: &str, key: &str) -> Email {
    Email::compose(
        to,
        &Message::VerifyEmail {
            name: "Ada".into(),
            link: format!("{PUBLIC_URL}/verify-email?token=one-time-s3cret"),
        },
        locale,
        PUBLIC_URL,
        key,
    )
}

/// An error as an operator or a log would see it: neither the secrets nor the body.
fn assert_tells_no_secrets(error: &EmailError, email: &Email, secrets: &[&str]) {
    for shown in [error.to_string(), format!("{error:?}")] {
        for secret in secrets {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(!shown.contains("one-time-s3cret"), "{shown}");
        assert!(!shown.contains(&email.html) && !shown.contains(&email.text));
    }
}

// ---------------------------------------------------------------------------------------
// Outbox

db_test!(outbox_keeps_each_email_once, |db| async move {
    let (config, _dir) = config_with(&[]);
    let mailer = Mailer::new(&config, db.clone()).unwrap();
    assert_eq!(mailer.transport_name(), "outbox");

    let verify = verify_email("Ada@Example.com", "en", "verify-email:1");
    mailer.send(&verify).await.unwrap();
    // A retry of the same intent stores nothing new, even when rendered differently.
    let mut retry = verify.clone();
    retry.subject = "something else".into();
    mailer.send(&retry).await.unwrap();

    let all = outbox_list(&db, 10).await.unwrap();
    assert_eq!(all.len(), 1);
    let stored = all[0].clone();
    assert_eq!(stored.to_address, "Ada@Example.com");
    assert_eq!(stored.subject, verify.subject);
    assert_eq!(stored.html, verify.html);
    assert_eq!(stored.text, verify.text);
    assert_eq!(stored.kind, "verify_email");
    assert_eq!(stored.locale, "en");
    assert_eq!(stored.idempotency_key, "verify-email:1");
    assert_eq!(
        uuid::Uuid::parse_str(&stored.id).unwrap().get_version_num(),
        7
    );
    assert!((crate::now_ms() - stored.created_at).abs() < 60_000);

    mailer
        .send_message(
            "bob@example.com",
            &Message::PasswordChanged { name: "Bob".into() },
            "zh-CN",
            "password-changed:2",
        )
        .await
        .unwrap();
    let all = outbox_list(&db, 10).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].kind, "password_changed", "newest first");
    assert_eq!(all[0].locale, "zh-CN");
    assert!(
        all[0]
            .text
            .contains(&format!("{PUBLIC_URL}/zh-CN/forgot-password"))
    );
    assert_eq!(all[1], stored);
    assert_eq!(outbox_list(&db, 1).await.unwrap().len(), 1);

    assert_eq!(
        outbox_get(&db, &stored.id).await.unwrap(),
        Some(stored.clone())
    );
    assert_eq!(outbox_get(&db, "no-such-id").await.unwrap(), None);

    assert_eq!(
        outbox_latest_to(&db, "ada@example.com").await.unwrap(),
        Some(stored)
    );
    assert_eq!(
        outbox_latest_to(&db, "nobody@example.com").await.unwrap(),
        None
    );
    mailer
        .send(&Email::compose(
            "ada@example.com",
            &Message::ResetPassword {
                name: "Ada".into(),
                link: format!("{PUBLIC_URL}/reset-password?token=two"),
            },
            "en",
            PUBLIC_URL,
            "reset-password:3",
        ))
        .await
        .unwrap();
    let latest = outbox_latest_to(&db, "ADA@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest.kind, "reset_password");
});

db_test!(
    outbox_refuses_what_no_transport_could_send,
    |db| async move {
        let (config, _dir) = config_with(&[]);
        let mailer = Mailer::new(&config, db.clone()).unwrap();
        let good = verify_email("ada@example.com", "en", "k");
        let cases = [
            Email {
                to: "not an address".into(),
                ..good.clone()
            },
            Email {
                idempotency_key: String::new(),
                ..good.clone()
            },
            Email {
                idempotency_key: "has a space".into(),
                ..good.clone()
            },
            Email {
                idempotency_key: "k".repeat(MAX_IDEMPOTENCY_KEY_LEN + 1),
                ..good.clone()
            },
        ];
        for email in cases {
            let err = mailer.send(&email).await.unwrap_err();
            assert!(matches!(err, EmailError::Invalid(_)), "{err}");
            assert!(!err.is_retryable());
        }
        assert!(outbox_list(&db, 10).await.unwrap().is_empty());
        let longest = Email {
            idempotency_key: "k".repeat(MAX_IDEMPOTENCY_KEY_LEN),
            ..good
        };
        mailer.send(&longest).await.unwrap();
    }
);

#[tokio::test]
async fn mailer_refuses_a_from_that_is_not_an_address() {
    let database = TestDatabase::sqlite().await;
    let (mut config, _dir) = config_with(&[]);
    config.email_from = "banana nano".into();
    let err = Mailer::new(&config, database.db.clone()).unwrap_err();
    assert!(matches!(err, EmailError::Misconfigured(_)), "{err}");
    assert!(!err.is_retryable());
    database.destroy().await;
}

// ---------------------------------------------------------------------------------------
// SMTP, against aiosmtpd

/// A real SMTP server: aiosmtpd storing every message it accepts in a Maildir. The process is
/// killed when this is dropped, also when the test panics.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    python: String,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    async fn start() -> SmtpServer {
        let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let hint = "run scripts/test, which installs aiosmtpd into ~/.cache/banana-nano/python \
                    and points TEST_PYTHON at it";
        match Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .output()
        {
            Ok(out) if out.status.success() => {}
            Ok(_) => panic!("aiosmtpd is not importable by `{python}`: {hint}"),
            Err(e) => panic!("cannot run `{python}` ({e}): {hint}"),
        }
        let port = free_port();
        let dir = tempfile::tempdir().unwrap();
        let log = std::fs::File::create(dir.path().join("aiosmtpd.log")).unwrap();
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start aiosmtpd");
        let mut server = SmtpServer {
            child,
            port,
            python,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!("aiosmtpd exited ({status}): {}", server.log());
            }
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not listen on port {port} within 20 s: {}",
                server.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("aiosmtpd.log")).unwrap_or_default()
    }

    /// Every stored message, oldest first, as Python's own email parser reads it: headers
    /// decoded (RFC 2047) and each MIME part's content decoded.
    fn received(&self) -> Vec<serde_json::Value> {
        let new = self.dir.path().join("mail").join("new");
        let mut files: Vec<_> = std::fs::read_dir(&new)
            .map(|entries| entries.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        // Maildir names start with the delivery time in seconds; ties keep directory order,
        // so tests look messages up by subject rather than position.
        files.sort();
        files.iter().map(|file| self.parse(file)).collect()
    }

    fn parse(&self, file: &Path) -> serde_json::Value {
        const PARSE: &str = r#"
import email, json, sys
from email import policy
with open(sys.argv[1], "rb") as f:
    m = email.message_from_binary_file(f, policy=policy.default)
print(json.dumps({
    "headers": {k.lower(): str(v) for k, v in m.items()},
    "content_type": m.get_content_type(),
    "parts": {p.get_content_type(): p.get_content()
              for p in m.walk() if not p.is_multipart()},
}))
"#;
        let out = Command::new(&self.python)
            .args(["-c", PARSE])
            .arg(file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Line endings as the parser hands them back do not matter; the words do.
fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.replace("\r\n", "\n").trim_end().to_string();
    norm(a) == norm(b)
}

#[tokio::test]
async fn smtp_delivers_multipart_email_to_a_real_server() {
    let server = SmtpServer::start().await;
    let database = TestDatabase::sqlite().await;
    let url = format!("smtp://127.0.0.1:{}?tls=none", server.port);
    let (config, _dir) = config_with(&[("email_transport", "smtp"), ("smtp_url", &url)]);
    let mailer = Mailer::new(&config, database.db.clone()).unwrap();
    assert_eq!(mailer.transport_name(), "smtp");

    let english = verify_email("ada@example.com", "en", "verify-email:smtp-1");
    let chinese = verify_email("bo@example.com", "zh-CN", "verify-email:smtp-2");
    mailer.send(&english).await.unwrap();
    mailer.send(&chinese).await.unwrap();

    let received = server.received();
    assert_eq!(received.len(), 2, "{}", server.log());
    for (email, to) in [(&english, "ada@example.com"), (&chinese, "bo@example.com")] {
        let message = received
            .iter()
            .find(|m| m["headers"]["subject"] == email.subject.as_str())
            .unwrap_or_else(|| panic!("no message titled {:?}: {received:?}", email.subject));
        let headers = &message["headers"];
        assert_eq!(headers["from"], FROM);
        assert_eq!(headers["to"], to);
        // The envelope, as the server saw it.
        assert_eq!(headers["x-mailfrom"], "hello@banana.test");
        assert_eq!(headers["x-rcptto"], to);
        assert_eq!(headers["x-entity-ref-id"], email.idempotency_key.as_str());
        assert_eq!(headers["auto-submitted"], "auto-generated");
        assert_eq!(headers["content-language"], email.locale.as_str());
        assert_eq!(
            headers["message-id"],
            message_id(&email.idempotency_key, &FROM.parse().unwrap()).as_str()
        );
        assert_eq!(message["content_type"], "multipart/alternative");
        let text = message["parts"]["text/plain"].as_str().unwrap();
        let html = message["parts"]["text/html"].as_str().unwrap();
        assert!(same_text(text, &email.text), "{text}");
        assert!(same_text(html, &email.html), "{html}");
    }

    // The same email again is sent again (SMTP cannot deduplicate), with the same
    // Message-ID so that receivers can.
    mailer.send(&english).await.unwrap();
    let ids: Vec<_> = server
        .received()
        .iter()
        .filter(|m| m["headers"]["to"] == "ada@example.com")
        .map(|m| m["headers"]["message-id"].clone())
        .collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], ids[1]);
    database.destroy().await;
}

#[tokio::test]
async fn smtp_failures_are_retryable_and_never_show_the_password() {
    let database = TestDatabase::sqlite().await;
    // Nothing listens here once the probe socket is gone.
    let url = format!(
        "smtp://mailer:hunter2-smtp@127.0.0.1:{}?tls=none",
        free_port()
    );
    let (config, _dir) = config_with(&[("email_transport", "smtp"), ("smtp_url", &url)]);
    let mailer = Mailer::new(&config, database.db.clone()).unwrap();
    assert!(!format!("{mailer:?}").contains("hunter2-smtp"));
    let email = verify_email("ada@example.com", "en", "verify-email:down");
    let err = mailer.send(&email).await.unwrap_err();
    assert!(
        matches!(
            err,
            EmailError::Unreachable {
                transport: "smtp",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.is_retryable());
    assert_tells_no_secrets(&err, &email, &["hunter2-smtp"]);
    database.destroy().await;
}

// ---------------------------------------------------------------------------------------
// Resend, against a local peer

mod resend_peer {
    //! A stand-in for `POST /emails` that behaves as Resend documents: bearer key,
    //! `Idempotency-Key` deduplication, its error shape, and rate limiting on request.

    use axum::{
        Json, Router,
        body::Bytes,
        extract::State,
        http::{HeaderMap, StatusCode, header},
        response::{IntoResponse, Response},
        routing::post,
    };
    use serde_json::{Value, json};
    use std::{
        collections::HashMap,
        sync::{Arc, Mutex},
    };

    pub const API_KEY: &str = "re_test_9fJ2kQx7_peer_secret";

    #[derive(Default)]
    pub struct PeerState {
        /// Answer this many calls with 429 before serving again.
        pub rate_limited_calls: u32,
        /// Answer this many calls with 500 before serving again.
        pub failing_calls: u32,
        /// Idempotency key → (Resend id, the request that first used it).
        pub delivered: HashMap<String, (String, Value)>,
        /// Every 200 answer's id, in order.
        pub answered_ids: Vec<String>,
    }

    pub type Shared = Arc<Mutex<PeerState>>;

    /// Serves on a free loopback port; returns its base URL and state.
    pub async fn start() -> (String, Shared) {
        let state = Shared::default();
        let app = Router::new()
            .route("/emails", post(emails))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (url, state)
    }

    fn error(status: StatusCode, name: &str, message: &str) -> Response {
        let body = json!({ "statusCode": status.as_u16(), "name": name, "message": message });
        (status, Json(body)).into_response()
    }

    async fn emails(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match bearer {
            None => {
                return error(
                    StatusCode::UNAUTHORIZED,
                    "missing_api_key",
                    "Missing API key in the authorization header.",
                );
            }
            // Resend answers a wrong key with 403. This peer also repeats the key, as a
            // careless service might, to prove the adapter never passes it on.
            Some(key) if key != API_KEY => {
                return error(
                    StatusCode::FORBIDDEN,
                    "invalid_api_key",
                    &format!("API key {key} is invalid."),
                );
            }
            Some(_) => {}
        }
        let key = headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        if key.is_empty() || key.len() > 256 {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_idempotency_key",
                "The key must be between 1-256 chars.",
            );
        }
        let mut state = state.lock().unwrap();
        if state.rate_limited_calls > 0 {
            state.rate_limited_calls -= 1;
            let mut response = error(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limit_exceeded",
                "Too many requests. You can only make 2 requests per second.",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, "1".parse().unwrap());
            return response;
        }
        if state.failing_calls > 0 {
            state.failing_calls -= 1;
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "application_error",
                "An unexpected error occurred.",
            );
        }
        let Ok(request) = serde_json::from_slice::<Value>(&body) else {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_error",
                "Invalid JSON.",
            );
        };
        for field in ["from", "subject"] {
            if request[field].as_str().is_none_or(|s| s.trim().is_empty()) {
                return error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_error",
                    &format!("Missing `{field}` field."),
                );
            }
        }
        if request["to"].as_array().is_none_or(|to| to.is_empty()) {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_error",
                "Missing `to` field.",
            );
        }
        let id = match state.delivered.get(&key) {
            Some((_, first)) if *first != request => {
                return error(
                    StatusCode::CONFLICT,
                    "invalid_idempotent_request",
                    "Same idempotency key used with a different request payload.",
                );
            }
            Some((id, _)) => id.clone(),
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                state.delivered.insert(key, (id.clone(), request));
                id
            }
        };
        state.answered_ids.push(id.clone());
        Json(json!({ "id": id })).into_response()
    }
}

#[tokio::test]
async fn resend_sends_once_per_key_and_maps_its_errors() {
    let (api_url, peer) = resend_peer::start().await;
    let database = TestDatabase::sqlite().await;
    let (config, _dir) = config_with(&[
        ("email_transport", "resend"),
        ("resend_api_key", resend_peer::API_KEY),
        ("resend_api_url", &format!("{api_url}/")),
    ]);
    let mailer = Mailer::new(&config, database.db.clone()).unwrap();
    assert_eq!(mailer.transport_name(), "resend");
    assert!(!format!("{mailer:?}").contains(resend_peer::API_KEY));
    let secrets = [resend_peer::API_KEY];

    // Delivered, with everything Resend needs.
    let email = verify_email("ada@example.com", "en", "verify-email:resend-1");
    mailer.send(&email).await.unwrap();
    {
        let state = peer.lock().unwrap();
        let (_, request) = &state.delivered["verify-email:resend-1"];
        assert_eq!(request["from"], FROM);
        assert_eq!(request["to"], serde_json::json!(["ada@example.com"]));
        assert_eq!(request["subject"], email.subject.as_str());
        assert_eq!(request["html"], email.html.as_str());
        assert_eq!(request["text"], email.text.as_str());
        assert_eq!(
            request["headers"]["X-Entity-Ref-ID"],
            "verify-email:resend-1"
        );
        assert_eq!(request["headers"]["Auto-Submitted"], "auto-generated");
    }

    // The same key again: accepted, and Resend answers with the first delivery.
    mailer.send(&email).await.unwrap();
    {
        let state = peer.lock().unwrap();
        assert_eq!(state.delivered.len(), 1);
        assert_eq!(state.answered_ids.len(), 2);
        assert_eq!(state.answered_ids[0], state.answered_ids[1]);
    }

    // The same key for a different email is a mistake, not a retry.
    let mut changed = email.clone();
    changed.subject = "Another subject".into();
    let err = mailer.send(&changed).await.unwrap_err();
    assert!(
        matches!(&err, EmailError::Rejected { status: 409, code: Some(c), .. } if c == "invalid_idempotent_request"),
        "{err}"
    );
    assert!(!err.is_retryable());
    assert_tells_no_secrets(&err, &changed, &secrets);

    // Validation errors are permanent and keep Resend's explanation.
    let mut untitled = verify_email("ada@example.com", "en", "verify-email:resend-2");
    untitled.subject = String::new();
    let err = mailer.send(&untitled).await.unwrap_err();
    assert!(
        matches!(&err, EmailError::Rejected { status: 422, code: Some(c), .. } if c == "validation_error"),
        "{err}"
    );
    assert!(
        err.to_string().contains("Missing `subject` field."),
        "{err}"
    );
    assert!(!err.is_retryable());
    assert_tells_no_secrets(&err, &untitled, &secrets);

    // Rate limiting is retryable and says when; the send after it goes through.
    peer.lock().unwrap().rate_limited_calls = 2;
    let later = verify_email("bo@example.com", "zh-CN", "verify-email:resend-3");
    for _ in 0..2 {
        let err = mailer.send(&later).await.unwrap_err();
        assert!(matches!(err, EmailError::RateLimited { .. }), "{err}");
        assert!(err.is_retryable());
        assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
        assert_tells_no_secrets(&err, &later, &secrets);
    }
    mailer.send(&later).await.unwrap();
    assert_eq!(peer.lock().unwrap().delivered.len(), 2);

    // A failure on Resend's side is retryable.
    peer.lock().unwrap().failing_calls = 1;
    let next = verify_email("cy@example.com", "en", "verify-email:resend-4");
    let err = mailer.send(&next).await.unwrap_err();
    assert!(
        matches!(err, EmailError::Temporary { status: 500, .. }),
        "{err}"
    );
    assert!(err.is_retryable());
    mailer.send(&next).await.unwrap();

    // A wrong key is permanent, and the key it sent is not repeated even though the
    // peer echoes it.
    let wrong_key = "re_wrong_7Hq2_key";
    let (config, _dir2) = config_with(&[
        ("email_transport", "resend"),
        ("resend_api_key", wrong_key),
        ("resend_api_url", &api_url),
    ]);
    let intruder = Mailer::new(&config, database.db.clone()).unwrap();
    let err = intruder.send(&next).await.unwrap_err();
    assert!(
        matches!(&err, EmailError::Unauthorized { status: 403, code: Some(c), .. } if c == "invalid_api_key"),
        "{err}"
    );
    assert!(!err.is_retryable());
    assert_tells_no_secrets(&err, &next, &[wrong_key]);
    assert_eq!(peer.lock().unwrap().delivered.len(), 3);

    // Nobody answering is retryable.
    let (config, _dir3) = config_with(&[
        ("email_transport", "resend"),
        ("resend_api_key", resend_peer::API_KEY),
        (
            "resend_api_url",
            &format!("http://127.0.0.1:{}", free_port()),
        ),
    ]);
    let unreachable = Mailer::new(&config, database.db.clone()).unwrap();
    let err = unreachable.send(&next).await.unwrap_err();
    assert!(
        matches!(
            err,
            EmailError::Unreachable {
                transport: "resend",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.is_retryable());
    assert_tells_no_secrets(&err, &next, &secrets);
    database.destroy().await;
}

#[tokio::test]
async fn transports_without_their_secret_or_with_a_bad_url_are_refused() {
    let database = TestDatabase::sqlite().await;
    let (mut config, _dir) = config_with(&[]);
    config.email_transport = EmailTransport::Smtp;
    config.smtp_url = None;
    let err = Mailer::new(&config, database.db.clone()).unwrap_err();
    assert!(matches!(err, EmailError::Misconfigured(_)), "{err}");

    config.email_transport = EmailTransport::Resend;
    config.resend_api_key = Some(secrecy::SecretString::from("re_valid_key"));
    config.resend_api_url = "not a url".into();
    let err = Mailer::new(&config, database.db.clone()).unwrap_err();
    assert!(matches!(err, EmailError::Misconfigured(_)), "{err}");

    config.resend_api_url = "https://api.resend.com".into();
    config.resend_api_key = Some(secrecy::SecretString::from("re bad\nkey"));
    let err = Mailer::new(&config, database.db.clone()).unwrap_err();
    assert!(!err.to_string().contains("re bad"), "{err}");
    database.destroy().await;
}

#[test]
fn message_ids_follow_the_idempotency_key() {
    let from: Mailbox = FROM.parse().unwrap();
    let first = message_id("verify-email:1", &from);
    assert_eq!(first, message_id("verify-email:1", &from));
    assert_ne!(first, message_id("verify-email:2", &from));
    assert!(
        first.starts_with("<bn.") && first.ends_with("@banana.test>"),
        "{first}"
    );
}

//! Each transport against the real thing: the outbox on SQLite and PostgreSQL, SMTP against
//! aiosmtpd. (Resend against its local peer is in the integration tests, `tests/it/email.rs`.)

use super::*;
use crate::{config, testing::TestDatabase};
use figment::providers::Serialized;
use std::{
    path::Path,
    process::{Command, Stdio},
    time::Instant,
};
use testkit::db_test;

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

db_test!(outbox_keeps_each_email_once, |db: Db| async move {
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
    |db: Db| async move {
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

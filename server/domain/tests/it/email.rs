//! Resend against a local server speaking its documented protocol ([`testkit::resend`]):
//! one delivery per idempotency key, its errors mapped, no secret ever shown.

use domain::config::{self, Config};
use domain::email::{Email, EmailError, Mailer, Message};
use figment::providers::Serialized;
use std::time::Duration;
use testkit::{TestDatabase, resend};

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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn resend_sends_once_per_key_and_maps_its_errors() {
    let (api_url, peer) = resend::start().await;
    let database = TestDatabase::sqlite().await;
    let (config, _dir) = config_with(&[
        ("email_transport", "resend"),
        ("resend_api_key", resend::API_KEY),
        ("resend_api_url", &format!("{api_url}/")),
    ]);
    let mailer = Mailer::new(&config, database.db.clone()).unwrap();
    assert_eq!(mailer.transport_name(), "resend");
    assert!(!format!("{mailer:?}").contains(resend::API_KEY));
    let secrets = [resend::API_KEY];

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
        ("resend_api_key", resend::API_KEY),
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
}

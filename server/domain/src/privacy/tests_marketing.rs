//! Processing preferences and marketing email on both databases: who gets marketing, the
//! one-click unsubscribe, and the RFC 8058 headers in the outbox and over real SMTP.

use super::{
    marketing::{self, Campaign, Delivery, SkipReason, UnsubscribeError},
    preferences::{self, Preferences},
};
use crate::{
    AppState,
    db::Db,
    email::{OutboxMessage, outbox_list},
    testing::{TestDatabase, insert_user, state_for, state_with},
};
use figment::providers::Serialized;
use testkit::db_test;

fn campaign(id: &str) -> Campaign {
    Campaign {
        id: id.into(),
        subject: "Twelve new styles".into(),
        body: "Watercolour, <b>ink</b> & more.\n\nTry them in the workbench.".into(),
    }
}

async fn person(state: &AppState, name: &str) -> String {
    insert_user(
        &state.db,
        &format!("{name}-{}@example.com", crate::new_id()),
    )
    .await
}

async fn subscribed(state: &AppState, name: &str, at: i64) -> String {
    let id = person(state, name).await;
    preferences::set_marketing(state, &id, true, "settings", at)
        .await
        .unwrap();
    id
}

async fn marketing_mail(db: &Db) -> Vec<OutboxMessage> {
    outbox_list(db, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "marketing")
        .collect()
}

async fn audit_actions(db: &Db, subject: &str) -> Vec<(String, String)> {
    crate::audit::for_subject(db, subject, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.detail))
        .collect()
}

db_test!(
    preferences_start_empty_and_each_change_is_audited,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let id = person(&state, "ada").await;
        assert_eq!(
            preferences::get(&db, &id).await.unwrap(),
            Preferences::default(),
            "nothing restricted, marketing off until chosen"
        );
        assert!(!preferences::limits_processing(&db, &id).await);

        let now = 1_900_000_000_000;
        let p = preferences::set_restricted(&state, &id, true, now)
            .await
            .unwrap();
        assert!(p.restricted && p.limits_processing() && !p.allows_marketing());
        assert!(preferences::limits_processing(&db, &id).await);
        // Repeating a choice changes nothing and leaves no second entry.
        preferences::set_restricted(&state, &id, true, now + 1)
            .await
            .unwrap();
        let restricted_at: Option<i64> =
            sqlx::query_scalar("SELECT restricted_at FROM privacy_preferences WHERE user_id = $1")
                .bind(&id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(restricted_at, Some(now), "the restriction keeps its start");
        preferences::set_restricted(&state, &id, false, now + 2)
            .await
            .unwrap();
        assert!(!preferences::limits_processing(&db, &id).await);

        preferences::set_objected(&state, &id, true, now + 3)
            .await
            .unwrap();
        assert!(preferences::limits_processing(&db, &id).await);
        preferences::set_objected(&state, &id, false, now + 4)
            .await
            .unwrap();

        let p = preferences::set_marketing(&state, &id, true, "settings", now + 5)
            .await
            .unwrap();
        assert!(p.marketing && p.allows_marketing());
        let p = preferences::set_marketing(&state, &id, false, "settings", now + 6)
            .await
            .unwrap();
        assert_eq!(p, Preferences::default());
        let (opt_in, opt_out): (Option<i64>, Option<i64>) = {
            use sqlx::Row;
            let row = sqlx::query(
                "SELECT marketing_opt_in_at, marketing_opt_out_at FROM privacy_preferences \
             WHERE user_id = $1",
            )
            .bind(&id)
            .fetch_one(db.pool())
            .await
            .unwrap();
            (row.get(0), row.get(1))
        };
        assert_eq!((opt_in, opt_out), (None, Some(now + 6)));

        // Entries written in the same millisecond have no order; compare them as a set.
        let mut actions = audit_actions(&db, &id).await;
        actions.sort();
        let expected: Vec<(String, String)> = [
            (
                "privacy.marketing_changed",
                r#"{"on":false,"source":"settings"}"#,
            ),
            (
                "privacy.marketing_changed",
                r#"{"on":true,"source":"settings"}"#,
            ),
            ("privacy.objection_changed", r#"{"on":false}"#),
            ("privacy.objection_changed", r#"{"on":true}"#),
            ("privacy.restriction_changed", r#"{"on":false}"#),
            ("privacy.restriction_changed", r#"{"on":true}"#),
        ]
        .into_iter()
        .map(|(a, d)| (a.to_string(), d.to_string()))
        .collect();
        assert_eq!(actions, expected);
    }
);

db_test!(
    marketing_goes_only_to_people_who_may_get_it,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let now = 1_900_000_000_000;
        let ada = subscribed(&state, "ada", now).await;
        let never = person(&state, "never").await;
        let restricted = subscribed(&state, "restricted", now).await;
        preferences::set_restricted(&state, &restricted, true, now)
            .await
            .unwrap();
        let objecting = subscribed(&state, "objecting", now).await;
        preferences::set_objected(&state, &objecting, true, now)
            .await
            .unwrap();
        let left = subscribed(&state, "left", now).await;
        sqlx::query("UPDATE users SET deleted_at = $2, purge_after = $3 WHERE id = $1")
            .bind(&left)
            .bind(now)
            .bind(now + 1)
            .execute(db.pool())
            .await
            .unwrap();
        let unconfirmed = subscribed(&state, "unconfirmed", now).await;
        sqlx::query("UPDATE users SET email_verified_at = NULL WHERE id = $1")
            .bind(&unconfirmed)
            .execute(db.pool())
            .await
            .unwrap();

        let spring = campaign("spring-2027");
        let send = |id: String| {
            let state = state.clone();
            let spring = spring.clone();
            async move { marketing::send(&state, &id, &spring, now).await.unwrap() }
        };
        assert_eq!(send(ada.clone()).await, Delivery::Sent);
        assert_eq!(
            send(never.clone()).await,
            Delivery::Skipped(SkipReason::NotOptedIn)
        );
        assert_eq!(
            send(restricted).await,
            Delivery::Skipped(SkipReason::Limited)
        );
        assert_eq!(
            send(objecting).await,
            Delivery::Skipped(SkipReason::Limited)
        );
        assert_eq!(send(left).await, Delivery::Skipped(SkipReason::Deleted));
        assert_eq!(
            send(unconfirmed).await,
            Delivery::Skipped(SkipReason::Unverified)
        );
        assert_eq!(
            send("no-such-person".into()).await,
            Delivery::Skipped(SkipReason::Unknown)
        );
        // Consent counts from when it was given, not before.
        assert_eq!(
            marketing::send(&state, &ada, &campaign("earlier"), now - 1)
                .await
                .unwrap(),
            Delivery::Skipped(SkipReason::NotOptedIn)
        );

        let mail = marketing_mail(&db).await;
        assert_eq!(mail.len(), 1, "only Ada got it");
        let message = &mail[0];
        assert!(message.to_address.starts_with("ada-"));
        assert_eq!(message.subject, "Twelve new styles");
        assert_eq!(
            message.idempotency_key,
            format!("marketing/spring-2027/{ada}")
        );
        // RFC 8058: a one-click HTTPS unsubscribe, carried as headers.
        let link = marketing::unsubscribe_link(&state, &ada);
        assert!(
            link.starts_with("http://banana.test/unsubscribe?token="),
            "{link}"
        );
        assert_eq!(
            message.header("list-unsubscribe").as_deref(),
            Some(format!("<{link}>").as_str())
        );
        assert_eq!(
            message.header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        // And visibly: the unsubscribe link and the preference centre, the body escaped.
        assert!(message.html.contains(&crate::escape_html(&link)));
        assert!(message.text.contains(&link));
        assert!(message.html.contains("http://banana.test/settings/privacy"));
        assert!(message.html.contains("&lt;b&gt;ink&lt;/b&gt; &amp; more."));
        assert!(!message.html.contains("<b>ink</b>"));

        // Service email carries no unsubscribe header.
        state
            .mailer
            .send_message(
                "ada@example.com",
                &crate::email::Message::PasswordChanged { name: "Ada".into() },
                "en",
                "password-changed:1",
            )
            .await
            .unwrap();
        let service = outbox_list(&db, 10)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.kind == "password_changed")
            .unwrap();
        assert_eq!(service.header("List-Unsubscribe"), None);
        assert_eq!(service.headers, "{}");

        // A malformed campaign is refused before anyone is looked at.
        let bad = Campaign {
            id: "has space".into(),
            ..campaign("x")
        };
        assert!(matches!(
            marketing::send(&state, &ada, &bad, now).await,
            Err(marketing::MarketingError::InvalidCampaign(_))
        ));
    }
);

db_test!(
    a_campaign_reaches_each_subscriber_once,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let now = 1_900_000_000_000;
        let ada = subscribed(&state, "ada", now).await;
        let bo = subscribed(&state, "bo", now).await;
        person(&state, "never").await;
        let limited = subscribed(&state, "limited", now).await;
        preferences::set_objected(&state, &limited, true, now)
            .await
            .unwrap();

        let report = marketing::send_campaign(&state, &campaign("launch"), now)
            .await
            .unwrap();
        assert_eq!((report.sent, report.failed), (2, 0), "{report:?}");
        // Running it again keeps one email per person: the key is (campaign, person).
        marketing::send_campaign(&state, &campaign("launch"), now)
            .await
            .unwrap();
        let mail = marketing_mail(&db).await;
        assert_eq!(mail.len(), 2);
        let mut keys: Vec<String> = mail.into_iter().map(|m| m.idempotency_key).collect();
        keys.sort();
        let mut expected = vec![
            format!("marketing/launch/{ada}"),
            format!("marketing/launch/{bo}"),
        ];
        expected.sort();
        assert_eq!(keys, expected);
        // A new campaign is a new email.
        marketing::send_campaign(&state, &campaign("summer"), now)
            .await
            .unwrap();
        assert_eq!(marketing_mail(&db).await.len(), 4);
    }
);

db_test!(
    unsubscribing_is_one_click_idempotent_and_unforgeable,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let now = 1_900_000_000_000;
        let ada = subscribed(&state, "ada", now).await;
        let bo = subscribed(&state, "bo", now).await;
        let token = marketing::unsubscribe_token(&state, &ada);
        assert_eq!(marketing::verify_token(&state, &token), Some(ada.clone()));

        // Bo's id with Ada's proof, a truncated proof, or another server's token: refused.
        let (_, mac) = token.rsplit_once('.').unwrap();
        for forged in [
            format!("{bo}.{mac}"),
            token[..token.len() - 1].to_string(),
            String::new(),
            "no-dot".to_string(),
        ] {
            assert!(matches!(
                marketing::unsubscribe(&state, &forged, now).await,
                Err(UnsubscribeError::InvalidToken)
            ));
        }
        let (elsewhere, _dir2) = state_for(db.clone());
        assert_eq!(marketing::verify_token(&elsewhere, &token), None);
        assert!(preferences::get(&db, &bo).await.unwrap().marketing);

        let first = marketing::unsubscribe(&state, &token, now + 10)
            .await
            .unwrap();
        assert_eq!(
            (first.user_id.as_str(), first.changed),
            (ada.as_str(), true)
        );
        let again = marketing::unsubscribe(&state, &token, now + 20)
            .await
            .unwrap();
        assert!(!again.changed, "a second click changes nothing");
        assert!(!preferences::get(&db, &ada).await.unwrap().marketing);
        let changes: Vec<String> = audit_actions(&db, &ada)
            .await
            .into_iter()
            .filter(|(action, _)| action == "privacy.marketing_changed")
            .map(|(_, detail)| detail)
            .collect();
        assert_eq!(changes.len(), 2, "opted in, then out once: {changes:?}");
        assert!(
            changes.contains(&r#"{"on":false,"source":"unsubscribe"}"#.to_string()),
            "{changes:?}"
        );
        assert_eq!(
            marketing::send(&state, &ada, &campaign("after"), now + 30)
                .await
                .unwrap(),
            Delivery::Skipped(SkipReason::NotOptedIn)
        );
        assert_eq!(
            marketing::locale_of_token(&state, &token).await.as_deref(),
            Some("en")
        );
    }
);

// ---------------------------------------------------------------------------------------
// Over real SMTP (aiosmtpd)

/// aiosmtpd storing what it accepts in a Maildir, killed when dropped.
struct Smtp {
    child: std::process::Child,
    port: u16,
    python: String,
    dir: tempfile::TempDir,
}

impl Smtp {
    async fn start() -> Smtp {
        let python =
            std::env::var(crate::testing::TEST_PYTHON).unwrap_or_else(|_| "python3".into());
        let importable = std::process::Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .output()
            .is_ok_and(|out| out.status.success());
        assert!(
            importable,
            "aiosmtpd is not importable by `{python}`: run scripts/test, which installs it \
             into ~/.cache/banana-nano/python and points TEST_PYTHON at it"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let child = std::process::Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        let smtp = Smtp {
            child,
            port,
            python,
            dir,
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                std::time::Instant::now() < deadline,
                "aiosmtpd did not listen"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        smtp
    }

    /// The headers of every message received, as Python's email parser reads them.
    fn headers(&self) -> Vec<serde_json::Value> {
        const PARSE: &str = r#"
import email, json, os, sys
from email import policy
out = []
d = os.path.join(sys.argv[1], "new")
for name in sorted(os.listdir(d) if os.path.isdir(d) else []):
    with open(os.path.join(d, name), "rb") as f:
        m = email.message_from_binary_file(f, policy=policy.default)
    out.append({k.lower(): str(v) for k, v in m.items()})
print(json.dumps(out))
"#;
        let out = std::process::Command::new(&self.python)
            .args(["-c", PARSE])
            .arg(self.dir.path().join("mail"))
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

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn smtp_marketing_email_carries_the_one_click_headers() {
    let smtp = Smtp::start().await;
    let database = TestDatabase::sqlite().await;
    let url = format!("smtp://127.0.0.1:{}?tls=none", smtp.port);
    let (state, _dir) = state_with(database.db.clone(), |figment| {
        figment
            .merge(Serialized::default("email_transport", "smtp"))
            .merge(Serialized::default("smtp_url", url.clone()))
    });
    let now = 1_900_000_000_000;
    let ada = subscribed(&state, "ada", now).await;
    assert_eq!(
        marketing::send(&state, &ada, &campaign("smtp-1"), now)
            .await
            .unwrap(),
        Delivery::Sent
    );
    let received = smtp.headers();
    assert_eq!(received.len(), 1);
    let headers = &received[0];
    let link = marketing::unsubscribe_link(&state, &ada);
    assert_eq!(headers["list-unsubscribe"], format!("<{link}>").as_str());
    assert_eq!(
        headers["list-unsubscribe-post"],
        "List-Unsubscribe=One-Click"
    );
    assert_eq!(
        headers["x-entity-ref-id"],
        format!("marketing/smtp-1/{ada}").as_str()
    );
    assert_eq!(headers["subject"], "Twelve new styles");
}

#[tokio::test]
async fn resend_marketing_email_carries_the_one_click_headers() {
    use axum::{Json, Router, extract::State, routing::post};
    use std::sync::{Arc, Mutex};
    type Seen = Arc<Mutex<Vec<serde_json::Value>>>;
    // Answers `POST /emails` as Resend does and keeps each request's JSON.
    async fn emails(
        State(seen): State<Seen>,
        Json(request): Json<serde_json::Value>,
    ) -> Json<serde_json::Value> {
        seen.lock().unwrap().push(request);
        Json(serde_json::json!({ "id": crate::new_id() }))
    }
    let seen = Seen::default();
    let app = Router::new()
        .route("/emails", post(emails))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let database = TestDatabase::sqlite().await;
    let (state, _dir) = state_with(database.db.clone(), |figment| {
        figment
            .merge(Serialized::default("email_transport", "resend"))
            .merge(Serialized::default("resend_api_key", "re_test_key"))
            .merge(Serialized::default("resend_api_url", api_url.clone()))
    });
    let now = 1_900_000_000_000;
    let ada = subscribed(&state, "ada", now).await;
    assert_eq!(
        marketing::send(&state, &ada, &campaign("resend-1"), now)
            .await
            .unwrap(),
        Delivery::Sent
    );
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    let headers = &requests[0]["headers"];
    let link = marketing::unsubscribe_link(&state, &ada);
    assert_eq!(headers["List-Unsubscribe"], format!("<{link}>").as_str());
    assert_eq!(
        headers["List-Unsubscribe-Post"],
        "List-Unsubscribe=One-Click"
    );
    assert_eq!(
        headers["X-Entity-Ref-ID"],
        format!("marketing/resend-1/{ada}").as_str()
    );
}

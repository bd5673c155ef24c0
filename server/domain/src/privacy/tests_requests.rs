//! Rights requests on both databases: verification by login or by the emailed link, the
//! 30-day clock, the one extension, who may see a request, and how requests end.

use super::requests::{self, NewRequest, RequestError, RequestKind, RequestStatus};
use super::{REQUEST_DEADLINE, REQUEST_EXTENSION};
use crate::{
    AppState, audit,
    db::Db,
    email::{OutboxMessage, outbox_latest_to},
    testing::{insert_user, state_for, state_with, token_in},
};
use figment::providers::Serialized;
use testkit::db_test;

const DAY_MS: i64 = 24 * 3600 * 1000;
/// A fixed moment, so due dates are exact.
const T0: i64 = 1_800_000_000_000;

fn deadline() -> i64 {
    REQUEST_DEADLINE.as_millis() as i64
}

fn new_request(kind: &str, email: &str, signed_in_user: Option<&str>) -> NewRequest {
    NewRequest {
        kind: kind.into(),
        email: email.into(),
        details: "Please include my prompts.".into(),
        locale: "en".into(),
        signed_in_user: signed_in_user.map(str::to_owned),
        ip: Some("203.0.113.9".into()),
    }
}

async fn last_email(db: &Db, to: &str) -> OutboxMessage {
    outbox_latest_to(db, to)
        .await
        .unwrap()
        .expect("an email to the address")
}

async fn stored(db: &Db, id: &str) -> requests::PrivacyRequest {
    requests::get(db, id).await.unwrap().expect("the request")
}

/// A request confirmed through its emailed link at `verified_at`; returns its id and
/// status token.
async fn verified_request(
    state: &AppState,
    email: &str,
    kind: &str,
    verified_at: i64,
) -> (String, String) {
    let submitted = requests::submit(state, new_request(kind, email, None), T0)
        .await
        .unwrap();
    let token = token_in(&last_email(&state.db, email).await.text);
    let verified = requests::verify(state, &token, verified_at).await.unwrap();
    assert_eq!(verified.id, submitted.id);
    (verified.id, verified.status_token)
}

db_test!(
    a_signed_in_request_is_verified_at_once_and_due_in_thirty_days,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let user = insert_user(&db, "ada@example.com").await;
        let submitted = requests::submit(
            &state,
            new_request("access", "Ada@Example.com", Some(&user)),
            T0,
        )
        .await
        .unwrap();
        assert_eq!(submitted.status, RequestStatus::Open);
        let token = submitted.status_token.clone().expect("a status link");

        let request = stored(&db, &submitted.id).await;
        assert_eq!(request.verified_by.as_deref(), Some("login"));
        assert_eq!(request.verified_at, Some(T0));
        assert_eq!(request.due_at, Some(T0 + deadline()));
        assert_eq!(request.due_at, Some(T0 + 30 * DAY_MS));
        assert_eq!(request.user_id.as_deref(), Some(user.as_str()));
        assert_eq!(request.email, "ada@example.com");

        let email = last_email(&db, "ada@example.com").await;
        assert_eq!(email.kind, "privacy_request_received");
        assert!(
            email.text.contains(&requests::due_date(T0 + deadline())),
            "{}",
            email.text
        );
        assert!(email.text.contains(&format!(
            "http://banana.test/privacy/requests/{}?token={token}",
            submitted.id
        )));
        assert_eq!(token_in(&email.text), token);

        let view = requests::status(&state, &submitted.id, Some(&token), None)
            .await
            .unwrap();
        assert_eq!(view.kind, RequestKind::Access);
        assert_eq!(view.due_at, Some(T0 + deadline()));
        let mine = requests::list_for_user(&db, &user).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].id, submitted.id);
        assert!(!mine[0].extended);

        let audit = audit::for_subject(&db, &user, 10).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "privacy_request.submitted")
        );
    }
);

db_test!(
    signed_in_with_another_address_the_address_must_confirm,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let user = insert_user(&db, "ada@example.com").await;
        let submitted = requests::submit(
            &state,
            new_request("delete", "someone@example.com", Some(&user)),
            T0,
        )
        .await
        .unwrap();
        assert_eq!(submitted.status, RequestStatus::Unverified);
        assert!(submitted.status_token.is_none());
        let request = stored(&db, &submitted.id).await;
        assert_eq!(request.user_id, None, "not linked to the signed-in account");
        assert_eq!(request.due_at, None);
        let email = last_email(&db, "someone@example.com").await;
        assert_eq!(email.kind, "privacy_request_verify");
    }
);

db_test!(
    a_request_written_in_waits_for_its_link_and_the_clock_starts_there,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let owner = insert_user(&db, "ada@example.com").await;
        let with_account =
            requests::submit(&state, new_request("delete", "ada@example.com", None), T0)
                .await
                .unwrap();
        let without_account = requests::submit(
            &state,
            new_request("delete", "nobody@example.com", None),
            T0,
        )
        .await
        .unwrap();
        // The answer does not tell whether the address has an account.
        for submitted in [&with_account, &without_account] {
            assert_eq!(submitted.status, RequestStatus::Unverified);
            assert!(submitted.status_token.is_none());
            let request = stored(&db, &submitted.id).await;
            assert_eq!(request.status, RequestStatus::Unverified);
            assert_eq!((request.due_at, request.verified_at), (None, None));
            assert_eq!(request.user_id, None);
        }
        let first = last_email(&db, "ada@example.com").await;
        let second = last_email(&db, "nobody@example.com").await;
        assert_eq!(first.kind, "privacy_request_verify");
        assert_eq!(first.subject, second.subject);
        assert!(
            first
                .text
                .contains("http://banana.test/privacy/requests/verify?token=")
        );
        let token = token_in(&first.text);

        let pending = requests::pending(&state, &token, T0 + DAY_MS)
            .await
            .unwrap();
        assert_eq!(pending.id, with_account.id);
        assert!(!pending.verified);
        assert_eq!(
            stored(&db, &with_account.id).await.status,
            RequestStatus::Unverified
        );

        let verified_at = T0 + 3 * DAY_MS;
        let verified = requests::verify(&state, &token, verified_at).await.unwrap();
        assert_eq!(verified.id, with_account.id);
        let request = stored(&db, &with_account.id).await;
        assert_eq!(request.status, RequestStatus::Open);
        assert_eq!(request.verified_by.as_deref(), Some("email"));
        assert_eq!(request.verified_at, Some(verified_at));
        assert_eq!(request.due_at, Some(verified_at + deadline()));
        assert_eq!(
            request.user_id.as_deref(),
            Some(owner.as_str()),
            "linked to the account"
        );

        let received = last_email(&db, "ada@example.com").await;
        assert_eq!(received.kind, "privacy_request_received");
        assert!(
            received
                .text
                .contains(&requests::due_date(verified_at + deadline()))
        );
        assert_eq!(token_in(&received.text), verified.status_token);
        requests::status(&state, &verified.id, Some(&verified.status_token), None)
            .await
            .unwrap();

        // Following the link again changes nothing.
        let again = requests::verify(&state, &token, verified_at + DAY_MS)
            .await
            .unwrap();
        assert_eq!(again.id, with_account.id);
        assert_eq!(
            stored(&db, &with_account.id).await.due_at,
            Some(verified_at + deadline())
        );
        assert!(
            requests::pending(&state, &token, verified_at)
                .await
                .unwrap()
                .verified
        );

        let unlinked = last_email(&db, "nobody@example.com").await;
        let verified = requests::verify(&state, &token_in(&unlinked.text), verified_at)
            .await
            .unwrap();
        assert_eq!(stored(&db, &verified.id).await.user_id, None);
    }
);

db_test!(wrong_and_expired_links_are_refused, |db: Db| async move {
    let (state, _dir) = state_for(db.clone());
    let submitted = requests::submit(&state, new_request("port", "bo@example.com", None), T0)
        .await
        .unwrap();
    let token = token_in(&last_email(&db, "bo@example.com").await.text);

    for wrong in ["", "not-a-token", &token[..token.len() - 1]] {
        assert!(matches!(
            requests::verify(&state, wrong, T0 + 1).await,
            Err(RequestError::LinkInvalid)
        ));
    }
    let expiry = T0 + requests::VERIFY_LINK_LIFETIME.as_millis() as i64;
    assert!(matches!(
        requests::verify(&state, &token, expiry + 1).await,
        Err(RequestError::LinkExpired)
    ));
    assert!(matches!(
        requests::pending(&state, &token, expiry + 1).await,
        Err(RequestError::LinkExpired)
    ));
    assert_eq!(
        stored(&db, &submitted.id).await.status,
        RequestStatus::Unverified
    );
    // A wrong secret shows nothing either.
    assert!(matches!(
        requests::status(&state, &submitted.id, Some("not-a-token"), None).await,
        Err(RequestError::NotFound)
    ));

    // Unconfirmed past the link's life, the request is forgotten.
    assert_eq!(requests::forget_unverified(&db, expiry).await.unwrap(), 0);
    assert_eq!(
        requests::forget_unverified(&db, expiry + 1).await.unwrap(),
        1
    );
    assert!(requests::get(&db, &submitted.id).await.unwrap().is_none());
});

db_test!(
    one_extension_moves_the_due_date_with_notice_and_a_second_is_refused,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let operator = insert_user(&db, "operator@example.com").await;
        let verified_at = T0 + DAY_MS;
        let (id, token) = verified_request(&state, "cy@example.com", "access", verified_at).await;
        let due = verified_at + deadline();

        let extended = requests::extend(
            &state,
            &id,
            "  Your archive spans six years of images.  ",
            &operator,
            verified_at + 20 * DAY_MS,
        )
        .await
        .unwrap();
        let new_due = due + REQUEST_EXTENSION.as_millis() as i64;
        assert_eq!(new_due, due + 30 * DAY_MS);
        assert_eq!(extended.due_at, Some(new_due));
        assert_eq!(extended.status, RequestStatus::Extended);
        let request = stored(&db, &id).await;
        assert_eq!(request.due_at, Some(new_due));
        assert_eq!(request.extended_at, Some(verified_at + 20 * DAY_MS));
        assert_eq!(
            request.extension_reason.as_deref(),
            Some("Your archive spans six years of images.")
        );

        let notice = last_email(&db, "cy@example.com").await;
        assert_eq!(notice.kind, "privacy_request_extended");
        assert!(
            notice.text.contains(&requests::due_date(new_due)),
            "{}",
            notice.text
        );
        assert!(
            notice
                .text
                .contains("Your archive spans six years of images.")
        );

        let view = requests::status(&state, &id, Some(&token), None)
            .await
            .unwrap();
        assert_eq!(view.due_at, Some(new_due));
        assert_eq!(
            view.extension_reason.as_deref(),
            Some("Your archive spans six years of images.")
        );

        assert!(matches!(
            requests::extend(
                &state,
                &id,
                "More time",
                &operator,
                verified_at + 21 * DAY_MS
            )
            .await,
            Err(RequestError::AlreadyExtended)
        ));
        assert_eq!(stored(&db, &id).await.due_at, Some(new_due));
        assert_eq!(
            last_email(&db, "cy@example.com").await.id,
            notice.id,
            "no second notice"
        );

        // A reason is required, and an extension cannot come after the deadline it moves.
        let (late, _) = verified_request(&state, "di@example.com", "delete", verified_at).await;
        assert!(matches!(
            requests::extend(&state, &late, "   ", &operator, verified_at).await,
            Err(RequestError::NoteMissing)
        ));
        assert!(matches!(
            requests::extend(&state, &late, "Complex", &operator, due + 1).await,
            Err(RequestError::PastDue)
        ));
        assert_eq!(stored(&db, &late).await.status, RequestStatus::Open);
    }
);

db_test!(
    a_request_is_seen_with_its_link_or_by_its_owner_only,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let owner = insert_user(&db, "ed@example.com").await;
        let stranger = insert_user(&db, "fay@example.com").await;
        let (id, token) = verified_request(&state, "ed@example.com", "restrict", T0).await;
        let (other, other_token) = verified_request(&state, "gus@example.com", "object", T0).await;

        let view = requests::status(&state, &id, Some(&token), None)
            .await
            .unwrap();
        assert_eq!(view.status, RequestStatus::Open);
        assert_eq!(view.kind, RequestKind::Restrict);
        assert_eq!(view.created_at, T0);
        requests::status(&state, &id, None, Some(&owner))
            .await
            .unwrap();
        // A wrong link does not hide the request from its signed-in owner.
        requests::status(&state, &id, Some("wrong"), Some(&owner))
            .await
            .unwrap();

        for (token, user) in [
            (None, Some(stranger.as_str())),
            (Some("wrong"), None),
            (Some(other_token.as_str()), None),
            (None, None),
        ] {
            assert!(
                matches!(
                    requests::status(&state, &id, token, user).await,
                    Err(RequestError::NotFound)
                ),
                "{token:?} {user:?}"
            );
        }
        assert!(matches!(
            requests::status(&state, &crate::new_id(), Some(&token), Some(&owner)).await,
            Err(RequestError::NotFound)
        ));
        requests::status(&state, &other, Some(&other_token), None)
            .await
            .unwrap();
        assert!(
            requests::list_for_user(&db, &stranger)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

db_test!(
    completing_and_refusing_close_a_request_with_an_answer_and_an_audit_entry,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let operator = insert_user(&db, "operator@example.com").await;
        let owner = insert_user(&db, "hal@example.com").await;
        let (done, _) = verified_request(&state, "hal@example.com", "correct", T0).await;
        let (refused, _) = verified_request(&state, "hal@example.com", "delete", T0 + 1).await;
        let (late, _) = verified_request(&state, "ivy@example.com", "access", T0).await;

        assert!(matches!(
            requests::complete(&state, &done, "", &operator, T0 + DAY_MS).await,
            Err(RequestError::NoteMissing)
        ));
        let closed = requests::complete(
            &state,
            &done,
            "Your display name now reads Hal.",
            &operator,
            T0 + DAY_MS,
        )
        .await
        .unwrap();
        assert_eq!(closed.status, RequestStatus::Completed);
        assert_eq!(closed.closed_at, Some(T0 + DAY_MS));
        let answer = last_email(&db, "hal@example.com").await;
        assert_eq!(answer.kind, "privacy_request_closed");
        assert!(answer.text.contains("Your display name now reads Hal."));

        requests::refuse(
            &state,
            &refused,
            "Invoices are kept for tax law.",
            &operator,
            T0 + 2 * DAY_MS,
        )
        .await
        .unwrap();
        let answer = last_email(&db, "hal@example.com").await;
        assert!(answer.text.contains("Invoices are kept for tax law."));
        assert!(answer.text.contains("supervisory authority"));

        for id in [&done, &refused] {
            assert!(matches!(
                requests::complete(&state, id, "Again", &operator, T0 + 3 * DAY_MS).await,
                Err(RequestError::NotOpen)
            ));
            assert!(matches!(
                requests::extend(&state, id, "Again", &operator, T0 + 3 * DAY_MS).await,
                Err(RequestError::NotOpen)
            ));
        }
        let view = requests::status(&state, &refused, None, Some(&owner))
            .await
            .unwrap();
        assert_eq!(view.status, RequestStatus::Refused);
        assert_eq!(
            view.resolution.as_deref(),
            Some("Invoices are kept for tax law.")
        );

        let audit = audit::for_subject(&db, &owner, 20).await.unwrap();
        for action in ["privacy_request.completed", "privacy_request.refused"] {
            let entry = audit.iter().find(|e| e.action == action).expect(action);
            assert_eq!(entry.actor_id.as_deref(), Some(operator.as_str()));
        }
        let mine = requests::list_for_user(&db, &owner).await.unwrap();
        assert_eq!(
            mine.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            vec![refused.as_str(), done.as_str()],
            "newest first"
        );

        // The operators' queue: open requests past due, not the answered ones.
        let due = T0 + deadline();
        assert!(requests::overdue(&db, due).await.unwrap().is_empty());
        let overdue = requests::overdue(&db, due + 1).await.unwrap();
        assert_eq!(
            overdue.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            vec![late.as_str()]
        );
        assert_eq!(overdue[0].email, "ivy@example.com");
    }
);

db_test!(requests_are_checked_and_limited, |db: Db| async move {
    let (state, _dir) = state_for(db.clone());
    let refused = |kind: &str, email: &str, details: &str| {
        let state = state.clone();
        let request = NewRequest {
            details: details.into(),
            ..new_request(kind, email, None)
        };
        async move { requests::submit(&state, request, T0).await.unwrap_err() }
    };
    assert!(matches!(
        refused("erase-everything", "jo@example.com", "").await,
        RequestError::UnknownKind
    ));
    assert!(matches!(
        refused("access", "not an address", "").await,
        RequestError::Email
    ));
    assert!(matches!(
        refused("correct", "jo@example.com", "  \n ").await,
        RequestError::DetailsMissing
    ));
    assert!(matches!(
        refused(
            "access",
            "jo@example.com",
            &"x".repeat(requests::MAX_DETAILS + 1)
        )
        .await,
        RequestError::DetailsTooLong
    ));
    assert!(
        outbox_latest_to(&db, "jo@example.com")
            .await
            .unwrap()
            .is_none()
    );

    // A mailbox gets a handful of confirmations a day, whoever asks.
    for n in 0..requests::SUBMIT_EMAIL.hits {
        let request = NewRequest {
            ip: Some(format!("198.51.100.{n}")),
            ..new_request("access", "kim@example.com", None)
        };
        requests::submit(&state, request, T0).await.unwrap();
    }
    let request = NewRequest {
        ip: Some("198.51.100.200".into()),
        ..new_request("access", "KIM@example.com", None)
    };
    assert!(matches!(
        requests::submit(&state, request, T0).await,
        Err(RequestError::Limited { .. })
    ));
});

db_test!(
    a_request_whose_email_cannot_be_sent_is_not_kept,
    |db: Db| async move {
        // Nothing listens on port 9 of this machine: every send fails at once.
        let (state, _dir) = state_with(db.clone(), |figment| {
            figment
                .merge(Serialized::default("email_transport", "smtp"))
                .merge(Serialized::default(
                    "smtp_url",
                    "smtp://127.0.0.1:9?tls=none",
                ))
        });
        let error = requests::submit(&state, new_request("access", "lu@example.com", None), T0)
            .await
            .unwrap_err();
        assert!(matches!(error, RequestError::Internal(_)));
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM privacy_requests")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(left, 0);

        // An extension or an answer the person was not told of is undone.
        let (working, _dir2) = state_for(db.clone());
        let operator = insert_user(&db, "operator@example.com").await;
        let (id, _) = verified_request(&working, "mo@example.com", "access", T0).await;
        assert!(matches!(
            requests::extend(&state, &id, "Complex", &operator, T0 + DAY_MS).await,
            Err(RequestError::Internal(_))
        ));
        let request = stored(&db, &id).await;
        assert_eq!(request.status, RequestStatus::Open);
        assert_eq!(request.due_at, Some(T0 + deadline()));
        assert_eq!(request.extension_reason, None);
        assert!(matches!(
            requests::refuse(&state, &id, "No", &operator, T0 + DAY_MS).await,
            Err(RequestError::Internal(_))
        ));
        let request = stored(&db, &id).await;
        assert_eq!(request.status, RequestStatus::Open);
        assert_eq!((request.resolution, request.closed_at), (None, None));
        // … and can then be done for real.
        requests::extend(&working, &id, "Complex", &operator, T0 + DAY_MS)
            .await
            .unwrap();
    }
);

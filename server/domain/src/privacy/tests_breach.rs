//! Breach notices on both databases: each affected person is told once, whatever their
//! marketing choice, and the record shows who was told when.

use super::{
    DataCategory,
    breach::{self, BreachError, NotifyReport},
    preferences,
};
use crate::{
    db::Db,
    email::outbox_list,
    testing::{insert_user, state_for},
};
use testkit::db_test;

db_test!(
    each_affected_person_is_told_once_even_without_marketing,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let detected = 1_900_000_000_000;
        let now = detected + 3_600_000;
        let ada = insert_user(&db, "ada@example.com").await;
        let bo = insert_user(&db, "bo@example.com").await;
        let cy = insert_user(&db, "cy@example.com").await;
        // Ada unsubscribed from marketing; Cy restricted processing. A breach notice is a
        // service notice: both still get it.
        preferences::set_marketing(&state, &ada, true, "settings", now)
            .await
            .unwrap();
        preferences::set_marketing(&state, &ada, false, "unsubscribe", now)
            .await
            .unwrap();
        preferences::set_restricted(&state, &cy, true, now)
            .await
            .unwrap();

        let incident = breach::record_incident(
            &state,
            "  A backup of the accounts table was readable by an outside party for two hours.  ",
            &[
                DataCategory::OrdersPayments,
                DataCategory::Account,
                DataCategory::Account,
            ],
            detected,
            now,
        )
        .await
        .unwrap();
        let recorded = breach::incident(&db, &incident).await.unwrap().unwrap();
        assert_eq!(
            recorded.summary,
            "A backup of the accounts table was readable by an outside party for two hours."
        );
        assert_eq!(
            recorded.categories,
            [DataCategory::Account, DataCategory::OrdersPayments]
        );
        assert_eq!(recorded.detected_at, detected);

        let first = breach::notify_affected(
            &state,
            &incident,
            &[
                ada.clone(),
                bo.clone(),
                ada.clone(),
                "no-such-person".into(),
            ],
            now,
        )
        .await
        .unwrap();
        assert_eq!(
            first,
            NotifyReport {
                notified: 2,
                already: 0,
                unknown: 1,
                failed: 0
            }
        );
        // Called again, with one more person: only the new one is told.
        let second = breach::notify_affected(
            &state,
            &incident,
            &[ada.clone(), bo.clone(), cy.clone()],
            now + 60_000,
        )
        .await
        .unwrap();
        assert_eq!((second.notified, second.already), (1, 2));

        let notices = breach::notices(&db, &incident).await.unwrap();
        let mut told: Vec<(String, i64)> = notices
            .iter()
            .map(|n| (n.user_id.clone(), n.notified_at))
            .collect();
        told.sort();
        let mut expected = vec![
            (ada.clone(), now),
            (bo.clone(), now),
            (cy.clone(), now + 60_000),
        ];
        expected.sort();
        assert_eq!(told, expected, "who was told, and when");

        let mail: Vec<_> = outbox_list(&db, 50)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == "breach_notice")
            .collect();
        assert_eq!(mail.len(), 3, "one email per person");
        let to_ada = mail
            .iter()
            .find(|m| m.to_address == "ada@example.com")
            .unwrap();
        assert_eq!(to_ada.idempotency_key, format!("breach/{incident}/{ada}"));
        assert!(
            to_ada
                .text
                .contains("readable by an outside party for two hours")
        );
        assert!(
            to_ada
                .text
                .contains("account details, orders and payment records"),
            "{}",
            to_ada.text
        );
        assert!(
            to_ada.text.contains("2030-03-17"),
            "the day it was detected: {}",
            to_ada.text
        );
        assert!(to_ada.text.contains("/settings/security"));
        assert_eq!(to_ada.header("List-Unsubscribe"), None, "a service notice");

        // A second incident is a new notice for the same person.
        let other =
            breach::record_incident(&state, "Another.", &[DataCategory::Usage], detected, now)
                .await
                .unwrap();
        let report = breach::notify_affected(&state, &other, std::slice::from_ref(&ada), now)
            .await
            .unwrap();
        assert_eq!(report.notified, 1);
    }
);

db_test!(incidents_must_say_what_happened, |db: Db| async move {
    let (state, _dir) = state_for(db.clone());
    let now = 1_900_000_000_000;
    for (summary, categories, detected) in [
        ("   ", &[DataCategory::Account][..], now),
        ("Leak.", &[][..], now),
        ("Leak.", &[DataCategory::Account][..], now + 1),
    ] {
        assert!(matches!(
            breach::record_incident(&state, summary, categories, detected, now).await,
            Err(BreachError::Invalid(_))
        ));
    }
    let long = "x".repeat(2_001);
    assert!(matches!(
        breach::record_incident(&state, &long, &[DataCategory::Account], now, now).await,
        Err(BreachError::Invalid(_))
    ));
    assert!(matches!(
        breach::notify_affected(&state, "no-such-incident", &[], now).await,
        Err(BreachError::NotFound)
    ));
    let none: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM breach_incidents")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(none, 0);
});

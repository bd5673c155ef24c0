//! The dashboard on both databases: the balance with what expires soon, running and
//! finished tasks of the person only, and each notice exactly while its condition holds.

use super::{NOTICE_WINDOW_MS, Notice, dashboard};
use crate::{
    AppState,
    billing::{Currency, OrderRef, PaymentEvent, apply_event, create_order},
    credits::{self, Grant, IdempotencyKey, LotSource},
    db::Db,
    generation::{
        AspectRatio, Camera, GenerationRequest, OutputFormat, Resolution,
        tasks::{self, Owner, TaskStatus},
        worker,
    },
    privacy::{
        export,
        policy::{self, Doc},
        requests::{self, NewRequest, RequestKind, RequestStatus},
    },
    testing::{insert_user, state_with},
};
use figment::providers::Serialized;
use std::time::Duration;
use testkit::db_test;

const DAY_MS: i64 = 24 * 3600 * 1000;

fn quiet(figment: figment::Figment) -> figment::Figment {
    figment
        .merge(Serialized::default("generation_workers", 0))
        .merge(Serialized::default("task_lease_seconds", 30))
}

async fn grant(db: &Db, user: &str, amount: i64, expires_at: Option<i64>, key: &str) {
    let key = IdempotencyKey::new(format!("test:{user}:{key}")).unwrap();
    credits::grant(
        db,
        Grant::new(user, LotSource::Purchase, amount, expires_at, &key),
    )
    .await
    .unwrap();
}

fn request(prompt: &str) -> GenerationRequest {
    GenerationRequest {
        model_id: "offline".into(),
        prompt: prompt.into(),
        negative_prompt: None,
        style: None,
        seed: 7,
        aspect_ratio: AspectRatio::Square,
        resolution: Resolution::K1,
        format: OutputFormat::Png,
        quantity: 1,
        camera: Camera::default(),
        character_consistency: false,
        references: vec![],
        mask: None,
    }
}

/// Queues one image for `user`; returns the task's id.
async fn submit(state: &AppState, user: &str, prompt: &str) -> String {
    let submitted = tasks::submit(
        &state.db,
        &state.config.generation,
        &state.events,
        &Owner::User(user.to_owned()),
        request(prompt),
        crate::now_ms(),
    )
    .await
    .unwrap();
    submitted.task_ids[0].clone()
}

async fn pay_or_fail(state: &AppState, user: &str, paid: bool, event: &str) -> String {
    let catalog = state.config.billing.catalog.clone();
    let order = create_order(&state.db, &catalog, user, "starter", Currency::Usd, "local")
        .await
        .unwrap();
    let reference = OrderRef::Id(order.id.clone());
    let outcome = if paid {
        PaymentEvent::CheckoutPaid {
            order: reference,
            payment_id: None,
            customer_id: None,
        }
    } else {
        PaymentEvent::CheckoutFailed { order: reference }
    };
    apply_event(
        &state.db,
        &catalog,
        "local",
        event,
        "test",
        &outcome,
        crate::now_ms(),
    )
    .await
    .unwrap();
    order.number
}

db_test!(a_new_account_has_a_quiet_dashboard, |db: Db| async move {
    let user = insert_user(&db, "new@example.com").await;
    let shown = dashboard(&db, &user, 8, crate::now_ms()).await.unwrap();
    assert_eq!(shown.balance.total(), 0);
    assert_eq!((shown.expiring_soon, shown.next_expiry), (0, None));
    assert!(shown.running.is_empty() && shown.latest.is_empty());
    assert!(shown.notices.is_empty(), "{:?}", shown.notices);
});

db_test!(
    credits_expiring_soon_are_counted_with_the_first_expiry,
    |db: Db| async move {
        let user = insert_user(&db, "ada@example.com").await;
        let now = crate::now_ms();
        grant(&db, &user, 5, Some(now + 10 * DAY_MS), "soon").await;
        grant(&db, &user, 3, Some(now + 20 * DAY_MS), "later-soon").await;
        grant(&db, &user, 7, Some(now + 90 * DAY_MS), "far").await;
        grant(&db, &user, 11, None, "never").await;
        let shown = dashboard(&db, &user, 8, now).await.unwrap();
        assert_eq!(shown.balance.total(), 26);
        assert_eq!(shown.expiring_soon, 8);
        assert_eq!(shown.next_expiry, Some(now + 10 * DAY_MS));

        // Nothing expiring soon: nothing pointed out.
        let other = insert_user(&db, "bob@example.com").await;
        grant(&db, &other, 4, None, "never").await;
        let shown = dashboard(&db, &other, 8, now).await.unwrap();
        assert_eq!((shown.balance.total(), shown.expiring_soon), (4, 0));
        assert_eq!(shown.next_expiry, None);
    }
);

db_test!(
    tasks_under_way_and_finished_are_the_persons_own,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), quiet);
        let ada = insert_user(&db, "ada@example.com").await;
        let bob = insert_user(&db, "bob@example.com").await;
        grant(&db, &ada, 10, None, "grant").await;
        grant(&db, &bob, 10, None, "grant").await;

        let done = submit(&state, &ada, "a lighthouse at dusk").await;
        assert!(worker::work_one(&state, "w1").await.unwrap());
        let running = submit(&state, &ada, "a harbour at dawn").await;
        let claimed = tasks::claim(&db, "w2", Duration::from_secs(30), crate::now_ms())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(claimed.id, running);
        assert!(tasks::set_progress(&db, &running, "w2", 40).await.unwrap());
        let queued = submit(&state, &ada, "a market at noon").await;
        let bobs = submit(&state, &bob, "bob's secret garden").await;

        let shown = dashboard(&db, &ada, 8, crate::now_ms()).await.unwrap();
        let under_way: Vec<_> = shown
            .running
            .iter()
            .map(|t| (t.id.as_str(), t.status, t.progress))
            .collect();
        assert_eq!(
            under_way,
            [
                (running.as_str(), TaskStatus::Running, Some(40)),
                (queued.as_str(), TaskStatus::Queued, None),
            ]
        );
        assert_eq!(shown.latest.len(), 1);
        assert_eq!(shown.latest[0].id, done);
        assert_eq!(shown.latest[0].outputs.len(), 1);
        assert_eq!(shown.balance.held, 2);

        // Bob sees his task only, and none of Ada's.
        let shown = dashboard(&db, &bob, 8, crate::now_ms()).await.unwrap();
        let ids: Vec<_> = shown.running.iter().map(|t| t.id.clone()).collect();
        assert_eq!(ids, [bobs]);
        assert!(shown.latest.is_empty());

        // The latest results are limited, the most recently finished first.
        let shown = dashboard(&db, &ada, 0, crate::now_ms()).await.unwrap();
        assert!(shown.latest.is_empty());
    }
);

db_test!(a_policy_change_shows_until_dismissed, |db: Db| async move {
    let (state, _dir) = state_with(db.clone(), quiet);
    let ada = insert_user(&db, "ada@example.com").await;
    let now = crate::now_ms();
    let effective = policy::day_start_ms("2099-01-01").unwrap();
    let snapshot = [("en".to_string(), "{}".to_string())];
    // A change that is not material asks for nothing.
    policy::publish(
        &state,
        Doc::Cookies,
        "2099-01-01",
        effective,
        false,
        &snapshot,
        now + 1,
    )
    .await
    .unwrap();
    assert!(
        dashboard(&db, &ada, 8, now + 2)
            .await
            .unwrap()
            .notices
            .is_empty()
    );
    policy::publish(
        &state,
        Doc::Privacy,
        "2099-01-01",
        effective,
        true,
        &snapshot,
        now + 1,
    )
    .await
    .unwrap();
    let notices = dashboard(&db, &ada, 8, now + 2).await.unwrap().notices;
    let [Notice::PolicyChanged(notice)] = notices.as_slice() else {
        panic!("one policy notice: {notices:?}");
    };
    assert_eq!(
        (notice.doc, notice.version.as_str()),
        (Doc::Privacy, "2099-01-01")
    );
    assert_eq!(notice.effective_at, effective);
    policy::dismiss_notice(&db, &ada, &notice.key())
        .await
        .unwrap();
    assert!(
        dashboard(&db, &ada, 8, now + 3)
            .await
            .unwrap()
            .notices
            .is_empty()
    );
});

db_test!(
    a_failed_payment_shows_until_a_later_one_ends,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), quiet);
        let ada = insert_user(&db, "ada@example.com").await;
        let bob = insert_user(&db, "bob@example.com").await;
        pay_or_fail(&state, &ada, true, "evt_paid_first").await;
        let failed = pay_or_fail(&state, &ada, false, "evt_failed").await;
        let notices = dashboard(&db, &ada, 8, crate::now_ms())
            .await
            .unwrap()
            .notices;
        assert!(
            matches!(notices.as_slice(), [Notice::PaymentFailed { order_number, .. }]
                if *order_number == failed),
            "{notices:?}"
        );
        // A checkout under way does not hide it; Bob never sees it.
        let catalog = state.config.billing.catalog.clone();
        create_order(&db, &catalog, &ada, "starter", Currency::Usd, "local")
            .await
            .unwrap();
        let notices = dashboard(&db, &ada, 8, crate::now_ms())
            .await
            .unwrap()
            .notices;
        assert_eq!(notices.len(), 1);
        assert!(
            dashboard(&db, &bob, 8, crate::now_ms())
                .await
                .unwrap()
                .notices
                .is_empty()
        );
        // A month later it is old news.
        let later = crate::now_ms() + NOTICE_WINDOW_MS + DAY_MS;
        assert!(
            dashboard(&db, &ada, 8, later)
                .await
                .unwrap()
                .notices
                .is_empty()
        );
        // Paying afterwards settles it.
        pay_or_fail(&state, &ada, true, "evt_paid_again").await;
        assert!(
            dashboard(&db, &ada, 8, crate::now_ms())
                .await
                .unwrap()
                .notices
                .is_empty()
        );
    }
);

db_test!(
    a_ready_export_shows_until_its_link_expires,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), quiet);
        let ada = insert_user(&db, "ada@example.com").await;
        let bob = insert_user(&db, "bob@example.com").await;
        let now = crate::now_ms();
        let id = export::request(&state, &ada, now).await.unwrap();
        // Queued: nothing to download yet.
        assert!(
            dashboard(&db, &ada, 8, now)
                .await
                .unwrap()
                .notices
                .is_empty()
        );
        assert_eq!(export::run_pending(&state, now).await.unwrap(), 1);
        let notices = dashboard(&db, &ada, 8, now).await.unwrap().notices;
        let [
            Notice::ExportReady {
                export_id,
                expires_at,
            },
        ] = notices.as_slice()
        else {
            panic!("one export notice: {notices:?}");
        };
        assert_eq!(export_id, &id);
        assert!(
            dashboard(&db, &bob, 8, now)
                .await
                .unwrap()
                .notices
                .is_empty()
        );
        assert!(
            dashboard(&db, &ada, 8, *expires_at)
                .await
                .unwrap()
                .notices
                .is_empty()
        );
    }
);

db_test!(an_answered_request_shows_for_a_month, |db: Db| async move {
    let (state, _dir) = state_with(db.clone(), quiet);
    let ada = insert_user(&db, "ada@example.com").await;
    let operator = insert_user(&db, "operator@example.com").await;
    let now = crate::now_ms();
    let sent = |kind: &str| NewRequest {
        kind: kind.into(),
        email: "ada@example.com".into(),
        details: "Please include my prompts.".into(),
        locale: "en".into(),
        signed_in_user: Some(ada.clone()),
        ip: Some("203.0.113.9".into()),
    };
    let open = requests::submit(&state, sent("access"), now).await.unwrap();
    assert_eq!(open.status, RequestStatus::Open);
    // Open: nothing to look at yet.
    assert!(
        dashboard(&db, &ada, 8, now)
            .await
            .unwrap()
            .notices
            .is_empty()
    );
    requests::complete(&state, &open.id, "Sent by email.", &operator, now + 1)
        .await
        .unwrap();
    let notices = dashboard(&db, &ada, 8, now + 2).await.unwrap().notices;
    assert_eq!(
        notices,
        [Notice::RequestAnswered {
            request_id: open.id.clone(),
            kind: RequestKind::Access,
            status: RequestStatus::Completed,
            answered_at: now + 1,
        }]
    );
    let later = now + 1 + NOTICE_WINDOW_MS + 1;
    assert!(
        dashboard(&db, &ada, 8, later)
            .await
            .unwrap()
            .notices
            .is_empty()
    );
    // The operator's own dashboard shows nothing of Ada's request.
    assert!(
        dashboard(&db, &operator, 8, now + 2)
            .await
            .unwrap()
            .notices
            .is_empty()
    );
});

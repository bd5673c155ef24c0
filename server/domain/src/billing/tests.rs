use super::*;
use crate::credits;
use serde_json::json;
use testkit::db_test;

fn catalog() -> Catalog {
    Catalog {
        packages: catalog::default_packages(),
        plans: catalog::default_plans(),
        signup_bonus: Bonus {
            credits: 20,
            validity_days: 30,
        },
        referrer_bonus: Bonus {
            credits: 100,
            validity_days: 90,
        },
        referred_bonus: Bonus {
            credits: 50,
            validity_days: 90,
        },
    }
}

async fn add_user(db: &Db, id: &str, email: &str) {
    let now = crate::now_ms();
    sqlx::query(
        "INSERT INTO users (id, email, email_verified_at, display_name, terms_version, \
         terms_accepted_at, age_confirmed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, 'Test', 'v1', $3, $3, $3, $3)",
    )
    .bind(id)
    .bind(email)
    .bind(now)
    .execute(db.pool())
    .await
    .unwrap();
}

async fn total(db: &Db, user: &str) -> i64 {
    credits::balance(db, user, crate::now_ms())
        .await
        .unwrap()
        .total()
}

async fn apply(db: &Db, provider: &str, id: &str, event: &PaymentEvent) -> Applied {
    apply_event(db, &catalog(), provider, id, "test", event, crate::now_ms())
        .await
        .unwrap()
}

db_test!(
    a_paid_package_is_granted_once_whatever_repeats,
    |db: Db| async move {
        let order = create_order(&db, &catalog(), "u1", "starter", Currency::Usd, "stripe")
            .await
            .unwrap();
        assert_eq!(
            (order.amount, order.credits, order.status.as_str()),
            (990, 100, "created")
        );
        assert!(order.number.starts_with("BN-") && order.number.len() == 18);
        let paid = PaymentEvent::CheckoutPaid {
            order: OrderRef::Id(order.id.clone()),
            payment_id: Some("pi_1".into()),
            customer_id: Some("cus_1".into()),
        };
        assert_eq!(apply(&db, "stripe", "evt_1", &paid).await, Applied::Done);
        assert_eq!(
            apply(&db, "stripe", "evt_1", &paid).await,
            Applied::Duplicate
        );
        // The same payment told by a second event (async_payment_succeeded) grants nothing more.
        assert_eq!(apply(&db, "stripe", "evt_2", &paid).await, Applied::Done);
        assert_eq!(total(&db, "u1").await, 100);
        let order = order_by_number(&db, "u1", &order.number)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(order.status, "paid");
        assert_eq!(order.provider_payment_id.as_deref(), Some("pi_1"));
        assert!(
            order_by_number(&db, "someone-else", &order.number)
                .await
                .unwrap()
                .is_none()
        );
        let lots = credits::lots(&db, "u1", false).await.unwrap();
        let expected = order.paid_at.unwrap() + 365 * DAY_MS;
        assert_eq!(lots[0].expires_at, Some(expected));
        assert_eq!(
            customer_id(&db, "u1", "stripe").await.unwrap().as_deref(),
            Some("cus_1")
        );
        // A failure arriving late does not undo a payment.
        let failed = PaymentEvent::CheckoutFailed {
            order: OrderRef::Id(order.id.clone()),
        };
        apply(&db, "stripe", "evt_3", &failed).await;
        assert_eq!(
            order_by_number(&db, "u1", &order.number)
                .await
                .unwrap()
                .unwrap()
                .status,
            "paid"
        );
    }
);

db_test!(
    events_in_reverse_order_settle_the_same,
    |db: Db| async move {
        let order = create_order(&db, &catalog(), "u1", "creator", Currency::Cny, "stripe")
            .await
            .unwrap();
        assert_eq!(order.amount, 27990);
        let reference = Some(OrderRef::Id(order.id.clone()));
        let refund = PaymentEvent::Refunded {
            payment_id: "pi_9".into(),
            order: reference.clone(),
            amount: RefundAmount::Total(27990),
        };
        let paid = PaymentEvent::CheckoutPaid {
            order: OrderRef::Id(order.id.clone()),
            payment_id: Some("pi_9".into()),
            customer_id: None,
        };
        // The refund first: not yet (nothing recorded, so the redelivery is applied).
        assert!(matches!(
            apply(&db, "stripe", "evt_r", &refund).await,
            Applied::NotYet(_)
        ));
        assert_eq!(apply(&db, "stripe", "evt_p", &paid).await, Applied::Done);
        assert_eq!(total(&db, "u1").await, 500);
        assert_eq!(apply(&db, "stripe", "evt_r", &refund).await, Applied::Done);
        assert_eq!(
            apply(&db, "stripe", "evt_r", &refund).await,
            Applied::Duplicate
        );
        assert_eq!(total(&db, "u1").await, 0);
        let order = order_by_number(&db, "u1", &order.number)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (order.status.as_str(), order.refunded_amount),
            ("refunded", 27990)
        );
    }
);

db_test!(
    a_refund_after_spending_leaves_a_negative_balance,
    |db: Db| async move {
        let order = create_order(&db, &catalog(), "u1", "starter", Currency::Usd, "creem")
            .await
            .unwrap();
        let paid = PaymentEvent::CheckoutPaid {
            order: OrderRef::Id(order.id.clone()),
            payment_id: Some("ord_1".into()),
            customer_id: None,
        };
        apply(&db, "creem", "evt_p", &paid).await;
        credits::spend(
            &db,
            "u1",
            70,
            &credits::IdempotencyKey::new("task:1").unwrap(),
        )
        .await
        .unwrap();
        // Half the money back: half the credits (50); 30 were left, 20 become debt.
        let half = PaymentEvent::Refunded {
            payment_id: "ord_1".into(),
            order: None,
            amount: RefundAmount::Increment(495),
        };
        apply(&db, "creem", "evt_r1", &half).await;
        assert_eq!(total(&db, "u1").await, -20);
        assert!(matches!(
            credits::reserve(
                &db,
                "u1",
                1,
                &credits::IdempotencyKey::new("task:2").unwrap()
            )
            .await,
            Err(credits::LedgerError::Insufficient { available: -20, .. })
        ));
        let order_now = order_by_number(&db, "u1", &order.number)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (order_now.status.as_str(), order_now.refunded_amount),
            ("paid", 495)
        );
        // The rest back: the other 50 credits, all debt now.
        apply(&db, "creem", "evt_r2", &half).await;
        assert_eq!(total(&db, "u1").await, -70);
        let order_now = order_by_number(&db, "u1", &order.number)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(order_now.status, "refunded");
    }
);

db_test!(
    subscriptions_grant_each_paid_period_once,
    |db: Db| async move {
        let order = create_order(
            &db,
            &catalog(),
            "u1",
            "pro-monthly",
            Currency::Usd,
            "stripe",
        )
        .await
        .unwrap();
        let now = crate::now_ms();
        let period = |invoice: &str, start: i64| PeriodPaid {
            invoice_id: invoice.into(),
            subscription_id: "sub_1".into(),
            order_id: Some(order.id.clone()),
            user_id: Some("u1".into()),
            plan_id: Some("pro-monthly".into()),
            customer_id: Some("cus_1".into()),
            period_start: start,
            period_end: start + 30 * DAY_MS,
            amount: 1990,
            currency: "usd".into(),
        };
        // The invoice may come before the checkout's completion; its metadata is enough.
        let first = PaymentEvent::PeriodPaid(period("in_1", now));
        assert_eq!(apply(&db, "stripe", "evt_i1", &first).await, Applied::Done);
        let started = PaymentEvent::SubscriptionStarted {
            order: OrderRef::Id(order.id.clone()),
            subscription_id: "sub_1".into(),
            customer_id: Some("cus_1".into()),
        };
        apply(&db, "stripe", "evt_c1", &started).await;
        apply(&db, "stripe", "evt_i1_again", &first).await;
        assert_eq!(total(&db, "u1").await, 800);
        let paid = order_by_number(&db, "u1", &order.number)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(paid.status, "paid");
        assert_eq!(paid.period_end, Some(now + 30 * DAY_MS));
        // Next month's invoice: a new order, a new lot expiring at that period's end.
        let second = PaymentEvent::PeriodPaid(PeriodPaid {
            order_id: None,
            ..period("in_2", now + 30 * DAY_MS)
        });
        apply(&db, "stripe", "evt_i2", &second).await;
        assert_eq!(total(&db, "u1").await, 1600);
        let orders = orders_of(&db, "u1", 10).await.unwrap();
        assert_eq!(orders.len(), 2);
        let lots = credits::lots(&db, "u1", false).await.unwrap();
        assert_eq!(lots[1].expires_at, Some(now + 60 * DAY_MS));
        // Cancellation at period end, then the end.
        let change = |status: &str, cancel| {
            PaymentEvent::SubscriptionChanged(SubscriptionChange {
                subscription_id: "sub_1".into(),
                status: status.into(),
                user_id: None,
                plan_id: None,
                customer_id: None,
                period_start: None,
                period_end: None,
                cancel_at_period_end: cancel,
            })
        };
        apply(&db, "stripe", "evt_u1", &change("active", true)).await;
        let subs = subscriptions_of(&db, "u1").await.unwrap();
        assert!(subs[0].cancel_at_period_end && subs[0].status == "active");
        apply(&db, "stripe", "evt_d1", &change("ended", false)).await;
        apply(&db, "stripe", "evt_u_late", &change("active", false)).await;
        assert_eq!(
            subscriptions_of(&db, "u1").await.unwrap()[0].status,
            "ended"
        );
        // An unknown subscription without metadata waits for the redelivery.
        let unknown = PaymentEvent::SubscriptionChanged(SubscriptionChange {
            subscription_id: "sub_x".into(),
            ..match change("active", false) {
                PaymentEvent::SubscriptionChanged(c) => c,
                _ => unreachable!(),
            }
        });
        assert!(matches!(
            apply(&db, "stripe", "evt_x", &unknown).await,
            Applied::NotYet(_)
        ));
    }
);

db_test!(disputes_freeze_then_settle, |db: Db| async move {
    let mut orders = Vec::new();
    for (i, payment) in ["pi_a", "pi_b"].iter().enumerate() {
        let order = create_order(&db, &catalog(), "u1", "starter", Currency::Usd, "stripe")
            .await
            .unwrap();
        let paid = PaymentEvent::CheckoutPaid {
            order: OrderRef::Id(order.id.clone()),
            payment_id: Some(payment.to_string()),
            customer_id: None,
        };
        apply(&db, "stripe", &format!("evt_paid_{i}"), &paid).await;
        orders.push(order);
    }
    assert_eq!(total(&db, "u1").await, 200);
    let facts = |id: &str, payment: &str| DisputeFacts {
        dispute_id: id.into(),
        payment_id: payment.into(),
        order: None,
        amount: 990,
        currency: "usd".into(),
        reason: "fraudulent".into(),
    };
    let opened = |id: &str, payment: &str| PaymentEvent::DisputeOpened(facts(id, payment));
    let closed = |id: &str, payment: &str, won| PaymentEvent::DisputeClosed {
        dispute: facts(id, payment),
        won,
    };
    apply(&db, "stripe", "evt_do_a", &opened("dp_a", "pi_a")).await;
    apply(&db, "stripe", "evt_do_b", &opened("dp_b", "pi_b")).await;
    let b = credits::balance(&db, "u1", crate::now_ms()).await.unwrap();
    assert_eq!((b.available, b.frozen), (0, 200));
    let open = disputes(&db, 10).await.unwrap();
    assert_eq!(open.len(), 2);
    assert!(
        add_dispute_note(&db, &open[0].id, "admin", "Evidence sent")
            .await
            .unwrap()
    );
    assert!(!add_dispute_note(&db, "nope", "admin", "x").await.unwrap());
    apply(&db, "stripe", "evt_dc_a", &closed("dp_a", "pi_a", true)).await;
    apply(&db, "stripe", "evt_dc_b", &closed("dp_b", "pi_b", false)).await;
    let b = credits::balance(&db, "u1", crate::now_ms()).await.unwrap();
    assert_eq!((b.available, b.frozen, b.debt), (100, 0, 0));
    let statuses: Vec<String> = disputes(&db, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.status)
        .collect();
    assert!(statuses.contains(&"won".to_string()) && statuses.contains(&"lost".to_string()));
    assert_eq!(
        order_by_number(&db, "u1", &orders[0].number)
            .await
            .unwrap()
            .unwrap()
            .status,
        "paid"
    );
    assert_eq!(
        order_by_number(&db, "u1", &orders[1].number)
            .await
            .unwrap()
            .unwrap()
            .status,
        "refunded"
    );
    // A late "created" for a closed dispute changes nothing.
    apply(&db, "stripe", "evt_do_b_late", &opened("dp_b", "pi_b")).await;
    assert_eq!(
        credits::balance(&db, "u1", crate::now_ms())
            .await
            .unwrap()
            .frozen,
        0
    );
    assert_eq!(credits::ledger_total(&db, "u1").await.unwrap(), 100);
});

db_test!(
    the_signup_bonus_is_given_once_per_mailbox,
    |db: Db| async move {
        let (state, _dir) = crate::testing::state_for(db.clone());
        let key = &state.config.secret_key;
        let c = catalog();
        assert_eq!(
            grant_signup_bonus(&db, key, &c, "u1", "Ann.Lee@gmail.com")
                .await
                .unwrap(),
            20
        );
        assert_eq!(
            grant_signup_bonus(&db, key, &c, "u1", "annlee@gmail.com")
                .await
                .unwrap(),
            0
        );
        // A new account for the same mailbox (a +tag, dots, googlemail) gets nothing.
        assert_eq!(
            grant_signup_bonus(&db, key, &c, "u2", "ann.lee+again@googlemail.com")
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            grant_signup_bonus(&db, key, &c, "u3", "other@example.com")
                .await
                .unwrap(),
            20
        );
        assert_eq!(total(&db, "u1").await, 20);
        assert_eq!(total(&db, "u2").await, 0);
        let stored: Vec<String> = sqlx::query_scalar("SELECT email_hash FROM signup_bonus_claims")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert!(
            stored.iter().all(|h| h.len() == 64 && !h.contains('@')),
            "only keyed hashes are kept"
        );
    }
);

db_test!(
    referrals_reward_both_at_the_first_payment_only,
    |db: Db| async move {
        add_user(&db, "ref", "referrer@example.com").await;
        add_user(&db, "new", "newcomer@example.com").await;
        add_user(&db, "alt", "referrer+alt@example.com").await;
        let code = referral_code(&db, "ref").await.unwrap();
        assert_eq!(referral_code(&db, "ref").await.unwrap(), code, "stable");
        assert!(is_referral_code(&code));
        assert_eq!(
            attribute_referral(&db, "ref", &code).await.unwrap(),
            Attribution::SelfReferral
        );
        assert_eq!(
            attribute_referral(&db, "alt", &code).await.unwrap(),
            Attribution::SelfReferral
        );
        assert_eq!(
            attribute_referral(&db, "new", "zzzzzzzz").await.unwrap(),
            Attribution::UnknownCode
        );
        assert_eq!(
            attribute_referral(&db, "new", &code).await.unwrap(),
            Attribution::Recorded
        );
        assert_eq!(
            attribute_referral(&db, "new", &code).await.unwrap(),
            Attribution::AlreadyAttributed
        );
        for (i, event) in ["evt_1", "evt_2"].iter().enumerate() {
            let order = create_order(&db, &catalog(), "new", "starter", Currency::Usd, "local")
                .await
                .unwrap();
            let paid = PaymentEvent::CheckoutPaid {
                order: OrderRef::Id(order.id.clone()),
                payment_id: Some(format!("pay_{i}")),
                customer_id: None,
            };
            apply(&db, "local", event, &paid).await;
        }
        assert_eq!(total(&db, "ref").await, 100);
        assert_eq!(total(&db, "new").await, 200 + 50);
        assert_eq!(referral_stats(&db, "ref").await.unwrap(), (1, 1));
    }
);

db_test!(
    a_refunded_or_lost_first_payment_takes_the_referral_bonuses_back,
    |db: Db| async move {
        add_user(&db, "ref", "referrer@example.com").await;
        add_user(&db, "new", "newcomer@example.com").await;
        add_user(&db, "two", "second@example.com").await;
        let code = referral_code(&db, "ref").await.unwrap();
        for who in ["new", "two"] {
            attribute_referral(&db, who, &code).await.unwrap();
        }
        let mut orders = Vec::new();
        for (i, who) in ["new", "two"].iter().enumerate() {
            let order = create_order(&db, &catalog(), who, "starter", Currency::Usd, "stripe")
                .await
                .unwrap();
            let paid = PaymentEvent::CheckoutPaid {
                order: OrderRef::Id(order.id.clone()),
                payment_id: Some(format!("pi_ref_{i}")),
                customer_id: None,
            };
            apply(&db, "stripe", &format!("evt_ref_paid_{i}"), &paid).await;
            orders.push(order);
        }
        // Both bonuses, twice for the referrer.
        assert_eq!(total(&db, "ref").await, 200);
        assert_eq!(total(&db, "new").await, 100 + 50);
        assert_eq!(total(&db, "two").await, 100 + 50);

        // A full refund of the first payment takes back the pack and both its bonuses,
        // however often the provider repeats the event.
        let refund = PaymentEvent::Refunded {
            payment_id: "pi_ref_0".into(),
            order: None,
            amount: RefundAmount::Total(orders[0].amount),
        };
        apply(&db, "stripe", "evt_ref_refund", &refund).await;
        apply(&db, "stripe", "evt_ref_refund_again", &refund).await;
        assert_eq!(total(&db, "new").await, 0);
        assert_eq!(total(&db, "ref").await, 100);

        // A lost dispute of the second does the same.
        let facts = DisputeFacts {
            dispute_id: "dp_ref".into(),
            payment_id: "pi_ref_1".into(),
            order: None,
            amount: orders[1].amount,
            currency: "usd".into(),
            reason: "fraudulent".into(),
        };
        apply(
            &db,
            "stripe",
            "evt_ref_do",
            &PaymentEvent::DisputeOpened(facts.clone()),
        )
        .await;
        let lost = PaymentEvent::DisputeClosed {
            dispute: facts,
            won: false,
        };
        apply(&db, "stripe", "evt_ref_dl", &lost).await;
        assert_eq!(total(&db, "two").await, 0);
        assert_eq!(total(&db, "ref").await, 0);
        // Every balance still equals its ledger.
        for who in ["ref", "new", "two"] {
            assert_eq!(
                credits::ledger_total(&db, who).await.unwrap(),
                total(&db, who).await,
                "{who}"
            );
        }
    }
);

db_test!(
    the_local_checkout_drives_the_same_fulfilment,
    |db: Db| async move {
        let c = catalog();
        let order = create_order(&db, &c, "u1", "starter", Currency::Usd, "local")
            .await
            .unwrap();
        complete_local_checkout(&db, &c, &order, LocalOutcome::Pay)
            .await
            .unwrap();
        complete_local_checkout(&db, &c, &order, LocalOutcome::Pay)
            .await
            .unwrap();
        assert_eq!(total(&db, "u1").await, 100);
        let failing = create_order(&db, &c, "u1", "studio", Currency::Usd, "local")
            .await
            .unwrap();
        complete_local_checkout(&db, &c, &failing, LocalOutcome::Fail)
            .await
            .unwrap();
        assert_eq!(
            order_by_number(&db, "u1", &failing.number)
                .await
                .unwrap()
                .unwrap()
                .status,
            "failed"
        );
        let cancelled = create_order(&db, &c, "u1", "studio", Currency::Usd, "local")
            .await
            .unwrap();
        complete_local_checkout(&db, &c, &cancelled, LocalOutcome::Cancel)
            .await
            .unwrap();
        assert_eq!(
            order_by_number(&db, "u1", &cancelled.number)
                .await
                .unwrap()
                .unwrap()
                .status,
            "cancelled"
        );
        assert_eq!(total(&db, "u1").await, 100);
        let plan = create_order(&db, &c, "u1", "pro-yearly", Currency::Cny, "local")
            .await
            .unwrap();
        complete_local_checkout(&db, &c, &plan, LocalOutcome::Pay)
            .await
            .unwrap();
        assert_eq!(total(&db, "u1").await, 100 + 9600);
        let subs = subscriptions_of(&db, "u1").await.unwrap();
        assert_eq!(
            (subs[0].plan_id.as_str(), subs[0].status.as_str()),
            ("pro-yearly", "active")
        );
        assert!(
            cancel_local_subscription(&db, &c, "u1", &subs[0].id)
                .await
                .unwrap()
        );
        assert!(
            !cancel_local_subscription(&db, &c, "u2", &subs[0].id)
                .await
                .unwrap(),
            "not theirs"
        );
        assert!(subscriptions_of(&db, "u1").await.unwrap()[0].cancel_at_period_end);
        let stripe_order = create_order(&db, &c, "u1", "starter", Currency::Usd, "stripe")
            .await
            .unwrap();
        assert!(
            complete_local_checkout(&db, &c, &stripe_order, LocalOutcome::Pay)
                .await
                .is_err()
        );
    }
);

#[test]
fn stripe_signatures_are_checked_on_the_raw_body() {
    let body = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;
    let secret = "whsec_test";
    let now = 1_800_000_000;
    let header = stripe::sign(body, secret, now);
    assert!(stripe::verify_signature(&header, body, secret, now).is_ok());
    assert!(stripe::verify_signature(&header, body, secret, now + 300).is_ok());
    assert!(
        stripe::verify_signature(&header, body, secret, now + 301).is_err(),
        "stale"
    );
    assert!(
        stripe::verify_signature(&header, body, secret, now - 301).is_err(),
        "future"
    );
    assert!(
        stripe::verify_signature(&header, body, "whsec_other", now).is_err(),
        "forged"
    );
    let tampered = br#"{"id":"evt_1","type":"checkout.session.completed" }"#;
    assert!(stripe::verify_signature(&header, tampered, secret, now).is_err());
    // Several v1 signatures (a rolled secret): any one may match.
    let other = stripe::sign(body, "whsec_old", now);
    let v1 = other.split(",v1=").nth(1).unwrap();
    let both = format!("{header},v1={v1},v0=ignored");
    assert!(stripe::verify_signature(&both, body, secret, now).is_ok());
    for bad in ["", "t=abc,v1=00", "v1=00", &format!("t={now}")] {
        assert!(
            stripe::verify_signature(bad, body, secret, now).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn creem_signatures_are_checked_and_late_retries_accepted() {
    let now = 1_800_000_000_000i64;
    let body = serde_json::to_vec(&json!({
        "id": "evt_1", "eventType": "checkout.completed", "created_at": now,
        "object": {"request_id": "o1", "order": {"id": "ord_1", "status": "paid"}, "customer": {"id": "cust_1"}}
    }))
    .unwrap();
    let signature = creem::sign(&body, "creem_secret");
    assert!(creem::verify_signature(&signature, &body, "creem_secret").is_ok());
    assert!(creem::verify_signature(&signature, &body, "other").is_err());
    assert!(creem::verify_signature("not-hex", &body, "creem_secret").is_err());
    let (id, kind, event) = creem::parse_event(&body).unwrap();
    assert_eq!(
        (id.as_str(), kind.as_str()),
        ("evt_1", "checkout.completed")
    );
    assert_eq!(
        event,
        PaymentEvent::CheckoutPaid {
            order: OrderRef::Id("o1".into()),
            payment_id: Some("ord_1".into()),
            customer_id: Some("cust_1".into()),
        }
    );
    // No envelope time: not an event we can read.
    let undated = serde_json::to_vec(&json!({
        "id": "evt_2", "eventType": "checkout.completed",
        "object": {"request_id": "o1", "order": {"id": "ord_1", "status": "paid"}}
    }))
    .unwrap();
    assert!(matches!(
        creem::parse_event(&undated),
        Err(BillingError::BadPayload(_))
    ));
}

#[test]
fn stripe_events_read_across_api_versions() {
    // An invoice on a recent API version: subscription details under `parent`.
    let body = serde_json::to_vec(&json!({
        "id": "evt_9", "type": "invoice.paid",
        "data": {"object": {
            "id": "in_9", "object": "invoice", "amount_paid": 1990, "currency": "usd",
            "customer": "cus_9", "billing_reason": "subscription_cycle",
            "parent": {"subscription_details": {"subscription": "sub_9",
                "metadata": {"user_id": "u9", "plan_id": "pro-monthly"}}},
            "lines": {"data": [{"period": {"start": 1_800_000_000, "end": 1_802_592_000}}]}
        }}
    }))
    .unwrap();
    let (_, _, event) = stripe::parse_event(&body).unwrap();
    let PaymentEvent::PeriodPaid(period) = event else {
        panic!("a paid period")
    };
    assert_eq!(period.subscription_id, "sub_9");
    assert_eq!(period.user_id.as_deref(), Some("u9"));
    assert_eq!(period.period_end, 1_802_592_000_000);
    // A session paid by a delayed method is not paid yet.
    let body = serde_json::to_vec(&json!({
        "id": "evt_10", "type": "checkout.session.completed",
        "data": {"object": {"id": "cs_1", "mode": "payment", "payment_status": "unpaid",
            "client_reference_id": "o1", "metadata": {}}}
    }))
    .unwrap();
    assert!(matches!(
        stripe::parse_event(&body).unwrap().2,
        PaymentEvent::CheckoutPending { .. }
    ));
    assert!(stripe::parse_event(b"not json").is_err());
    // A refunded subscription charge is matched by its invoice (its order's key).
    let body = serde_json::to_vec(&json!({
        "id": "evt_11", "type": "charge.refunded",
        "data": {"object": {"id": "ch_1", "payment_intent": "pi_1", "invoice": "in_1",
            "amount": 1990, "amount_refunded": 1990, "metadata": {}}}
    }))
    .unwrap();
    assert!(matches!(
        stripe::parse_event(&body).unwrap().2,
        PaymentEvent::Refunded { ref payment_id, amount: RefundAmount::Total(1990), .. } if payment_id == "in_1"
    ));
}

#[test]
fn months_are_calendar_months() {
    let jan31 = time::macros::datetime!(2027-01-31 10:00 UTC).unix_timestamp() * 1000;
    let feb28 = time::macros::datetime!(2027-02-28 10:00 UTC).unix_timestamp() * 1000;
    assert_eq!(add_months(jan31, 1), feb28);
    let next_year = time::macros::datetime!(2028-01-31 10:00 UTC).unix_timestamp() * 1000;
    assert_eq!(add_months(jan31, 12), next_year);
}

mod peers {
    //! The Stripe and Creem adapters against local servers that speak their protocols.
    use super::*;
    use axum::{
        Json, Router,
        extract::State,
        http::{HeaderMap, StatusCode},
        routing::post,
    };
    use std::sync::{Arc, Mutex};

    type Seen = Arc<Mutex<Vec<(HeaderMap, String)>>>;

    async fn serve(router: Router) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        format!("http://{addr}")
    }

    /// Stripe's Checkout Session object, as the API returns it.
    fn session_json(mode: &str) -> serde_json::Value {
        json!({
            "id": "cs_test_a1", "object": "checkout.session", "livemode": false,
            "created": 1_800_000_000, "expires_at": 1_800_086_400, "mode": mode,
            "payment_status": "unpaid", "status": "open",
            "url": "https://checkout.stripe.com/c/pay/cs_test_a1",
            "automatic_tax": {"enabled": false, "liability": null, "status": null},
            "custom_fields": [], "custom_text": {"after_submit": null, "shipping_address": null,
                "submit": null, "terms_of_service_acceptance": null},
            "payment_method_types": ["card"], "shipping_options": [],
            "metadata": {}
        })
    }

    async fn stripe_peer(seen: Seen, refuse: bool) -> String {
        let router = Router::new()
            .route(
                "/v1/checkout/sessions",
                post(
                    |State((seen, refuse)): State<(Seen, bool)>,
                     headers: HeaderMap,
                     body: String| async move {
                        seen.lock().unwrap().push((headers.clone(), body.clone()));
                        let authorized = headers
                            .get("authorization")
                            .is_some_and(|v| v == "Bearer sk_test_peer");
                        if !authorized {
                            return (
                                StatusCode::UNAUTHORIZED,
                                Json(json!({"error": {
                                "type": "invalid_request_error",
                                "message": "Invalid API Key provided: sk_test_****peer"}})),
                            );
                        }
                        if refuse {
                            return (
                                StatusCode::BAD_REQUEST,
                                Json(json!({"error": {
                                "type": "invalid_request_error", "code": "parameter_invalid_empty",
                                "message": "The payment method `alipay` does not support cny.",
                                "param": "payment_method_types"}})),
                            );
                        }
                        let mode = if body.contains("mode=subscription") {
                            "subscription"
                        } else {
                            "payment"
                        };
                        (StatusCode::OK, Json(session_json(mode)))
                    },
                ),
            )
            .route(
                "/v1/billing_portal/sessions",
                post(|body: String| async move {
                    assert!(body.contains("customer=cus_1"));
                    Json(json!({"id": "bps_1", "object": "billing_portal.session",
                        "configuration": "bpc_1", "created": 1_800_000_000, "customer": "cus_1",
                        "livemode": false, "return_url": "http://x/settings/billing",
                        "url": "https://billing.stripe.com/p/session/test_1"}))
                }),
            )
            .with_state((seen, refuse));
        serve(router).await
    }

    fn stripe_gateway(url: &str, key: &str) -> stripe::StripeGateway {
        stripe::StripeGateway::new(&crate::config::StripeConfig {
            secret_key: key.to_string().into(),
            webhook_secret: "whsec_peer".to_string().into(),
            api_url: url.to_string(),
        })
    }

    fn request<'a>(order: &'a Order, product: &'a Product) -> CheckoutRequest<'a> {
        CheckoutRequest {
            order,
            product,
            product_name: "Starter",
            email: "ann@example.com",
            locale: "zh-CN",
            customer_id: None,
            success_url: "http://127.0.0.1/checkout/success?order=1&session_id={CHECKOUT_SESSION_ID}",
            cancel_url: "http://127.0.0.1/checkout/cancel?order=1",
        }
    }

    /// An order as the database would hold it, for calls that need no database.
    fn sample_order(provider: &str) -> Order {
        Order {
            id: "o1".into(),
            number: "BN-1".into(),
            user_id: "u1".into(),
            provider: provider.into(),
            kind: "package".into(),
            product_id: "starter".into(),
            credits: 100,
            amount: 990,
            currency: "usd".into(),
            status: "created".into(),
            validity_days: Some(365),
            period_start: None,
            period_end: None,
            provider_session_id: None,
            provider_payment_id: None,
            provider_subscription_id: None,
            lot_id: None,
            refunded_amount: 0,
            created_at: 0,
            paid_at: None,
            refunded_at: None,
        }
    }

    fn decoded(body: &str) -> Vec<(String, String)> {
        url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect()
    }

    db_test!(
        stripe_checkout_sessions_carry_methods_and_metadata,
        |db: Db| async move {
            let seen: Seen = Default::default();
            let url = stripe_peer(seen.clone(), false).await;
            let gateway = stripe_gateway(&url, "sk_test_peer");
            let c = catalog();
            let order = create_order(&db, &c, "u1", "starter", Currency::Cny, "stripe")
                .await
                .unwrap();
            let product = c.product("starter").unwrap();
            let start = gateway
                .start_checkout(&request(&order, &product))
                .await
                .unwrap();
            assert_eq!(start.session_id, "cs_test_a1");
            assert!(
                start
                    .redirect_url
                    .starts_with("https://checkout.stripe.com/")
            );
            let fields = decoded(&seen.lock().unwrap()[0].1);
            let has = |k: &str, v: &str| fields.iter().any(|(a, b)| a == k && b == v);
            assert!(has("mode", "payment"));
            assert!(has("line_items[0][price_data][currency]", "cny"));
            assert!(
                has("line_items[0][price_data][unit_amount]", "6990"),
                "the catalog's price"
            );
            assert!(has("payment_method_types[0]", "card"));
            assert!(has("payment_method_types[1]", "wechat_pay"));
            assert!(
                !fields.iter().any(|(_, v)| v == "alipay"),
                "Alipay does not settle CNY"
            );
            assert!(has("payment_method_options[wechat_pay][client]", "web"));
            assert!(has("metadata[order_id]", &order.id));
            assert!(has("payment_intent_data[metadata][order_id]", &order.id));
            assert!(has("client_reference_id", &order.id));
            assert!(has("locale", "zh"));

            // USD adds Alipay; a plan is a card subscription with the plan in its metadata.
            let usd = create_order(&db, &c, "u1", "starter", Currency::Usd, "stripe")
                .await
                .unwrap();
            gateway
                .start_checkout(&request(&usd, &product))
                .await
                .unwrap();
            let fields = decoded(&seen.lock().unwrap()[1].1);
            assert!(
                fields
                    .iter()
                    .any(|(k, v)| k == "payment_method_types[2]" && v == "alipay")
            );
            let plan = c.product("pro-monthly").unwrap();
            let sub = create_order(&db, &c, "u1", "pro-monthly", Currency::Usd, "stripe")
                .await
                .unwrap();
            gateway.start_checkout(&request(&sub, &plan)).await.unwrap();
            let fields = decoded(&seen.lock().unwrap()[2].1);
            let has = |k: &str, v: &str| fields.iter().any(|(a, b)| a == k && b == v);
            assert!(has("mode", "subscription"));
            assert!(has(
                "line_items[0][price_data][recurring][interval]",
                "month"
            ));
            assert!(has("subscription_data[metadata][plan_id]", "pro-monthly"));
            assert!(has("subscription_data[metadata][user_id]", "u1"));
            assert!(
                !fields.iter().any(|(_, v)| v == "wechat_pay"),
                "no WeChat Pay for subscriptions"
            );

            let portal = gateway
                .portal_url("cus_1", "http://x/settings/billing")
                .await
                .unwrap();
            assert!(portal.starts_with("https://billing.stripe.com/"));
        }
    );

    #[tokio::test]
    async fn stripe_refusals_become_operator_errors_without_secrets() {
        let seen: Seen = Default::default();
        let url = stripe_peer(seen.clone(), true).await;
        let order = sample_order("stripe");
        let product = catalog().product("starter").unwrap();
        let refused = stripe_gateway(&url, "sk_test_peer")
            .start_checkout(&request(&order, &product))
            .await
            .unwrap_err();
        let text = refused.to_string();
        assert!(text.contains("400"), "{text}");
        assert_eq!(refused.message_key(), "billing-error-provider");
        let unauthorized = stripe_gateway(&url, "sk_test_wrong")
            .start_checkout(&request(&order, &product))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            unauthorized.contains("401") && !unauthorized.contains("sk_test"),
            "{unauthorized}"
        );
        let unreachable = stripe_gateway("http://127.0.0.1:9", "sk_test_peer")
            .start_checkout(&request(&order, &product))
            .await
            .unwrap_err()
            .to_string();
        assert!(unreachable.contains("unreachable"), "{unreachable}");
    }

    #[tokio::test]
    async fn creem_checkouts_and_refusals() {
        let seen: Seen = Default::default();
        let router = Router::new()
            .route(
                "/v1/checkouts",
                post(|State(seen): State<Seen>, headers: HeaderMap, body: String| async move {
                    seen.lock().unwrap().push((headers.clone(), body.clone()));
                    if headers.get("x-api-key").is_none_or(|k| k != "creem_test_key") {
                        return (StatusCode::FORBIDDEN, Json(json!({"status": 403,
                            "error": "Forbidden", "message": ["Invalid API key"], "trace_id": "tr_1"})));
                    }
                    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
                    if body["product_id"] == "prod_missing" {
                        return (StatusCode::NOT_FOUND, Json(json!({"status": 404,
                            "error": "Not Found", "message": ["Product not found"], "trace_id": "tr_2"})));
                    }
                    (StatusCode::OK, Json(json!({"id": "ch_1", "object": "checkout",
                        "status": "pending", "request_id": body["request_id"],
                        "checkout_url": "https://checkout.creem.io/ch_1"})))
                }),
            )
            .with_state(seen.clone());
        let url = serve(router).await;
        let gateway = |key: &str| {
            creem::CreemGateway::new(
                &crate::config::CreemConfig {
                    api_key: key.to_string().into(),
                    webhook_secret: "s".to_string().into(),
                    api_url: url.clone(),
                },
                reqwest::Client::new(),
            )
        };
        let mut package = catalog::default_packages()[0].clone();
        package.creem_product_id = Some("prod_1".into());
        let product = Product::Package(package.clone());
        let order = sample_order("creem");
        let start = gateway("creem_test_key")
            .start_checkout(&request(&order, &product))
            .await
            .unwrap();
        assert_eq!(
            start,
            CheckoutStart {
                redirect_url: "https://checkout.creem.io/ch_1".into(),
                session_id: "ch_1".into()
            }
        );
        let sent: serde_json::Value = serde_json::from_str(&seen.lock().unwrap()[0].1).unwrap();
        assert_eq!(sent["request_id"], "o1");
        assert_eq!(sent["metadata"]["order_id"], "o1");
        assert_eq!(sent["customer"]["email"], "ann@example.com");
        let forbidden = gateway("creem_wrong")
            .start_checkout(&request(&order, &product))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            forbidden.contains("403")
                && forbidden.contains("tr_1")
                && !forbidden.contains("creem_wrong")
        );
        package.creem_product_id = Some("prod_missing".into());
        let missing = Product::Package(package);
        let not_found = gateway("creem_test_key")
            .start_checkout(&request(&order, &missing))
            .await
            .unwrap_err()
            .to_string();
        assert!(not_found.contains("404"), "{not_found}");
        let unconfigured = Product::Package(catalog::default_packages()[0].clone());
        assert!(matches!(
            gateway("creem_test_key")
                .start_checkout(&request(&order, &unconfigured))
                .await,
            Err(BillingError::ProviderUnavailable)
        ));
    }
}

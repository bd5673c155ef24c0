use super::*;
use crate::db::Db;
use std::collections::HashSet;
use testkit::db_test;

const DAY: i64 = 24 * 3600 * 1000;

fn key(s: &str) -> IdempotencyKey {
    IdempotencyKey::new(s).unwrap()
}

async fn grant_at(
    db: &Db,
    user: &str,
    amount: i64,
    expires_at: Option<i64>,
    k: &str,
    now: i64,
) -> String {
    let mut tx = db.begin_write().await.unwrap();
    let k = key(k);
    let lot = grant_in(
        tx.conn(),
        Grant::new(user, LotSource::Purchase, amount, expires_at, &k),
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    lot.value
}

async fn assert_consistent(db: &Db, user: &str) {
    let balance = balance(db, user, crate::now_ms()).await.unwrap();
    let total = ledger_total(db, user).await.unwrap();
    let lots = lots(db, user, true).await.unwrap();
    assert!(
        lots.iter()
            .all(|l| l.remaining >= 0 && l.remaining <= l.amount)
    );
    let unfrozen: i64 = lots.iter().filter(|l| !l.frozen).map(|l| l.remaining).sum();
    assert_eq!(
        total,
        unfrozen - balance.debt,
        "entries sum to the ledger balance"
    );
    let kept: i64 =
        sqlx::query_scalar("SELECT ledger_balance FROM credit_accounts WHERE user_id = $1")
            .bind(user)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(kept, total);
}

db_test!(
    spends_soonest_expiring_first_and_never_expiring_last,
    |db: Db| async move {
        let now = crate::now_ms();
        let forever = grant_at(&db, "u1", 100, None, "g1", now).await;
        let late = grant_at(&db, "u1", 100, Some(now + 10 * DAY), "g2", now).await;
        let soon = grant_at(&db, "u1", 100, Some(now + 2 * DAY), "g3", now).await;
        spend(&db, "u1", 150, &key("s1")).await.unwrap();
        let remaining =
            |lots: &[Lot], id: &str| lots.iter().find(|l| l.id == id).unwrap().remaining;
        let all = lots(&db, "u1", true).await.unwrap();
        assert_eq!(remaining(&all, &soon), 0);
        assert_eq!(remaining(&all, &late), 50);
        assert_eq!(remaining(&all, &forever), 100);
        assert_eq!(all[0].id, soon, "listed soonest-expiring first");
        assert_eq!(balance(&db, "u1", now).await.unwrap().total(), 150);
        assert_consistent(&db, "u1").await;
    }
);

db_test!(a_repeated_key_is_applied_once, |db: Db| async move {
    let k = key("order:1:grant");
    let first = grant(&db, Grant::new("u1", LotSource::Purchase, 70, None, &k))
        .await
        .unwrap();
    let again = grant(&db, Grant::new("u1", LotSource::Purchase, 70, None, &k))
        .await
        .unwrap();
    assert!(!first.replayed && again.replayed);
    assert_eq!(first.value, again.value, "the replay names the first lot");
    let r1 = reserve(&db, "u1", 20, &key("task:1")).await.unwrap();
    let r2 = reserve(&db, "u1", 20, &key("task:1")).await.unwrap();
    assert_eq!(r1.value, r2.value);
    assert!(r2.replayed);
    assert_eq!(
        balance(&db, "u1", crate::now_ms()).await.unwrap().available,
        50
    );
    assert!(matches!(
        IdempotencyKey::new(""),
        Err(LedgerError::InvalidKey)
    ));
    assert!(matches!(
        IdempotencyKey::new("a b"),
        Err(LedgerError::InvalidKey)
    ));
    assert!(matches!(
        grant(
            &db,
            Grant::new("u1", LotSource::Admin, 0, None, &key("zero"))
        )
        .await,
        Err(LedgerError::InvalidAmount)
    ));
    assert_consistent(&db, "u1").await;
});

db_test!(
    a_reservation_is_captured_or_released_exactly_once,
    |db: Db| async move {
        grant(
            &db,
            Grant::new("u1", LotSource::Purchase, 100, None, &key("g")),
        )
        .await
        .unwrap();
        let held = reserve(&db, "u1", 30, &key("t1")).await.unwrap().value;
        let b = balance(&db, "u1", crate::now_ms()).await.unwrap();
        assert_eq!((b.available, b.held), (70, 30));
        assert!(!capture(&db, &held).await.unwrap().replayed);
        assert!(capture(&db, &held).await.unwrap().replayed);
        assert!(matches!(
            release(&db, &held).await,
            Err(LedgerError::AlreadySettled("captured"))
        ));
        assert_eq!(reservation_status(&db, &held).await.unwrap(), "captured");

        let other = reserve(&db, "u1", 50, &key("t2")).await.unwrap().value;
        assert!(!release(&db, &other).await.unwrap().replayed);
        assert!(release(&db, &other).await.unwrap().replayed);
        assert!(matches!(
            capture(&db, &other).await,
            Err(LedgerError::AlreadySettled("released"))
        ));
        let b = balance(&db, "u1", crate::now_ms()).await.unwrap();
        assert_eq!((b.available, b.held), (70, 0));
        assert!(matches!(
            capture(&db, "nope").await,
            Err(LedgerError::UnknownReservation)
        ));
        let short = reserve(&db, "u1", 71, &key("t3")).await;
        assert!(matches!(
            short,
            Err(LedgerError::Insufficient {
                required: 71,
                available: 70
            })
        ));
        assert_consistent(&db, "u1").await;
    }
);

db_test!(
    expired_lots_cannot_be_spent_and_the_expiry_job_records_them,
    |db: Db| async move {
        let now = crate::now_ms();
        grant_at(&db, "u1", 40, Some(now - 1), "old", now - DAY).await;
        grant_at(&db, "u1", 60, Some(now + DAY), "new", now).await;
        assert_eq!(balance(&db, "u1", now).await.unwrap().available, 60);
        assert!(matches!(
            reserve(&db, "u1", 61, &key("t")).await,
            Err(LedgerError::Insufficient { available: 60, .. })
        ));
        assert_eq!(expire_due(&db, now, 100).await.unwrap(), 1);
        assert_eq!(expire_due(&db, now, 100).await.unwrap(), 0, "idempotent");
        let expired = entries(
            &db,
            "u1",
            &EntryFilter {
                kinds: vec![EntryKind::Expire],
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(expired.len(), 1);
        assert_eq!((expired[0].delta, expired[0].amount), (-40, 40));
        // A day later the second lot expires too.
        assert_eq!(expire_due(&db, now + 2 * DAY, 100).await.unwrap(), 1);
        assert_eq!(ledger_total(&db, "u1").await.unwrap(), 0);
        assert_consistent(&db, "u1").await;
    }
);

db_test!(
    a_claw_back_takes_unspent_credits_then_other_lots_then_records_debt,
    |db: Db| async move {
        let now = crate::now_ms();
        let bought = grant_at(&db, "u1", 100, None, "buy", now).await;
        grant_at(&db, "u1", 30, Some(now + DAY), "bonus", now).await;
        // 30 from the bonus (soonest expiring), then 60 from the purchase.
        spend(&db, "u1", 90, &key("spent")).await.unwrap();
        let clawed = claw_back(&db, &bought, 100, "refunded", &key("refund"))
            .await
            .unwrap();
        assert_eq!(
            clawed.value,
            ClawBack {
                from_lot: 40,
                from_other_lots: 0,
                debt_added: 60
            }
        );
        assert!(
            claw_back(&db, &bought, 100, "refunded", &key("refund"))
                .await
                .unwrap()
                .replayed
        );
        let b = balance(&db, "u1", now).await.unwrap();
        assert_eq!((b.available, b.debt, b.total()), (0, 60, -60));
        assert!(matches!(
            reserve(&db, "u1", 1, &key("blocked")).await,
            Err(LedgerError::Insufficient { available: -60, .. })
        ));
        // Credits coming in pay the debt first.
        grant_at(&db, "u1", 50, None, "more", now).await;
        assert_eq!(balance(&db, "u1", now).await.unwrap().total(), -10);
        grant_at(&db, "u1", 25, None, "enough", now).await;
        let b = balance(&db, "u1", now).await.unwrap();
        assert_eq!((b.available, b.debt), (15, 0));
        spend(&db, "u1", 15, &key("again")).await.unwrap();
        assert_consistent(&db, "u1").await;
        let lot = lots(&db, "u1", true)
            .await
            .unwrap()
            .into_iter()
            .find(|l| l.id == bought)
            .unwrap();
        assert_eq!(lot.revoked.as_deref(), Some("refunded"));
    }
);

db_test!(
    a_frozen_lot_cannot_be_spent_until_the_dispute_is_won,
    |db: Db| async move {
        let now = crate::now_ms();
        let lot = grant_at(&db, "u1", 100, None, "buy", now).await;
        freeze_lot(&db, &lot, &key("dispute:1:open")).await.unwrap();
        let b = balance(&db, "u1", now).await.unwrap();
        assert_eq!((b.available, b.frozen), (0, 100));
        assert!(reserve(&db, "u1", 1, &key("t")).await.is_err());
        assert_consistent(&db, "u1").await;
        let mut tx = db.begin_write().await.unwrap();
        freeze_in(tx.conn(), &lot, false, &key("dispute:1:won"), now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(balance(&db, "u1", now).await.unwrap().available, 100);
        // Frozen again and lost: the whole lot goes; nothing else to take, nothing owed.
        freeze_lot(&db, &lot, &key("dispute:2:open")).await.unwrap();
        let lost = claw_back(&db, &lot, 100, "dispute_lost", &key("dispute:2:lost"))
            .await
            .unwrap();
        assert_eq!(
            lost.value,
            ClawBack {
                from_lot: 100,
                from_other_lots: 0,
                debt_added: 0
            }
        );
        let b = balance(&db, "u1", now).await.unwrap();
        assert_eq!((b.available, b.frozen, b.debt), (0, 0, 0));
        assert_consistent(&db, "u1").await;
    }
);

db_test!(
    a_released_reservation_pays_debt_first,
    |db: Db| async move {
        let now = crate::now_ms();
        let lot = grant_at(&db, "u1", 100, None, "buy", now).await;
        let held = reserve(&db, "u1", 80, &key("task")).await.unwrap().value;
        claw_back(&db, &lot, 100, "refunded", &key("refund"))
            .await
            .unwrap();
        assert_eq!(balance(&db, "u1", now).await.unwrap().debt, 80);
        release(&db, &held).await.unwrap();
        let b = balance(&db, "u1", now).await.unwrap();
        assert_eq!((b.available, b.debt, b.held), (0, 0, 0));
        assert_consistent(&db, "u1").await;
    }
);

db_test!(
    negative_adjustments_take_credits_then_record_debt,
    |db: Db| async move {
        grant(
            &db,
            Grant::new("u1", LotSource::Purchase, 10, None, &key("g")),
        )
        .await
        .unwrap();
        adjust(&db, "u1", -15, "correction", &key("adj"))
            .await
            .unwrap();
        assert!(
            adjust(&db, "u1", -15, "correction", &key("adj"))
                .await
                .unwrap()
                .replayed
        );
        let b = balance(&db, "u1", crate::now_ms()).await.unwrap();
        assert_eq!((b.available, b.debt), (0, 5));
        adjust(&db, "u1", 20, "goodwill", &key("adj2"))
            .await
            .unwrap();
        assert_eq!(
            balance(&db, "u1", crate::now_ms()).await.unwrap().total(),
            15
        );
        assert_consistent(&db, "u1").await;
    }
);

db_test!(
    sixty_four_concurrent_spenders_never_double_spend,
    |db: Db| async move {
        let now = crate::now_ms();
        // Several lots with different expiries: 2,200 credits in all (enough for every spend and
        // for all 64 tasks holding a reservation at the same moment).
        for (i, (amount, expiry)) in [
            (500, Some(3 * DAY)),
            (900, None),
            (300, Some(DAY)),
            (500, Some(2 * DAY)),
        ]
        .into_iter()
        .enumerate()
        {
            grant_at(
                &db,
                "hot",
                amount,
                expiry.map(|e: i64| now + e),
                &format!("g{i}"),
                now,
            )
            .await;
        }
        let mut tasks = Vec::new();
        for task in 0..64 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut spent = 0;
                for round in 0..10 {
                    // Each task spends 3 credits a round under its own key ...
                    spend(&db, "hot", 3, &key(&format!("spend:{task}:{round}")))
                        .await
                        .unwrap();
                    spent += 3;
                    // ... every task tries the same shared key, which must be spent once ...
                    if let Ok(a) = spend(&db, "hot", 3, &key(&format!("shared:{round}"))).await
                        && !a.replayed
                    {
                        spent += 3;
                    }
                    // ... and holds and gives back a reservation.
                    let held = reserve(&db, "hot", 2, &key(&format!("hold:{task}:{round}")))
                        .await
                        .unwrap();
                    release(&db, &held.value).await.unwrap();
                }
                spent
            }));
        }
        let mut spent = 0;
        for t in tasks {
            spent += t.await.unwrap();
        }
        assert_eq!(spent, 64 * 10 * 3 + 10 * 3);
        let b = balance(&db, "hot", now).await.unwrap();
        assert_eq!((b.available, b.held, b.debt), (2_200 - spent, 0, 0));
        assert_consistent(&db, "hot").await;
        // Spending order held under contention: the soonest lots are empty, the last one is not.
        let lots = lots(&db, "hot", true).await.unwrap();
        assert_eq!(
            lots.iter().map(|l| l.remaining).collect::<Vec<_>>(),
            vec![0, 0, 0, 250]
        );
        let captures: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_entries WHERE user_id = 'hot' AND kind = 'capture'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
        assert_eq!(captures, spent, "every spend captured once");
        let keys: Vec<String> =
            sqlx::query_scalar("SELECT idempotency_key FROM ledger_entries WHERE user_id = 'hot'")
                .fetch_all(db.pool())
                .await
                .unwrap();
        let distinct: HashSet<_> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len());
    }
);

mod model {
    //! Random sequences of ledger operations against a plain in-memory model.
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Op {
        Grant {
            amount: i64,
            expires_in: Option<i64>,
        },
        Reserve {
            amount: i64,
        },
        Capture {
            which: usize,
        },
        Release {
            which: usize,
        },
        Tick {
            ms: i64,
        },
        Expire,
        Refund {
            which: usize,
            credits: i64,
        },
        Freeze {
            which: usize,
        },
        Unfreeze {
            which: usize,
        },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (1..200i64, prop::option::of(1..50i64)).prop_map(|(amount, e)| Op::Grant { amount, expires_in: e.map(|e| e * 1000) }),
            4 => (1..150i64).prop_map(|amount| Op::Reserve { amount }),
            2 => any::<usize>().prop_map(|which| Op::Capture { which }),
            2 => any::<usize>().prop_map(|which| Op::Release { which }),
            1 => (1..30i64).prop_map(|s| Op::Tick { ms: s * 1000 }),
            1 => Just(Op::Expire),
            1 => (any::<usize>(), 1..250i64).prop_map(|(which, credits)| Op::Refund { which, credits }),
            1 => any::<usize>().prop_map(|which| Op::Freeze { which }),
            1 => any::<usize>().prop_map(|which| Op::Unfreeze { which }),
        ]
    }

    #[derive(Clone, Debug)]
    struct MLot {
        id: String,
        amount: i64,
        remaining: i64,
        expires_at: Option<i64>,
        frozen: bool,
        created: i64,
    }

    #[derive(Debug)]
    struct MRes {
        id: String,
        amount: i64,
        parts: Vec<(usize, i64)>,
        status: &'static str,
    }

    #[derive(Default, Debug)]
    struct Model {
        lots: Vec<MLot>,
        res: Vec<MRes>,
        debt: i64,
    }

    impl Model {
        fn spend_order(&self, now: i64, except: Option<usize>) -> Vec<usize> {
            let mut order: Vec<usize> = (0..self.lots.len())
                .filter(|&i| Some(i) != except)
                .filter(|&i| {
                    let l = &self.lots[i];
                    l.remaining > 0 && !l.frozen && l.expires_at.is_none_or(|e| e > now)
                })
                .collect();
            order.sort_by_key(|&i| {
                let l = &self.lots[i];
                (
                    l.expires_at.is_none(),
                    l.expires_at,
                    l.created,
                    l.id.clone(),
                )
            });
            order
        }
        fn take(&mut self, now: i64, wanted: i64, except: Option<usize>) -> Vec<(usize, i64)> {
            let mut left = wanted;
            let mut parts = Vec::new();
            for i in self.spend_order(now, except) {
                if left == 0 {
                    break;
                }
                let n = left.min(self.lots[i].remaining);
                self.lots[i].remaining -= n;
                left -= n;
                parts.push((i, n));
            }
            parts
        }
        fn available(&self, now: i64) -> i64 {
            self.spend_order(now, None)
                .iter()
                .map(|&i| self.lots[i].remaining)
                .sum()
        }
    }

    async fn run(db: &Db, user: &str, ops: Vec<Op>) -> Result<(), TestCaseError> {
        let mut m = Model::default();
        let mut now = 1_000_000_000_000i64;
        for (step, op) in ops.into_iter().enumerate() {
            now += 1;
            let k = key(&format!("{user}:{step}"));
            let mut tx = db.begin_write().await.unwrap();
            let conn = tx.conn();
            match op {
                Op::Grant { amount, expires_in } => {
                    let expires_at = expires_in.map(|e| now + e);
                    let lot = grant_in(
                        conn,
                        Grant::new(user, LotSource::Purchase, amount, expires_at, &k),
                        now,
                    )
                    .await
                    .unwrap();
                    let settle = m.debt.min(amount);
                    m.debt -= settle;
                    m.lots.push(MLot {
                        id: lot.value,
                        amount,
                        remaining: amount - settle,
                        expires_at,
                        frozen: false,
                        created: now,
                    });
                }
                Op::Reserve { amount } => {
                    let got = reserve_in(conn, user, amount, &k, now).await;
                    let available = m.available(now);
                    if m.debt > 0 || available < amount {
                        let refused = matches!(got, Err(LedgerError::Insufficient { required, available: a }) if required == amount && a == available - m.debt);
                        prop_assert!(refused, "expected a refusal, got {:?}", got);
                    } else {
                        let id = got.unwrap().value;
                        let parts = m.take(now, amount, None);
                        m.res.push(MRes {
                            id,
                            amount,
                            parts,
                            status: "held",
                        });
                    }
                }
                Op::Capture { which } | Op::Release { which } if m.res.is_empty() => {
                    let _ = which;
                }
                Op::Capture { which } => {
                    let r = which % m.res.len();
                    let got = settle_in(conn, &m.res[r].id, Settle::Capture, now).await;
                    match m.res[r].status {
                        "held" => {
                            let ok = matches!(
                                got,
                                Ok(Applied {
                                    replayed: false,
                                    ..
                                })
                            );
                            prop_assert!(ok);
                            m.res[r].status = "captured";
                        }
                        "captured" => {
                            let ok = matches!(got, Ok(Applied { replayed: true, .. }));
                            prop_assert!(ok)
                        }
                        _ => {
                            let ok = matches!(got, Err(LedgerError::AlreadySettled(_)));
                            prop_assert!(ok)
                        }
                    }
                }
                Op::Release { which } => {
                    let r = which % m.res.len();
                    let got = settle_in(conn, &m.res[r].id, Settle::Release, now).await;
                    match m.res[r].status {
                        "held" => {
                            let ok = matches!(
                                got,
                                Ok(Applied {
                                    replayed: false,
                                    ..
                                })
                            );
                            prop_assert!(ok);
                            m.res[r].status = "released";
                            let mut to_debt = m.debt.min(m.res[r].amount);
                            m.debt -= to_debt;
                            let mut parts = m.res[r].parts.clone();
                            parts.sort_by_key(|(i, _)| (m.lots[*i].created, m.lots[*i].id.clone()));
                            for (i, n) in parts {
                                let cut = to_debt.min(n);
                                to_debt -= cut;
                                m.lots[i].remaining += n - cut;
                            }
                        }
                        "released" => {
                            let ok = matches!(got, Ok(Applied { replayed: true, .. }));
                            prop_assert!(ok)
                        }
                        _ => {
                            let ok = matches!(got, Err(LedgerError::AlreadySettled(_)));
                            prop_assert!(ok)
                        }
                    }
                }
                Op::Tick { ms } => now += ms,
                Op::Expire => {}
                Op::Refund { .. } | Op::Freeze { .. } | Op::Unfreeze { .. }
                    if m.lots.is_empty() => {}
                Op::Refund { which, credits } => {
                    let i = which % m.lots.len();
                    let got =
                        claw_back_in(conn, &m.lots[i].id.clone(), credits, "refunded", &k, now)
                            .await
                            .unwrap();
                    let wanted = credits.min(m.lots[i].amount);
                    let from_lot = m.lots[i].remaining.min(wanted);
                    m.lots[i].remaining -= from_lot;
                    if wanted == m.lots[i].amount {
                        m.lots[i].frozen = false;
                    }
                    let others: i64 = m
                        .take(now, wanted - from_lot, Some(i))
                        .iter()
                        .map(|(_, n)| n)
                        .sum();
                    let debt_added = wanted - from_lot - others;
                    m.debt += debt_added;
                    prop_assert_eq!(
                        got.value,
                        ClawBack {
                            from_lot,
                            from_other_lots: others,
                            debt_added
                        }
                    );
                }
                Op::Freeze { which } | Op::Unfreeze { which } => {
                    let i = which % m.lots.len();
                    let freeze = matches!(op, Op::Freeze { .. });
                    freeze_in(conn, &m.lots[i].id.clone(), freeze, &k, now)
                        .await
                        .unwrap();
                    if m.lots[i].frozen != freeze {
                        if !freeze {
                            let to_debt = m.debt.min(m.lots[i].remaining);
                            m.debt -= to_debt;
                            m.lots[i].remaining -= to_debt;
                        }
                        m.lots[i].frozen = freeze;
                    }
                }
            }
            tx.commit().await.unwrap();
            if matches!(op, Op::Expire) {
                expire_due(db, now, 1000).await.unwrap();
                for l in &mut m.lots {
                    if l.expires_at.is_some_and(|e| e <= now) && !l.frozen {
                        l.remaining = 0;
                    }
                }
            }
            let b = balance(db, user, now).await.unwrap();
            let held: i64 = m
                .res
                .iter()
                .filter(|r| r.status == "held")
                .map(|r| r.amount)
                .sum();
            let frozen: i64 = m
                .lots
                .iter()
                .filter(|l| l.frozen)
                .map(|l| l.remaining)
                .sum();
            prop_assert_eq!(
                (b.available, b.held, b.frozen, b.debt),
                (m.available(now), held, frozen, m.debt),
                "after {:?}",
                op
            );
            let unfrozen: i64 = m
                .lots
                .iter()
                .filter(|l| !l.frozen)
                .map(|l| l.remaining)
                .sum();
            prop_assert_eq!(ledger_total(db, user).await.unwrap(), unfrozen - m.debt);
            let stored = lots(db, user, true).await.unwrap();
            for l in &m.lots {
                let s = stored.iter().find(|s| s.id == l.id).unwrap();
                prop_assert_eq!(s.remaining, l.remaining);
                prop_assert!(s.remaining >= 0);
            }
        }
        Ok(())
    }

    fn check(db: Db) {
        let runtime = tokio::runtime::Handle::current();
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
            cases: 48,
            failure_persistence: None,
            ..ProptestConfig::default()
        });
        let case = std::sync::atomic::AtomicUsize::new(0);
        runner
            .run(&prop::collection::vec(op(), 1..40), |ops| {
                let user = format!(
                    "p{}",
                    case.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                );
                tokio::task::block_in_place(|| runtime.block_on(run(&db, &user, ops)))
            })
            .unwrap();
    }

    // `check` blocks on the test's runtime from a worker thread: two workers.
    db_test!(
        random_sequences_match_the_model,
        threads = 2,
        |db: Db| async move {
            tokio::task::block_in_place(|| check(db));
        }
    );
}

//! Ledger throughput: N concurrent clients each spending 1 credit at a time (reserve and
//! capture in one transaction, a fresh idempotency key each), for a fixed time.
//!
//! ```sh
//! cargo run --release -p domain --example ledger_bench -- [sqlite|postgres://…] [clients] [seconds] [own|shared]
//! ```
//!
//! `own`: every client spends from its own account (the common case: many people at once).
//! `shared`: all clients spend from one account (the worst case: every spend queues on one
//! account lock). Prints spends per second and latency percentiles.

use domain::{
    credits::{self, Grant, IdempotencyKey, LotSource},
    db::Db,
};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target = args.first().map(String::as_str).unwrap_or("sqlite");
    let clients: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(64);
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let shared = args.get(3).map(String::as_str) == Some("shared");

    let dir = tempfile::tempdir().expect("a temporary directory");
    let (url, pool) = if target == "sqlite" {
        (
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("bench.db").display()
            ),
            16,
        )
    } else {
        // A fresh database on the given server, dropped at the end.
        let admin = Db::connect(target, 1).await.expect("connect");
        let name = format!("bn_bench_{}", uuid_like());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(admin.pool())
            .await
            .expect("create database");
        admin.close().await;
        let mut url = url::Url::parse(target).expect("a URL");
        url.set_path(&name);
        (url.to_string(), 32)
    };
    let db = Db::connect(&url, pool).await.expect("connect");
    db.migrate().await.expect("migrate");

    // Several lots per account, with different expiries, as real accounts have.
    let accounts = if shared { 1 } else { clients };
    let now = domain::now_ms();
    for a in 0..accounts {
        for (i, days) in [Some(30), Some(365), None].into_iter().enumerate() {
            let key = IdempotencyKey::new(format!("bench:{a}:{i}")).unwrap();
            credits::grant(
                &db,
                Grant::new(
                    &format!("bench-{a}"),
                    LotSource::Purchase,
                    10_000_000,
                    days.map(|d: i64| now + d * 86_400_000),
                    &key,
                ),
            )
            .await
            .expect("grant");
        }
    }

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let db = db.clone();
        let account = if shared { 0 } else { c };
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut n = 0u64;
            while Instant::now() < deadline {
                let key = IdempotencyKey::new(format!("spend:{c}:{n}")).unwrap();
                let started = Instant::now();
                credits::spend(&db, &format!("bench-{account}"), 1, &key)
                    .await
                    .expect("spend");
                latencies.push(started.elapsed());
                n += 1;
            }
            latencies
        }));
    }
    let started = Instant::now();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("client"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{} {} clients, {} account(s), {:.0} s: {} spends, {:.0} spends/s, p50 {:.2} ms, p99 {:.2} ms",
        db.backend().name(),
        clients,
        accounts,
        elapsed,
        latencies.len(),
        latencies.len() as f64 / elapsed,
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
    );
    // The books balance after the run.
    for a in 0..accounts {
        let user = format!("bench-{a}");
        let total = credits::ledger_total(&db, &user).await.unwrap();
        let balance = credits::balance(&db, &user, domain::now_ms())
            .await
            .unwrap();
        assert_eq!(total, balance.total(), "entries sum to the balance");
    }
    db.close().await;
    if target != "sqlite" {
        let admin = Db::connect(target, 1).await.expect("connect");
        let name = url::Url::parse(&url)
            .unwrap()
            .path()
            .trim_start_matches('/')
            .to_string();
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(admin.pool())
            .await;
    }
}

fn uuid_like() -> String {
    domain::new_id().replace('-', "")
}

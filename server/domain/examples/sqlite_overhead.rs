//! Where a SQLite write transaction's time goes: `Db::begin_write` and commit with no
//! statement, with one, and with seven trivial statements (a spend issues seven), one
//! transaction after another.
//!
//! ```sh
//! cargo run --release -p domain --example sqlite_overhead
//! ```

use domain::db::Db;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let db = Db::connect(&url, 16).await.expect("open SQLite");
    db.migrate().await.expect("migrate");
    for statements in [0, 1, 7] {
        let transactions = 3000;
        let started = Instant::now();
        for _ in 0..transactions {
            let mut tx = db.begin_write().await.expect("begin");
            for _ in 0..statements {
                sqlx::query("SELECT 1")
                    .execute(tx.conn())
                    .await
                    .expect("select");
            }
            tx.commit().await.expect("commit");
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{statements} statement(s) per transaction: {:.0} transactions/s, {:.0} µs each",
            f64::from(transactions) / seconds,
            seconds * 1e6 / f64::from(transactions)
        );
    }
    db.close().await;
}

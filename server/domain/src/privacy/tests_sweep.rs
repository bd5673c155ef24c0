//! The retention sweeper on both databases, with a controlled clock: each rule at its
//! boundary, dry runs, repeated and concurrent runs, and the analytics fold.

use super::{
    DataCategory, Retention, rule,
    sweep::{self, RULES, SweepReport},
};
use crate::{
    AppState,
    db::Db,
    generation::guests,
    storage::StorageKey,
    testing::{insert_user, state_for},
};
use secrecy::ExposeSecret;
use sqlx::Row;
use testkit::db_test;

const DAY: i64 = 24 * 3600 * 1000;

/// A period of the registry in milliseconds: the tests read the same source as the code.
fn period(category: DataCategory) -> i64 {
    match rule(category).retention {
        Retention::For(d)
        | Retention::UnlessMigrated(d)
        | Retention::ThenAnonymized(d)
        | Retention::WhileActiveThen(d) => d.as_millis() as i64,
        Retention::UntilWithdrawn => panic!("{category:?} has no period"),
    }
}

/// "Now" for these tests: the real clock, so rows written with it (audit entries) sit where
/// they would in production.
fn now() -> i64 {
    crate::now_ms()
}

async fn rows(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

async fn exists(db: &Db, table: &str, id: &str) -> bool {
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    n == 1
}

async fn file_exists(state: &AppState, key: &str) -> bool {
    state
        .storage
        .get(&StorageKey::parse(key).unwrap())
        .await
        .unwrap()
        .is_some()
}

async fn put_file(state: &AppState, key: &str) {
    state
        .storage
        .put(
            &StorageKey::parse(key).unwrap(),
            b"png".to_vec(),
            "image/png",
        )
        .await
        .unwrap();
}

/// A finished task of `owner` with one output (image and thumbnail stored); returns the
/// task id and the output's two file keys.
async fn task(
    state: &AppState,
    user_id: Option<&str>,
    guest_id: Option<&str>,
    status: &str,
    created_at: i64,
) -> (String, [String; 2]) {
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO tasks (id, batch_id, user_id, guest_id, model_id, provider, params, prompt, \
         cost, status, max_attempts, run_after, created_at, updated_at) \
         VALUES ($1, $1, $2, $3, 'offline', 'local', '{}', 'a cat', 1, $4, 3, $5, $5, $5)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(guest_id)
    .bind(status)
    .bind(created_at)
    .execute(state.db.pool())
    .await
    .unwrap();
    let owner = user_id.or(guest_id).unwrap();
    let image = format!("outputs/{owner}/{id}.png");
    let thumb = format!("outputs/{owner}/{id}.thumb.webp");
    put_file(state, &image).await;
    put_file(state, &thumb).await;
    sqlx::query(
        "INSERT INTO task_outputs (id, task_id, position, storage_key, thumb_key, content_type, \
         width, height, bytes, created_at) VALUES ($1, $2, 0, $3, $4, 'image/png', 8, 8, 3, $5)",
    )
    .bind(crate::new_id())
    .bind(&id)
    .bind(&image)
    .bind(&thumb)
    .bind(created_at)
    .execute(state.db.pool())
    .await
    .unwrap();
    (id, [image, thumb])
}

async fn upload(state: &AppState, user_id: &str, created_at: i64) -> (String, String) {
    let id = crate::new_id();
    let key = format!("uploads/{user_id}/{id}.png");
    put_file(state, &key).await;
    sqlx::query(
        "INSERT INTO uploads (id, user_id, purpose, storage_key, content_type, width, height, \
         bytes, sha256, created_at) VALUES ($1, $2, 'reference', $3, 'image/png', 8, 8, 3, 'x', $4)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(&key)
    .bind(created_at)
    .execute(state.db.pool())
    .await
    .unwrap();
    (id, key)
}

async fn guest(db: &Db, last_seen_at: i64) -> String {
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO guests (id, trial_allowance, trial_used, created_at, last_seen_at) \
         VALUES ($1, 3, 0, $2, $2)",
    )
    .bind(&id)
    .bind(last_seen_at)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn event(db: &Db, name: &str, path: &str, created_at: i64) {
    sqlx::query(
        "INSERT INTO analytics_events (id, visitor_id, user_id, name, path, created_at) \
         VALUES ($1, 'v1', NULL, $2, $3, $4)",
    )
    .bind(crate::new_id())
    .bind(name)
    .bind(path)
    .bind(created_at)
    .execute(db.pool())
    .await
    .unwrap();
}

async fn audit_entry(db: &Db, created_at: i64) -> String {
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO audit_log (id, actor_id, subject_id, action, detail, ip, created_at) \
         VALUES ($1, 'u-actor', 'u-subject', 'account.updated', '{}', '192.0.2.1', $2)",
    )
    .bind(&id)
    .bind(created_at)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn session(db: &Db, expires_at: i64) -> String {
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO sessions (id, handle, user_id, data, expires_at, created_at, last_seen_at) \
         VALUES ($1, $1, NULL, '{}', $2, $2, $2)",
    )
    .bind(&id)
    .bind(expires_at)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn consent(db: &Db, user_id: Option<&str>, visitor_id: &str, created_at: i64) -> String {
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO consent_records (id, user_id, visitor_id, functional, analytics, marketing, \
         source, policy_version, created_at) VALUES ($1, $2, $3, 1, 0, 0, 'banner', 'v1', $4)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(visitor_id)
    .bind(created_at)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn outbox(db: &Db, created_at: i64) -> String {
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO email_outbox (id, idempotency_key, to_address, subject, html, text, kind, \
         locale, created_at) VALUES ($1, $1, 'a@example.com', 's', 'h', 't', 'k', 'en', $2)",
    )
    .bind(&id)
    .bind(created_at)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn rate_limit(db: &Db, window_start: i64) -> String {
    let key = format!("sign-in:ip:{}", crate::new_id());
    sqlx::query("INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)")
        .bind(&key)
        .bind(window_start)
        .execute(db.pool())
        .await
        .unwrap();
    key
}

async fn request(db: &Db, status: &str, created_at: i64, closed_at: Option<i64>) -> String {
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO privacy_requests (id, user_id, email, kind, details, locale, status, \
         status_token_hash, closed_at, created_at) \
         VALUES ($1, NULL, 'a@example.com', 'access', 'please', 'en', $2, $1, $3, $4)",
    )
    .bind(&id)
    .bind(status)
    .bind(closed_at)
    .bind(created_at)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn order(db: &Db, user_id: &str, created_at: i64) -> String {
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO orders (id, number, user_id, provider, kind, product_id, credits, amount, \
         currency, status, created_at, updated_at) \
         VALUES ($1, $1, $2, 'local', 'package', 'p', 10, 500, 'USD', 'paid', $3, $3)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(created_at)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn ledger_entry(db: &Db, user_id: &str, created_at: i64) -> String {
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO ledger_entries (id, user_id, kind, delta, amount, balance_after, \
         idempotency_key, created_at) VALUES ($1, $2, 'grant', 10, 10, 10, $1, $3)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(created_at)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

/// One row or file of every kind, some just past their period and some just inside it.
struct Seeded {
    old_task: (String, [String; 2]),
    young_task: (String, [String; 2]),
    running_task: String,
    guest_task: String,
    old_upload: (String, String),
    young_upload: (String, String),
    stale_guest: String,
    fresh_guest: String,
    old_audit: String,
    young_audit: String,
    expired_session: String,
    live_session: String,
    superseded_consent: String,
    latest_consent: String,
    only_visitor_consent: String,
    old_outbox: String,
    young_outbox: String,
    old_limit: String,
    young_limit: String,
    closed_request: String,
    young_closed_request: String,
    open_request: String,
    unverified_request: String,
    young_unverified_request: String,
    old_flag: String,
    young_flag: String,
    gone_order: String,
    young_gone_order: String,
    customer_order: String,
    gone_entry: String,
}

async fn flag(db: &Db, created_at: i64) -> String {
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO moderation_flags (id, subject, subject_id, source, reason, excerpt, \
         created_at) VALUES ($1, 'prompt', $1, 'blocklist', 'blocked-term', 'an excerpt', $2)",
    )
    .bind(&id)
    .bind(created_at)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn seed(state: &AppState, at: i64) -> Seeded {
    let db = &state.db;
    let person = insert_user(db, &format!("{}@example.com", crate::new_id())).await;
    let content = period(DataCategory::GeneratedContent).min(period(DataCategory::UploadsPrompts));
    let logs = period(DataCategory::LogsAnalytics);
    let payments = period(DataCategory::OrdersPayments);
    let guest_period = guests::retention_ms();

    let stale_guest = guest(db, at - guest_period - 1).await;
    let fresh_guest = guest(db, at - guest_period).await;
    // A guest's task is the guest rule's, however old.
    let (guest_task, _) = task(
        state,
        None,
        Some(&stale_guest),
        "succeeded",
        at - 10 * content,
    )
    .await;
    for (offset, name) in [(1, "page_view"), (2, "page_view"), (DAY + 3, "generate")] {
        event(db, name, "/workbench", at - logs - offset).await;
    }
    event(db, "page_view", "/workbench", at - logs).await;
    let pseudonym = format!("gone-{}", &crate::new_id()[..8]);
    Seeded {
        old_task: task(state, Some(&person), None, "succeeded", at - content - 1).await,
        young_task: task(state, Some(&person), None, "failed", at - content).await,
        running_task: task(state, Some(&person), None, "running", at - 2 * content)
            .await
            .0,
        guest_task,
        old_upload: upload(
            state,
            &person,
            at - period(DataCategory::UploadsPrompts) - 1,
        )
        .await,
        young_upload: upload(state, &person, at - period(DataCategory::UploadsPrompts)).await,
        stale_guest,
        fresh_guest,
        old_audit: audit_entry(db, at - logs - 1).await,
        young_audit: audit_entry(db, at - logs).await,
        expired_session: session(db, at).await,
        live_session: session(db, at + 1).await,
        superseded_consent: consent(
            db,
            Some(&person),
            "browser-a",
            at - period(DataCategory::Cookies) - 2,
        )
        .await,
        // The latest of the person, though old, is the proof of their choice.
        latest_consent: consent(
            db,
            Some(&person),
            "browser-b",
            at - period(DataCategory::Cookies) - 1,
        )
        .await,
        only_visitor_consent: consent(db, None, "browser-c", at - 3 * logs).await,
        old_outbox: outbox(db, at - logs - 1).await,
        young_outbox: outbox(db, at - logs).await,
        old_limit: rate_limit(db, at - DAY - 1).await,
        young_limit: rate_limit(db, at - DAY).await,
        closed_request: request(db, "completed", at - 3 * logs, Some(at - logs - 1)).await,
        young_closed_request: request(db, "refused", at - 3 * logs, Some(at - logs)).await,
        open_request: request(db, "open", at - 3 * logs, None).await,
        unverified_request: request(db, "unverified", at - logs - 1, None).await,
        // A confirmation link works 7 days; a request never confirmed goes after that.
        young_unverified_request: request(
            db,
            "unverified",
            at - crate::privacy::requests::VERIFY_LINK_LIFETIME.as_millis() as i64,
            None,
        )
        .await,
        old_flag: flag(db, at - period(DataCategory::UploadsPrompts) - 1).await,
        young_flag: flag(db, at - period(DataCategory::UploadsPrompts)).await,
        gone_order: order(db, &pseudonym, at - payments - 1).await,
        young_gone_order: order(db, &pseudonym, at - payments).await,
        customer_order: order(db, &person, at - 2 * payments).await,
        gone_entry: ledger_entry(db, &pseudonym, at - payments - 1).await,
    }
}

fn counts(report: &SweepReport) -> Vec<(String, u64)> {
    report.rules.clone()
}

async fn daily_total(db: &Db) -> i64 {
    let rows = sqlx::query("SELECT events FROM analytics_daily")
        .fetch_all(db.pool())
        .await
        .unwrap();
    rows.iter().map(|row| row.get::<i64, _>(0)).sum()
}

db_test!(
    each_rule_takes_what_outlived_its_period_and_nothing_younger,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let at = now();
        let s = seed(&state, at).await;

        let report = sweep::run(&state, at, false).await.unwrap();
        let names: Vec<&str> = report.rules.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, RULES, "every rule runs, in order");
        let affected = |rule: &str| report.affected(rule).unwrap();
        assert_eq!(affected("generated-content"), 1);
        assert_eq!(affected("uploads"), 1);
        assert_eq!(affected("guest-data"), 1);
        assert_eq!(affected("analytics-events"), 3);
        assert_eq!(affected("audit-log"), 1);
        assert_eq!(affected("sessions"), 1);
        assert_eq!(affected("consent-records"), 1);
        assert_eq!(affected("sent-email"), 1);
        assert_eq!(affected("rate-limits"), 1);
        assert_eq!(affected("closed-requests"), 2);
        assert_eq!(affected("moderation-flags"), 1);
        assert!(!exists(&db, "moderation_flags", &s.old_flag).await);
        assert!(exists(&db, "moderation_flags", &s.young_flag).await);
        assert!(exists(&db, "privacy_requests", &s.young_unverified_request).await);
        // The order and the ledger entry of the purged person.
        assert_eq!(affected("payment-records"), 2);

        // Generated content: the old task, its outputs and files go; the one exactly at the
        // limit, the running one and the guest's stay.
        assert!(!exists(&db, "tasks", &s.old_task.0).await);
        for key in &s.old_task.1 {
            assert!(!file_exists(&state, key).await, "{key}");
        }
        let outputs = rows(&db, "SELECT COUNT(*) FROM task_outputs").await;
        assert_eq!(outputs, 2, "the young and the running task keep theirs");
        assert!(exists(&db, "tasks", &s.young_task.0).await);
        for key in &s.young_task.1 {
            assert!(file_exists(&state, key).await, "{key}");
        }
        assert!(exists(&db, "tasks", &s.running_task).await);
        // Uploads.
        assert!(!exists(&db, "uploads", &s.old_upload.0).await);
        assert!(!file_exists(&state, &s.old_upload.1).await);
        assert!(exists(&db, "uploads", &s.young_upload.0).await);
        assert!(file_exists(&state, &s.young_upload.1).await);
        // Guests: the stale one goes with its task, the one at the limit stays.
        assert!(!exists(&db, "guests", &s.stale_guest).await);
        assert!(!exists(&db, "tasks", &s.guest_task).await);
        assert!(exists(&db, "guests", &s.fresh_guest).await);
        // Analytics: three old events folded, the one at the limit kept.
        assert_eq!(rows(&db, "SELECT COUNT(*) FROM analytics_events").await, 1);
        assert_eq!(daily_total(&db).await, 3);
        assert_eq!(
            rows(&db, "SELECT COUNT(*) FROM analytics_daily").await,
            2,
            "two days"
        );
        // The audit log keeps the entry but not whom it concerned.
        let old =
            sqlx::query("SELECT actor_id, subject_id, ip, action FROM audit_log WHERE id = $1")
                .bind(&s.old_audit)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(old.get::<Option<String>, _>(0), None);
        assert_eq!(old.get::<Option<String>, _>(1), None);
        assert_eq!(old.get::<Option<String>, _>(2), None);
        assert_eq!(old.get::<String, _>(3), "account.updated");
        let young: Option<String> = sqlx::query_scalar("SELECT ip FROM audit_log WHERE id = $1")
            .bind(&s.young_audit)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(young.as_deref(), Some("192.0.2.1"));
        // Sessions, consent, sent email, rate limits, requests.
        assert!(!exists(&db, "sessions", &s.expired_session).await);
        assert!(exists(&db, "sessions", &s.live_session).await);
        assert!(!exists(&db, "consent_records", &s.superseded_consent).await);
        assert!(exists(&db, "consent_records", &s.latest_consent).await);
        assert!(exists(&db, "consent_records", &s.only_visitor_consent).await);
        assert!(!exists(&db, "email_outbox", &s.old_outbox).await);
        assert!(exists(&db, "email_outbox", &s.young_outbox).await);
        let limits = |key: &str| {
            let key = key.to_string();
            let db = db.clone();
            async move {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_limits WHERE key = $1")
                    .bind(key)
                    .fetch_one(db.pool())
                    .await
                    .unwrap();
                n
            }
        };
        assert_eq!(limits(&s.old_limit).await, 0);
        assert_eq!(limits(&s.young_limit).await, 1);
        assert!(!exists(&db, "privacy_requests", &s.closed_request).await);
        assert!(!exists(&db, "privacy_requests", &s.unverified_request).await);
        assert!(exists(&db, "privacy_requests", &s.young_closed_request).await);
        assert!(exists(&db, "privacy_requests", &s.open_request).await);
        // Payment records: only a purged person's, only past seven years.
        assert!(!exists(&db, "orders", &s.gone_order).await);
        assert!(!exists(&db, "ledger_entries", &s.gone_entry).await);
        assert!(exists(&db, "orders", &s.young_gone_order).await);
        assert!(exists(&db, "orders", &s.customer_order).await);

        // Each run is on record: one row per rule, and one audit entry with the counts only.
        let runs =
            sqlx::query("SELECT rule, affected, dry_run FROM retention_runs WHERE ran_at = $1")
                .bind(at)
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(runs.len(), RULES.len());
        for row in &runs {
            let rule: String = row.get(0);
            assert_eq!(
                Some(row.get::<i64, _>(1) as u64),
                report.affected(&rule),
                "{rule}"
            );
            assert_eq!(row.get::<i64, _>(2), 0);
        }
        let detail: String = sqlx::query_scalar(
            "SELECT detail FROM audit_log WHERE action = 'retention.swept' AND actor_id IS NULL",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
        assert_eq!(detail["rules"]["analytics-events"], 3);
        assert_eq!(detail["rules"]["payment-records"], 2);

        // A millisecond later, everything that was exactly at its limit has passed it.
        let later = sweep::run(&state, at + 1, false).await.unwrap();
        for (rule, expected) in [
            ("generated-content", 1),
            ("uploads", 1),
            ("guest-data", 1),
            ("analytics-events", 1),
            ("audit-log", 1),
            ("sessions", 1),
            ("sent-email", 1),
            ("rate-limits", 1),
            ("closed-requests", 2),
            ("moderation-flags", 1),
            ("payment-records", 1),
            // Still the person's latest choice.
            ("consent-records", 0),
        ] {
            assert_eq!(later.affected(rule), Some(expected), "{rule}");
        }
        assert!(!exists(&db, "tasks", &s.young_task.0).await);
        assert!(
            exists(&db, "tasks", &s.running_task).await,
            "running tasks finish first"
        );
        assert!(exists(&db, "consent_records", &s.latest_consent).await);
        assert!(exists(&db, "orders", &s.customer_order).await);
        assert_eq!(daily_total(&db).await, 4);
    }
);

/// Every row of every table the sweeper touches, and the stored files: what a dry run must
/// leave exactly as it was.
async fn snapshot(state: &AppState) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for table in [
        "tasks",
        "task_outputs",
        "uploads",
        "guests",
        "analytics_events",
        "analytics_daily",
        "sessions",
        "consent_records",
        "email_outbox",
        "rate_limits",
        "privacy_requests",
        "orders",
        "ledger_entries",
        "users",
        "data_exports",
    ] {
        out.push((
            table.to_string(),
            rows(&state.db, &format!("SELECT COUNT(*) FROM {table}")).await,
        ));
    }
    out.push((
        "identifying audit entries".into(),
        rows(
            &state.db,
            "SELECT COUNT(*) FROM audit_log WHERE actor_id IS NOT NULL OR ip IS NOT NULL",
        )
        .await,
    ));
    let root = StorageKey::parse("uploads").unwrap();
    let outputs = StorageKey::parse("outputs").unwrap();
    let files = state.storage.list(&root).await.unwrap().len()
        + state.storage.list(&outputs).await.unwrap().len();
    out.push(("files".into(), files as i64));
    out
}

db_test!(
    a_dry_run_changes_nothing_and_predicts_the_run,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let at = now();
        seed(&state, at).await;
        let before = snapshot(&state).await;
        let audit_before = rows(&db, "SELECT COUNT(*) FROM audit_log").await;

        let dry = sweep::run(&state, at, true).await.unwrap();
        assert_eq!(snapshot(&state).await, before, "a dry run changes nothing");
        assert_eq!(
            rows(&db, "SELECT COUNT(*) FROM audit_log").await,
            audit_before,
            "and audits nothing: nothing changed"
        );
        assert!(dry.total() >= 15, "{dry:?}");
        let recorded = rows(&db, "SELECT COUNT(*) FROM retention_runs WHERE dry_run = 1").await;
        assert_eq!(
            recorded as usize,
            RULES.len(),
            "the dry run is on record as one"
        );

        let real = sweep::run(&state, at, true).await.unwrap();
        assert_eq!(counts(&real), counts(&dry), "two dry runs agree");
        let real = sweep::run(&state, at, false).await.unwrap();
        assert_eq!(
            counts(&real),
            counts(&dry),
            "the run does what the dry run said"
        );
        assert_ne!(snapshot(&state).await, before);

        // Right after, there is nothing left to do.
        let again = sweep::run(&state, at, false).await.unwrap();
        assert_eq!(again.total(), 0, "{again:?}");
        assert_eq!(sweep::run(&state, at, true).await.unwrap().total(), 0);
    }
);

db_test!(two_runs_at_once_count_every_row_once, |db: Db| async move {
    let (state, _dir) = state_for(db.clone());
    // A second instance: its own pool (and, on SQLite, its own writer queue), as another
    // process would have.
    let other_db = Db::connect(db.url().expose_secret(), 4).await.unwrap();
    let (other, _other_dir) = state_for(other_db.clone());
    let at = now();
    let logs = period(DataCategory::LogsAnalytics);
    seed(&state, at).await;
    for i in 0..1_500 {
        let name = if i % 3 == 0 { "generate" } else { "page_view" };
        event(&db, name, "/", at - logs - 1 - (i % 5) * DAY).await;
    }
    let person = insert_user(&db, "many@example.com").await;
    let content = period(DataCategory::GeneratedContent);
    for i in 0..30 {
        task(
            &state,
            Some(&person),
            None,
            "succeeded",
            at - content - 1 - i,
        )
        .await;
    }
    let expected = sweep::run(&state, at, true).await.unwrap();
    let events_before = rows(&db, "SELECT COUNT(*) FROM analytics_events").await;

    let (a, b) = tokio::join!(sweep::run(&state, at, false), sweep::run(&other, at, false));
    let (a, b) = (a.unwrap(), b.unwrap());
    for (rule, want) in &expected.rules {
        let got = a.affected(rule).unwrap() + b.affected(rule).unwrap();
        assert_eq!(got, *want, "{rule}: {a:?} + {b:?}");
    }
    // The anonymous counts add up to exactly the events that were deleted.
    let events_after = rows(&db, "SELECT COUNT(*) FROM analytics_events").await;
    assert_eq!(daily_total(&db).await, events_before - events_after);
    assert_eq!(
        daily_total(&db).await as u64,
        expected.affected("analytics-events").unwrap()
    );
    other_db.close().await;
});

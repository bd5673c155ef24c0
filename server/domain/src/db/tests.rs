use super::*;
use testkit::db_test;

#[test]
fn backend_is_chosen_by_scheme_and_urls_never_echo() {
    assert_eq!(
        Backend::of_url("sqlite://data/banana.db?mode=rwc").unwrap(),
        Backend::Sqlite
    );
    assert_eq!(Backend::of_url("sqlite::memory:").unwrap(), Backend::Sqlite);
    assert_eq!(
        Backend::of_url("postgres://u:p@127.0.0.1:5432/test").unwrap(),
        Backend::Postgres
    );
    assert_eq!(
        Backend::of_url("postgresql://localhost/db").unwrap(),
        Backend::Postgres
    );
    let err = Backend::of_url("mysql://root:hunter2@localhost/db")
        .unwrap_err()
        .to_string();
    assert!(err.contains("mysql") && !err.contains("hunter2"), "{err}");
    let err = Backend::of_url("not a url at all").unwrap_err().to_string();
    assert_eq!(err, "DATABASE_URL is not a URL");
    assert!(Backend::of_url("postgres://").is_err());
}

db_test!(migrations_apply_and_ping, |db: Db| async move {
    db.ping().await.unwrap();
    let version = db.schema_version().await.unwrap();
    assert!(version.is_some(), "at least one migration applied");
    // Migrating again is a no-op, not an error.
    db.migrate().await.unwrap();
    assert_eq!(db.schema_version().await.unwrap(), version);
});

db_test!(instance_id_is_created_once, |db: Db| async move {
    let first = db.instance_id().await.unwrap();
    let second = db.instance_id().await.unwrap();
    assert_eq!(first, second);
    assert_eq!(uuid::Uuid::parse_str(&first).unwrap().get_version_num(), 7);
});

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_a_busy_timeout() {
    let database = crate::testing::TestDatabase::sqlite().await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(database.db.pool())
        .await
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(database.db.pool())
        .await
        .unwrap();
    assert_eq!(timeout, 5000);
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(database.db.pool())
        .await
        .unwrap();
    assert_eq!(fk, 1);
}

#[tokio::test]
async fn both_dialects_have_the_same_migrations() {
    let names = |m: &Migrator| {
        m.iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&SQLITE_MIGRATIONS), names(&POSTGRES_MIGRATIONS));
}

//! What this crate's unit tests build on a test database: a migrated [`Db`], the shared
//! state, a person. The harness itself is `testkit`'s:
//!
//! ```ignore
//! testkit::db_test!(stores_things, |db: Db| async move {
//!     db.ping().await.unwrap();
//! });
//! ```
//!
//! `testkit` links the library build of this crate, whose types are not this test build's;
//! so the helpers that name `Db` or `AppState` are here, built from the database's URL.

use crate::db::Db;
use testkit::{Fixture, FreshDatabase};

pub use testkit::{Moto, TEST_PYTHON, token_in};

/// A migrated database, removed when dropped (also when the test panics).
pub struct TestDatabase {
    pub db: Db,
    _database: FreshDatabase,
}

impl TestDatabase {
    /// A migrated SQLite database in a temporary directory.
    pub async fn sqlite() -> TestDatabase {
        TestDatabase::open(&FreshDatabase::sqlite()).await
    }

    /// Connects to `database` and migrates it.
    pub async fn open(database: &FreshDatabase) -> TestDatabase {
        let db = Db::connect(database.url(), 4)
            .await
            .expect("connect to the test database");
        db.migrate().await.expect("migrate the test database");
        TestDatabase {
            db,
            _database: database.clone(),
        }
    }
}

impl Fixture for Db {
    async fn open(database: &FreshDatabase) -> Db {
        TestDatabase::open(database).await.db
    }
}

/// The shared state for domain tests on `db`: dev mode, outbox email, local storage and
/// generated secrets in a temporary directory that lives as long as the returned guard.
pub fn state_for(db: Db) -> (crate::AppState, tempfile::TempDir) {
    state_with(db, |figment| figment)
}

/// [`state_for`] with configuration changed by `configure` (keys as in `config.toml`).
pub fn state_with(
    db: Db,
    configure: impl FnOnce(figment::Figment) -> figment::Figment,
) -> (crate::AppState, tempfile::TempDir) {
    use figment::providers::Serialized;
    let dir = tempfile::tempdir().expect("temporary directory");
    let figment = crate::config::defaults()
        .merge(Serialized::default("data_dir", dir.path()))
        .merge(Serialized::default("database_url", "sqlite::memory:"))
        .merge(Serialized::default("public_url", "http://banana.test"))
        .merge(Serialized::default("log_level", "warn"));
    let figment = configure(figment);
    let config = crate::config::Config::load(figment).expect("test configuration");
    let state = crate::AppState::new(config, db).expect("test state");
    (state, dir)
}

/// Inserts a person (no password, verified) and returns their id: for tests that need an
/// owner row without going through sign-up.
pub async fn insert_user(db: &Db, email: &str) -> String {
    let id = crate::new_id();
    let now = crate::now_ms();
    sqlx::query(
        "INSERT INTO users (id, email, email_verified_at, display_name, terms_version, \
         terms_accepted_at, age_confirmed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $3, $3, $3, $3)",
    )
    .bind(&id)
    .bind(email)
    .bind(now)
    .bind(email.split('@').next().unwrap_or("person"))
    .bind(crate::privacy::TERMS_VERSION)
    .execute(db.pool())
    .await
    .expect("insert a user");
    id
}

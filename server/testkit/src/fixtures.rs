//! Fixtures and helpers on `domain`'s types, for the tests that link the same `domain` as
//! this crate: the server's tests, `domain`'s integration tests and its benchmark example.
//! (`domain`'s unit tests keep their own copies in its `testing` module: their `Db` is a
//! different type.)

use crate::database::{Backend, FreshDatabase};
use crate::harness::Fixture;
use domain::{AppState, db::Db};

/// A migrated database with its URL; the database is removed when the last clone of the
/// fresh database behind it is dropped.
pub struct TestDatabase {
    pub db: Db,
    /// The URL of this database, for code that connects by itself.
    pub url: String,
    pub backend: Backend,
    _database: FreshDatabase,
}

impl TestDatabase {
    /// A migrated SQLite database in a temporary directory.
    pub async fn sqlite() -> TestDatabase {
        TestDatabase::open(&FreshDatabase::sqlite()).await
    }

    /// A migrated PostgreSQL database on the `TEST_DATABASE_URL` server, or `None` when the
    /// variable is not set.
    pub async fn postgres() -> Option<TestDatabase> {
        Some(TestDatabase::open(&FreshDatabase::postgres().await?).await)
    }

    /// Connects to `database` and migrates it.
    pub async fn open(database: &FreshDatabase) -> TestDatabase {
        let db = Db::connect(database.url(), 4)
            .await
            .expect("connect to the test database");
        db.migrate().await.expect("migrate the test database");
        TestDatabase {
            db,
            url: database.url().to_string(),
            backend: database.backend(),
            _database: database.clone(),
        }
    }
}

/// Tests handed a whole `TestDatabase` start servers on it: they get two worker threads.
impl Fixture for TestDatabase {
    const WORKER_THREADS: usize = 2;

    async fn open(database: &FreshDatabase) -> TestDatabase {
        TestDatabase::open(database).await
    }
}

impl Fixture for Db {
    async fn open(database: &FreshDatabase) -> Db {
        TestDatabase::open(database).await.db
    }
}

/// The shared state on `db` with configuration changed by `configure` (keys as in
/// `config.toml`): dev mode, outbox email, local storage and generated secrets in a temporary
/// directory that lives as long as the returned guard.
pub fn state_with(
    db: Db,
    configure: impl FnOnce(figment::Figment) -> figment::Figment,
) -> (AppState, tempfile::TempDir) {
    use figment::providers::Serialized;
    let dir = tempfile::tempdir().expect("temporary directory");
    let figment = domain::config::defaults()
        .merge(Serialized::default("data_dir", dir.path()))
        .merge(Serialized::default("database_url", "sqlite::memory:"))
        .merge(Serialized::default("public_url", "http://banana.test"))
        .merge(Serialized::default("log_level", "warn"));
    let config = domain::config::Config::load(configure(figment)).expect("test configuration");
    let state = AppState::new(config, db).expect("test state");
    (state, dir)
}

/// Inserts a person (no password, verified) and returns their id: for tests that need an
/// owner row without going through sign-up.
pub async fn insert_user(db: &Db, email: &str) -> String {
    let id = domain::new_id();
    let now = domain::now_ms();
    sqlx::query(
        "INSERT INTO users (id, email, email_verified_at, display_name, terms_version, \
         terms_accepted_at, age_confirmed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $3, $3, $3, $3)",
    )
    .bind(&id)
    .bind(email)
    .bind(now)
    .bind(email.split('@').next().unwrap_or("person"))
    .bind(domain::privacy::TERMS_VERSION)
    .execute(db.pool())
    .await
    .expect("insert a user");
    id
}

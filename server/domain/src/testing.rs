//! The database test harness: every database test runs on SQLite always, and on PostgreSQL
//! whenever `TEST_DATABASE_URL` is set, each in a fresh database of its own.
//!
//! ```ignore
//! domain::db_test!(stores_things, |db| async move {
//!     db.ping().await.unwrap();
//! });
//! ```

use crate::db::Db;
use std::future::Future;

/// The environment variable naming the PostgreSQL server tests may create databases on.
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

/// A migrated database that disappears with the test.
pub struct TestDatabase {
    pub db: Db,
    /// The URL of this database, for code that connects by itself.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    /// A fresh SQLite database file in a temporary directory.
    pub async fn sqlite() -> TestDatabase {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        let db = Db::connect(&url, 4).await.expect("open SQLite");
        db.migrate().await.expect("migrate SQLite");
        TestDatabase {
            db,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A fresh PostgreSQL database on the `TEST_DATABASE_URL` server, or `None` when the
    /// variable is unset.
    pub async fn postgres() -> Option<TestDatabase> {
        let admin_url = std::env::var(TEST_DATABASE_URL).ok()?;
        let name = format!("bn_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Db::connect(&admin_url, 1)
            .await
            .expect("connect to TEST_DATABASE_URL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(admin.pool())
            .await
            .expect("create test database");
        admin.close().await;
        let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        let url = url.to_string();
        let db = Db::connect(&url, 4)
            .await
            .expect("connect to test database");
        db.migrate().await.expect("migrate PostgreSQL");
        Some(TestDatabase {
            db,
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        })
    }

    /// Closes the pool and removes the database.
    pub async fn destroy(self) {
        self.db.close().await;
        if let Cleanup::Postgres { admin_url, name } = self.cleanup
            && let Ok(admin) = Db::connect(&admin_url, 1).await
        {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(admin.pool())
                .await;
            admin.close().await;
        }
    }
}

/// Runs `test` against `database`, then destroys it — also when the test panics, whose
/// panic is then passed on.
pub async fn run_on<F, Fut>(database: TestDatabase, test: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    use futures::FutureExt;
    let outcome = std::panic::AssertUnwindSafe(test(database.db.clone()))
        .catch_unwind()
        .await;
    database.destroy().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// Declares a database test that runs once per backend: `<name>::sqlite` always and
/// `<name>::postgres` when `TEST_DATABASE_URL` is set (it reports itself skipped otherwise).
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$db:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let database = $crate::testing::TestDatabase::sqlite().await;
                $crate::testing::run_on(database, |$db| $body).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(database) = $crate::testing::TestDatabase::postgres().await else {
                    eprintln!("skipped: TEST_DATABASE_URL is not set");
                    return;
                };
                $crate::testing::run_on(database, |$db| $body).await;
            }
        }
    };
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

/// The `token=` value of the first link in `text` (an email body).
pub fn token_in(text: &str) -> String {
    let start = text.find("token=").expect("a link with a token") + "token=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
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

/// The environment variable naming the Python that has `moto[server]`.
pub const TEST_PYTHON: &str = "TEST_PYTHON";

/// A moto S3 server on a free port, stopped when dropped.
pub struct Moto {
    child: std::process::Child,
    port: u16,
    _log: tempfile::NamedTempFile,
}

impl Moto {
    pub fn start() -> Moto {
        let python = std::env::var(TEST_PYTHON).unwrap_or_else(|_| "python3".into());
        let importable = std::process::Command::new(&python)
            .args(["-c", "import moto.server"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        assert!(
            importable,
            "the S3 tests need moto's server, which `{python}` cannot import. \
             Run scripts/test (it installs moto[server] into ~/.cache/banana-nano/python), \
             or set {TEST_PYTHON} to a Python that has it."
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let log = tempfile::NamedTempFile::new().expect("a log file");
        let child = std::process::Command::new(&python)
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p"])
            .arg(port.to_string())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(log.reopen().expect("the log file"))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{python} -m moto.server`: {e}"));
        let mut moto = Moto {
            child,
            port,
            _log: log,
        };
        moto.wait_until_listening();
        moto
    }

    fn wait_until_listening(&mut self) {
        // Importing moto takes seconds, more on a busy machine.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "moto exited with {status} before listening:\n{}",
                    self.log()
                );
            }
            if std::time::Instant::now() > deadline {
                panic!("moto did not listen within 90 s:\n{}", self.log());
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self._log.path()).unwrap_or_default()
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// moto starts empty; S3 buckets are created with a bare PUT on their path.
    pub async fn create_bucket(&self, bucket: &str) {
        let response = reqwest::Client::new()
            .put(format!("{}/{bucket}", self.endpoint()))
            .send()
            .await
            .expect("moto answers");
        assert!(
            response.status().is_success(),
            "creating bucket {bucket}: {}",
            response.status()
        );
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

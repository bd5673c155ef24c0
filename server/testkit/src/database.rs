//! A fresh, empty database of one backend for one test, removed when the last handle to it
//! is dropped: on success, on failure and when the test panics.

use sqlx::{Connection, Executor, postgres::PgConnection};
use std::sync::Arc;

/// The environment variable naming the PostgreSQL server tests may create databases on.
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

/// The database engines every database test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Always: a database file in a temporary directory.
    Sqlite,
    /// When `TEST_DATABASE_URL` is set: a database of its own on that server.
    Postgres,
}

impl Backend {
    /// The lower-case name, as test names and messages use it.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// An empty database nobody else uses. Clones share it; the last one dropped removes it
/// (the SQLite file with its directory, the PostgreSQL database with `DROP DATABASE … WITH
/// (FORCE)`, which also ends the connections the test left open).
#[derive(Clone)]
pub struct FreshDatabase {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Backend,
    url: String,
    removal: Removal,
}

enum Removal {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl FreshDatabase {
    /// A fresh database of `backend`, or `None` for PostgreSQL when `TEST_DATABASE_URL` is
    /// not set.
    pub async fn create(backend: Backend) -> Option<FreshDatabase> {
        match backend {
            Backend::Sqlite => Some(FreshDatabase::sqlite()),
            Backend::Postgres => FreshDatabase::postgres().await,
        }
    }

    /// A database file in a new temporary directory (created on first connection).
    pub fn sqlite() -> FreshDatabase {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        FreshDatabase::new(Backend::Sqlite, url, Removal::Sqlite(dir))
    }

    /// A new database on the `TEST_DATABASE_URL` server, or `None` when it is not set.
    pub async fn postgres() -> Option<FreshDatabase> {
        let admin_url = std::env::var(TEST_DATABASE_URL).ok()?;
        let name = format!("bn_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .expect("connect to TEST_DATABASE_URL");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        let _ = admin.close().await;
        let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        let removal = Removal::Postgres { admin_url, name };
        Some(FreshDatabase::new(
            Backend::Postgres,
            url.to_string(),
            removal,
        ))
    }

    fn new(backend: Backend, url: String, removal: Removal) -> FreshDatabase {
        FreshDatabase {
            inner: Arc::new(Inner {
                backend,
                url,
                removal,
            }),
        }
    }

    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// The URL to connect to this database with.
    pub fn url(&self) -> &str {
        &self.inner.url
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Removal::Postgres { admin_url, name } = &self.removal {
            drop_postgres_database(admin_url.clone(), name.clone());
        }
    }
}

/// Drops the database from a thread of its own with its own runtime: this runs inside a
/// test's runtime, often while a panic unwinds through it, where no runtime may be started
/// and a task spawned on the test's runtime would not outlive it.
fn drop_postgres_database(admin_url: String, name: String) {
    let label = name.clone();
    let dropped = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(async {
            let mut admin = PgConnection::connect(&admin_url)
                .await
                .map_err(|e| e.to_string())?;
            admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await
                .map_err(|e| e.to_string())?;
            let _ = admin.close().await;
            Ok::<(), String>(())
        })
    })
    .join();
    match dropped {
        Ok(Ok(())) => {}
        Ok(Err(error)) => eprintln!("could not drop test database {label}: {error}"),
        Err(_) => eprintln!("could not drop test database {label}: the dropping thread panicked"),
    }
}

#[cfg(test)]
mod tests {
    //! The promise every database test relies on: nothing is left behind, even by a test
    //! that panics.

    use super::*;

    /// Holds `database` on a thread that panics, as a failing test does.
    fn panics_holding(database: FreshDatabase) {
        let outcome = std::thread::spawn(move || {
            let _held = database;
            panic!("a failing test");
        })
        .join();
        assert!(outcome.is_err(), "the thread panicked");
    }

    #[test]
    fn a_panicking_test_leaves_no_sqlite_file() {
        let database = FreshDatabase::sqlite();
        let file = database
            .url()
            .trim_start_matches("sqlite://")
            .trim_end_matches("?mode=rwc")
            .to_string();
        let dir = std::path::Path::new(&file).parent().unwrap().to_path_buf();
        std::fs::write(&file, b"").unwrap();
        panics_holding(database);
        assert!(!dir.exists(), "{} was removed", dir.display());
    }

    #[test]
    fn a_panicking_test_leaves_no_postgres_database() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let Some(database) = runtime.block_on(FreshDatabase::postgres()) else {
            eprintln!("skipped: {TEST_DATABASE_URL} is not set");
            return;
        };
        let name = url::Url::parse(database.url()).unwrap().path()[1..].to_string();
        let exists = |name: String| {
            runtime.block_on(async move {
                let admin_url = std::env::var(TEST_DATABASE_URL).unwrap();
                let mut admin = PgConnection::connect(&admin_url).await.unwrap();
                let found: i64 =
                    sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
                        .bind(name)
                        .fetch_one(&mut admin)
                        .await
                        .unwrap();
                found == 1
            })
        };
        assert!(exists(name.clone()), "{name} was created");
        panics_holding(database);
        assert!(!exists(name.clone()), "{name} was dropped");
    }
}

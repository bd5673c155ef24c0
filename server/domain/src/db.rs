//! The database: one pool, SQLite (embedded default) or PostgreSQL, chosen by URL scheme.
//! Queries are written once where the dialects agree (`$1` placeholders work in both) and
//! per backend only where semantics differ.

use sqlx::{
    AnyPool, Executor,
    any::AnyPoolOptions,
    migrate::{Migrate, Migrator},
};
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/postgres");

/// Which engine a pool talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite: or postgres:// (got scheme `{0}`)")]
    UnsupportedScheme(String),
    #[error("DATABASE_URL is not a URL")]
    NotAUrl,
    #[error("cannot connect to the {backend} database: {reason}")]
    Connect {
        backend: &'static str,
        reason: String,
    },
    #[error("database migration failed: {0}")]
    Migrate(String),
    #[error(transparent)]
    Query(#[from] sqlx::Error),
}

impl Backend {
    /// The backend a URL names, without connecting. Never echoes the URL (it may hold a
    /// password).
    pub fn of_url(url: &str) -> Result<Backend, DbError> {
        let Some((scheme, rest)) = url.split_once(':') else {
            return Err(DbError::NotAUrl);
        };
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => {
                let parsed = url::Url::parse(url).map_err(|_| DbError::NotAUrl)?;
                if parsed.host().is_none() && !rest.contains("host=") {
                    return Err(DbError::NotAUrl);
                }
                Ok(Backend::Postgres)
            }
            other
                if !other.is_empty()
                    && other.chars().all(|c| c.is_ascii_alphanumeric() || c == '+') =>
            {
                Err(DbError::UnsupportedScheme(other.to_string()))
            }
            _ => Err(DbError::NotAUrl),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    fn migrator(self) -> &'static Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// The shared connection pool and the backend it speaks to.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer: write transactions of this process queue here instead of
    /// spinning on the busy timeout.
    write_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// The URL the pool connects to, for the connections a pool cannot lend (PostgreSQL
    /// LISTEN). Never printed.
    url: std::sync::Arc<secrecy::SecretString>,
}

/// A write transaction. On SQLite it holds the process's write lock and began with
/// `BEGIN IMMEDIATE`, so it never fails half-way to upgrade a read lock; on PostgreSQL it is
/// an ordinary transaction whose rows are locked as they are updated.
pub struct WriteTx {
    pub tx: sqlx::Transaction<'static, sqlx::Any>,
    _guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl Db {
    /// Opens a pool. SQLite runs in WAL mode with a busy timeout and foreign keys on; the
    /// database file and its directory are created when missing.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        if backend == Backend::Sqlite {
            create_sqlite_parent_dir(url);
        }
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .min_connections(0)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
                             PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(|e| DbError::Connect {
                backend: backend.name(),
                reason: describe_connect_error(&e),
            })?;
        Ok(Db {
            pool,
            backend,
            write_lock: Default::default(),
            url: std::sync::Arc::new(secrecy::SecretString::from(url.to_string())),
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The database URL, for a dedicated connection (it may carry a password).
    pub fn url(&self) -> &secrecy::SecretString {
        &self.url
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Begins a write transaction (see [`WriteTx`]).
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let guard = self.write_lock.clone().lock_owned().await;
                let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(WriteTx {
                    tx,
                    _guard: Some(guard),
                })
            }
            Backend::Postgres => Ok(WriteTx {
                tx: self.pool.begin().await?,
                _guard: None,
            }),
        }
    }

    /// Applies every migration not yet applied. Safe to call at every start.
    pub async fn migrate(&self) -> Result<(), DbError> {
        self.backend
            .migrator()
            .run(&self.pool)
            .await
            .map_err(|e| DbError::Migrate(e.to_string()))
    }

    /// The newest applied migration's version, or `None` on an empty database.
    pub async fn schema_version(&self) -> Result<Option<i64>, DbError> {
        let mut conn = self.pool.acquire().await?;
        let applied = conn
            .list_applied_migrations()
            .await
            .map_err(|e| DbError::Migrate(e.to_string()))?;
        Ok(applied.iter().map(|m| m.version).max())
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Waits for in-flight queries and closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The operator-facing reason a connection failed, without the URL.
fn describe_connect_error(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Io(e) => e.to_string(),
        sqlx::Error::Database(e) => e.message().to_string(),
        sqlx::Error::Configuration(_) => "the URL's options are invalid".to_string(),
        sqlx::Error::PoolTimedOut => "timed out".to_string(),
        other => other.to_string(),
    }
}

fn create_sqlite_parent_dir(url: &str) {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return;
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        let _ = std::fs::create_dir_all(parent);
    }
}

#[cfg(test)]
mod tests;

impl Db {
    /// This installation's identifier, created on first use and stable afterwards; the
    /// start-up log names it, so processes sharing one database can be told from processes
    /// with databases of their own.
    pub async fn instance_id(&self) -> Result<String, DbError> {
        sqlx::query(
            "INSERT INTO instance_settings (key, value, updated_at) VALUES ('instance_id', $1, $2) \
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(crate::new_id())
        .bind(crate::now_ms())
        .execute(&self.pool)
        .await?;
        let id: String =
            sqlx::query_scalar("SELECT value FROM instance_settings WHERE key = 'instance_id'")
                .fetch_one(&self.pool)
                .await?;
        Ok(id)
    }
}

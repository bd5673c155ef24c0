//! The one database test harness: [`db_test!`](crate::db_test) declares a test that runs on
//! SQLite always and on PostgreSQL whenever `TEST_DATABASE_URL` is set, each time in a
//! fresh database of its own that is removed afterwards, also when the test panics.
//!
//! ```ignore
//! testkit::db_test!(stores_things, |db: Db| async move {
//!     db.ping().await.unwrap();
//! });
//! ```
//!
//! What the test is handed is a [`Fixture`] built from the fresh database: a migrated `Db`,
//! a [`TestDatabase`](crate::TestDatabase), a running server… A crate implements it for its
//! own types. The harness itself knows only the database's URL, so `domain`'s unit tests
//! (compiled as a crate of their own, whose `Db` is not `domain::db::Db`) use it as well.

use crate::database::{Backend, FreshDatabase, TEST_DATABASE_URL};
use std::future::Future;

/// What a database test is handed, built from its fresh database.
pub trait Fixture: Sized {
    /// Worker threads of the test's runtime when the test does not say; 0 runs it on the
    /// test's own thread, as `#[tokio::test]` does.
    const WORKER_THREADS: usize = 0;

    /// Connects to (and usually migrates) `database`. The harness keeps `database` until
    /// the test has ended; a fixture may keep a clone of it for longer.
    fn open(database: &FreshDatabase) -> impl Future<Output = Self>;
}

/// Runs `test` on a fresh database of `backend` with the fixture it takes, on a runtime of
/// `worker_threads` (default: the fixture's [`Fixture::WORKER_THREADS`]). PostgreSQL is
/// skipped, and says so, when `TEST_DATABASE_URL` is not set. The database is removed when
/// the test ends, whether it passed, failed or panicked.
pub fn run<T, F, Fut>(backend: Backend, worker_threads: Option<usize>, test: F)
where
    T: Fixture,
    F: FnOnce(T) -> Fut,
    Fut: Future<Output = ()>,
{
    let threads = worker_threads.unwrap_or(T::WORKER_THREADS);
    let mut builder = if threads == 0 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(threads);
        builder
    };
    let runtime = builder.enable_all().build().expect("a test runtime");
    runtime.block_on(async {
        let Some(database) = FreshDatabase::create(backend).await else {
            eprintln!("skipped: {TEST_DATABASE_URL} is not set");
            return;
        };
        let fixture = T::open(&database).await;
        test(fixture).await;
        // `database` is dropped here, or while a panic unwinds through this block.
    });
}

/// Declares a database test as a module of two tests, `<name>::sqlite` and
/// `<name>::postgres` (which reports itself skipped when `TEST_DATABASE_URL` is not set).
///
/// - `db_test!(name, |db: Db| async move { … })`: the body, handed the fixture it names.
/// - `db_test!(name)`: calls `async fn name(fixture: &F)` declared beside it, for tests
///   that build more than one thing on the database.
///
/// Either form takes `threads = N` after the name for a runtime of `N` worker threads
/// instead of the fixture's default (e.g. for `block_in_place`).
#[macro_export]
macro_rules! db_test {
    (@threads) => {
        ::core::option::Option::None
    };
    (@threads $threads:expr) => {
        ::core::option::Option::Some($threads)
    };
    ($name:ident, $(threads = $threads:expr,)? |$arg:ident : $fixture:ty| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn sqlite() {
                $crate::harness::run(
                    $crate::Backend::Sqlite,
                    $crate::db_test!(@threads $($threads)?),
                    |$arg: $fixture| $body,
                );
            }

            #[test]
            fn postgres() {
                $crate::harness::run(
                    $crate::Backend::Postgres,
                    $crate::db_test!(@threads $($threads)?),
                    |$arg: $fixture| $body,
                );
            }
        }
    };
    ($name:ident $(, threads = $threads:expr)?) => {
        mod $name {
            #[test]
            fn sqlite() {
                $crate::harness::run(
                    $crate::Backend::Sqlite,
                    $crate::db_test!(@threads $($threads)?),
                    |fixture| async move { super::$name(&fixture).await },
                );
            }

            #[test]
            fn postgres() {
                $crate::harness::run(
                    $crate::Backend::Postgres,
                    $crate::db_test!(@threads $($threads)?),
                    |fixture| async move { super::$name(&fixture).await },
                );
            }
        }
    };
}

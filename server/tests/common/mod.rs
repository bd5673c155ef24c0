//! Starts the real server on port 0 with a temporary data dir, against a fresh database of
//! each backend, and talks to it over HTTP.

use domain::config::{self, Config};
use domain::testing::TestDatabase;
use figment::providers::Serialized;
use std::net::SocketAddr;

pub struct TestApp {
    pub addr: SocketAddr,
    /// A client that follows no redirects and keeps no cookies, so tests see each step.
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    pub data_dir: tempfile::TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// Stops the server the way a signal does and waits for it to finish.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let _ = self.stop.take().unwrap().send(());
        self.server.take().unwrap().await.expect("server task")
    }
}

pub fn test_config(data_dir: &std::path::Path, database_url: &str) -> Config {
    let figment = config::defaults()
        .merge(Serialized::default("addr", "127.0.0.1:0"))
        .merge(Serialized::default("data_dir", data_dir))
        .merge(Serialized::default("database_url", database_url))
        .merge(Serialized::default("log_level", "warn"))
        .merge(Serialized::default("site_root", data_dir.join("site")));
    Config::load(figment).expect("test configuration")
}

pub async fn spawn_app(database: &TestDatabase) -> TestApp {
    spawn_app_in(database, tempfile::tempdir().unwrap()).await
}

/// Starts the server on a data dir the test has prepared (e.g. files in `site/`).
pub async fn spawn_app_in(database: &TestDatabase, data_dir: tempfile::TempDir) -> TestApp {
    let config = test_config(data_dir.path(), &database.url);
    let application = server::Application::build(config)
        .await
        .expect("server builds");
    let addr = application.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(application.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        addr,
        client,
        stop: Some(stop),
        server: Some(server),
        data_dir,
    }
}

/// Declares a test that runs against a server on SQLite, and on PostgreSQL when
/// `TEST_DATABASE_URL` is set.
#[macro_export]
macro_rules! app_test {
    ($name:ident, |$app:ident| $body:expr) => {
        $crate::app_test!($name, prepare = |_dir| {}, |$app| $body);
    };
    ($name:ident, prepare = |$dir:ident| $prepare:expr, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let database = domain::testing::TestDatabase::sqlite().await;
                let data_dir = tempfile::tempdir().unwrap();
                {
                    let $dir: &std::path::Path = data_dir.path();
                    $prepare;
                }
                let $app = $crate::common::spawn_app_in(&database, data_dir).await;
                $body.await;
                database.destroy().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(database) = domain::testing::TestDatabase::postgres().await else {
                    eprintln!("skipped: TEST_DATABASE_URL is not set");
                    return;
                };
                let data_dir = tempfile::tempdir().unwrap();
                {
                    let $dir: &std::path::Path = data_dir.path();
                    $prepare;
                }
                let $app = $crate::common::spawn_app_in(&database, data_dir).await;
                $body.await;
                database.destroy().await;
            }
        }
    };
}

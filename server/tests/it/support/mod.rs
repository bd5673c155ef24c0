//! Starts the real server on port 0 with a temporary data dir, against a fresh database of
//! each backend, and talks to it over HTTP; account helpers shared by the HTTP tests.

use domain::config::{self, Config};
use figment::providers::Serialized;
use std::net::SocketAddr;
use testkit::{Fixture, FreshDatabase, TestDatabase};

pub struct TestApp {
    pub addr: SocketAddr,
    /// A client that follows no redirects and keeps no cookies, so tests see each step.
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    pub data_dir: tempfile::TempDir,
    /// The app's database, for checking what was stored.
    pub db: domain::db::Db,
    pub config: std::sync::Arc<Config>,
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
    test_config_with(data_dir, database_url, |figment| figment)
}

/// The test configuration with more settings merged on top (a provider, Turnstile…).
pub fn test_config_with(
    data_dir: &std::path::Path,
    database_url: &str,
    extra: impl FnOnce(figment::Figment) -> figment::Figment,
) -> Config {
    let figment = config::defaults()
        .merge(Serialized::default("addr", "127.0.0.1:0"))
        .merge(Serialized::default("data_dir", data_dir))
        .merge(Serialized::default("database_url", database_url))
        .merge(Serialized::default("log_level", "warn"))
        .merge(Serialized::default("site_root", data_dir.join("site")));
    Config::load(extra(figment)).expect("test configuration")
}

pub async fn spawn_app(database: &TestDatabase) -> TestApp {
    spawn_app_in(database, tempfile::tempdir().unwrap()).await
}

/// Starts the server on a data dir the test has prepared (e.g. files in `site/`).
pub async fn spawn_app_in(database: &TestDatabase, data_dir: tempfile::TempDir) -> TestApp {
    let config = test_config(data_dir.path(), &database.url);
    start(config, data_dir, database).await
}

/// Starts the server with more configuration (see [`test_config_with`]).
pub async fn spawn_app_with(
    database: &TestDatabase,
    extra: impl FnOnce(figment::Figment) -> figment::Figment,
) -> TestApp {
    let data_dir = tempfile::tempdir().unwrap();
    let config = test_config_with(data_dir.path(), &database.url, extra);
    start(config, data_dir, database).await
}

async fn start(config: Config, data_dir: tempfile::TempDir, database: &TestDatabase) -> TestApp {
    let application = server::Application::build(config)
        .await
        .expect("server builds");
    let shared = application.state().config.clone();
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
        db: database.db.clone(),
        config: shared,
    }
}

/// A browser: keeps cookies, follows no redirects (tests look at each step), and says
/// its requests come from the site's own pages, as browsers do with `Sec-Fetch-Site`.
pub struct Browser {
    pub client: reqwest::Client,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
    base: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Browser::with_user_agent(
            app,
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
        )
    }

    pub fn with_user_agent(app: &TestApp, user_agent: &str) -> Browser {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        Browser {
            jar: jar.clone(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_provider(jar)
                .default_headers(headers)
                .user_agent(user_agent)
                .build()
                .unwrap(),
            base: format!("http://{}", app.addr),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// Posts a form the way a page would, with the session's form token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// The page's HTML after following redirects (as a browser would) from `response`.
    pub async fn follow(
        &self,
        response: reqwest::Response,
    ) -> (reqwest::StatusCode, String, String) {
        let mut response = response;
        let mut path = response.url().path().to_string();
        for _ in 0..5 {
            if !response.status().is_redirection() {
                break;
            }
            let location = response.headers()[reqwest::header::LOCATION]
                .to_str()
                .unwrap()
                .to_string();
            path = location.clone();
            response = self.get(&location).await;
        }
        let status = response.status();
        (status, path, response.text().await.unwrap())
    }

    /// The session cookie's value, if any.
    pub fn session_cookie(&self) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url: reqwest::Url = self.base.parse().unwrap();
        let cookies = self.jar.cookies(&url)?;
        cookies
            .to_str()
            .ok()?
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == "session")
            .map(|(_, value)| value.to_string())
    }
}

/// A server on a fresh database, for `db_test!(name, |app: TestApp| …)`: two worker threads,
/// so the server and the test's client run side by side.
impl Fixture for TestApp {
    const WORKER_THREADS: usize = 2;

    async fn open(database: &FreshDatabase) -> TestApp {
        spawn_app(&TestDatabase::open(database).await).await
    }
}

// Account helpers shared by the HTTP tests.

use app::i18n::Locale;
use reqwest::{StatusCode, header};

pub const PASSWORD: &str = "purple banana skyline";

pub fn en(key: &str) -> String {
    // Pages escape apostrophes and quotes; compare with the escaped form.
    escape(&Locale::En.t(key))
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The plain-text body of the newest email to `to`, read from the dev outbox.
pub async fn latest_mail(app: &TestApp, to: &str) -> String {
    let list = app.get("/dev/mail").await.text().await.unwrap();
    let row = list
        .split("<tr>")
        .find(|row| row.contains(&escape(to)))
        .unwrap_or_else(|| panic!("no email to {to} in {list}"));
    let start = row.find("href=\"/dev/mail/").unwrap() + "href=\"".len();
    let href = &row[start..start + row[start..].find('"').unwrap()];
    let page = app.get(href).await.text().await.unwrap();
    let start = page.find("<pre class=\"dev-mail-text\">").unwrap();
    let end = page[start..].find("</pre>").unwrap() + start;
    unescape(&page[start..end])
}

pub fn token_of(text: &str) -> String {
    testkit::token_in(text)
}

/// The value of the first `name="<name>" value="…"` (or reversed) in an HTML page.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    for tag in html.split('<').filter(|t| t.starts_with("input")) {
        if tag.contains(&format!("name=\"{name}\"")) {
            let start = tag.find("value=\"")? + 7;
            return Some(unescape(&tag[start..start + tag[start..].find('"')?]));
        }
    }
    None
}

pub async fn sign_up(browser: &Browser, email: &str, name: &str) -> reqwest::Response {
    browser.get("/sign-up").await;
    browser
        .post(
            "/sign-up",
            &[
                ("display_name", name),
                ("email", email),
                ("password", PASSWORD),
                ("age_confirmed", "on"),
                ("terms_accepted", "on"),
            ],
        )
        .await
}

/// Signs up, verifies through the emailed link, and leaves the browser signed in.
pub async fn verified_account(app: &TestApp, browser: &Browser, email: &str) {
    let response = sign_up(browser, email, "Ada").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let token = token_of(&latest_mail(app, email).await);
    let response = browser
        .post("/verify-email", &[("token", &token), ("change", "")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/dashboard");
}

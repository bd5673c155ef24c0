//! Configuration, read once at start: built-in defaults, then an optional `config.toml`,
//! then the environment (`BANANA_*`, plus the conventional `DATABASE_URL`). Every key is
//! documented in `.env.example`. Unknown keys are errors, so a typo never passes silently.

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::{fmt, net::SocketAddr, path::PathBuf, time::Duration};

/// How the instance runs. `dev` allows the embedded stand-ins (local checkout, outbox email,
/// generated secrets); `production` refuses them.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Dev,
    Production,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The keys a file or the environment may set, exactly as written there.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    mode: Mode,
    addr: String,
    public_url: Option<String>,
    data_dir: PathBuf,
    database_url: Option<SecretString>,
    db_max_connections: u32,
    log_format: LogFormat,
    log_level: String,
    site_root: PathBuf,
    secret_key: Option<SecretString>,
    shutdown_grace_seconds: u64,
    session_idle_minutes: u64,
    session_absolute_hours: u64,
    email_transport: EmailTransport,
    email_from: String,
    smtp_url: Option<SecretString>,
    resend_api_key: Option<SecretString>,
    resend_api_url: String,
    storage_url: Option<String>,
    s3_endpoint: Option<String>,
    s3_region: String,
    s3_access_key_id: Option<String>,
    s3_secret_access_key: Option<SecretString>,
    google_client_id: Option<String>,
    google_client_secret: Option<SecretString>,
    google_auth_url: String,
    google_token_url: String,
    google_userinfo_url: String,
    github_client_id: Option<String>,
    github_client_secret: Option<SecretString>,
    github_auth_url: String,
    github_token_url: String,
    github_api_url: String,
    turnstile_site_key: Option<String>,
    turnstile_secret_key: Option<SecretString>,
    turnstile_verify_url: String,
    payment_provider: PaymentProviderKind,
    stripe_secret_key: Option<SecretString>,
    stripe_webhook_secret: Option<SecretString>,
    stripe_api_url: String,
    creem_api_key: Option<SecretString>,
    creem_webhook_secret: Option<SecretString>,
    creem_api_url: String,
    credit_packages: Vec<crate::billing::CreditPackage>,
    subscription_plans: Vec<crate::billing::SubscriptionPlan>,
    signup_bonus_credits: i64,
    signup_bonus_days: i64,
    referrer_bonus_credits: i64,
    referred_bonus_credits: i64,
    referral_bonus_days: i64,
    models: Vec<crate::generation::ModelSpec>,
    style_presets: Vec<crate::generation::models::StylePreset>,
    generation_workers: usize,
    task_max_attempts: u32,
    task_lease_seconds: u64,
    task_timeout_seconds: u64,
    task_retry_base_ms: u64,
    provider_poll_ms: u64,
    guest_trial_credits: i64,
    moderation_blocklist: Vec<String>,
    moderation_image_check_url: Option<String>,
    gemini_api_key: Option<SecretString>,
    gemini_api_url: String,
    kie_api_key: Option<SecretString>,
    kie_api_url: String,
    kie_webhook_hmac_key: Option<SecretString>,
    openai_api_key: Option<SecretString>,
    openai_api_url: String,
    replicate_api_token: Option<SecretString>,
    replicate_api_url: String,
    replicate_webhook_secret: Option<SecretString>,
    contact_email: Option<String>,
    operator_name: Option<String>,
}

/// Who takes payments at checkout.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PaymentProviderKind {
    /// Our own checkout page where the developer chooses the outcome (dev mode only).
    Local,
    /// Stripe Checkout: cards, WeChat Pay and Alipay; subscriptions with cards.
    Stripe,
    /// Creem checkout.
    Creem,
}

impl PaymentProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentProviderKind::Local => "local",
            PaymentProviderKind::Stripe => "stripe",
            PaymentProviderKind::Creem => "creem",
        }
    }
}

/// Stripe's API; present when a secret key is configured.
#[derive(Clone)]
pub struct StripeConfig {
    pub secret_key: SecretString,
    pub webhook_secret: SecretString,
    pub api_url: String,
}

/// Creem's API; present when an API key is configured.
#[derive(Clone)]
pub struct CreemConfig {
    pub api_key: SecretString,
    pub webhook_secret: SecretString,
    pub api_url: String,
}

/// Payments and the catalog.
#[derive(Clone)]
pub struct BillingConfig {
    pub provider: PaymentProviderKind,
    pub stripe: Option<StripeConfig>,
    pub creem: Option<CreemConfig>,
    pub catalog: crate::billing::Catalog,
}

/// A provider's API: its key and base URL (the vendor's, or a local peer's in tests).
#[derive(Clone)]
pub struct ProviderApi {
    pub api_key: SecretString,
    pub api_url: String,
    /// The key callbacks are signed with (Kie's webhook HMAC key, Replicate's `whsec_…`
    /// secret), when the provider sends callbacks and one is configured.
    pub callback_secret: Option<SecretString>,
}

/// Image generation: the catalog, the worker pool, moderation and provider credentials.
#[derive(Clone)]
pub struct GenerationConfig {
    /// The models offered: configured ones whose provider has credentials.
    pub catalog: crate::generation::ModelCatalog,
    /// Workers per server process (0: this process only serves pages and queues).
    pub workers: usize,
    /// Attempts per task before it fails for good (transient errors only are retried).
    pub max_attempts: u32,
    /// How long a claimed task belongs to its worker without a heartbeat.
    pub lease: Duration,
    /// The longest one attempt may take, provider waits included.
    pub timeout: Duration,
    /// The first retry's delay; each next one doubles, with jitter.
    pub retry_base: Duration,
    /// How often long-running remote jobs are re-read when no callback arrives.
    pub poll_interval: Duration,
    /// Credits a guest may spend before signing up.
    pub guest_trial_credits: i64,
    /// Words and phrases a prompt may not contain (case-insensitive).
    pub blocklist: Vec<String>,
    /// An image-check service that receives uploads and results (see `moderation`).
    pub image_check_url: Option<String>,
    pub gemini: Option<ProviderApi>,
    pub kie: Option<ProviderApi>,
    pub openai: Option<ProviderApi>,
    pub replicate: Option<ProviderApi>,
}

/// How transactional email leaves the instance.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum EmailTransport {
    /// Stored in the database and shown at /dev/mail (dev mode only).
    Outbox,
    /// Any SMTP server (`smtp_url`).
    Smtp,
    /// Resend's HTTP API (`resend_api_key`).
    Resend,
}

/// Where uploaded and generated files are kept.
#[derive(Clone, Debug)]
pub enum StorageConfig {
    /// A directory on this machine.
    Local { root: PathBuf },
    /// An S3 bucket (or any S3-compatible service at `endpoint`).
    S3 {
        bucket: String,
        endpoint: Option<String>,
        region: String,
        access_key_id: Option<String>,
        secret_access_key: Option<SecretString>,
    },
}

/// An OAuth2 sign-in provider; present only when its client id is configured.
#[derive(Clone)]
pub struct OAuthProviderConfig {
    pub client_id: String,
    pub client_secret: SecretString,
    pub auth_url: String,
    pub token_url: String,
    /// Google: the OpenID userinfo endpoint. GitHub: the API base (`/user`, `/user/emails`).
    pub api_url: String,
}

/// Cloudflare Turnstile; present only when a secret is configured.
#[derive(Clone)]
pub struct TurnstileConfig {
    pub site_key: String,
    pub secret_key: SecretString,
    pub verify_url: String,
}

/// The validated configuration the program runs with.
#[derive(Clone)]
pub struct Config {
    pub mode: Mode,
    /// Where the HTTP server listens.
    pub addr: SocketAddr,
    /// The origin people reach us at, without a trailing slash (canonical links, emails).
    pub public_url: String,
    /// Files of this instance: the SQLite database, generated secrets, local storage.
    pub data_dir: PathBuf,
    /// May carry a password, so it never prints.
    pub database_url: SecretString,
    pub db_max_connections: u32,
    pub log_format: LogFormat,
    pub log_level: String,
    /// The built site (`pkg/` with the WASM bundle and stylesheet, images, favicon).
    pub site_root: PathBuf,
    /// Signs and encrypts cookies and tokens. Generated into the data dir in dev mode.
    pub secret_key: SecretString,
    /// How long in-flight requests may take to finish after a stop signal.
    pub shutdown_grace: Duration,
    /// A session unused this long ends.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, however active.
    pub session_absolute: Duration,
    pub email_transport: EmailTransport,
    /// The From header of every email we send.
    pub email_from: String,
    pub smtp_url: Option<SecretString>,
    pub resend_api_key: Option<SecretString>,
    pub resend_api_url: String,
    pub storage: StorageConfig,
    pub google: Option<OAuthProviderConfig>,
    pub github: Option<OAuthProviderConfig>,
    pub turnstile: Option<TurnstileConfig>,
    pub billing: BillingConfig,
    pub generation: GenerationConfig,
    /// The address people write to about their data, the terms or support (legal pages).
    pub contact_email: Option<String>,
    /// Who runs this instance, named on the legal pages as responsible for the data.
    pub operator_name: Option<String>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("mode", &self.mode)
            .field("addr", &self.addr)
            .field("public_url", &self.public_url)
            .field("data_dir", &self.data_dir)
            .field("database", &self.database_backend_name())
            .field("db_max_connections", &self.db_max_connections)
            .field("log_format", &self.log_format)
            .field("site_root", &self.site_root)
            .finish_non_exhaustive()
    }
}

/// Why the configuration cannot be used. Each displays as one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(String),
    #[error("data directory {path}: {reason}")]
    DataDir { path: PathBuf, reason: String },
    #[error("production mode refuses to start: {}", .0.join("; "))]
    Production(Vec<String>),
}

/// The built-in defaults: enough to run with nothing configured.
pub fn defaults() -> Figment {
    Figment::new()
        .merge(Serialized::default("mode", "dev"))
        .merge(Serialized::default("addr", "127.0.0.1:3000"))
        .merge(Serialized::default("data_dir", "data"))
        .merge(Serialized::default("db_max_connections", 16))
        .merge(Serialized::default("log_format", "text"))
        .merge(Serialized::default("log_level", "info"))
        .merge(Serialized::default(
            "site_root",
            std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()),
        ))
        .merge(Serialized::default("shutdown_grace_seconds", 20))
        .merge(Serialized::default("session_idle_minutes", 7 * 24 * 60))
        .merge(Serialized::default("session_absolute_hours", 30 * 24))
        .merge(Serialized::default("email_transport", "outbox"))
        .merge(Serialized::default(
            "email_from",
            "banana nano <no-reply@banana-nano.localhost>",
        ))
        .merge(Serialized::default(
            "resend_api_url",
            "https://api.resend.com",
        ))
        .merge(Serialized::default("s3_region", "us-east-1"))
        .merge(Serialized::default(
            "google_auth_url",
            "https://accounts.google.com/o/oauth2/v2/auth",
        ))
        .merge(Serialized::default(
            "google_token_url",
            "https://oauth2.googleapis.com/token",
        ))
        .merge(Serialized::default(
            "google_userinfo_url",
            "https://openidconnect.googleapis.com/v1/userinfo",
        ))
        .merge(Serialized::default(
            "github_auth_url",
            "https://github.com/login/oauth/authorize",
        ))
        .merge(Serialized::default(
            "github_token_url",
            "https://github.com/login/oauth/access_token",
        ))
        .merge(Serialized::default(
            "github_api_url",
            "https://api.github.com",
        ))
        .merge(Serialized::default(
            "turnstile_verify_url",
            "https://challenges.cloudflare.com/turnstile/v0/siteverify",
        ))
        .merge(Serialized::default("payment_provider", "local"))
        .merge(Serialized::default(
            "stripe_api_url",
            "https://api.stripe.com",
        ))
        .merge(Serialized::default("creem_api_url", "https://api.creem.io"))
        .merge(Serialized::default(
            "credit_packages",
            crate::billing::catalog::default_packages(),
        ))
        .merge(Serialized::default(
            "subscription_plans",
            crate::billing::catalog::default_plans(),
        ))
        .merge(Serialized::default("signup_bonus_credits", 20))
        .merge(Serialized::default("signup_bonus_days", 30))
        .merge(Serialized::default("referrer_bonus_credits", 100))
        .merge(Serialized::default("referred_bonus_credits", 50))
        .merge(Serialized::default("referral_bonus_days", 90))
        .merge(Serialized::default(
            "models",
            crate::generation::models::default_models(),
        ))
        .merge(Serialized::default(
            "style_presets",
            crate::generation::models::default_styles(),
        ))
        .merge(Serialized::default("generation_workers", 4))
        .merge(Serialized::default("task_max_attempts", 3))
        .merge(Serialized::default("task_lease_seconds", 60))
        .merge(Serialized::default("task_timeout_seconds", 300))
        .merge(Serialized::default("task_retry_base_ms", 2000))
        .merge(Serialized::default("provider_poll_ms", 3000))
        .merge(Serialized::default("guest_trial_credits", 3))
        .merge(Serialized::default(
            "moderation_blocklist",
            Vec::<String>::new(),
        ))
        .merge(Serialized::default(
            "gemini_api_url",
            "https://generativelanguage.googleapis.com",
        ))
        .merge(Serialized::default("kie_api_url", "https://api.kie.ai"))
        .merge(Serialized::default(
            "openai_api_url",
            "https://api.openai.com",
        ))
        .merge(Serialized::default(
            "replicate_api_url",
            "https://api.replicate.com",
        ))
}

/// Defaults < the config file (optional when it is the default `config.toml`) < environment.
pub fn sources(config_file: Option<PathBuf>) -> Figment {
    let file = config_file.unwrap_or_else(|| PathBuf::from("config.toml"));
    let mut figment = defaults();
    if file.exists() {
        figment = figment.merge(Toml::file_exact(file));
    }
    figment
        .merge(Env::prefixed("BANANA_").ignore(&["config"]))
        .merge(Env::raw().only(&["DATABASE_URL"]))
}

impl Config {
    /// Reads and validates configuration, creating the data dir and, in dev mode, the
    /// generated secrets.
    pub fn load(figment: Figment) -> Result<Config, ConfigError> {
        let settings: Settings = figment
            .extract()
            .map_err(|e| ConfigError::Invalid(describe(e)))?;
        let mut billing_problems = Vec::new();
        let billing = billing_config(&settings, &mut billing_problems);
        let generation = generation_config(&settings, &mut billing_problems);
        let addr: SocketAddr = settings.addr.parse().map_err(|_| {
            ConfigError::Invalid(format!(
                "addr `{}` is not an IP address and port, e.g. 127.0.0.1:3000",
                settings.addr
            ))
        })?;
        let public_url = settings
            .public_url
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_string();
        match url::Url::parse(&public_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
            _ => {
                return Err(ConfigError::Invalid(format!(
                    "public_url `{public_url}` is not an http(s) URL"
                )));
            }
        }
        prepare_data_dir(&settings.data_dir)?;
        let database_url = match settings.database_url {
            Some(url) => url,
            None => SecretString::from(format!(
                "sqlite://{}?mode=rwc",
                settings.data_dir.join("banana.db").display()
            )),
        };
        crate::db::Backend::of_url(database_url.expose_secret())
            .map_err(|e| ConfigError::Invalid(e.to_string()))?;
        if settings.db_max_connections == 0 {
            return Err(ConfigError::Invalid(
                "db_max_connections must be at least 1".into(),
            ));
        }
        tracing_level_is_valid(&settings.log_level)?;

        let mut problems = billing_problems;
        let secret_key = match (settings.secret_key, settings.mode) {
            (Some(key), _) => {
                if key.expose_secret().len() < 32 {
                    problems.push("BANANA_SECRET_KEY must be at least 32 characters".to_string());
                }
                key
            }
            (None, Mode::Production) => {
                problems.push("BANANA_SECRET_KEY is not set".to_string());
                SecretString::from(String::new())
            }
            (None, Mode::Dev) => {
                crate::secrets::load_or_create(&settings.data_dir)
                    .map_err(|e| ConfigError::DataDir {
                        path: settings.data_dir.clone(),
                        reason: format!("cannot keep generated secrets: {e}"),
                    })?
                    .secret_key
            }
        };
        match settings.email_transport {
            EmailTransport::Outbox if settings.mode == Mode::Production => problems.push(
                "BANANA_EMAIL_TRANSPORT=outbox is for development; use smtp or resend".into(),
            ),
            EmailTransport::Smtp if settings.smtp_url.is_none() => {
                problems.push("BANANA_SMTP_URL is required with email_transport=smtp".into())
            }
            EmailTransport::Resend if settings.resend_api_key.is_none() => problems
                .push("BANANA_RESEND_API_KEY is required with email_transport=resend".into()),
            _ => {}
        }
        if settings.session_idle_minutes == 0 || settings.session_absolute_hours == 0 {
            problems.push("session lifetimes must be positive".into());
        }
        let storage = match settings.storage_url.as_deref() {
            None => StorageConfig::Local {
                root: settings.data_dir.join("files"),
            },
            Some(url) if url.starts_with("s3://") => {
                let bucket = url.trim_start_matches("s3://").trim_end_matches('/');
                if bucket.is_empty() || bucket.contains('/') {
                    return Err(ConfigError::Invalid(format!(
                        "storage_url `{url}` must be s3://<bucket>"
                    )));
                }
                StorageConfig::S3 {
                    bucket: bucket.to_string(),
                    endpoint: settings.s3_endpoint.clone(),
                    region: settings.s3_region.clone(),
                    access_key_id: settings.s3_access_key_id.clone(),
                    secret_access_key: settings.s3_secret_access_key.clone(),
                }
            }
            Some(path) => StorageConfig::Local {
                root: PathBuf::from(path.trim_start_matches("file://")),
            },
        };
        let oauth = |name: &str,
                     id: Option<String>,
                     secret: Option<SecretString>,
                     auth_url: String,
                     token_url: String,
                     api_url: String,
                     problems: &mut Vec<String>| {
            let id = id.filter(|id| !id.trim().is_empty())?;
            let Some(secret) = secret else {
                problems.push(format!(
                    "BANANA_{name}_CLIENT_SECRET is required when BANANA_{name}_CLIENT_ID is set"
                ));
                return None;
            };
            Some(OAuthProviderConfig {
                client_id: id,
                client_secret: secret,
                auth_url,
                token_url,
                api_url,
            })
        };
        let google = oauth(
            "GOOGLE",
            settings.google_client_id,
            settings.google_client_secret,
            settings.google_auth_url,
            settings.google_token_url,
            settings.google_userinfo_url,
            &mut problems,
        );
        let github = oauth(
            "GITHUB",
            settings.github_client_id,
            settings.github_client_secret,
            settings.github_auth_url,
            settings.github_token_url,
            settings.github_api_url,
            &mut problems,
        );
        let turnstile = match (settings.turnstile_site_key, settings.turnstile_secret_key) {
            (Some(site_key), Some(secret_key)) => Some(TurnstileConfig {
                site_key,
                secret_key,
                verify_url: settings.turnstile_verify_url,
            }),
            (None, None) => None,
            _ => {
                problems.push(
                    "BANANA_TURNSTILE_SITE_KEY and BANANA_TURNSTILE_SECRET_KEY go together".into(),
                );
                None
            }
        };
        let contact_email = settings
            .contact_email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|e| match crate::accounts::EmailAddress::parse(e) {
                Ok(email) => email.as_ref().to_string(),
                Err(_) => {
                    problems.push(format!("contact_email `{e}` is not an email address"));
                    String::new()
                }
            });
        let operator_name = settings
            .operator_name
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty());
        // The privacy policy names who is responsible for the data and how to reach them; a
        // public site cannot publish it without both.
        if settings.mode == Mode::Production {
            if contact_email.is_none() {
                problems.push(
                    "BANANA_CONTACT_EMAIL is required: the privacy policy gives it as the \
                     address for privacy questions and requests"
                        .into(),
                );
            }
            if operator_name.is_none() {
                problems.push(
                    "BANANA_OPERATOR_NAME is required: the privacy policy names the operator \
                     responsible for the data"
                        .into(),
                );
            }
        }
        if settings.mode == Mode::Production && !public_url.starts_with("https://") {
            problems.push(format!(
                "BANANA_PUBLIC_URL must be https (is `{public_url}`)"
            ));
        }
        if settings.mode == Mode::Production && !problems.is_empty() {
            return Err(ConfigError::Production(problems));
        }
        if let Some(problem) = problems.into_iter().next() {
            return Err(ConfigError::Invalid(problem));
        }

        Ok(Config {
            mode: settings.mode,
            addr,
            public_url,
            data_dir: settings.data_dir,
            database_url,
            db_max_connections: settings.db_max_connections,
            log_format: settings.log_format,
            log_level: settings.log_level,
            site_root: settings.site_root,
            secret_key,
            shutdown_grace: Duration::from_secs(settings.shutdown_grace_seconds),
            session_idle: Duration::from_secs(settings.session_idle_minutes * 60),
            session_absolute: Duration::from_secs(settings.session_absolute_hours * 3600),
            email_transport: settings.email_transport,
            email_from: settings.email_from,
            smtp_url: settings.smtp_url,
            resend_api_key: settings.resend_api_key,
            resend_api_url: settings.resend_api_url.trim_end_matches('/').to_string(),
            storage,
            google,
            github,
            turnstile,
            billing,
            generation,
            contact_email,
            operator_name,
        })
    }

    pub fn is_dev(&self) -> bool {
        self.mode == Mode::Dev
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn database_backend_name(&self) -> &'static str {
        crate::db::Backend::of_url(self.database_url.expose_secret())
            .map(|b| b.name())
            .unwrap_or("unknown")
    }
}

/// Turns figment's errors into one line naming the key and where it came from.
fn describe(error: figment::Error) -> String {
    error
        .into_iter()
        .map(|e| {
            let origin = match &e.metadata {
                Some(meta) => match &meta.source {
                    Some(source) => format!("{} {source}", meta.name),
                    None => meta.name.to_string(),
                },
                None => "defaults".to_string(),
            };
            let key = e.path.join(".");
            match &e.kind {
                figment::error::Kind::UnknownField(field, _) => {
                    format!("unknown key `{field}` in {origin}")
                }
                kind if key.is_empty() => format!("{kind} in {origin}"),
                kind => format!("`{key}` in {origin}: {kind}"),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
        .replace('\n', " ")
}

fn tracing_level_is_valid(level: &str) -> Result<(), ConfigError> {
    // The full filter syntax (`info,sqlx=warn`) is checked where the subscriber is built;
    // here only that something is there.
    if level.trim().is_empty() {
        return Err(ConfigError::Invalid("log_level is empty".into()));
    }
    Ok(())
}

/// Creates the data dir if needed and proves it is writable.
fn prepare_data_dir(path: &std::path::Path) -> Result<(), ConfigError> {
    let fail = |reason: String| ConfigError::DataDir {
        path: path.to_path_buf(),
        reason,
    };
    std::fs::create_dir_all(path).map_err(|e| fail(format!("cannot create it: {e}")))?;
    let probe = path.join(format!(".write-test-{}", std::process::id()));
    std::fs::write(&probe, b"ok").map_err(|e| fail(format!("is not writable: {e}")))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

#[cfg(test)]
mod tests;

fn billing_config(settings: &Settings, problems: &mut Vec<String>) -> BillingConfig {
    use crate::billing::{Bonus, Catalog};
    let bonus = |credits, validity_days| Bonus {
        credits,
        validity_days,
    };
    let catalog = Catalog {
        packages: settings.credit_packages.clone(),
        plans: settings.subscription_plans.clone(),
        signup_bonus: bonus(settings.signup_bonus_credits, settings.signup_bonus_days),
        referrer_bonus: bonus(
            settings.referrer_bonus_credits,
            settings.referral_bonus_days,
        ),
        referred_bonus: bonus(
            settings.referred_bonus_credits,
            settings.referral_bonus_days,
        ),
    };
    problems.extend(catalog.problems());
    let stripe = match (&settings.stripe_secret_key, &settings.stripe_webhook_secret) {
        (Some(secret_key), Some(webhook_secret)) => Some(StripeConfig {
            secret_key: secret_key.clone(),
            webhook_secret: webhook_secret.clone(),
            api_url: settings.stripe_api_url.trim_end_matches('/').to_string(),
        }),
        (None, None) => None,
        _ => {
            problems.push(
                "BANANA_STRIPE_SECRET_KEY and BANANA_STRIPE_WEBHOOK_SECRET go together".into(),
            );
            None
        }
    };
    let creem = match (&settings.creem_api_key, &settings.creem_webhook_secret) {
        (Some(api_key), Some(webhook_secret)) => Some(CreemConfig {
            api_key: api_key.clone(),
            webhook_secret: webhook_secret.clone(),
            api_url: settings.creem_api_url.trim_end_matches('/').to_string(),
        }),
        (None, None) => None,
        _ => {
            problems
                .push("BANANA_CREEM_API_KEY and BANANA_CREEM_WEBHOOK_SECRET go together".into());
            None
        }
    };
    match settings.payment_provider {
        PaymentProviderKind::Local if settings.mode == Mode::Production => problems
            .push("BANANA_PAYMENT_PROVIDER=local is for development; use stripe or creem".into()),
        PaymentProviderKind::Stripe if stripe.is_none() => problems
            .push("BANANA_STRIPE_SECRET_KEY is required with payment_provider=stripe".into()),
        PaymentProviderKind::Creem if creem.is_none() => {
            problems.push("BANANA_CREEM_API_KEY is required with payment_provider=creem".into())
        }
        PaymentProviderKind::Creem => {
            let missing: Vec<&str> = catalog
                .packages
                .iter()
                .map(|p| (&p.id, &p.creem_product_id))
                .chain(catalog.plans.iter().map(|p| (&p.id, &p.creem_product_id)))
                .filter(|(_, product)| product.is_none())
                .map(|(id, _)| id.as_str())
                .collect();
            if !missing.is_empty() {
                problems.push(format!(
                    "payment_provider=creem needs creem_product_id on {}",
                    missing.join(", ")
                ));
            }
        }
        _ => {}
    }
    BillingConfig {
        provider: settings.payment_provider,
        stripe,
        creem,
        catalog,
    }
}

fn generation_config(settings: &Settings, problems: &mut Vec<String>) -> GenerationConfig {
    use crate::generation::{ModelCatalog, ProviderKind};
    let api = |key: &Option<SecretString>, url: &str, callback: &Option<SecretString>| {
        key.as_ref()
            .filter(|k| !k.expose_secret().trim().is_empty())
            .map(|k| ProviderApi {
                api_key: k.clone(),
                api_url: url.trim_end_matches('/').to_string(),
                callback_secret: callback.clone(),
            })
    };
    let gemini = api(&settings.gemini_api_key, &settings.gemini_api_url, &None);
    let kie = api(
        &settings.kie_api_key,
        &settings.kie_api_url,
        &settings.kie_webhook_hmac_key,
    );
    let openai = api(&settings.openai_api_key, &settings.openai_api_url, &None);
    let replicate = api(
        &settings.replicate_api_token,
        &settings.replicate_api_url,
        &settings.replicate_webhook_secret,
    );
    if kie.is_some() && settings.kie_webhook_hmac_key.is_none() {
        problems.push("BANANA_KIE_WEBHOOK_HMAC_KEY is required with BANANA_KIE_API_KEY".into());
    }
    if replicate.is_some() && settings.replicate_webhook_secret.is_none() {
        problems.push(
            "BANANA_REPLICATE_WEBHOOK_SECRET is required with BANANA_REPLICATE_API_TOKEN".into(),
        );
    }
    let mut ids = std::collections::HashSet::new();
    for model in &settings.models {
        if let Err(problem) = model.check() {
            problems.push(problem);
        }
        if !ids.insert(model.id.as_str()) {
            problems.push(format!("model id {} appears twice", model.id));
        }
    }
    let configured = |provider: ProviderKind| match provider {
        ProviderKind::Local => true,
        ProviderKind::Gemini => gemini.is_some(),
        ProviderKind::Kie => kie.is_some(),
        ProviderKind::Openai => openai.is_some(),
        ProviderKind::Replicate => replicate.is_some(),
    };
    let models: Vec<_> = settings
        .models
        .iter()
        .filter(|m| configured(m.provider))
        .cloned()
        .collect();
    if models.is_empty() {
        problems
            .push("no model is available: configure a provider or keep the offline engine".into());
    }
    if settings.task_max_attempts == 0 || settings.task_lease_seconds == 0 {
        problems.push("task_max_attempts and task_lease_seconds must be positive".into());
    }
    if settings.guest_trial_credits < 0 {
        problems.push("guest_trial_credits cannot be negative".into());
    }
    if let Some(url) = &settings.moderation_image_check_url
        && url::Url::parse(url).is_err()
    {
        problems.push(format!("moderation_image_check_url `{url}` is not a URL"));
    }
    GenerationConfig {
        catalog: ModelCatalog {
            models,
            styles: settings.style_presets.clone(),
        },
        workers: settings.generation_workers,
        max_attempts: settings.task_max_attempts,
        lease: Duration::from_secs(settings.task_lease_seconds),
        timeout: Duration::from_secs(settings.task_timeout_seconds.max(1)),
        retry_base: Duration::from_millis(settings.task_retry_base_ms),
        poll_interval: Duration::from_millis(settings.provider_poll_ms.max(10)),
        guest_trial_credits: settings.guest_trial_credits,
        blocklist: settings
            .moderation_blocklist
            .iter()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| !w.is_empty())
            .collect(),
        image_check_url: settings.moderation_image_check_url.clone(),
        gemini,
        kie,
        openai,
        replicate,
    }
}

//! Configuration, read once at start: built-in defaults, then an optional `config.toml`,
//! then the environment (`BANANA_*`, plus the conventional `DATABASE_URL`). Every key is
//! documented in `.env.example`. Unknown keys are errors, so a typo never passes silently.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::{fmt, net::SocketAddr, path::PathBuf, time::Duration};

pub mod catalog;
mod load;
pub mod models;
mod sections;
mod settings;

#[cfg(test)]
use settings::Settings;
pub use settings::{defaults, sources};

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
    pub catalog: catalog::Catalog,
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
    pub catalog: models::ModelCatalog,
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
    /// Seal the secrets we read back (two-factor keys). Generated in dev mode.
    pub field_keys: crate::sealed::FieldKeys,
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
    /// The reverse proxies in front of this server. Only from these do the client's address
    /// (`CF-Connecting-IP`, `X-Forwarded-For`) and country (`CF-IPCountry`) count; from
    /// anyone else those headers are ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
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

impl Config {
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

#[cfg(test)]
mod tests;

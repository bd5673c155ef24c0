//! The keys a file or the environment may set, their built-in defaults, and how the
//! sources layer: defaults < `config.toml` < environment.

use super::{
    EmailTransport, LogFormat, Mode, PaymentProviderKind,
    catalog::{CreditPackage, SubscriptionPlan},
    models::{ModelSpec, StylePreset},
};
use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use secrecy::SecretString;
use serde::Deserialize;
use std::path::PathBuf;

/// The keys a file or the environment may set, exactly as written there.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Settings {
    pub(super) mode: Mode,
    pub(super) addr: String,
    pub(super) public_url: Option<String>,
    pub(super) data_dir: PathBuf,
    pub(super) database_url: Option<SecretString>,
    pub(super) db_max_connections: u32,
    pub(super) log_format: LogFormat,
    pub(super) log_level: String,
    pub(super) site_root: PathBuf,
    pub(super) secret_key: Option<SecretString>,
    pub(super) field_keys: Option<SecretString>,
    pub(super) shutdown_grace_seconds: u64,
    pub(super) session_idle_minutes: u64,
    pub(super) session_absolute_hours: u64,
    pub(super) email_transport: EmailTransport,
    pub(super) email_from: String,
    pub(super) smtp_url: Option<SecretString>,
    pub(super) resend_api_key: Option<SecretString>,
    pub(super) resend_api_url: String,
    pub(super) storage_url: Option<String>,
    pub(super) s3_endpoint: Option<String>,
    pub(super) s3_region: String,
    pub(super) s3_access_key_id: Option<String>,
    pub(super) s3_secret_access_key: Option<SecretString>,
    pub(super) google_client_id: Option<String>,
    pub(super) google_client_secret: Option<SecretString>,
    pub(super) google_auth_url: String,
    pub(super) google_token_url: String,
    pub(super) google_userinfo_url: String,
    pub(super) github_client_id: Option<String>,
    pub(super) github_client_secret: Option<SecretString>,
    pub(super) github_auth_url: String,
    pub(super) github_token_url: String,
    pub(super) github_api_url: String,
    pub(super) turnstile_site_key: Option<String>,
    pub(super) turnstile_secret_key: Option<SecretString>,
    pub(super) turnstile_verify_url: String,
    pub(super) payment_provider: PaymentProviderKind,
    pub(super) stripe_secret_key: Option<SecretString>,
    pub(super) stripe_webhook_secret: Option<SecretString>,
    pub(super) stripe_api_url: String,
    pub(super) creem_api_key: Option<SecretString>,
    pub(super) creem_webhook_secret: Option<SecretString>,
    pub(super) creem_api_url: String,
    pub(super) credit_packages: Vec<CreditPackage>,
    pub(super) subscription_plans: Vec<SubscriptionPlan>,
    pub(super) signup_bonus_credits: i64,
    pub(super) signup_bonus_days: i64,
    pub(super) referrer_bonus_credits: i64,
    pub(super) referred_bonus_credits: i64,
    pub(super) referral_bonus_days: i64,
    pub(super) models: Vec<ModelSpec>,
    pub(super) style_presets: Vec<StylePreset>,
    pub(super) generation_workers: usize,
    pub(super) task_max_attempts: u32,
    pub(super) task_lease_seconds: u64,
    pub(super) task_timeout_seconds: u64,
    pub(super) task_retry_base_ms: u64,
    pub(super) provider_poll_ms: u64,
    pub(super) guest_trial_credits: i64,
    pub(super) moderation_blocklist: Vec<String>,
    pub(super) moderation_image_check_url: Option<String>,
    pub(super) gemini_api_key: Option<SecretString>,
    pub(super) gemini_api_url: String,
    pub(super) kie_api_key: Option<SecretString>,
    pub(super) kie_api_url: String,
    pub(super) kie_webhook_hmac_key: Option<SecretString>,
    pub(super) openai_api_key: Option<SecretString>,
    pub(super) openai_api_url: String,
    pub(super) replicate_api_token: Option<SecretString>,
    pub(super) replicate_api_url: String,
    pub(super) replicate_webhook_secret: Option<SecretString>,
    pub(super) contact_email: Option<String>,
    pub(super) operator_name: Option<String>,
    pub(super) trusted_proxies: ListSetting,
}

/// A list in a file (`["a", "b"]`) or, as environment variables carry it, one string
/// with commas (`a,b`).
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum ListSetting {
    One(String),
    Many(Vec<String>),
}

impl ListSetting {
    pub(super) fn items(&self) -> Vec<String> {
        let all: Vec<&str> = match self {
            ListSetting::One(one) => vec![one.as_str()],
            ListSetting::Many(many) => many.iter().map(String::as_str).collect(),
        };
        all.into_iter()
            .flat_map(|item| item.split(','))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// The built-in defaults: enough to run with nothing configured.
pub fn defaults() -> Figment {
    let groups: [fn(Figment) -> Figment; 4] = [
        server_defaults,
        service_defaults,
        billing_defaults,
        generation_defaults,
    ];
    groups
        .into_iter()
        .fold(Figment::new(), |figment, group| group(figment))
}

/// The server itself: address, data, database, logs, sessions.
fn server_defaults(figment: Figment) -> Figment {
    figment
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
        .merge(Serialized::default("trusted_proxies", Vec::<String>::new()))
}

/// Email, sign-in providers and Turnstile: the vendors' own endpoints.
fn service_defaults(figment: Figment) -> Figment {
    figment
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
}

/// Payments and the catalog a fresh installation sells.
fn billing_defaults(figment: Figment) -> Figment {
    figment
        .merge(Serialized::default("payment_provider", "local"))
        .merge(Serialized::default(
            "stripe_api_url",
            "https://api.stripe.com",
        ))
        .merge(Serialized::default("creem_api_url", "https://api.creem.io"))
        .merge(Serialized::default(
            "credit_packages",
            super::catalog::default_packages(),
        ))
        .merge(Serialized::default(
            "subscription_plans",
            super::catalog::default_plans(),
        ))
        .merge(Serialized::default("signup_bonus_credits", 20))
        .merge(Serialized::default("signup_bonus_days", 30))
        .merge(Serialized::default("referrer_bonus_credits", 100))
        .merge(Serialized::default("referred_bonus_credits", 50))
        .merge(Serialized::default("referral_bonus_days", 90))
}

/// Models, the task queue, moderation and the image providers' endpoints.
fn generation_defaults(figment: Figment) -> Figment {
    figment
        .merge(Serialized::default(
            "models",
            super::models::default_models(),
        ))
        .merge(Serialized::default(
            "style_presets",
            super::models::default_styles(),
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

/// Turns figment's errors into one line naming the key and where it came from.
pub(super) fn describe(error: figment::Error) -> String {
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

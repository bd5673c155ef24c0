//! Turning the settings into a validated `Config`: parse, check, create the data dir and
//! dev secrets, and in production refuse what only development may use.

use super::{
    Config, ConfigError, EmailTransport, Mode,
    sections::{
        billing_config, generation_config, github_config, google_config, storage_config,
        turnstile_config,
    },
    settings::{Settings, describe},
};
use figment::Figment;
use secrecy::{ExposeSecret, SecretString};
use std::{net::SocketAddr, time::Duration};

impl Config {
    /// Reads and validates configuration, creating the data dir and, in dev mode, the
    /// generated secrets.
    pub fn load(figment: Figment) -> Result<Config, ConfigError> {
        let settings: Settings = figment
            .extract()
            .map_err(|e| ConfigError::Invalid(describe(e)))?;
        let mut problems = Vec::new();
        let billing = billing_config(&settings, &mut problems);
        let generation = generation_config(&settings, &mut problems);
        let (addr, public_url) = listen_addresses(&settings)?;
        prepare_data_dir(&settings.data_dir)?;
        let database_url = database_url(&settings)?;
        tracing_level_is_valid(&settings.log_level)?;

        let secret_key = secret_key(&settings, &mut problems)?;
        let field_keys = field_keys(&settings, &mut problems)?;
        check_email_and_sessions(&settings, &mut problems);
        let storage = storage_config(&settings)?;
        let google = google_config(&settings, &mut problems);
        let github = github_config(&settings, &mut problems);
        let turnstile = turnstile_config(&settings, &mut problems);
        let (contact_email, operator_name) = legal_identity(&settings, &mut problems);
        let trusted_proxies = trusted_proxies(&settings, &mut problems);
        if settings.mode == Mode::Production {
            check_production(&public_url, &contact_email, &operator_name, &mut problems);
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
            field_keys,
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
            trusted_proxies,
        })
    }
}

/// The proxies' networks (`10.0.0.0/8`, `2001:db8::/32`, or one address).
fn trusted_proxies(settings: &Settings, problems: &mut Vec<String>) -> Vec<ipnet::IpNet> {
    settings
        .trusted_proxies
        .items()
        .into_iter()
        .filter_map(|item| {
            let parsed = item
                .parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from));
            match parsed {
                Ok(net) => Some(net),
                Err(_) => {
                    problems.push(format!(
                        "trusted_proxies: `{item}` is not an address or a network (CIDR)"
                    ));
                    None
                }
            }
        })
        .collect()
}

/// The socket address to listen on and the public origin (by default, that address).
fn listen_addresses(settings: &Settings) -> Result<(SocketAddr, String), ConfigError> {
    let addr: SocketAddr = settings.addr.parse().map_err(|_| {
        ConfigError::Invalid(format!(
            "addr `{}` is not an IP address and port, e.g. 127.0.0.1:3000",
            settings.addr
        ))
    })?;
    let public_url = settings
        .public_url
        .clone()
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
    Ok((addr, public_url))
}

/// The configured database URL, else a SQLite file in the data dir; its backend must be
/// one we speak.
fn database_url(settings: &Settings) -> Result<SecretString, ConfigError> {
    let database_url = match &settings.database_url {
        Some(url) => url.clone(),
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
    Ok(database_url)
}

/// The configured secret key; in dev mode without one, the key generated into the data dir.
fn secret_key(
    settings: &Settings,
    problems: &mut Vec<String>,
) -> Result<SecretString, ConfigError> {
    Ok(match (&settings.secret_key, settings.mode) {
        (Some(key), _) => {
            if key.expose_secret().len() < 32 {
                problems.push("BANANA_SECRET_KEY must be at least 32 characters".to_string());
            }
            key.clone()
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
    })
}

/// The configured field keys; in dev mode without them, the key generated into the data
/// dir. Production names them explicitly.
fn field_keys(
    settings: &Settings,
    problems: &mut Vec<String>,
) -> Result<crate::sealed::FieldKeys, ConfigError> {
    use crate::sealed::FieldKeys;
    let spec = match (&settings.field_keys, settings.mode) {
        (Some(spec), _) => spec.expose_secret().to_string(),
        (None, Mode::Production) => {
            problems.push("BANANA_FIELD_KEYS is not set".to_string());
            FieldKeys::generate_spec("unset")
        }
        (None, Mode::Dev) => crate::secrets::load_or_create(&settings.data_dir)
            .map_err(|e| ConfigError::DataDir {
                path: settings.data_dir.clone(),
                reason: format!("cannot keep generated secrets: {e}"),
            })?
            .field_keys
            .expose_secret()
            .to_string(),
    };
    match FieldKeys::parse(&spec) {
        Ok(keys) => Ok(keys),
        Err(reason) => {
            problems.push(format!("BANANA_FIELD_KEYS: {reason}"));
            Ok(FieldKeys::parse(&FieldKeys::generate_spec("invalid")).expect("a generated key"))
        }
    }
}

fn check_email_and_sessions(settings: &Settings, problems: &mut Vec<String>) {
    match settings.email_transport {
        EmailTransport::Outbox if settings.mode == Mode::Production => problems
            .push("BANANA_EMAIL_TRANSPORT=outbox is for development; use smtp or resend".into()),
        EmailTransport::Smtp if settings.smtp_url.is_none() => {
            problems.push("BANANA_SMTP_URL is required with email_transport=smtp".into())
        }
        EmailTransport::Resend if settings.resend_api_key.is_none() => {
            problems.push("BANANA_RESEND_API_KEY is required with email_transport=resend".into())
        }
        _ => {}
    }
    if settings.session_idle_minutes == 0 || settings.session_absolute_hours == 0 {
        problems.push("session lifetimes must be positive".into());
    }
}

/// The contact address and operator name the legal pages give, trimmed; empty is none.
fn legal_identity(
    settings: &Settings,
    problems: &mut Vec<String>,
) -> (Option<String>, Option<String>) {
    let contact_email = settings
        .contact_email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| match crate::types::EmailAddress::parse(e) {
            Ok(email) => email.as_ref().to_string(),
            Err(_) => {
                problems.push(format!("contact_email `{e}` is not an email address"));
                String::new()
            }
        });
    let operator_name = settings
        .operator_name
        .as_ref()
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty());
    (contact_email, operator_name)
}

/// What a public site needs beyond what development does.
fn check_production(
    public_url: &str,
    contact_email: &Option<String>,
    operator_name: &Option<String>,
    problems: &mut Vec<String>,
) {
    // The privacy policy names who is responsible for the data and how to reach them; a
    // public site cannot publish it without both.
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
    if !public_url.starts_with("https://") {
        problems.push(format!(
            "BANANA_PUBLIC_URL must be https (is `{public_url}`)"
        ));
    }
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

use super::*;
use figment::{Jail, providers::Serialized};

/// Runs `test` in a jail: its own working directory and an empty environment.
#[allow(clippy::result_large_err)] // figment's error type, returned by the jail itself
fn in_jail(test: impl FnOnce(&mut Jail)) {
    Jail::expect_with(|jail| {
        jail.clear_env();
        test(jail);
        Ok(())
    });
}

/// Loads configuration as the program does, inside a jail whose working directory and
/// environment the test controls.
fn load_in(jail: &Jail) -> Result<Config, ConfigError> {
    let _ = jail;
    Config::load(sources(None))
}

#[test]
fn runs_with_nothing_configured() {
    in_jail(|jail| {
        let config = load_in(jail).expect("defaults are enough");
        assert_eq!(config.mode, Mode::Dev);
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
        assert_eq!(config.database_backend_name(), "sqlite");
        assert!(
            config
                .database_url
                .expose_secret()
                .contains("data/banana.db")
        );
        assert!(
            jail.directory()
                .join("data")
                .join(crate::secrets::FILE_NAME)
                .exists()
        );
        assert_eq!(config.secret_key.expose_secret().len(), 128);
    });
}

#[test]
fn environment_overrides_file_overrides_defaults() {
    in_jail(|jail| {
        jail.create_file(
            "config.toml",
            "addr = \"127.0.0.1:4000\"\nlog_format = \"json\"\n",
        )
        .unwrap();
        let config = load_in(jail).unwrap();
        assert_eq!(config.addr.port(), 4000);
        assert_eq!(config.log_format, LogFormat::Json);
        jail.set_env("BANANA_ADDR", "127.0.0.1:5000");
        jail.set_env("DATABASE_URL", "postgres://u:secret@127.0.0.1:5432/db");
        let config = load_in(jail).unwrap();
        assert_eq!(config.addr.port(), 5000);
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(config.database_backend_name(), "postgres");
        // The password never shows in a debug print.
        assert!(!format!("{config:?}").contains("secret"));
    });
}

#[test]
fn unknown_keys_are_named() {
    in_jail(|jail| {
        jail.create_file("config.toml", "adr = \"127.0.0.1:4000\"\n")
            .unwrap();
        let message = load_in(jail).expect_err("refused").to_string();
        assert!(message.contains("unknown key `adr`"), "{message}");
        assert!(message.contains("config.toml"), "{message}");
        assert!(!message.contains('\n'), "one line: {message}");
    });
}

#[test]
fn bad_values_give_one_clear_line() {
    in_jail(|jail| {
        jail.set_env("DATABASE_URL", "mysql://root:pw@localhost/x");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(message.contains("sqlite: or postgres://"), "{message}");
        assert!(!message.contains("pw@"), "{message}");
        jail.set_env("DATABASE_URL", "::::");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(message.contains("DATABASE_URL is not a URL"), "{message}");
        jail.set_env("DATABASE_URL", "sqlite://data/x.db");
        jail.set_env("BANANA_ADDR", "localhost");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(message.contains("addr `localhost`"), "{message}");
        jail.set_env("BANANA_ADDR", "127.0.0.1:3000");
        jail.set_env("BANANA_MODE", "staging");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(message.contains("mode"), "{message}");
    });
}

#[cfg(unix)]
#[test]
fn unwritable_data_dir_is_reported() {
    in_jail(|jail| {
        // A data dir below a regular file can never be created, even by root.
        jail.create_file("occupied", "").unwrap();
        jail.set_env("BANANA_DATA_DIR", "occupied/data");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(
            message.starts_with("data directory occupied/data:"),
            "{message}"
        );
    });
}

#[test]
fn production_names_every_missing_secret_and_dev_setting() {
    in_jail(|jail| {
        jail.set_env("BANANA_MODE", "production");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(
            message.starts_with("production mode refuses to start"),
            "{message}"
        );
        assert!(
            message.contains("BANANA_SECRET_KEY is not set"),
            "{message}"
        );
        assert!(
            message.contains("BANANA_PUBLIC_URL must be https"),
            "{message}"
        );
        assert!(
            message.contains("BANANA_EMAIL_TRANSPORT=outbox is for development"),
            "{message}"
        );
        assert!(
            message.contains("BANANA_PAYMENT_PROVIDER=local is for development"),
            "{message}"
        );
        assert!(
            message.contains("BANANA_CONTACT_EMAIL is required"),
            "{message}"
        );
        assert!(
            message.contains("BANANA_OPERATOR_NAME is required"),
            "{message}"
        );
        // Production never falls back to generated secrets.
        assert!(
            !jail
                .directory()
                .join("data")
                .join(crate::secrets::FILE_NAME)
                .exists()
        );

        jail.set_env("BANANA_SECRET_KEY", "x".repeat(40));
        let message = load_in(jail).unwrap_err().to_string();
        assert!(
            message.contains("BANANA_FIELD_KEYS is not set"),
            "{message}"
        );
        jail.set_env("BANANA_FIELD_KEYS", "k1:00");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(message.contains("must be 32 bytes"), "{message}");
        assert!(!message.contains("k1:00"), "{message}");
        jail.set_env(
            "BANANA_FIELD_KEYS",
            format!("k2:{},k1:{}", "ab".repeat(32), "cd".repeat(32)),
        );
        jail.set_env("BANANA_CONTACT_EMAIL", "privacy@banana.example");
        jail.set_env("BANANA_OPERATOR_NAME", "Banana Nano Ltd");
        jail.set_env("BANANA_PUBLIC_URL", "https://banana.example/");
        jail.set_env("BANANA_EMAIL_TRANSPORT", "smtp");
        jail.set_env("BANANA_PAYMENT_PROVIDER", "stripe");
        jail.set_env("BANANA_STRIPE_SECRET_KEY", "sk_live_x");
        jail.set_env("BANANA_STRIPE_WEBHOOK_SECRET", "whsec_x");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(message.contains("BANANA_SMTP_URL is required"), "{message}");
        jail.set_env("BANANA_SMTP_URL", "smtps://mailer:pw@smtp.banana.example");
        // A provider needs its secret along with its id.
        jail.set_env("BANANA_GITHUB_CLIENT_ID", "Iv1.abc");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(
            message.contains("BANANA_GITHUB_CLIENT_SECRET is required"),
            "{message}"
        );
        jail.set_env("BANANA_GITHUB_CLIENT_SECRET", "s3cret");
        let config = load_in(jail).unwrap();
        assert!(config.github.is_some() && config.google.is_none());
        assert!(!format!("{config:?}").contains("s3cret"));
        assert_eq!(config.public_url, "https://banana.example");
        assert!(config.is_https());
    });
}

/// `.env.example` documents every key the configuration accepts, each with a comment line
/// above it, and nothing else; loaded as it is, it changes nothing.
#[test]
fn env_example_documents_every_key() {
    // The unknown-key error lists every accepted key.
    let accepted: Vec<String> = match defaults()
        .merge(Serialized::default("no_such_key", 1))
        .extract::<Settings>()
    {
        Err(error) => match error.into_iter().next().map(|e| e.kind) {
            Some(figment::error::Kind::UnknownField(_, expected)) => {
                expected.iter().map(|k| k.to_string()).collect()
            }
            other => panic!("unexpected error: {other:?}"),
        },
        Ok(_) => panic!("an unknown key was accepted"),
    };
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../.env.example"))
            .expect(".env.example at the repository root");
    let lines: Vec<&str> = example.lines().collect();
    let mut documented = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let setting = line.trim_start_matches("# ");
        let Some((name, _)) = setting.split_once('=') else {
            continue;
        };
        if name.contains(' ') || name.is_empty() {
            continue;
        }
        assert!(
            i > 0 && lines[i - 1].starts_with('#'),
            "{name} has a comment line above it"
        );
        documented.push(name.to_string());
    }
    for key in &accepted {
        let variable = if key == "database_url" {
            "DATABASE_URL".to_string()
        } else {
            format!("BANANA_{}", key.to_uppercase())
        };
        assert!(
            documented.contains(&variable),
            ".env.example lacks {variable}"
        );
    }
    for name in &documented {
        let key = name.trim_start_matches("BANANA_").to_lowercase();
        assert!(
            accepted.contains(&key) || name == "BANANA_CONFIG",
            "{name} is not a key"
        );
    }

    // Every value it sets is the default: loading it changes nothing.
    in_jail(|jail| {
        for line in lines
            .iter()
            .filter(|l| !l.starts_with('#') && l.contains('='))
        {
            let (name, value) = line.split_once('=').unwrap();
            jail.set_env(name, value.trim_matches('"'));
        }
        let config = load_in(jail).expect(".env.example loads");
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.mode, Mode::Dev);
        assert_eq!(
            config.email_from,
            "banana nano <no-reply@banana-nano.localhost>"
        );
    });
}

#[test]
fn the_catalog_and_payment_providers_come_from_configuration() {
    in_jail(|jail| {
        let config = load_in(jail).unwrap();
        assert_eq!(config.billing.provider, PaymentProviderKind::Local);
        assert_eq!(config.billing.catalog.packages.len(), 3);
        assert_eq!(config.billing.catalog.signup_bonus.credits, 20);
        jail.create_file(
            "config.toml",
            r#"
            signup_bonus_credits = 5
            [[credit_packages]]
            id = "tiny"
            credits = 10
            usd = 100
            cny = 700
            validity_days = 30
            [[subscription_plans]]
            id = "basic"
            interval = "month"
            credits = 100
            usd = 500
            cny = 3500
            "#,
        )
        .unwrap();
        let config = load_in(jail).unwrap();
        let catalog = &config.billing.catalog;
        assert_eq!(catalog.packages.len(), 1);
        assert_eq!(
            catalog
                .product("tiny")
                .unwrap()
                .price(crate::billing::Currency::Cny),
            700
        );
        assert_eq!(catalog.plans[0].interval, crate::billing::Interval::Month);
        assert_eq!(catalog.signup_bonus.credits, 5);

        jail.set_env(
            "BANANA_CREDIT_PACKAGES",
            r#"[{id="Bad Id",credits=0,usd=1,cny=1,validity_days=1}]"#,
        );
        let message = load_in(jail).unwrap_err().to_string();
        assert!(message.contains("catalog id `Bad Id`"), "{message}");
        jail.set_env(
            "BANANA_CREDIT_PACKAGES",
            r#"[{id="ok",credits=10,usd=100,cny=700,validity_days=30}]"#,
        );

        jail.set_env("BANANA_STRIPE_SECRET_KEY", "sk_test_x");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(message.contains("go together"), "{message}");
        jail.set_env("BANANA_STRIPE_WEBHOOK_SECRET", "whsec_secret_value");
        jail.set_env("BANANA_PAYMENT_PROVIDER", "stripe");
        let config = load_in(jail).unwrap();
        assert!(config.billing.stripe.is_some());
        assert!(!format!("{config:?}").contains("whsec_secret_value"));

        jail.set_env("BANANA_PAYMENT_PROVIDER", "creem");
        jail.set_env("BANANA_CREEM_API_KEY", "creem_test_x");
        jail.set_env("BANANA_CREEM_WEBHOOK_SECRET", "whsec_c");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(
            message.contains("needs creem_product_id on ok, basic"),
            "{message}"
        );
    });
}

#[test]
fn models_are_offered_only_with_their_provider_configured() {
    use crate::generation::ProviderKind;
    in_jail(|jail| {
        let config = load_in(jail).unwrap();
        let offered: Vec<_> = config
            .generation
            .catalog
            .models
            .iter()
            .map(|m| m.provider)
            .collect();
        assert_eq!(
            offered,
            vec![ProviderKind::Local],
            "only the offline engine by default"
        );
        assert_eq!(config.generation.workers, 4);
        assert_eq!(config.generation.guest_trial_credits, 3);

        jail.set_env("BANANA_GEMINI_API_KEY", "gemini-secret-key");
        let config = load_in(jail).unwrap();
        let ids: Vec<_> = config
            .generation
            .catalog
            .models
            .iter()
            .map(|m| m.id.as_str())
            .collect();
        assert_eq!(ids, vec!["offline", "nano-banana", "nano-banana-pro"]);
        assert!(!format!("{config:?}").contains("gemini-secret-key"));

        jail.set_env("BANANA_KIE_API_KEY", "kie-key");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(message.contains("BANANA_KIE_WEBHOOK_HMAC_KEY"), "{message}");
        jail.set_env("BANANA_KIE_WEBHOOK_HMAC_KEY", "kie-hmac");
        jail.set_env("BANANA_REPLICATE_API_TOKEN", "r8_token");
        let message = load_in(jail).unwrap_err().to_string();
        assert!(
            message.contains("BANANA_REPLICATE_WEBHOOK_SECRET"),
            "{message}"
        );
        jail.set_env("BANANA_REPLICATE_WEBHOOK_SECRET", "whsec_c2VjcmV0");
        assert_eq!(load_in(jail).unwrap().generation.catalog.models.len(), 5);

        jail.set_env("BANANA_MODERATION_BLOCKLIST", r#"[" Forbidden Thing "]"#);
        assert_eq!(
            load_in(jail).unwrap().generation.blocklist,
            vec!["forbidden thing"]
        );

        jail.create_file(
            "config.toml",
            r#"
            [[models]]
            id = "offline"
            provider = "local"
            label = "Offline"
            credits_1k = 1
            [[models]]
            id = "offline"
            provider = "local"
            label = "Twice"
            credits_1k = 0
            "#,
        )
        .unwrap();
        let message = load_in(jail).unwrap_err().to_string();
        assert!(
            message.contains("credits must be positive") || message.contains("appears twice"),
            "{message}"
        );
    });
}

#[test]
fn trusted_proxies_are_networks_from_a_list_or_a_comma_separated_string() {
    in_jail(|jail| {
        assert!(load_in(jail).unwrap().trusted_proxies.is_empty());
        jail.create_file("config.toml", r#"trusted_proxies = ["172.16.0.0/12"]"#)
            .unwrap();
        assert_eq!(load_in(jail).unwrap().trusted_proxies.len(), 1);
        jail.set_env(
            "BANANA_TRUSTED_PROXIES",
            "10.0.0.0/8, 2001:db8::/32,192.0.2.7",
        );
        let nets = load_in(jail).unwrap().trusted_proxies;
        let shown: Vec<String> = nets.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"]);
        jail.set_env("BANANA_TRUSTED_PROXIES", "10.0.0.0/8,everyone");
        let error = load_in(jail).unwrap_err().to_string();
        assert!(error.contains("trusted_proxies: `everyone`"), "{error}");
    });
}

//! The billing and generation sections of the configuration: catalogs, payment and image
//! providers, storage, sign-in providers, and what each needs to be usable.

use super::ConfigError;
use super::{
    BillingConfig, CreemConfig, GenerationConfig, Mode, OAuthProviderConfig, PaymentProviderKind,
    ProviderApi, StorageConfig, StripeConfig, TurnstileConfig,
    catalog::{Bonus, Catalog},
    models::{ModelCatalog, ModelSpec, ProviderKind},
    settings::Settings,
};
use secrecy::{ExposeSecret, SecretString};
use std::{path::PathBuf, time::Duration};

pub(super) fn billing_config(settings: &Settings, problems: &mut Vec<String>) -> BillingConfig {
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

pub(super) fn generation_config(
    settings: &Settings,
    problems: &mut Vec<String>,
) -> GenerationConfig {
    let apis = ProviderApis::from_settings(settings, problems);
    let models = offered_models(settings, &apis, problems);
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
        gemini: apis.gemini,
        kie: apis.kie,
        openai: apis.openai,
        replicate: apis.replicate,
    }
}

/// The image providers that have credentials.
struct ProviderApis {
    gemini: Option<ProviderApi>,
    kie: Option<ProviderApi>,
    openai: Option<ProviderApi>,
    replicate: Option<ProviderApi>,
}

impl ProviderApis {
    fn from_settings(settings: &Settings, problems: &mut Vec<String>) -> ProviderApis {
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
                "BANANA_REPLICATE_WEBHOOK_SECRET is required with BANANA_REPLICATE_API_TOKEN"
                    .into(),
            );
        }
        ProviderApis {
            gemini,
            kie,
            openai,
            replicate,
        }
    }

    fn configured(&self, provider: ProviderKind) -> bool {
        match provider {
            ProviderKind::Local => true,
            ProviderKind::Gemini => self.gemini.is_some(),
            ProviderKind::Kie => self.kie.is_some(),
            ProviderKind::Openai => self.openai.is_some(),
            ProviderKind::Replicate => self.replicate.is_some(),
        }
    }
}

/// Checks every configured model and keeps those whose provider has credentials.
fn offered_models(
    settings: &Settings,
    apis: &ProviderApis,
    problems: &mut Vec<String>,
) -> Vec<ModelSpec> {
    let mut ids = std::collections::HashSet::new();
    for model in &settings.models {
        if let Err(problem) = model.check() {
            problems.push(problem);
        }
        if !ids.insert(model.id.as_str()) {
            problems.push(format!("model id {} appears twice", model.id));
        }
    }
    let models: Vec<_> = settings
        .models
        .iter()
        .filter(|m| apis.configured(m.provider))
        .cloned()
        .collect();
    if models.is_empty() {
        problems
            .push("no model is available: configure a provider or keep the offline engine".into());
    }
    models
}

/// Local files under the data dir, another directory, or an S3 bucket (`s3://<bucket>`).
pub(super) fn storage_config(settings: &Settings) -> Result<StorageConfig, ConfigError> {
    Ok(match settings.storage_url.as_deref() {
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
    })
}

pub(super) fn google_config(
    settings: &Settings,
    problems: &mut Vec<String>,
) -> Option<OAuthProviderConfig> {
    oauth(
        "GOOGLE",
        &settings.google_client_id,
        &settings.google_client_secret,
        [
            &settings.google_auth_url,
            &settings.google_token_url,
            &settings.google_userinfo_url,
        ],
        problems,
    )
}

pub(super) fn github_config(
    settings: &Settings,
    problems: &mut Vec<String>,
) -> Option<OAuthProviderConfig> {
    oauth(
        "GITHUB",
        &settings.github_client_id,
        &settings.github_client_secret,
        [
            &settings.github_auth_url,
            &settings.github_token_url,
            &settings.github_api_url,
        ],
        problems,
    )
}

/// An OAuth provider when its client id is set; its secret must come with it.
/// `urls`: the authorization, token and API (or userinfo) endpoints.
fn oauth(
    name: &str,
    id: &Option<String>,
    secret: &Option<SecretString>,
    [auth_url, token_url, api_url]: [&String; 3],
    problems: &mut Vec<String>,
) -> Option<OAuthProviderConfig> {
    let id = id.clone().filter(|id| !id.trim().is_empty())?;
    let Some(secret) = secret.clone() else {
        problems.push(format!(
            "BANANA_{name}_CLIENT_SECRET is required when BANANA_{name}_CLIENT_ID is set"
        ));
        return None;
    };
    Some(OAuthProviderConfig {
        client_id: id,
        client_secret: secret,
        auth_url: auth_url.clone(),
        token_url: token_url.clone(),
        api_url: api_url.clone(),
    })
}

pub(super) fn turnstile_config(
    settings: &Settings,
    problems: &mut Vec<String>,
) -> Option<TurnstileConfig> {
    match (&settings.turnstile_site_key, &settings.turnstile_secret_key) {
        (Some(site_key), Some(secret_key)) => Some(TurnstileConfig {
            site_key: site_key.clone(),
            secret_key: secret_key.clone(),
            verify_url: settings.turnstile_verify_url.clone(),
        }),
        (None, None) => None,
        _ => {
            problems.push(
                "BANANA_TURNSTILE_SITE_KEY and BANANA_TURNSTILE_SECRET_KEY go together".into(),
            );
            None
        }
    }
}

//! The third parties that receive personal data on our behalf, and which of them this
//! deployment actually uses. The subprocessor page and the privacy policy list only the
//! active ones, so a provider that is not configured is never named as receiving anyone's
//! data, and one that is configured always is.

use super::DataCategory;
use crate::config::{Config, EmailTransport, PaymentProviderKind, StorageConfig};

/// A third party that receives personal data on our behalf.
#[derive(Clone, Copy, Debug)]
pub struct Processor {
    /// Stable id: locale keys (`privacy-processor-<id>`) and configuration switches.
    pub id: &'static str,
    /// The company and service as it names itself.
    pub name: &'static str,
    pub receives: &'static [DataCategory],
    /// Where it processes data.
    pub location: &'static str,
}

/// Every processor the product can be configured to use. Only those the running
/// configuration enables are listed as active on the subprocessor page.
pub const PROCESSORS: &[Processor] = &[
    Processor {
        id: "stripe",
        name: "Stripe (cards, WeChat Pay, Alipay)",
        receives: &[DataCategory::Account, DataCategory::OrdersPayments],
        location: "United States, European Union",
    },
    Processor {
        id: "creem",
        name: "Creem",
        receives: &[DataCategory::Account, DataCategory::OrdersPayments],
        location: "European Union",
    },
    Processor {
        id: "gemini",
        name: "Google Gemini API",
        receives: &[DataCategory::UploadsPrompts],
        location: "United States",
    },
    Processor {
        id: "kie",
        name: "Kie.ai",
        receives: &[DataCategory::UploadsPrompts],
        location: "Singapore, United States",
    },
    Processor {
        id: "openai",
        name: "OpenAI",
        receives: &[DataCategory::UploadsPrompts],
        location: "United States",
    },
    Processor {
        id: "replicate",
        name: "Replicate",
        receives: &[DataCategory::UploadsPrompts],
        location: "United States",
    },
    Processor {
        id: "resend",
        name: "Resend",
        receives: &[DataCategory::Account, DataCategory::SupportMarketing],
        location: "United States",
    },
    Processor {
        id: "s3",
        name: "S3-compatible object storage",
        receives: &[
            DataCategory::UploadsPrompts,
            DataCategory::GeneratedContent,
            DataCategory::GuestData,
        ],
        location: "as configured by the operator",
    },
    Processor {
        id: "smtp",
        name: "SMTP mail relay",
        receives: &[DataCategory::Account, DataCategory::SupportMarketing],
        location: "as configured by the operator",
    },
    Processor {
        id: "image-check",
        name: "Image safety check service",
        receives: &[DataCategory::UploadsPrompts, DataCategory::GeneratedContent],
        location: "as configured by the operator",
    },
    Processor {
        id: "turnstile",
        name: "Cloudflare Turnstile",
        receives: &[DataCategory::DeviceNetwork],
        location: "Global (Cloudflare network)",
    },
    Processor {
        id: "google-oauth",
        name: "Google sign-in",
        receives: &[DataCategory::Account],
        location: "United States",
    },
    Processor {
        id: "github-oauth",
        name: "GitHub sign-in",
        receives: &[DataCategory::Account],
        location: "United States",
    },
];

/// Whether the running configuration sends data to the processor `id`; `None` for an id
/// this function does not know (a processor added to the registry without a rule here —
/// a test names it).
fn is_active(config: &Config, id: &str) -> Option<bool> {
    let billing = &config.billing;
    let generation = &config.generation;
    Some(match id {
        "stripe" => billing.stripe.is_some() || billing.provider == PaymentProviderKind::Stripe,
        "creem" => billing.creem.is_some() || billing.provider == PaymentProviderKind::Creem,
        "gemini" => generation.gemini.is_some(),
        "kie" => generation.kie.is_some(),
        "openai" => generation.openai.is_some(),
        "replicate" => generation.replicate.is_some(),
        "resend" => config.email_transport == EmailTransport::Resend,
        "smtp" => config.email_transport == EmailTransport::Smtp,
        "image-check" => generation.image_check_url.is_some(),
        "s3" => matches!(config.storage, StorageConfig::S3 { .. }),
        "turnstile" => config.turnstile.is_some(),
        "google-oauth" => config.google.is_some(),
        "github-oauth" => config.github.is_some(),
        _ => return None,
    })
}

/// The processors this configuration uses, in the registry's order.
pub fn active_processors(config: &Config) -> Vec<&'static Processor> {
    PROCESSORS
        .iter()
        .filter(|processor| is_active(config, processor.id) == Some(true))
        .collect()
}

/// The processors the software supports but this configuration does not use.
pub fn inactive_processors(config: &Config) -> Vec<&'static Processor> {
    PROCESSORS
        .iter()
        .filter(|processor| is_active(config, processor.id) != Some(true))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, defaults};
    use figment::{Figment, providers::Serialized};

    fn config(configure: impl FnOnce(Figment) -> Figment) -> (Config, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let figment = defaults()
            .merge(Serialized::default("data_dir", dir.path()))
            .merge(Serialized::default("database_url", "sqlite::memory:"))
            .merge(Serialized::default("secret_key", "k".repeat(40)));
        (Config::load(configure(figment)).unwrap(), dir)
    }

    fn ids(processors: &[&Processor]) -> Vec<&'static str> {
        processors.iter().map(|p| p.id).collect()
    }

    #[test]
    fn every_registered_processor_has_a_rule() {
        let (config, _dir) = config(|f| f);
        for processor in PROCESSORS {
            assert!(
                is_active(&config, processor.id).is_some(),
                "no configuration rule for processor {}",
                processor.id
            );
        }
    }

    #[test]
    fn nothing_configured_means_no_processor() {
        let (config, _dir) = config(|f| f);
        assert!(active_processors(&config).is_empty());
        assert_eq!(inactive_processors(&config).len(), PROCESSORS.len());
    }

    #[test]
    fn configured_providers_are_listed_and_only_they() {
        let (config, _dir) = config(|f| {
            f.merge(Serialized::default("gemini_api_key", "g-key"))
                .merge(Serialized::default("payment_provider", "stripe"))
                .merge(Serialized::default("stripe_secret_key", "sk_test_x"))
                .merge(Serialized::default("stripe_webhook_secret", "whsec_x"))
                .merge(Serialized::default("email_transport", "resend"))
                .merge(Serialized::default("resend_api_key", "re_x"))
                .merge(Serialized::default("storage_url", "s3://bucket"))
                .merge(Serialized::default("github_client_id", "Iv1.abc"))
                .merge(Serialized::default("github_client_secret", "secret"))
                .merge(Serialized::default("turnstile_site_key", "site"))
                .merge(Serialized::default("turnstile_secret_key", "secret"))
        });
        let active = ids(&active_processors(&config));
        assert_eq!(
            active,
            [
                "stripe",
                "gemini",
                "resend",
                "s3",
                "turnstile",
                "github-oauth"
            ]
        );
        let inactive = ids(&inactive_processors(&config));
        for id in ["creem", "kie", "openai", "replicate", "google-oauth"] {
            assert!(inactive.contains(&id), "{id} is not configured");
            assert!(!active.contains(&id), "{id} is not configured");
        }
        assert_eq!(active.len() + inactive.len(), PROCESSORS.len());
    }

    #[test]
    fn the_mail_service_listed_is_the_one_that_carries_the_mail() {
        let (smtp, _dir) = config(|f| {
            f.merge(Serialized::default("email_transport", "smtp"))
                .merge(Serialized::default("smtp_url", "smtp://mail.example:25"))
                .merge(Serialized::default("openai_api_key", "sk-x"))
        });
        assert_eq!(ids(&active_processors(&smtp)), ["openai", "smtp"]);
        let (checked, _dir) = config(|f| {
            f.merge(Serialized::default(
                "moderation_image_check_url",
                "http://check.example/",
            ))
        });
        assert_eq!(ids(&active_processors(&checked)), ["image-check"]);
    }
}

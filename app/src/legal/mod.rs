//! Builds the legal documents from the privacy registry (`domain::privacy`), the facts of
//! this deployment ([`LegalFacts`]) and the sentences in `locales/<locale>/legal.ftl`.
//! Every number, period, processor and cookie comes from the registry or the
//! configuration; the locale files hold only the wording around them.

mod cookies;
mod keys;
mod privacy;
mod subprocessors;
mod terms;
#[cfg(test)]
mod tests;
mod writer;

use crate::i18n::Locale;
use crate::model::legal::{LegalDoc, LegalDocKind};
use domain::{
    billing::Bonus,
    config::Config,
    generation::ProviderKind,
    privacy::{Processor, policy, processors},
};
use fluent_templates::fluent_bundle::FluentValue;
use std::time::Duration;
use writer::Writer;

/// What the documents need to know about this deployment.
#[derive(Clone, Debug)]
pub struct LegalFacts {
    /// Processors the configuration uses, in the registry's order.
    pub active: Vec<&'static Processor>,
    /// Processors the software supports but this deployment does not use.
    pub inactive: Vec<&'static Processor>,
    /// Where people write to us; without it, the request form is the way in.
    pub contact_email: Option<String>,
    /// Who runs the site (the controller); without it, a generic description.
    pub operator: Option<String>,
    /// The built-in offline engine is offered (it runs here: nothing leaves the server).
    pub offline_engine: bool,
    /// Uploads and results also go to a configured image-check service.
    pub image_check: bool,
    /// Credits a guest may spend before signing up.
    pub guest_trial_credits: i64,
    /// The credits given at sign-up and how long they last, when there are any.
    pub signup_bonus: Option<Bonus>,
}

impl LegalFacts {
    pub fn from_config(config: &Config) -> LegalFacts {
        let bonus = config.billing.catalog.signup_bonus;
        LegalFacts {
            active: processors::active_processors(config),
            inactive: processors::inactive_processors(config),
            contact_email: config.contact_email.clone(),
            operator: config.operator_name.clone(),
            offline_engine: config
                .generation
                .catalog
                .models
                .iter()
                .any(|model| model.provider == ProviderKind::Local),
            image_check: config.generation.image_check_url.is_some(),
            guest_trial_credits: config.generation.guest_trial_credits,
            signup_bonus: (bonus.credits > 0).then_some(bonus),
        }
    }
}

/// The whole document `kind` at its current version, in `locale`.
pub fn build(kind: LegalDocKind, locale: Locale, facts: &LegalFacts) -> LegalDoc {
    let version = policy::current(kind.into());
    let w = Writer { locale, facts };
    let sections = match kind {
        LegalDocKind::Privacy => w.privacy(),
        LegalDocKind::Terms => w.terms(),
        LegalDocKind::Cookies => w.cookies(),
        LegalDocKind::Subprocessors => w.subprocessors(),
    };
    LegalDoc {
        doc: kind.id().to_string(),
        version: version.version.to_string(),
        effective: version.effective.to_string(),
        locale: locale.tag().to_string(),
        title: w.t(&format!("legal-{}-title", kind.id())),
        summary: w.t(&format!("legal-{}-summary", kind.id())),
        sections,
    }
}

/// A period as people say it: whole years when it is a whole number of (365- or 366-day)
/// years, otherwise days, or hours when shorter than a day.
pub fn format_period(locale: Locale, period: Duration) -> String {
    const DAY: u64 = 24 * 60 * 60;
    let secs = period.as_secs();
    let days = secs / DAY;
    let (key, count) = if !secs.is_multiple_of(DAY) {
        ("legal-period-hours", secs.div_ceil(3600))
    } else if days >= 365 && days.is_multiple_of(365) {
        ("legal-period-years", days / 365)
    } else if days >= 366 && days.is_multiple_of(366) {
        ("legal-period-years", days / 366)
    } else {
        ("legal-period-days", days)
    };
    locale.t_args(key, &[("count", FluentValue::from(count))])
}

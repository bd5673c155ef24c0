//! The pen the documents are written with: messages with arguments and links, paragraphs,
//! lists, tables and sections, and the facts every document quotes.

use super::{LegalFacts, format_period, keys::place_key};
use crate::i18n::Locale;
use crate::model::legal::{Block, Inline, Section, Text};
use domain::{
    generation::ProviderKind,
    privacy::{self, DataCategory, Processor, Retention},
};
use fluent_templates::fluent_bundle::FluentValue;
use std::time::Duration;

/// An argument of a message: a value, or a link whose text and target fill the placeable.
pub(super) enum Arg {
    Value(FluentValue<'static>),
    Link { text: String, href: String },
}

pub(super) fn v(value: impl Into<FluentValue<'static>>) -> Arg {
    Arg::Value(value.into())
}

/// Marks around a link's index in a formatted message: private-use characters that no
/// translation contains.
const LINK_OPEN: char = '\u{E000}';
const LINK_CLOSE: char = '\u{E001}';

pub(super) struct Writer<'a> {
    pub(super) locale: Locale,
    pub(super) facts: &'a LegalFacts,
}

impl Writer<'_> {
    pub(super) fn t(&self, key: &str) -> String {
        self.locale.t(key)
    }

    /// A message with arguments; links become [`Inline::Link`]s in the returned text.
    pub(super) fn rich(&self, key: &str, args: Vec<(&'static str, Arg)>) -> Text {
        let mut links = Vec::new();
        let values: Vec<(&'static str, FluentValue<'static>)> = args
            .into_iter()
            .map(|(name, arg)| match arg {
                Arg::Value(value) => (name, value),
                Arg::Link { text, href } => {
                    let marker = format!("{LINK_OPEN}{}{LINK_CLOSE}", links.len());
                    links.push((text, href));
                    (name, FluentValue::from(marker))
                }
            })
            .collect();
        let formatted = self.locale.t_args(key, &values);
        let mut inlines = Vec::new();
        let mut rest = formatted.as_str();
        while let Some(open) = rest.find(LINK_OPEN) {
            let after = &rest[open + LINK_OPEN.len_utf8()..];
            let Some(close) = after.find(LINK_CLOSE) else {
                break;
            };
            if open > 0 {
                inlines.push(Inline::Text(rest[..open].to_string()));
            }
            if let Some((text, href)) = after[..close]
                .parse::<usize>()
                .ok()
                .and_then(|i| links.get(i))
            {
                inlines.push(Inline::Link {
                    text: text.clone(),
                    href: href.clone(),
                });
            }
            rest = &after[close + LINK_CLOSE.len_utf8()..];
        }
        if !rest.is_empty() {
            inlines.push(Inline::Text(rest.to_string()));
        }
        Text(inlines)
    }

    pub(super) fn text(&self, key: &str) -> Text {
        self.rich(key, Vec::new())
    }

    pub(super) fn p(&self, key: &str) -> Block {
        Block::Paragraph(self.text(key))
    }

    pub(super) fn pa(&self, key: &str, args: Vec<(&'static str, Arg)>) -> Block {
        Block::Paragraph(self.rich(key, args))
    }

    /// A list of the messages `keys`.
    pub(super) fn list(&self, keys: &[&str]) -> Block {
        Block::List(keys.iter().map(|key| self.text(key)).collect())
    }

    pub(super) fn section(&self, doc: &str, id: &str, blocks: Vec<Block>) -> Section {
        Section {
            id: id.to_string(),
            heading: self.t(&format!("legal-{doc}-{id}-heading")),
            blocks,
        }
    }

    /// A link to a page of this site, its text from `key`.
    pub(super) fn link(&self, key: &str, page: &str) -> Arg {
        Arg::Link {
            text: self.t(key),
            href: self.locale.path(page),
        }
    }

    /// Where to write to us: the contact address, or else the request form.
    pub(super) fn contact(&self) -> Arg {
        match &self.facts.contact_email {
            Some(email) => Arg::Link {
                text: email.clone(),
                href: format!("mailto:{email}"),
            },
            None => self.link("legal-link-request-form", "/privacy/requests"),
        }
    }

    /// A paragraph that tells people where to write: message `key` with the address, or
    /// `<key>-by-form` pointing to the request form when no address is configured (the
    /// sentence reads differently around a form than around an address).
    pub(super) fn with_contact(&self, key: &str, mut args: Vec<(&'static str, Arg)>) -> Block {
        args.push(("contact", self.contact()));
        match self.facts.contact_email {
            Some(_) => self.pa(key, args),
            None => self.pa(&format!("{key}-by-form"), args),
        }
    }

    pub(super) fn operator(&self) -> Arg {
        match &self.facts.operator {
            Some(name) => v(name.clone()),
            None => v(self.t("legal-operator-default")),
        }
    }

    pub(super) fn join(&self, items: impl IntoIterator<Item = String>) -> String {
        let separator = match self.locale {
            Locale::En => ", ",
            Locale::ZhCn => "、",
        };
        items.into_iter().collect::<Vec<_>>().join(separator)
    }

    pub(super) fn period(&self, period: Duration) -> Arg {
        v(format_period(self.locale, period))
    }

    pub(super) fn category_name(&self, category: DataCategory) -> String {
        self.t(&format!("legal-category-{}-name", category.id()))
    }

    pub(super) fn retention(&self, retention: Retention) -> String {
        let with = |key: &str, period: Duration| {
            self.locale.t_args(
                key,
                &[(
                    "period",
                    FluentValue::from(format_period(self.locale, period)),
                )],
            )
        };
        match retention {
            Retention::WhileActiveThen(d) => with("legal-retention-while-active", d),
            Retention::For(d) => with("legal-retention-for", d),
            Retention::UnlessMigrated(d) => with("legal-retention-unless-migrated", d),
            Retention::ThenAnonymized(d) => with("legal-retention-then-anonymized", d),
            Retention::UntilWithdrawn => self.t("legal-retention-until-withdrawn"),
        }
    }

    /// A processor's place names, translated where the locale knows them.
    pub(super) fn places(&self, processor: &Processor) -> Vec<String> {
        processor
            .location
            .split(", ")
            .map(|place| {
                let key = place_key(place);
                let translated = self.t(&key);
                if translated == key {
                    place.to_string()
                } else {
                    translated
                }
            })
            .collect()
    }

    pub(super) fn processor_table(&self, processors: &[&'static Processor]) -> Block {
        Block::Table {
            head: [
                "legal-processors-col-name",
                "legal-processors-col-service",
                "legal-processors-col-data",
                "legal-processors-col-location",
            ]
            .iter()
            .map(|key| self.t(key))
            .collect(),
            rows: processors
                .iter()
                .map(|p| {
                    vec![
                        p.name.to_string(),
                        self.t(&format!("legal-processor-{}-service", p.id)),
                        self.join(p.receives.iter().map(|c| self.category_name(*c))),
                        self.join(self.places(p)),
                    ]
                })
                .collect(),
        }
    }

    pub(super) fn model_providers(&self) -> Vec<&'static Processor> {
        self.facts
            .active
            .iter()
            .copied()
            .filter(|p| ProviderKind::parse(p.id).is_some_and(|k| k != ProviderKind::Local))
            .collect()
    }
}

/// How long guest data is kept, when the registry keeps it for a fixed period.
pub(super) fn guest_period() -> Option<Duration> {
    match privacy::rule(DataCategory::GuestData).retention {
        Retention::UnlessMigrated(d) | Retention::For(d) | Retention::ThenAnonymized(d) => Some(d),
        Retention::WhileActiveThen(_) | Retention::UntilWithdrawn => None,
    }
}

/// How long a deleted account's data waits before it is erased.
pub(super) fn account_grace() -> Option<Duration> {
    match privacy::rule(DataCategory::Account).retention {
        Retention::WhileActiveThen(d) => Some(d),
        _ => None,
    }
}

/// How long payment records are kept.
pub(super) fn payment_period() -> Option<Duration> {
    match privacy::rule(DataCategory::OrdersPayments).retention {
        Retention::For(d) | Retention::ThenAnonymized(d) => Some(d),
        _ => None,
    }
}

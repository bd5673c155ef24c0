//! Builds the legal documents from the privacy registry (`domain::privacy`), the facts of
//! this deployment ([`LegalFacts`]) and the sentences in `locales/<locale>/legal.ftl`.
//! Every number, period, processor and cookie comes from the registry or the
//! configuration; the locale files hold only the wording around them.

use super::{Block, Inline, LegalDoc, LegalDocKind, Section, Text};
use crate::i18n::Locale;
use domain::{
    billing::Bonus,
    config::Config,
    generation::ProviderKind,
    privacy::{
        self, CATEGORIES, COOKIES, CookieCategory, DataCategory, LegalBasis, MINIMUM_AGE,
        Processor, Purpose, REQUEST_DEADLINE, REQUEST_EXTENSION, Retention, policy, processors,
    },
};
use fluent_templates::fluent_bundle::FluentValue;
use std::time::Duration;

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

/// An argument of a message: a value, or a link whose text and target fill the placeable.
enum Arg {
    Value(FluentValue<'static>),
    Link { text: String, href: String },
}

fn v(value: impl Into<FluentValue<'static>>) -> Arg {
    Arg::Value(value.into())
}

/// Marks around a link's index in a formatted message: private-use characters that no
/// translation contains.
const LINK_OPEN: char = '\u{E000}';
const LINK_CLOSE: char = '\u{E001}';

struct Writer<'a> {
    locale: Locale,
    facts: &'a LegalFacts,
}

impl Writer<'_> {
    fn t(&self, key: &str) -> String {
        self.locale.t(key)
    }

    /// A message with arguments; links become [`Inline::Link`]s in the returned text.
    fn rich(&self, key: &str, args: Vec<(&'static str, Arg)>) -> Text {
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

    fn text(&self, key: &str) -> Text {
        self.rich(key, Vec::new())
    }

    fn p(&self, key: &str) -> Block {
        Block::Paragraph(self.text(key))
    }

    fn pa(&self, key: &str, args: Vec<(&'static str, Arg)>) -> Block {
        Block::Paragraph(self.rich(key, args))
    }

    /// A list of the messages `keys`.
    fn list(&self, keys: &[&str]) -> Block {
        Block::List(keys.iter().map(|key| self.text(key)).collect())
    }

    fn section(&self, doc: &str, id: &str, blocks: Vec<Block>) -> Section {
        Section {
            id: id.to_string(),
            heading: self.t(&format!("legal-{doc}-{id}-heading")),
            blocks,
        }
    }

    /// A link to a page of this site, its text from `key`.
    fn link(&self, key: &str, page: &str) -> Arg {
        Arg::Link {
            text: self.t(key),
            href: self.locale.path(page),
        }
    }

    /// Where to write to us: the contact address, or else the request form.
    fn contact(&self) -> Arg {
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
    fn with_contact(&self, key: &str, mut args: Vec<(&'static str, Arg)>) -> Block {
        args.push(("contact", self.contact()));
        match self.facts.contact_email {
            Some(_) => self.pa(key, args),
            None => self.pa(&format!("{key}-by-form"), args),
        }
    }

    fn operator(&self) -> Arg {
        match &self.facts.operator {
            Some(name) => v(name.clone()),
            None => v(self.t("legal-operator-default")),
        }
    }

    fn join(&self, items: impl IntoIterator<Item = String>) -> String {
        let separator = match self.locale {
            Locale::En => ", ",
            Locale::ZhCn => "、",
        };
        items.into_iter().collect::<Vec<_>>().join(separator)
    }

    fn period(&self, period: Duration) -> Arg {
        v(format_period(self.locale, period))
    }

    fn category_name(&self, category: DataCategory) -> String {
        self.t(&format!("legal-category-{}-name", category.id()))
    }

    fn retention(&self, retention: Retention) -> String {
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
    fn places(&self, processor: &Processor) -> Vec<String> {
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

    fn processor_table(&self, processors: &[&'static Processor]) -> Block {
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

    fn model_providers(&self) -> Vec<&'static Processor> {
        self.facts
            .active
            .iter()
            .copied()
            .filter(|p| ProviderKind::parse(p.id).is_some_and(|k| k != ProviderKind::Local))
            .collect()
    }

    // -----------------------------------------------------------------------------------
    // The privacy policy.

    fn privacy(&self) -> Vec<Section> {
        let doc = "privacy";
        let guest_period = match privacy::rule(DataCategory::GuestData).retention {
            Retention::UnlessMigrated(d) | Retention::For(d) | Retention::ThenAnonymized(d) => {
                Some(d)
            }
            Retention::WhileActiveThen(_) | Retention::UntilWithdrawn => None,
        };
        let account_grace = match privacy::rule(DataCategory::Account).retention {
            Retention::WhileActiveThen(d) => Some(d),
            _ => None,
        };
        let payment_period = match privacy::rule(DataCategory::OrdersPayments).retention {
            Retention::For(d) | Retention::ThenAnonymized(d) => Some(d),
            _ => None,
        };

        let intro = vec![
            self.pa("legal-privacy-intro-1", vec![("operator", self.operator())]),
            self.with_contact("legal-privacy-intro-2", Vec::new()),
        ];

        let data = vec![
            self.p("legal-privacy-data-1"),
            Block::Table {
                head: [
                    "legal-privacy-col-category",
                    "legal-privacy-col-contains",
                    "legal-privacy-col-purposes",
                ]
                .iter()
                .map(|key| self.t(key))
                .collect(),
                rows: CATEGORIES
                    .iter()
                    .map(|rule| {
                        vec![
                            self.category_name(rule.category),
                            self.t(&format!("legal-category-{}-contains", rule.category.id())),
                            self.join(rule.purposes.iter().map(|purpose| {
                                self.locale.t_args(
                                    "legal-purpose-with-basis",
                                    &[
                                        ("purpose", self.t(&purpose_key(*purpose)).into()),
                                        ("basis", self.t(&basis_key(purpose.legal_basis())).into()),
                                    ],
                                )
                            })),
                        ]
                    })
                    .collect(),
            },
            self.p("legal-privacy-data-sources"),
            self.p("legal-privacy-data-sensitive"),
        ];

        let mut purposes_used: Vec<Purpose> = Vec::new();
        for purpose in CATEGORIES.iter().flat_map(|rule| rule.purposes) {
            if !purposes_used.contains(purpose) {
                purposes_used.push(*purpose);
            }
        }
        let purposes = vec![
            self.p("legal-privacy-purposes-1"),
            Block::Table {
                head: vec![
                    self.t("legal-privacy-col-purpose"),
                    self.t("legal-privacy-col-basis"),
                ],
                rows: purposes_used
                    .iter()
                    .map(|purpose| {
                        vec![
                            self.t(&format!("{}-long", purpose_key(*purpose))),
                            self.t(&basis_key(purpose.legal_basis())),
                        ]
                    })
                    .collect(),
            },
            self.p("legal-privacy-purposes-consent"),
        ];

        let models = self.model_providers();
        let mut ai = Vec::new();
        if models.is_empty() {
            ai.push(self.p("legal-privacy-ai-none"));
        } else {
            ai.push(self.pa(
                "legal-privacy-ai-1",
                vec![(
                    "providers",
                    v(self.join(models.iter().map(|p| p.name.to_string()))),
                )],
            ));
            if self.facts.offline_engine {
                ai.push(self.p("legal-privacy-ai-offline"));
            }
        }
        ai.push(self.p("legal-privacy-ai-training"));
        ai.push(self.p("legal-privacy-ai-private"));
        ai.push(self.p("legal-privacy-ai-safety"));
        if self.facts.image_check {
            ai.push(self.p("legal-privacy-ai-image-check"));
        }
        ai.push(self.p("legal-privacy-ai-decisions"));
        ai.push(self.p("legal-privacy-ai-personal"));
        if let Some(period) = guest_period {
            ai.push(self.pa(
                "legal-privacy-ai-guests",
                vec![("period", self.period(period))],
            ));
        }

        let mut sharing = vec![self.p("legal-privacy-sharing-1")];
        if self.facts.active.is_empty() {
            sharing.push(self.p("legal-privacy-sharing-none"));
        } else {
            sharing.push(self.processor_table(&self.facts.active));
        }
        sharing.push(self.pa(
            "legal-privacy-sharing-list",
            vec![(
                "link",
                self.link("legal-link-subprocessors", "/legal/subprocessors"),
            )],
        ));
        sharing.push(self.p("legal-privacy-sharing-cards"));
        sharing.push(self.p("legal-privacy-sharing-law"));
        sharing.push(self.p("legal-privacy-sharing-transfer"));

        let mut places: Vec<String> = Vec::new();
        for place in self.facts.active.iter().flat_map(|p| self.places(p)) {
            if !places.contains(&place) {
                places.push(place);
            }
        }
        let transfers = vec![
            if places.is_empty() {
                self.p("legal-privacy-transfers-none")
            } else {
                self.pa(
                    "legal-privacy-transfers-1",
                    vec![("places", v(self.join(places)))],
                )
            },
            self.p("legal-privacy-transfers-2"),
        ];

        let cookie_lines = COOKIE_CATEGORIES
            .iter()
            .filter_map(|category| {
                let names: Vec<String> = COOKIES
                    .iter()
                    .filter(|c| c.category == *category)
                    .map(|c| c.name.to_string())
                    .collect();
                (!names.is_empty()).then(|| {
                    self.rich(
                        "legal-privacy-cookies-line",
                        vec![
                            ("category", v(self.t(&cookie_category_key(*category)))),
                            (
                                "consent",
                                v(self.t(if category.needs_consent() {
                                    "legal-cookies-consent-needed"
                                } else {
                                    "legal-cookies-consent-not-needed"
                                })),
                            ),
                            ("names", v(self.join(names))),
                        ],
                    )
                })
            })
            .collect();
        let cookies = vec![
            self.p("legal-privacy-cookies-1"),
            Block::List(cookie_lines),
            self.pa(
                "legal-privacy-cookies-more",
                vec![("link", self.link("legal-link-cookies", "/cookies"))],
            ),
        ];

        let mut retention = vec![
            self.p("legal-privacy-retention-1"),
            Block::List(
                CATEGORIES
                    .iter()
                    .map(|rule| {
                        self.rich(
                            "legal-privacy-retention-line",
                            vec![
                                ("category", v(self.category_name(rule.category))),
                                ("retention", v(self.retention(rule.retention))),
                            ],
                        )
                    })
                    .collect(),
            ),
        ];
        if let Some(grace) = account_grace {
            retention.push(self.pa(
                "legal-privacy-retention-deletion",
                vec![("period", self.period(grace))],
            ));
        }
        if let Some(period) = payment_period {
            retention.push(self.pa(
                "legal-privacy-retention-payments",
                vec![("period", self.period(period))],
            ));
        }
        retention.push(self.p("legal-privacy-retention-end"));

        let rights = vec![
            self.p("legal-privacy-rights-1"),
            self.list(&[
                "legal-privacy-right-access",
                "legal-privacy-right-correct",
                "legal-privacy-right-delete",
                "legal-privacy-right-restrict",
                "legal-privacy-right-object",
                "legal-privacy-right-portability",
                "legal-privacy-right-withdraw",
                "legal-privacy-right-no-sale",
                "legal-privacy-right-gpc",
                "legal-privacy-right-marketing",
                "legal-privacy-right-complain",
            ]),
        ];

        let settings = self.link("legal-link-privacy-settings", "/settings/privacy");
        let form = self.link("legal-link-request-form", "/privacy/requests");
        let exercise = vec![
            self.pa("legal-privacy-exercise-self", vec![("settings", settings)]),
            match &self.facts.contact_email {
                Some(_) => self.pa(
                    "legal-privacy-exercise-form",
                    vec![("form", form), ("contact", self.contact())],
                ),
                None => self.pa("legal-privacy-exercise-form-only", vec![("form", form)]),
            },
            self.p("legal-privacy-exercise-verify"),
            self.pa(
                "legal-privacy-exercise-deadline",
                vec![
                    ("deadline", self.period(REQUEST_DEADLINE)),
                    ("extension", self.period(REQUEST_EXTENSION)),
                ],
            ),
            self.p("legal-privacy-exercise-refusal"),
        ];

        let children = vec![self.with_contact(
            "legal-privacy-children-1",
            vec![("age", v(i64::from(MINIMUM_AGE)))],
        )];

        let security = vec![
            self.p("legal-privacy-security-1"),
            self.list(&[
                "legal-privacy-security-transport",
                "legal-privacy-security-storage",
                "legal-privacy-security-passwords",
                "legal-privacy-security-tokens",
                "legal-privacy-security-access",
                "legal-privacy-security-audit",
            ]),
            self.p("legal-privacy-security-2"),
        ];

        let breach = vec![self.p("legal-privacy-breach-1")];

        let changes = vec![
            self.pa(
                "legal-privacy-changes-1",
                vec![(
                    "archive",
                    self.link("legal-link-archive", &LegalDocKind::Privacy.versions_page()),
                )],
            ),
            self.p("legal-privacy-changes-2"),
        ];

        let contact = vec![
            self.with_contact(
                "legal-privacy-contact-1",
                vec![("operator", self.operator())],
            ),
            self.p("legal-privacy-contact-complain"),
            self.p("legal-governing-language"),
        ];

        vec![
            self.section(doc, "intro", intro),
            self.section(doc, "data", data),
            self.section(doc, "purposes", purposes),
            self.section(doc, "ai", ai),
            self.section(doc, "sharing", sharing),
            self.section(doc, "transfers", transfers),
            self.section(doc, "cookies", cookies),
            self.section(doc, "retention", retention),
            self.section(doc, "rights", rights),
            self.section(doc, "exercise", exercise),
            self.section(doc, "children", children),
            self.section(doc, "security", security),
            self.section(doc, "breach", breach),
            self.section(doc, "changes", changes),
            self.section(doc, "contact", contact),
        ]
    }

    // -----------------------------------------------------------------------------------
    // The cookie policy.

    fn cookies(&self) -> Vec<Section> {
        let doc = "cookies";
        let about = vec![
            self.p("legal-cookies-about-1"),
            self.p("legal-cookies-about-2"),
        ];

        let list = vec![Block::Table {
            head: [
                "legal-cookies-col-name",
                "legal-cookies-col-category",
                "legal-cookies-col-purpose",
                "legal-cookies-col-lifetime",
                "legal-cookies-col-party",
            ]
            .iter()
            .map(|key| self.t(key))
            .collect(),
            rows: COOKIES
                .iter()
                .map(|cookie| {
                    vec![
                        cookie.name.to_string(),
                        self.t(&cookie_category_key(cookie.category)),
                        self.t(&format!("legal-cookie-{}-purpose", cookie.name)),
                        match cookie.lifetime {
                            Some(lifetime) => format_period(self.locale, lifetime),
                            None => self.t("legal-period-session"),
                        },
                        self.t("legal-cookies-first-party"),
                    ]
                })
                .collect(),
        }];

        let categories = vec![Block::List(
            COOKIE_CATEGORIES
                .iter()
                .map(|category| {
                    self.rich(
                        "legal-cookies-category-line",
                        vec![
                            ("category", v(self.t(&cookie_category_key(*category)))),
                            (
                                "about",
                                v(self.t(&format!("{}-about", cookie_category_key(*category)))),
                            ),
                            (
                                "consent",
                                v(self.t(if category.needs_consent() {
                                    "legal-cookies-consent-needed"
                                } else {
                                    "legal-cookies-consent-not-needed"
                                })),
                            ),
                        ],
                    )
                })
                .collect(),
        )];

        let choices = vec![
            self.p("legal-cookies-choices-banner"),
            self.pa(
                "legal-cookies-choices-settings",
                vec![(
                    "settings",
                    self.link("legal-link-privacy-settings", "/settings/privacy"),
                )],
            ),
            self.p("legal-cookies-choices-gpc"),
            self.p("legal-cookies-choices-browser"),
        ];

        let more = vec![
            self.with_contact(
                "legal-cookies-more-1",
                vec![
                    ("privacy", self.link("legal-link-privacy", "/privacy")),
                    (
                        "archive",
                        self.link("legal-link-archive", &LegalDocKind::Cookies.versions_page()),
                    ),
                ],
            ),
            self.p("legal-governing-language"),
        ];

        vec![
            self.section(doc, "about", about),
            self.section(doc, "list", list),
            self.section(doc, "categories", categories),
            self.section(doc, "choices", choices),
            self.section(doc, "more", more),
        ]
    }

    // -----------------------------------------------------------------------------------
    // The subprocessor list.

    fn subprocessors(&self) -> Vec<Section> {
        let doc = "subprocessors";
        let about = vec![
            self.p("legal-subprocessors-about-1"),
            self.p("legal-subprocessors-about-2"),
        ];
        let active = vec![if self.facts.active.is_empty() {
            self.p("legal-subprocessors-active-none")
        } else {
            self.processor_table(&self.facts.active)
        }];
        let inactive = if self.facts.inactive.is_empty() {
            vec![self.p("legal-subprocessors-inactive-none")]
        } else {
            vec![
                self.p("legal-subprocessors-inactive-1"),
                Block::List(
                    self.facts
                        .inactive
                        .iter()
                        .map(|p| {
                            self.rich(
                                "legal-subprocessors-inactive-line",
                                vec![
                                    ("name", v(p.name)),
                                    (
                                        "service",
                                        v(self.t(&format!("legal-processor-{}-service", p.id))),
                                    ),
                                ],
                            )
                        })
                        .collect(),
                ),
            ]
        };
        let safeguards = vec![
            self.p("legal-subprocessors-safeguards-1"),
            self.pa(
                "legal-subprocessors-safeguards-2",
                vec![
                    ("privacy", self.link("legal-link-privacy", "/privacy")),
                    (
                        "archive",
                        self.link(
                            "legal-link-archive",
                            &LegalDocKind::Subprocessors.versions_page(),
                        ),
                    ),
                ],
            ),
            self.p("legal-governing-language"),
        ];
        vec![
            self.section(doc, "about", about),
            self.section(doc, "active", active),
            self.section(doc, "inactive", inactive),
            self.section(doc, "safeguards", safeguards),
        ]
    }

    // -----------------------------------------------------------------------------------
    // The terms of service.

    fn terms(&self) -> Vec<Section> {
        let doc = "terms";
        let guest_period = match privacy::rule(DataCategory::GuestData).retention {
            Retention::UnlessMigrated(d) | Retention::For(d) | Retention::ThenAnonymized(d) => {
                Some(d)
            }
            Retention::WhileActiveThen(_) | Retention::UntilWithdrawn => None,
        };

        let agreement = vec![
            self.pa(
                "legal-terms-agreement-1",
                vec![("operator", self.operator())],
            ),
            self.pa(
                "legal-terms-agreement-2",
                vec![("privacy", self.link("legal-link-privacy", "/privacy"))],
            ),
        ];
        let mut service = vec![self.p("legal-terms-service-1")];
        if self.facts.offline_engine {
            service.push(self.p("legal-terms-service-offline"));
        }
        service.push(self.p("legal-terms-service-changes"));

        let accounts = vec![
            self.p("legal-terms-accounts-1"),
            self.p("legal-terms-accounts-2"),
        ];
        let age = vec![self.pa(
            "legal-terms-age-1",
            vec![("age", v(i64::from(MINIMUM_AGE)))],
        )];

        let mut credits = vec![
            self.pa(
                "legal-terms-credits-buy",
                vec![("pricing", self.link("legal-link-pricing", "/pricing"))],
            ),
            self.p("legal-terms-credits-spend"),
            self.p("legal-terms-credits-expiry"),
        ];
        if let Some(bonus) = self.facts.signup_bonus {
            credits.push(self.pa(
                "legal-terms-credits-bonus",
                vec![
                    ("credits", v(bonus.credits)),
                    (
                        "period",
                        self.period(Duration::from_secs(
                            u64::try_from(bonus.validity_days).unwrap_or(0) * 24 * 60 * 60,
                        )),
                    ),
                ],
            ));
        }
        credits.push(self.p("legal-terms-credits-value"));
        credits.push(self.with_contact("legal-terms-credits-refunds", Vec::new()));
        credits.push(self.p("legal-terms-credits-reversals"));

        let acceptable = vec![
            self.p("legal-terms-use-1"),
            self.list(&[
                "legal-terms-use-illegal",
                "legal-terms-use-minors",
                "legal-terms-use-intimate",
                "legal-terms-use-deception",
                "legal-terms-use-rights",
                "legal-terms-use-harass",
                "legal-terms-use-systems",
                "legal-terms-use-resale",
            ]),
            self.p("legal-terms-use-2"),
        ];
        let content = vec![
            self.p("legal-terms-content-inputs"),
            self.p("legal-terms-content-outputs"),
            self.p("legal-terms-content-similar"),
            self.p("legal-terms-content-training"),
        ];
        let mut guests = vec![self.pa(
            "legal-terms-guests-1",
            vec![("credits", v(self.facts.guest_trial_credits))],
        )];
        if let Some(period) = guest_period {
            guests.push(self.pa(
                "legal-terms-guests-2",
                vec![("period", self.period(period))],
            ));
        }
        let availability = vec![
            self.p("legal-terms-availability-1"),
            self.p("legal-terms-availability-2"),
        ];
        let ending = vec![
            self.pa(
                "legal-terms-ending-1",
                vec![(
                    "settings",
                    self.link("legal-link-privacy-settings", "/settings/privacy"),
                )],
            ),
            self.p("legal-terms-ending-2"),
        ];
        let liability = vec![
            self.p("legal-terms-liability-1"),
            self.p("legal-terms-liability-2"),
            self.p("legal-terms-liability-3"),
        ];
        let changes = vec![
            self.pa(
                "legal-terms-changes-1",
                vec![(
                    "archive",
                    self.link("legal-link-archive", &LegalDocKind::Terms.versions_page()),
                )],
            ),
            self.p("legal-terms-changes-2"),
        ];
        let language = vec![self.p("legal-governing-language")];
        let contact =
            vec![self.with_contact("legal-terms-contact-1", vec![("operator", self.operator())])];

        vec![
            self.section(doc, "agreement", agreement),
            self.section(doc, "service", service),
            self.section(doc, "accounts", accounts),
            self.section(doc, "age", age),
            self.section(doc, "credits", credits),
            self.section(doc, "use", acceptable),
            self.section(doc, "content", content),
            self.section(doc, "guests", guests),
            self.section(doc, "availability", availability),
            self.section(doc, "ending", ending),
            self.section(doc, "liability", liability),
            self.section(doc, "changes", changes),
            self.section(doc, "language", language),
            self.section(doc, "contact", contact),
        ]
    }
}

/// Every cookie category, in the order the pages explain them.
pub(super) const COOKIE_CATEGORIES: [CookieCategory; 4] = [
    CookieCategory::Essential,
    CookieCategory::Functional,
    CookieCategory::Analytics,
    CookieCategory::Marketing,
];

pub(super) fn cookie_category_key(category: CookieCategory) -> String {
    let id = match category {
        CookieCategory::Essential => "essential",
        CookieCategory::Functional => "functional",
        CookieCategory::Analytics => "analytics",
        CookieCategory::Marketing => "marketing",
    };
    format!("legal-cookie-category-{id}")
}

pub(super) fn purpose_key(purpose: Purpose) -> String {
    let id = match purpose {
        Purpose::ProvideService => "provide-service",
        Purpose::Billing => "billing",
        Purpose::Security => "security",
        Purpose::Improvement => "improvement",
        Purpose::Marketing => "marketing",
        Purpose::Compliance => "compliance",
        Purpose::Support => "support",
    };
    format!("legal-purpose-{id}")
}

pub(super) fn basis_key(basis: LegalBasis) -> String {
    let id = match basis {
        LegalBasis::Contract => "contract",
        LegalBasis::LegalObligation => "legal-obligation",
        LegalBasis::LegitimateInterest => "legitimate-interest",
        LegalBasis::Consent => "consent",
    };
    format!("legal-basis-{id}")
}

/// The locale key of a place a processor names (`United States` → `legal-place-united-states`).
pub(super) fn place_key(place: &str) -> String {
    let mut slug = String::new();
    for c in place.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    format!("legal-place-{}", slug.trim_end_matches('-'))
}

//! The privacy policy: what we collect and why, who receives it, how long we keep it and
//! how people use their rights.

use super::keys::{COOKIE_CATEGORIES, basis_key, cookie_category_key, purpose_key};
use super::writer::{Writer, account_grace, guest_period, payment_period, v};
use crate::model::legal::{Block, LegalDocKind, Section};
use domain::privacy::{
    CATEGORIES, COOKIES, MINIMUM_AGE, Purpose, REQUEST_DEADLINE, REQUEST_EXTENSION,
};

const DOC: &str = "privacy";

impl Writer<'_> {
    pub(super) fn privacy(&self) -> Vec<Section> {
        vec![
            self.section(DOC, "intro", self.privacy_intro()),
            self.section(DOC, "data", self.privacy_data()),
            self.section(DOC, "purposes", self.privacy_purposes()),
            self.section(DOC, "ai", self.privacy_ai()),
            self.section(DOC, "sharing", self.privacy_sharing()),
            self.section(DOC, "transfers", self.privacy_transfers()),
            self.section(DOC, "cookies", self.privacy_cookies()),
            self.section(DOC, "retention", self.privacy_retention()),
            self.section(DOC, "rights", self.privacy_rights()),
            self.section(DOC, "exercise", self.privacy_exercise()),
            self.section(DOC, "children", self.privacy_children()),
            self.section(DOC, "security", self.privacy_security()),
            self.section(DOC, "breach", self.privacy_breach()),
            self.section(DOC, "changes", self.privacy_changes()),
            self.section(DOC, "contact", self.privacy_contact()),
        ]
    }

    fn privacy_intro(&self) -> Vec<Block> {
        vec![
            self.pa("legal-privacy-intro-1", vec![("operator", self.operator())]),
            self.with_contact("legal-privacy-intro-2", Vec::new()),
        ]
    }

    fn privacy_data(&self) -> Vec<Block> {
        vec![
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
        ]
    }

    fn privacy_purposes(&self) -> Vec<Block> {
        let mut purposes_used: Vec<Purpose> = Vec::new();
        for purpose in CATEGORIES.iter().flat_map(|rule| rule.purposes) {
            if !purposes_used.contains(purpose) {
                purposes_used.push(*purpose);
            }
        }
        vec![
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
        ]
    }

    fn privacy_ai(&self) -> Vec<Block> {
        let guest_period = guest_period();
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
        ai
    }

    fn privacy_sharing(&self) -> Vec<Block> {
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
        sharing
    }

    fn privacy_transfers(&self) -> Vec<Block> {
        let mut places: Vec<String> = Vec::new();
        for place in self.facts.active.iter().flat_map(|p| self.places(p)) {
            if !places.contains(&place) {
                places.push(place);
            }
        }
        vec![
            if places.is_empty() {
                self.p("legal-privacy-transfers-none")
            } else {
                self.pa(
                    "legal-privacy-transfers-1",
                    vec![("places", v(self.join(places)))],
                )
            },
            self.p("legal-privacy-transfers-2"),
        ]
    }

    fn privacy_cookies(&self) -> Vec<Block> {
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
        vec![
            self.p("legal-privacy-cookies-1"),
            Block::List(cookie_lines),
            self.pa(
                "legal-privacy-cookies-more",
                vec![("link", self.link("legal-link-cookies", "/cookies"))],
            ),
        ]
    }

    fn privacy_retention(&self) -> Vec<Block> {
        let account_grace = account_grace();
        let payment_period = payment_period();
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
        retention
    }

    fn privacy_rights(&self) -> Vec<Block> {
        vec![
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
        ]
    }

    fn privacy_exercise(&self) -> Vec<Block> {
        let settings = self.link("legal-link-privacy-settings", "/settings/privacy");
        let form = self.link("legal-link-request-form", "/privacy/requests");
        vec![
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
        ]
    }

    fn privacy_children(&self) -> Vec<Block> {
        vec![self.with_contact(
            "legal-privacy-children-1",
            vec![("age", v(i64::from(MINIMUM_AGE)))],
        )]
    }

    fn privacy_security(&self) -> Vec<Block> {
        vec![
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
        ]
    }

    fn privacy_breach(&self) -> Vec<Block> {
        vec![self.p("legal-privacy-breach-1")]
    }

    fn privacy_changes(&self) -> Vec<Block> {
        vec![
            self.pa(
                "legal-privacy-changes-1",
                vec![(
                    "archive",
                    self.link("legal-link-archive", &LegalDocKind::Privacy.versions_page()),
                )],
            ),
            self.p("legal-privacy-changes-2"),
        ]
    }

    fn privacy_contact(&self) -> Vec<Block> {
        vec![
            self.with_contact(
                "legal-privacy-contact-1",
                vec![("operator", self.operator())],
            ),
            self.pa(
                "legal-privacy-contact-support",
                vec![("support", self.link("legal-link-support-form", "/support"))],
            ),
            self.p("legal-privacy-contact-complain"),
            self.p("legal-governing-language"),
        ]
    }
}

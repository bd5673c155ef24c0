//! The terms of service.

use super::writer::{Writer, guest_period, v};
use crate::model::legal::{Block, LegalDocKind, Section};
use domain::privacy::MINIMUM_AGE;
use std::time::Duration;

const DOC: &str = "terms";

impl Writer<'_> {
    pub(super) fn terms(&self) -> Vec<Section> {
        vec![
            self.section(DOC, "agreement", self.terms_agreement()),
            self.section(DOC, "service", self.terms_service()),
            self.section(DOC, "accounts", self.terms_accounts()),
            self.section(DOC, "age", self.terms_age()),
            self.section(DOC, "credits", self.terms_credits()),
            self.section(DOC, "use", self.terms_use()),
            self.section(DOC, "content", self.terms_content()),
            self.section(DOC, "guests", self.terms_guests()),
            self.section(DOC, "availability", self.terms_availability()),
            self.section(DOC, "ending", self.terms_ending()),
            self.section(DOC, "liability", self.terms_liability()),
            self.section(DOC, "changes", self.terms_changes()),
            self.section(DOC, "language", self.terms_language()),
            self.section(DOC, "contact", self.terms_contact()),
        ]
    }

    fn terms_agreement(&self) -> Vec<Block> {
        vec![
            self.pa(
                "legal-terms-agreement-1",
                vec![("operator", self.operator())],
            ),
            self.pa(
                "legal-terms-agreement-2",
                vec![("privacy", self.link("legal-link-privacy", "/privacy"))],
            ),
        ]
    }

    fn terms_service(&self) -> Vec<Block> {
        let mut service = vec![self.p("legal-terms-service-1")];
        if self.facts.offline_engine {
            service.push(self.p("legal-terms-service-offline"));
        }
        service.push(self.p("legal-terms-service-changes"));
        service
    }

    fn terms_accounts(&self) -> Vec<Block> {
        vec![
            self.p("legal-terms-accounts-1"),
            self.p("legal-terms-accounts-2"),
        ]
    }

    fn terms_age(&self) -> Vec<Block> {
        vec![self.pa(
            "legal-terms-age-1",
            vec![("age", v(i64::from(MINIMUM_AGE)))],
        )]
    }

    fn terms_credits(&self) -> Vec<Block> {
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
        credits
    }

    fn terms_use(&self) -> Vec<Block> {
        vec![
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
        ]
    }

    fn terms_content(&self) -> Vec<Block> {
        vec![
            self.p("legal-terms-content-inputs"),
            self.p("legal-terms-content-outputs"),
            self.p("legal-terms-content-similar"),
            self.p("legal-terms-content-training"),
        ]
    }

    fn terms_guests(&self) -> Vec<Block> {
        let guest_period = guest_period();
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
        guests
    }

    fn terms_availability(&self) -> Vec<Block> {
        vec![
            self.p("legal-terms-availability-1"),
            self.p("legal-terms-availability-2"),
        ]
    }

    fn terms_ending(&self) -> Vec<Block> {
        vec![
            self.pa(
                "legal-terms-ending-1",
                vec![(
                    "settings",
                    self.link("legal-link-privacy-settings", "/settings/privacy"),
                )],
            ),
            self.p("legal-terms-ending-2"),
        ]
    }

    fn terms_liability(&self) -> Vec<Block> {
        vec![
            self.p("legal-terms-liability-1"),
            self.p("legal-terms-liability-2"),
            self.p("legal-terms-liability-3"),
        ]
    }

    fn terms_changes(&self) -> Vec<Block> {
        vec![
            self.pa(
                "legal-terms-changes-1",
                vec![(
                    "archive",
                    self.link("legal-link-archive", &LegalDocKind::Terms.versions_page()),
                )],
            ),
            self.p("legal-terms-changes-2"),
        ]
    }

    fn terms_language(&self) -> Vec<Block> {
        vec![self.p("legal-governing-language")]
    }

    fn terms_contact(&self) -> Vec<Block> {
        vec![self.with_contact("legal-terms-contact-1", vec![("operator", self.operator())])]
    }
}

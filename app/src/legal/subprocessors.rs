//! The subprocessor list: the processors this deployment uses and the ones it could.

use super::writer::{Writer, v};
use crate::model::legal::{Block, LegalDocKind, Section};

const DOC: &str = "subprocessors";

impl Writer<'_> {
    pub(super) fn subprocessors(&self) -> Vec<Section> {
        vec![
            self.section(DOC, "about", self.subprocessors_about()),
            self.section(DOC, "active", self.subprocessors_active()),
            self.section(DOC, "inactive", self.subprocessors_inactive()),
            self.section(DOC, "safeguards", self.subprocessors_safeguards()),
        ]
    }

    fn subprocessors_about(&self) -> Vec<Block> {
        vec![
            self.p("legal-subprocessors-about-1"),
            self.p("legal-subprocessors-about-2"),
        ]
    }

    fn subprocessors_active(&self) -> Vec<Block> {
        vec![if self.facts.active.is_empty() {
            self.p("legal-subprocessors-active-none")
        } else {
            self.processor_table(&self.facts.active)
        }]
    }

    fn subprocessors_inactive(&self) -> Vec<Block> {
        if self.facts.inactive.is_empty() {
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
        }
    }

    fn subprocessors_safeguards(&self) -> Vec<Block> {
        vec![
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
        ]
    }
}

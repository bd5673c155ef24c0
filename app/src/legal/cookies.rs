//! The cookie policy: every cookie, its category and whether it waits for consent.

use super::format_period;
use super::keys::{COOKIE_CATEGORIES, cookie_category_key};
use super::writer::{Writer, v};
use crate::model::legal::{Block, LegalDocKind, Section};
use domain::privacy::COOKIES;

const DOC: &str = "cookies";

impl Writer<'_> {
    pub(super) fn cookies(&self) -> Vec<Section> {
        vec![
            self.section(DOC, "about", self.cookies_about()),
            self.section(DOC, "list", self.cookies_list()),
            self.section(DOC, "categories", self.cookies_categories()),
            self.section(DOC, "choices", self.cookies_choices()),
            self.section(DOC, "more", self.cookies_more()),
        ]
    }

    fn cookies_about(&self) -> Vec<Block> {
        vec![
            self.p("legal-cookies-about-1"),
            self.p("legal-cookies-about-2"),
        ]
    }

    fn cookies_list(&self) -> Vec<Block> {
        vec![Block::Table {
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
        }]
    }

    fn cookies_categories(&self) -> Vec<Block> {
        vec![Block::List(
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
        )]
    }

    fn cookies_choices(&self) -> Vec<Block> {
        vec![
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
        ]
    }

    fn cookies_more(&self) -> Vec<Block> {
        vec![
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
        ]
    }
}

//! The languages emails are written in, and the locale files their words come from.

use fluent_templates::{LanguageIdentifier, fluent_bundle::FluentValue, langid};
use std::collections::HashMap;

fluent_templates::static_loader! {
    pub(super) static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around placeables would show up in plain-text mail and
        // subject lines; our arguments are names and addresses.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en");
static ZH_CN: LanguageIdentifier = langid!("zh-CN");

/// A language emails are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lang {
    En,
    ZhCn,
}

impl Lang {
    #[cfg(test)]
    pub(super) const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// `zh-CN` in any case or separator, and `zh`/`zh-Hans` (the only Chinese we write), are
    /// Simplified Chinese; everything else is English.
    pub(super) fn from_tag(tag: &str) -> Lang {
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        match tag.as_str() {
            "zh-cn" | "zh" | "zh-hans" | "zh-hans-cn" => Lang::ZhCn,
            _ => Lang::En,
        }
    }

    pub(super) fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    pub(super) fn langid(self) -> &'static LanguageIdentifier {
        match self {
            Lang::En => &EN,
            Lang::ZhCn => &ZH_CN,
        }
    }

    /// The colon that introduces the link in plain text: Chinese uses the full-width one.
    pub(super) fn colon(self) -> &'static str {
        match self {
            Lang::En => ":",
            Lang::ZhCn => "：",
        }
    }

    /// What joins the items of a list in running text.
    pub(super) fn list_separator(self) -> &'static str {
        match self {
            Lang::En => ", ",
            Lang::ZhCn => "、",
        }
    }

    /// The path prefix of this language's pages: English is served at `/`.
    pub(super) fn path_prefix(self) -> &'static str {
        match self {
            Lang::En => "",
            Lang::ZhCn => "/zh-CN",
        }
    }
}

/// A lookup of a text that takes no arguments.
pub(super) const NO_ARGS: Option<&HashMap<&str, FluentValue<'static>>> = None;

/// The locale an email for `tag` is written in: `en` or `zh-CN`.
pub(in crate::email) fn resolve_locale(tag: &str) -> &'static str {
    Lang::from_tag(tag).tag()
}

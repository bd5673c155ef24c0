//! Localization: which locales exist, how a locale appears in a URL, and message lookup
//! from the Fluent files in `app/locales/<locale>/*.ftl`.
//!
//! English is served at `/`; every other locale is a path prefix (`/zh-CN/...`). A page's
//! locale is fixed for a page load: switching language is a full navigation.

use fluent_templates::{LanguageIdentifier, Loader, fluent_bundle::FluentValue, langid};
use leptos::prelude::*;
use std::{borrow::Cow, collections::HashMap};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around placeables confuse copy and tests; our
        // arguments are plain numbers and names.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en");
static ZH_CN: LanguageIdentifier = langid!("zh-CN");

/// A locale the product is translated into.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    #[default]
    En,
    ZhCn,
}

impl Locale {
    /// Every supported locale, the default first.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::ZhCn];
    /// The locale served without a path prefix.
    pub const DEFAULT: Locale = Locale::En;

    /// The BCP 47 tag, as used in `<html lang>`, hreflang and the path prefix.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// The Open Graph form of the tag (`en_US`, `zh_CN`).
    pub fn og_tag(self) -> &'static str {
        match self {
            Locale::En => "en_US",
            Locale::ZhCn => "zh_CN",
        }
    }

    /// The language's own name for itself, shown in the language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::ZhCn => "简体中文",
        }
    }

    fn langid(self) -> &'static LanguageIdentifier {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }

    /// Parses a tag case-insensitively: `zh-cn`, `zh-CN`, `zh_CN` and `zh-Hans` are Simplified
    /// Chinese; `zh` alone too, since it is the only Chinese we offer.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or_default();
        match primary {
            "en" => Some(Locale::En),
            "zh" if !tag.contains("hant") && !tag.ends_with("-tw") && !tag.ends_with("-hk") => {
                Some(Locale::ZhCn)
            }
            _ => None,
        }
    }

    /// Splits a request path into its locale and the path inside that locale:
    /// `/zh-CN/pricing` → (zh-CN, `/pricing`), `/pricing` → (en, `/pricing`).
    pub fn split_path(path: &str) -> (Locale, &str) {
        for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::DEFAULT) {
            let prefix = locale.tag();
            if let Some(rest) = path.strip_prefix('/').and_then(|p| p.strip_prefix(prefix)) {
                if rest.is_empty() {
                    return (locale, "/");
                }
                if rest.starts_with('/') {
                    return (locale, rest);
                }
            }
        }
        (Locale::DEFAULT, if path.is_empty() { "/" } else { path })
    }

    /// The path of `page` (a path inside a locale, starting with `/`) in this locale.
    pub fn path(self, page: &str) -> String {
        if self == Locale::DEFAULT {
            page.to_string()
        } else if page == "/" {
            format!("/{}/", self.tag())
        } else {
            format!("/{}{}", self.tag(), page)
        }
    }

    /// Picks the best supported locale from an `Accept-Language` header, honouring q-values.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (position, item) in accept_language.split(',').enumerate() {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            let Some(locale) = Locale::from_tag(tag) else {
                continue;
            };
            // Highest q wins; among equals, the one listed first.
            if best.is_none_or(|(bq, bp, _)| q > bq || (q == bq && position < bp)) {
                best = Some((q, position, locale));
            }
        }
        best.map(|(_, _, locale)| locale)
    }

    /// Looks a message up. A missing key is a bug caught by the locale completeness test;
    /// at run time it falls back to English, then to the key itself.
    pub fn t(self, key: &str) -> String {
        LOCALES
            .try_lookup(self.langid(), key)
            .unwrap_or_else(|| key.to_string())
    }

    /// Looks a message up with arguments.
    pub fn t_args(self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), value.clone()))
            .collect();
        LOCALES
            .try_lookup_with_args(self.langid(), key, &args)
            .unwrap_or_else(|| key.to_string())
    }
}

/// The locale of the page being rendered; provided by [`crate::App`] from the URL.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// Looks up `key` in the current page's locale.
pub fn t(key: &str) -> String {
    use_locale().t(key)
}

#[cfg(test)]
mod tests;

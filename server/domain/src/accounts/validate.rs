//! Account fields that validate on construction: an email address, a display name, a
//! phone number in E.164 form, and the free-text profile fields.

pub use crate::types::{EmailAddress, ProfileError};

/// What other people and our emails call someone: 1–50 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, ProfileError> {
        let name = raw.trim();
        let count = name.chars().count();
        if count == 0 || count > 50 || name.chars().any(|c| c.is_control()) {
            return Err(ProfileError::DisplayName);
        }
        Ok(DisplayName(name.to_owned()))
    }
}

impl AsRef<str> for DisplayName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A phone number in E.164 form: `+`, a country code that does not start with 0, and at
/// most 15 digits in all. Spaces, dashes and brackets people type are removed first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Phone, ProfileError> {
        let cleaned: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        let digits = cleaned.strip_prefix('+').ok_or(ProfileError::Phone)?;
        let ok = (7..=15).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit())
            && !digits.starts_with('0');
        if ok {
            Ok(Phone(cleaned))
        } else {
            Err(ProfileError::Phone)
        }
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// The interface languages we offer; anything else becomes English.
pub fn locale(raw: &str) -> &'static str {
    match raw {
        "zh-CN" => "zh-CN",
        _ => "en",
    }
}

/// An optional free-text field: trimmed, empty means none, at most `max` characters.
pub fn optional_text(
    raw: &str,
    max: usize,
    error: ProfileError,
) -> Result<Option<String>, ProfileError> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max {
        return Err(error);
    }
    Ok(Some(text.replace('\r', "")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_must_be_e164() {
        assert_eq!(
            Phone::parse("+49 30 1234-5678").unwrap().into_inner(),
            "+493012345678"
        );
        assert_eq!(
            Phone::parse("+8613800138000").unwrap().into_inner(),
            "+8613800138000"
        );
        for bad in [
            "030 1234567",
            "+0123456789",
            "+12",
            "+1234567890123456",
            "+12ab4567",
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_and_texts_have_limits() {
        assert!(DisplayName::parse("  ").is_err());
        assert!(DisplayName::parse(&"n".repeat(51)).is_err());
        assert!(DisplayName::parse("Ada\u{0007}").is_err());
        assert_eq!(DisplayName::parse(" 香蕉 ").unwrap().as_ref(), "香蕉");
        assert_eq!(optional_text("  ", 10, ProfileError::Bio), Ok(None));
        assert_eq!(
            optional_text(&"b".repeat(11), 10, ProfileError::Bio),
            Err(ProfileError::Bio)
        );
    }
}

//! Account fields that validate on construction: an email address, a display name, a
//! phone number in E.164 form, and the free-text profile fields.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("invalid email address")]
    Email,
    #[error("invalid display name")]
    DisplayName,
    #[error("invalid phone number")]
    Phone,
    #[error("company name too long")]
    Company,
    #[error("region too long")]
    Region,
    #[error("bio too long")]
    Bio,
    #[error("invalid theme")]
    Theme,
}

impl ProfileError {
    pub fn message_key(&self) -> &'static str {
        match self {
            ProfileError::Email => "auth-error-email",
            ProfileError::DisplayName => "auth-error-display-name",
            ProfileError::Phone => "profile-error-phone",
            ProfileError::Company => "profile-error-company",
            ProfileError::Region => "profile-error-region",
            ProfileError::Bio => "profile-error-bio",
            ProfileError::Theme => "profile-error-theme",
        }
    }
}

/// A syntactically plausible address, trimmed and lower-cased (so one person cannot hold
/// two accounts by changing case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<EmailAddress, ProfileError> {
        let email = raw.trim().to_lowercase();
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err(ProfileError::Email);
        };
        let ok = email.len() <= 254
            && !local.is_empty()
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && email
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && c != '<' && c != '>')
            && !local.contains('@');
        if ok {
            Ok(EmailAddress(email))
        } else {
            Err(ProfileError::Email)
        }
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

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
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            EmailAddress::parse("  Ada@Example.COM ").unwrap().as_ref(),
            "ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@x.io",
            "a@x..io",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }

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

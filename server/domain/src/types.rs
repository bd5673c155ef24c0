//! Domain values that validate on construction: once one exists, it is well-formed.
//! A leaf: it depends on no other part of the domain.

/// Why a profile field (an email address, a name, a phone number, free text) was refused.
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
}

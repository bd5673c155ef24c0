//! Codes and kinds of the account errors: sign-up, sign-in, providers, rate limits and the
//! challenge.

use super::{Coded, ErrorKind};
use crate::{
    accounts::{AccountError, PasswordError, ProfileError, oauth::OAuthError},
    ratelimit::RateLimitError,
    turnstile::TurnstileError,
};

impl Coded for AccountError {
    fn code(&self) -> &'static str {
        self.message_key()
    }

    fn kind(&self) -> ErrorKind {
        match self {
            AccountError::Internal(_) => ErrorKind::Internal,
            AccountError::InvalidCredentials
            | AccountError::WrongCurrentPassword
            | AccountError::InvalidTwoFactorCode
            | AccountError::ReauthenticationRequired => ErrorKind::Unauthenticated,
            AccountError::TokenInvalid | AccountError::TokenExpired | AccountError::TokenUsed => {
                ErrorKind::Gone
            }
            AccountError::Cooldown { seconds } => ErrorKind::RateLimited {
                retry_after_seconds: *seconds,
            },
            AccountError::EmailInUse | AccountError::LastSignInMethod => ErrorKind::Conflict,
            AccountError::Profile(_)
            | AccountError::Password(_)
            | AccountError::AgeNotConfirmed
            | AccountError::TermsNotAccepted
            | AccountError::ProviderEmailUnverified => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            AccountError::Cooldown { seconds } => vec![("seconds", seconds.to_string())],
            _ => Vec::new(),
        }
    }
}

impl Coded for RateLimitError {
    fn code(&self) -> &'static str {
        match self {
            RateLimitError::Limited(_) => "auth-error-rate-limited",
            RateLimitError::Db(_) => "error-internal",
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            RateLimitError::Limited(l) => ErrorKind::RateLimited {
                retry_after_seconds: l.retry_after_seconds,
            },
            RateLimitError::Db(_) => ErrorKind::Internal,
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            RateLimitError::Limited(l) => vec![("seconds", l.retry_after_seconds.to_string())],
            RateLimitError::Db(_) => Vec::new(),
        }
    }
}

impl Coded for OAuthError {
    fn code(&self) -> &'static str {
        self.message_key()
    }

    fn kind(&self) -> ErrorKind {
        match self {
            OAuthError::NotEnabled => ErrorKind::NotFound,
            OAuthError::Denied => ErrorKind::Unauthenticated,
            OAuthError::StateMismatch => ErrorKind::Malformed,
            OAuthError::Provider(_) => ErrorKind::Upstream,
        }
    }
}

impl Coded for TurnstileError {
    fn code(&self) -> &'static str {
        self.message_key()
    }

    fn kind(&self) -> ErrorKind {
        match self {
            TurnstileError::Unavailable => ErrorKind::Unavailable,
            TurnstileError::Missing | TurnstileError::Refused(_) => ErrorKind::Forbidden,
        }
    }
}

impl Coded for PasswordError {
    fn code(&self) -> &'static str {
        self.message_key()
    }

    fn kind(&self) -> ErrorKind {
        match self {
            PasswordError::Hashing => ErrorKind::Internal,
            _ => ErrorKind::Invalid,
        }
    }
}

impl Coded for ProfileError {
    fn code(&self) -> &'static str {
        self.message_key()
    }

    fn kind(&self) -> ErrorKind {
        ErrorKind::Invalid
    }
}

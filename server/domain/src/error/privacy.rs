//! Codes and kinds of the privacy errors: rights requests, exports and account deletion.

use super::{Coded, ErrorKind};
use crate::privacy::{
    deletion::DeletionError,
    export::{self, ExportError},
    requests::{self, RequestError},
};

impl Coded for RequestError {
    fn code(&self) -> &'static str {
        self.message_key()
    }

    fn kind(&self) -> ErrorKind {
        match self {
            RequestError::Internal(_) => ErrorKind::Internal,
            RequestError::Limited { seconds } => ErrorKind::RateLimited {
                retry_after_seconds: *seconds,
            },
            RequestError::LinkInvalid | RequestError::LinkExpired => ErrorKind::Gone,
            RequestError::NotFound => ErrorKind::NotFound,
            RequestError::NotOpen | RequestError::AlreadyExtended | RequestError::PastDue => {
                ErrorKind::Conflict
            }
            RequestError::UnknownKind
            | RequestError::Email
            | RequestError::DetailsMissing
            | RequestError::DetailsTooLong
            | RequestError::NoteMissing
            | RequestError::NoteTooLong => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            RequestError::Limited { seconds } => vec![("seconds", seconds.to_string())],
            RequestError::DetailsTooLong => vec![("max", requests::MAX_DETAILS.to_string())],
            RequestError::NoteTooLong => vec![("max", requests::MAX_NOTE.to_string())],
            _ => Vec::new(),
        }
    }
}

impl Coded for ExportError {
    fn code(&self) -> &'static str {
        self.message_key()
    }

    fn kind(&self) -> ErrorKind {
        match self {
            ExportError::Limited {
                retry_after_seconds,
            } => ErrorKind::RateLimited {
                retry_after_seconds: *retry_after_seconds,
            },
            ExportError::Expired => ErrorKind::Gone,
            ExportError::NotFound => ErrorKind::NotFound,
            ExportError::Db(_)
            | ExportError::Storage(_)
            | ExportError::Email(_)
            | ExportError::Archive(_) => ErrorKind::Internal,
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            ExportError::Limited {
                retry_after_seconds,
            } => vec![
                ("max", export::REQUESTS_PER_WINDOW.to_string()),
                (
                    "count",
                    retry_after_seconds.div_ceil(3600).max(1).to_string(),
                ),
            ],
            _ => Vec::new(),
        }
    }
}

impl Coded for DeletionError {
    fn code(&self) -> &'static str {
        self.message_key()
    }

    fn kind(&self) -> ErrorKind {
        match self {
            DeletionError::WrongPassword | DeletionError::TwoFactorCode => {
                ErrorKind::Unauthenticated
            }
            DeletionError::EmailMismatch => ErrorKind::Invalid,
            DeletionError::SignInTooOld => ErrorKind::Forbidden,
            DeletionError::NotFound => ErrorKind::Gone,
            DeletionError::Limited {
                retry_after_seconds,
            } => ErrorKind::RateLimited {
                retry_after_seconds: *retry_after_seconds,
            },
            DeletionError::Internal(_) => ErrorKind::Internal,
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            DeletionError::Limited {
                retry_after_seconds,
            } => vec![(
                "minutes",
                retry_after_seconds.div_ceil(60).max(1).to_string(),
            )],
            _ => Vec::new(),
        }
    }
}

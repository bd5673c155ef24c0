//! Codes and kinds of the support errors: the support form, a ticket's confirmation link,
//! its thread and replies.

use super::{Coded, ErrorKind};
use crate::{
    images::ImageError,
    support::{MAX_MESSAGE, SupportError},
};

impl Coded for SupportError {
    fn code(&self) -> &'static str {
        match self {
            SupportError::UnknownTopic => "support-error-topic",
            SupportError::MessageMissing => "support-error-message-missing",
            SupportError::MessageTooLong => "support-error-message-long",
            SupportError::Email => "auth-error-email",
            SupportError::Screenshot(ImageError::TooLarge { .. }) => {
                "support-error-screenshot-too-large"
            }
            SupportError::Screenshot(ImageError::TooManyPixels { .. })
            | SupportError::Screenshot(ImageError::SideTooLong { .. }) => {
                "support-error-screenshot-pixels"
            }
            SupportError::Screenshot(ImageError::UnsupportedFormat) => {
                "support-error-screenshot-format"
            }
            SupportError::Screenshot(ImageError::Corrupt) => "support-error-screenshot-corrupt",
            SupportError::Limited { .. } => "auth-error-rate-limited",
            SupportError::LinkInvalid => "support-error-link-invalid",
            SupportError::LinkExpired => "support-error-link-expired",
            SupportError::NotFound => "support-error-not-found",
            SupportError::Closed => "support-error-closed",
            SupportError::Internal(_) => super::INTERNAL,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            SupportError::Internal(_) => ErrorKind::Internal,
            SupportError::Limited { seconds } => ErrorKind::RateLimited {
                retry_after_seconds: *seconds,
            },
            SupportError::Screenshot(ImageError::TooLarge { .. }) => ErrorKind::TooLarge,
            SupportError::Screenshot(ImageError::UnsupportedFormat) => ErrorKind::UnsupportedMedia,
            SupportError::LinkInvalid | SupportError::LinkExpired => ErrorKind::Gone,
            SupportError::NotFound => ErrorKind::NotFound,
            SupportError::Closed => ErrorKind::Conflict,
            SupportError::UnknownTopic
            | SupportError::MessageMissing
            | SupportError::MessageTooLong
            | SupportError::Email
            | SupportError::Screenshot(_) => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            SupportError::Limited { seconds } => vec![("seconds", seconds.to_string())],
            SupportError::MessageTooLong => vec![("max", MAX_MESSAGE.to_string())],
            SupportError::Screenshot(ImageError::TooLarge { max_bytes }) => {
                vec![("max_mb", (max_bytes / (1024 * 1024)).to_string())]
            }
            _ => Vec::new(),
        }
    }
}

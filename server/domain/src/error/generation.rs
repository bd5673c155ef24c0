//! Codes and kinds of the workbench errors: requests, submits, uploads and tasks.

use super::{Coded, ErrorKind};
use crate::{
    credits::LedgerError,
    generation::{
        RequestError,
        tasks::{SubmitError, TaskError},
        uploads::{self, UploadError},
    },
    images::ImageError,
};

/// The code of every failure that is ours, not the person's.
const INTERNAL: &str = "generation-error-internal";

impl Coded for RequestError {
    fn code(&self) -> &'static str {
        match self {
            RequestError::UnknownModel => "generation-error-unknown-model",
            RequestError::EmptyPrompt => "generation-error-empty-prompt",
            RequestError::PromptTooLong { .. } => "generation-error-prompt-too-long",
            RequestError::NegativeTooLong { .. } => "generation-error-negative-too-long",
            RequestError::UnknownStyle => "generation-error-unknown-style",
            RequestError::Quantity { .. } => "generation-error-quantity",
            RequestError::Resolution => "generation-error-resolution",
            RequestError::AspectRatio => "generation-error-aspect-ratio",
            RequestError::Format => "generation-error-format",
            RequestError::TooManyReferences { .. } => "generation-error-too-many-references",
            RequestError::MaskUnsupported => "generation-error-mask-unsupported",
            RequestError::MaskWithoutReference => "generation-error-mask-without-reference",
            RequestError::Camera => "generation-error-camera",
        }
    }

    fn kind(&self) -> ErrorKind {
        ErrorKind::Invalid
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            RequestError::PromptTooLong { max } | RequestError::NegativeTooLong { max } => {
                vec![("max", max.to_string())]
            }
            RequestError::Quantity { max } | RequestError::TooManyReferences { max } => {
                vec![("max", max.to_string())]
            }
            _ => Vec::new(),
        }
    }
}

impl Coded for TaskError {
    fn code(&self) -> &'static str {
        INTERNAL
    }

    fn kind(&self) -> ErrorKind {
        ErrorKind::Internal
    }
}

impl Coded for SubmitError {
    fn code(&self) -> &'static str {
        match self {
            // `RequestError` has an inherent `code()` (the short code): take the trait's.
            SubmitError::Request(e) => Coded::code(e),
            SubmitError::Blocked => "generation-error-blocked",
            SubmitError::UnknownUpload => "generation-error-unknown-upload",
            SubmitError::Insufficient { .. } => "generation-error-insufficient-credits",
            SubmitError::TrialExhausted { .. } => "generation-error-trial-exhausted",
            SubmitError::Task(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            SubmitError::Request(e) => e.kind(),
            SubmitError::Blocked | SubmitError::UnknownUpload => ErrorKind::Invalid,
            SubmitError::Insufficient { .. } | SubmitError::TrialExhausted { .. } => {
                ErrorKind::PaymentRequired
            }
            SubmitError::Task(e) => e.kind(),
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            SubmitError::Request(e) => e.args(),
            SubmitError::Insufficient {
                required,
                available,
            }
            | SubmitError::TrialExhausted {
                required,
                available,
            } => vec![
                ("required", required.to_string()),
                ("available", available.to_string()),
            ],
            _ => Vec::new(),
        }
    }
}

impl Coded for UploadError {
    fn code(&self) -> &'static str {
        match self {
            UploadError::Image(image) => image.code(),
            UploadError::FileName => "generation-error-file-name",
            UploadError::Empty => "generation-error-no-file",
            UploadError::Flagged => "generation-error-flagged",
            UploadError::CheckUnavailable => "generation-error-check-unavailable",
            UploadError::Storage(_) | UploadError::Db(_) => INTERNAL,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            UploadError::Image(image) => image.kind(),
            UploadError::Flagged => ErrorKind::Invalid,
            UploadError::FileName | UploadError::Empty => ErrorKind::Malformed,
            UploadError::CheckUnavailable => ErrorKind::Unavailable,
            UploadError::Storage(_) | UploadError::Db(_) => ErrorKind::Internal,
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            // The limit every upload is held to, as the page states it.
            UploadError::Image(ImageError::TooLarge { .. }) => {
                vec![(
                    "max_mb",
                    (uploads::limits().max_bytes / (1024 * 1024)).to_string(),
                )]
            }
            _ => Vec::new(),
        }
    }
}

impl Coded for ImageError {
    fn code(&self) -> &'static str {
        match self {
            ImageError::TooLarge { .. } => "generation-error-too-large",
            ImageError::TooManyPixels { .. } => "generation-error-too-many-pixels",
            ImageError::SideTooLong { .. } => "generation-error-side-too-long",
            ImageError::UnsupportedFormat => "generation-error-unsupported-format",
            ImageError::Corrupt => "generation-error-corrupt",
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            ImageError::TooLarge { .. } => ErrorKind::TooLarge,
            ImageError::UnsupportedFormat => ErrorKind::UnsupportedMedia,
            _ => ErrorKind::Invalid,
        }
    }
}

impl Coded for LedgerError {
    fn code(&self) -> &'static str {
        match self {
            LedgerError::Insufficient { .. } => "generation-error-insufficient-credits",
            _ => INTERNAL,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            LedgerError::Insufficient { .. } => ErrorKind::PaymentRequired,
            _ => ErrorKind::Internal,
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            LedgerError::Insufficient {
                required,
                available,
            } => vec![
                ("required", required.to_string()),
                ("available", available.to_string()),
            ],
            _ => Vec::new(),
        }
    }
}

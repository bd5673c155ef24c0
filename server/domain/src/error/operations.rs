//! Codes and kinds of the errors a person never causes: configuration, the database (and
//! read models over it, such as the dashboard), storage, email transports, background
//! jobs, providers and outside checks. They all answer `error-internal` (a page says
//! "something went wrong on our side"); the kind tells a failure of ours from a service
//! that is unavailable, and the cause goes to the log.

use super::{Coded, ErrorKind, INTERNAL};
use crate::{
    config::ConfigError,
    dashboard::DashboardError,
    db::DbError,
    email::EmailError,
    generation::{
        guests::PurgeError,
        moderation::ImageCheckError,
        provider::{CallbackError, ProviderError},
    },
    privacy::{
        breach::BreachError,
        marketing::{MarketingError, UnsubscribeError},
        sweep::SweepError,
    },
    state::StateError,
    storage::StorageError,
    totp::TotpError,
};

/// Implements [`Coded`] for errors that are always ours, with their kind per variant.
macro_rules! internal_errors {
    ($($error:ty => |$e:ident| $kind:expr;)*) => {$(
        impl Coded for $error {
            fn code(&self) -> &'static str {
                INTERNAL
            }

            fn kind(&self) -> ErrorKind {
                let $e = self;
                $kind
            }
        }
    )*};
}

internal_errors! {
    ConfigError => |_e| ErrorKind::Internal;
    DashboardError => |_e| ErrorKind::Internal;
    DbError => |_e| ErrorKind::Internal;
    StateError => |_e| ErrorKind::Internal;
    TotpError => |_e| ErrorKind::Internal;
    PurgeError => |_e| ErrorKind::Internal;
    SweepError => |_e| ErrorKind::Internal;
    BreachError => |_e| ErrorKind::Internal;
    MarketingError => |_e| ErrorKind::Internal;
    StorageError => |e| match e {
        StorageError::Unavailable(_) => ErrorKind::Unavailable,
        StorageError::InvalidKey | StorageError::Setup(_) => ErrorKind::Internal,
    };
    EmailError => |e| match e {
        EmailError::Unreachable { .. }
        | EmailError::RateLimited { .. }
        | EmailError::Temporary { .. } => ErrorKind::Unavailable,
        _ => ErrorKind::Internal,
    };
    ImageCheckError => |_e| ErrorKind::Unavailable;
    ProviderError => |e| match e {
        ProviderError::Transient { .. } => ErrorKind::Unavailable,
        ProviderError::Refused { .. } | ProviderError::Failed { .. } => ErrorKind::Upstream,
    };
    UnsubscribeError => |e| match e {
        // A broken or forged link: there is no such subscriber.
        UnsubscribeError::InvalidToken => ErrorKind::NotFound,
        UnsubscribeError::Db(_) => ErrorKind::Internal,
    };
    CallbackError => |e| match e {
        CallbackError::Signature | CallbackError::Stale => ErrorKind::Unauthenticated,
        CallbackError::Malformed | CallbackError::Unsupported => ErrorKind::Malformed,
    };
}

//! Codes and kinds of the billing errors: checkout, orders, the billing profile.

use super::{Coded, ErrorKind};
use crate::billing::{BillingError, BillingProfileError};

impl Coded for BillingError {
    fn code(&self) -> &'static str {
        self.message_key()
    }

    fn kind(&self) -> ErrorKind {
        match self {
            BillingError::UnknownProduct => ErrorKind::Invalid,
            BillingError::UnknownOrder => ErrorKind::NotFound,
            BillingError::ProviderUnavailable => ErrorKind::Conflict,
            BillingError::Provider(_) => ErrorKind::Upstream,
            BillingError::BadSignature
            | BillingError::BadPayload(_)
            | BillingError::Ledger(_)
            | BillingError::Db(_) => ErrorKind::Internal,
        }
    }
}

impl Coded for BillingProfileError {
    fn code(&self) -> &'static str {
        self.message_key()
    }

    fn kind(&self) -> ErrorKind {
        ErrorKind::Invalid
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        vec![("field", self.field().to_string())]
    }
}

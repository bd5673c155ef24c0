//! The one error type of the HTTP layer: a stable code (also the Fluent message key), its
//! arguments, the status, and the cause for the log. It answers as the error page (the
//! default [`IntoResponse`]), as JSON for the workbench's API, or as a form shown again
//! ([`super::form::FormContext::refuse`]).

use super::error_page::RenderErrorPage;
use app::{components::forms::localize_with_args, i18n::Locale, model::ApiError};
use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::error::{Coded, ErrorKind, message_key};
use std::fmt::Display;

/// A refusal or failure of a request. Its cause is logged and never shown.
#[derive(Debug)]
pub struct HttpError {
    /// The stable code, which is also the message key.
    pub code: &'static str,
    /// Arguments of the message.
    pub args: Vec<(String, String)>,
    pub status: StatusCode,
    /// Seconds, for the `Retry-After` header.
    pub retry_after: Option<u64>,
    /// What went wrong on our side, for the log.
    cause: Option<String>,
}

/// The status of each kind of failure: the one place the two are related.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Malformed => StatusCode::BAD_REQUEST,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Gone => StatusCode::GONE,
        ErrorKind::PaymentRequired => StatusCode::PAYMENT_REQUIRED,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::UnsupportedMedia => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorKind::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Upstream => StatusCode::BAD_GATEWAY,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl HttpError {
    /// A refusal with message `code` and `status`.
    pub fn new(code: &'static str, status: StatusCode) -> HttpError {
        HttpError {
            code,
            args: Vec::new(),
            status,
            retry_after: None,
            cause: None,
        }
    }

    /// A domain error, with its code, arguments and the status of its kind. Failures on
    /// our side (or a service's) keep their text for the log.
    pub fn domain<E: Coded + Display>(e: E) -> HttpError {
        let kind = e.kind();
        let mut error = HttpError::new(message_key(e.code()), status_of(kind));
        error.args = e
            .args()
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect();
        match kind {
            ErrorKind::RateLimited {
                retry_after_seconds,
            } => error.retry_after = Some(retry_after_seconds),
            ErrorKind::Internal | ErrorKind::Unavailable | ErrorKind::Upstream => {
                error.cause = Some(e.to_string())
            }
            _ => {}
        }
        error
    }

    /// Our failure, with message `code` (500); `cause` goes to the log only.
    pub fn internal_as(code: &'static str, cause: impl Display) -> HttpError {
        let mut error = HttpError::new(code, StatusCode::INTERNAL_SERVER_ERROR);
        error.cause = Some(cause.to_string());
        error
    }

    /// Our failure, with the general message (500).
    pub fn internal(cause: impl Display) -> HttpError {
        HttpError::internal_as(domain::error::INTERNAL, cause)
    }

    pub fn not_found() -> HttpError {
        HttpError::new("not-found", StatusCode::NOT_FOUND)
    }

    pub fn forbidden() -> HttpError {
        HttpError::new("forbidden", StatusCode::FORBIDDEN)
    }

    /// Adds an argument of the message.
    pub fn with_arg(mut self, name: &str, value: impl ToString) -> HttpError {
        self.args.push((name.to_string(), value.to_string()));
        self
    }

    /// Logs the cause, once, as the error becomes a response.
    pub(crate) fn log(&self) {
        if let Some(cause) = &self.cause {
            if self.status.is_server_error() && self.status != StatusCode::INTERNAL_SERVER_ERROR {
                tracing::warn!(code = self.code, error = %cause, "a service failed");
            } else {
                tracing::error!(code = self.code, error = %cause, "request failed");
            }
        }
    }

    /// Adds the `Retry-After` header when the error has one.
    pub(crate) fn retry_header(&self, response: &mut Response) {
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
    }

    /// The JSON answer of the workbench's API: the short code, the message in `locale`,
    /// and for a shortfall the credits required and available.
    pub fn json(&self, locale: Locale) -> Response {
        self.log();
        let code = self
            .code
            .strip_prefix("generation-error-")
            .or_else(|| self.code.strip_prefix("auth-error-"))
            .unwrap_or(self.code)
            .to_string();
        let number = |name: &str| {
            self.args
                .iter()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse().ok())
        };
        let body = ApiError {
            error: code,
            message: localize_with_args(locale, self.code, &self.args),
            required: number("required"),
            available: number("available"),
        };
        let mut response = (self.status, Json(body)).into_response();
        self.retry_header(&mut response);
        response
    }
}

/// The error page: a bare status the error middleware turns into a localized page (or a
/// short JSON body for API clients).
impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        self.log();
        let mut response = self.status.into_response();
        self.retry_header(&mut response);
        response.extensions_mut().insert(RenderErrorPage);
        response
    }
}

impl From<tower_sessions::session::Error> for HttpError {
    fn from(e: tower_sessions::session::Error) -> HttpError {
        HttpError::internal(format_args!("session store: {e}"))
    }
}

impl From<anyhow::Error> for HttpError {
    fn from(e: anyhow::Error) -> HttpError {
        HttpError::internal(format_args!("{e:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{
        accounts::AccountError,
        privacy::requests::{self, RequestError},
    };

    #[test]
    fn domain_errors_carry_fitting_statuses() {
        let status = |e: RequestError| HttpError::domain(e).status;
        assert_eq!(
            status(RequestError::Email),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(status(RequestError::LinkExpired), StatusCode::GONE);
        assert_eq!(status(RequestError::NotFound), StatusCode::NOT_FOUND);
        assert_eq!(status(RequestError::AlreadyExtended), StatusCode::CONFLICT);
        let limited = HttpError::domain(RequestError::Limited { seconds: 30 });
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(limited.retry_after, Some(30));
        assert_eq!(limited.code, "auth-error-rate-limited");
        assert_eq!(limited.args, vec![("seconds".into(), "30".into())]);
        let long = HttpError::domain(RequestError::DetailsTooLong);
        assert_eq!(
            long.args,
            vec![("max".to_string(), requests::MAX_DETAILS.to_string())]
        );
        let wrong = HttpError::domain(AccountError::InvalidCredentials);
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(wrong.code, "auth-error-credentials");
    }

    #[test]
    fn the_json_answer_names_the_short_code() {
        let error = HttpError::domain(domain::generation::RequestError::EmptyPrompt);
        assert_eq!(error.code, "generation-error-empty-prompt");
        let response = error.json(Locale::En);
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}

//! What a form handler works with: state, session, client, the page's locale, and what it
//! takes to show the page again with an error (post/redirect/get; a refused form is shown
//! again at once with its error and the right status).

use super::{HttpError, HttpState, RenderPage, extract::Client, response::see_other};
use app::{i18n::Locale, model::Flash};
use axum::{
    body::Body,
    extract::{FromRequestParts, Request},
    http::{HeaderMap, Uri, header, request::Parts},
    response::{IntoResponse, Response},
};
use domain::{
    AppState,
    accounts::{
        User,
        sessions::{self, flow},
    },
    ratelimit::{self, Limit},
};
use tower_sessions::Session;

/// Everything a form handler needs: state, session, client, the page's locale, and what
/// it takes to show the page again with an error.
pub struct FormContext {
    pub state: AppState,
    pub session: Session,
    pub client: Client,
    pub locale: Locale,
    render: RenderPage,
    uri: Uri,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
}

impl FromRequestParts<HttpState> for FormContext {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(status, _)| status.into_response())?;
        Ok(FormContext {
            state: state.app.clone(),
            session,
            client: Client::of(parts, &state.app.config.trusted_proxies),
            locale: Locale::split_path(parts.uri.path()).0,
            render: state.render.clone(),
            uri: parts.uri.clone(),
            headers: parts.headers.clone(),
            extensions: parts.extensions.clone(),
        })
    }
}

impl FormContext {
    /// The request's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn path(&self, page: &str) -> String {
        self.locale.path(page)
    }

    /// Counts a hit on every key; the first exhausted one refuses.
    pub async fn limit(&self, keys: &[(String, Limit)]) -> Result<(), HttpError> {
        let now = domain::now_ms();
        for (key, limit) in keys {
            ratelimit::hit(&self.state.db, key, *limit, now)
                .await
                .map_err(HttpError::domain)?;
        }
        Ok(())
    }

    /// Checks the Turnstile token when Turnstile is configured.
    pub async fn challenge(&self, token: Option<&str>, action: &str) -> Result<(), HttpError> {
        let Some(config) = &self.state.config.turnstile else {
            return Ok(());
        };
        let host = url::Url::parse(&self.state.config.public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned));
        domain::turnstile::verify(
            &self.state.http,
            config,
            token,
            Some(&self.client.ip),
            host.as_deref(),
            action,
        )
        .await
        .map_err(|e| {
            tracing::info!(reason = %e, "challenge refused");
            HttpError::domain(e)
        })
    }

    /// The signed-in account, if any.
    pub async fn user(&self) -> Result<Option<User>, HttpError> {
        sessions::signed_in_user(&self.state, &self.session)
            .await
            .map_err(HttpError::domain)
    }

    /// Success: a notice for the next page, and a 303 to it.
    pub async fn done(&self, to: &str, notice: &str) -> Response {
        let flash = Flash {
            notice: Some(notice.to_string()),
            ..Default::default()
        };
        if let Err(e) = self.session.insert(flow::FLASH, flash).await {
            tracing::error!(error = %e, "could not store the flash message");
        }
        see_other(to)
    }

    /// The page a form posted to this path lives on (`/settings/security/password` →
    /// `/settings/security`).
    fn form_page(&self) -> String {
        let path = self.uri.path();
        let (locale, page) = Locale::split_path(path);
        let page = if page.starts_with("/settings/security/") {
            "/settings/security"
        } else if page.starts_with("/settings/profile/") {
            "/settings/profile"
        } else if page.starts_with("/settings/billing/") {
            "/settings/billing"
        } else if page.starts_with("/workbench/") {
            "/workbench"
        } else if page.starts_with("/admin/disputes/") {
            "/admin/disputes"
        } else if page == "/verify-email/resend" {
            "/verify-email"
        } else {
            page
        };
        locale.path(page)
    }

    /// Refused: the form's page again, with the error on form `form`, the fields the
    /// person typed (never passwords), and the error's status.
    pub async fn refuse(&self, form: &str, error: HttpError, fields: &[(&str, &str)]) -> Response {
        self.refuse_at(&self.form_page(), form, error, fields).await
    }

    /// Like [`FormContext::refuse`], showing the page at `page_uri` (a path with a query,
    /// for pages that read one, such as a link's token).
    pub async fn refuse_at(
        &self,
        page_uri: &str,
        form: &str,
        error: HttpError,
        fields: &[(&str, &str)],
    ) -> Response {
        error.log();
        let flash = Flash {
            form: form.to_string(),
            error: Some(error.code.to_string()),
            args: error.args.clone(),
            notice: None,
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        if let Err(e) = self.session.insert(flow::FLASH, flash).await {
            tracing::error!(error = %e, "could not store the flash message");
        }
        let mut request = Request::builder()
            .method("GET")
            .uri(page_uri)
            .body(Body::empty())
            .expect("a GET request builds");
        *request.headers_mut() = self.headers.clone();
        request.headers_mut().remove(header::CONTENT_TYPE);
        request.headers_mut().remove(header::CONTENT_LENGTH);
        *request.extensions_mut() = self.extensions.clone();
        let mut response = (self.render)(request).await;
        *response.status_mut() = error.status;
        error.retry_header(&mut response);
        response
    }

    /// Shows the page at `page_uri` now, with `flash` for this rendering only: never
    /// stored in the session, never cached. For what is shown once (recovery codes).
    pub async fn show_once(&self, page_uri: &str, flash: app::model::Flash) -> Response {
        let mut request = Request::builder()
            .method("GET")
            .uri(page_uri)
            .body(Body::empty())
            .expect("a GET request builds");
        *request.headers_mut() = self.headers.clone();
        request.headers_mut().remove(header::CONTENT_TYPE);
        request.headers_mut().remove(header::CONTENT_LENGTH);
        *request.extensions_mut() = self.extensions.clone();
        request
            .extensions_mut()
            .insert(app::model::InlineFlash(flash));
        let mut response = (self.render)(request).await;
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        response
    }
}

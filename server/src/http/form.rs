//! Accounts over HTTP: the session layer, the anti-forgery guard, the gates in front of
//! account and admin pages, and the form handlers (post/redirect/get; a refused form is
//! shown again at once with its error and the right status).

mod csrf;
mod dev_mail;
mod files;
mod forms;
mod oauth;
mod settings;

pub use csrf::csrf_guard;

use app::{i18n::Locale, model::Flash};
use axum::{
    Router,
    body::Body,
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, Uri, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use domain::{
    AppState,
    accounts::{
        AccountError, Role, User,
        sessions::{self, DbSessionStore, DeviceInfo, flow},
    },
    ratelimit::{self, Limit, RateLimitError},
};
use std::{future::Future, net::SocketAddr, pin::Pin, sync::Arc, time::Duration};
use tower_sessions::{Expiry, Session, SessionManagerLayer, cookie::SameSite};

/// Renders a page of the app for a request (the Leptos handler in `Async` mode).
pub type RenderPage =
    Arc<dyn Fn(Request<Body>) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync>;

/// What the account routes share.
#[derive(Clone)]
pub struct AuthState {
    pub app: AppState,
    pub render: RenderPage,
}

impl axum::extract::FromRef<AuthState> for AppState {
    fn from_ref(state: &AuthState) -> AppState {
        state.app.clone()
    }
}

/// The session layer: records in our database, cookie `session` (HttpOnly, SameSite=Lax,
/// Secure under https), ending after the configured idle time.
pub fn session_layer(state: &AppState) -> SessionManagerLayer<DbSessionStore> {
    let idle =
        time::Duration::try_from(state.config.session_idle).unwrap_or(time::Duration::days(7));
    SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(domain::privacy::SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.is_https())
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle))
}

/// Deletes expired sessions and stale rate-limit counters every few minutes.
pub fn spawn_cleanup(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(300));
        loop {
            every.tick().await;
            let now = domain::now_ms();
            match sessions::delete_expired(&state.db, now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "deleted expired sessions"),
                Err(e) => tracing::warn!(error = %e, "could not delete expired sessions"),
            }
            if let Err(e) = ratelimit::sweep(&state.db, now).await {
                tracing::warn!(error = %e, "could not sweep rate limits");
            }
            // Credits past their expiry leave the balance with an expire entry each.
            match domain::credits::expire_due(&state.db, now, 5_000).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(lots = n, "expired credit lots"),
                Err(e) => tracing::warn!(error = %e, "could not expire credits"),
            }
            // Guests not seen for the guest retention period, and never moved to an
            // account, lose their uploads and results.
            match domain::generation::guests::purge_expired(&state.db, &state.storage, now).await {
                Ok(p) if p.guests > 0 => tracing::info!(
                    guests = p.guests,
                    uploads = p.uploads,
                    tasks = p.tasks,
                    files = p.files,
                    "purged expired guest data"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not purge guest data"),
            }
        }
    });
}

/// The account routes. POST handlers sit on the same paths as the pages they serve, in
/// every locale.
pub fn routes(state: AuthState) -> Router {
    let mut router = Router::new();
    for locale in Locale::ALL {
        let p = |page: &str| locale.path(page);
        router = router
            .route(&p("/sign-in"), post(forms::sign_in))
            .route(&p("/sign-in/two-factor"), post(forms::two_factor))
            .route(&p("/sign-up"), post(forms::sign_up))
            .route(&p("/sign-up/complete"), post(oauth::complete_sign_up))
            .route(&p("/forgot-password"), post(forms::forgot_password))
            .route(&p("/reset-password"), post(forms::reset_password))
            .route(&p("/verify-email"), post(forms::verify_email))
            .route(&p("/verify-email/resend"), post(forms::resend_verification))
            .route(&p("/settings/profile"), post(settings::profile))
            .route(&p("/settings/profile/avatar"), post(settings::avatar))
            .route(&p("/settings/security/email"), post(settings::change_email))
            .route(
                &p("/settings/security/password"),
                post(settings::change_password),
            )
            .route(
                &p("/settings/security/devices/revoke"),
                post(settings::revoke_device),
            )
            .route(
                &p("/settings/security/sign-out-everywhere"),
                post(settings::sign_out_everywhere),
            )
            .route(&p("/settings/security/unlink"), post(settings::unlink))
            .route(&p("/admin/two-factor"), post(settings::enrol_two_factor));
    }
    router
        .route("/sign-out", post(forms::sign_out))
        .route("/auth/{provider}/start", get(oauth::start))
        .route("/auth/{provider}/callback", get(oauth::callback))
        .route("/files/{*key}", get(files::serve))
        .route("/dev/mail", get(dev_mail::list))
        .route("/dev/mail/{id}", get(dev_mail::show))
        .route("/dev/mail/{id}/html", get(dev_mail::html))
        .with_state(state)
}

/// The request's client, for rate limits and the device list.
#[derive(Clone, Debug)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
    pub country: Option<String>,
}

impl Client {
    pub fn device(&self) -> DeviceInfo {
        DeviceInfo {
            user_agent: self.user_agent.chars().take(400).collect(),
            ip: self.ip.clone(),
            location: domain::useragent::approximate_location(&self.ip, self.country.as_deref()),
        }
    }
}

fn client_of(parts: &Parts) -> Client {
    let ip = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Client {
        ip,
        user_agent: header("user-agent").unwrap_or_default(),
        country: header("cf-ipcountry"),
    }
}

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

impl FromRequestParts<AuthState> for FormContext {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AuthState,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(status, _)| status.into_response())?;
        Ok(FormContext {
            state: state.app.clone(),
            session,
            client: client_of(parts),
            locale: Locale::split_path(parts.uri.path()).0,
            render: state.render.clone(),
            uri: parts.uri.clone(),
            headers: parts.headers.clone(),
            extensions: parts.extensions.clone(),
        })
    }
}

/// A refusal: which message, its arguments, and the status it carries.
pub struct Refusal {
    pub key: &'static str,
    pub args: Vec<(String, String)>,
    pub status: StatusCode,
    pub retry_after: Option<u64>,
}

impl Refusal {
    pub fn new(key: &'static str, status: StatusCode) -> Refusal {
        Refusal {
            key,
            args: Vec::new(),
            status,
            retry_after: None,
        }
    }

    pub fn limited(seconds: u64) -> Refusal {
        Refusal {
            key: "auth-error-rate-limited",
            args: vec![("seconds".into(), seconds.to_string())],
            status: StatusCode::TOO_MANY_REQUESTS,
            retry_after: Some(seconds),
        }
    }
}

impl From<AccountError> for Refusal {
    fn from(e: AccountError) -> Refusal {
        let status = match &e {
            AccountError::Internal(cause) => {
                tracing::error!(error = %cause, "account operation failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
            AccountError::InvalidCredentials
            | AccountError::WrongCurrentPassword
            | AccountError::InvalidTwoFactorCode => StatusCode::UNAUTHORIZED,
            AccountError::TokenInvalid | AccountError::TokenExpired | AccountError::TokenUsed => {
                StatusCode::GONE
            }
            AccountError::Cooldown { .. } => StatusCode::TOO_MANY_REQUESTS,
            AccountError::EmailInUse | AccountError::LastSignInMethod => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let mut refusal = Refusal::new(e.message_key(), status);
        if let AccountError::Cooldown { seconds } = e {
            refusal.args.push(("seconds".into(), seconds.to_string()));
            refusal.retry_after = Some(seconds);
        }
        refusal
    }
}

impl From<RateLimitError> for Refusal {
    fn from(e: RateLimitError) -> Refusal {
        match e {
            RateLimitError::Limited(l) => Refusal::limited(l.retry_after_seconds),
            RateLimitError::Db(e) => AccountError::from(e).into(),
        }
    }
}

impl From<tower_sessions::session::Error> for Refusal {
    fn from(e: tower_sessions::session::Error) -> Refusal {
        tracing::error!(error = %e, "session store failed");
        Refusal::new("error-internal", StatusCode::INTERNAL_SERVER_ERROR)
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
    pub async fn limit(&self, keys: &[(String, Limit)]) -> Result<(), Refusal> {
        let now = domain::now_ms();
        for (key, limit) in keys {
            ratelimit::hit(&self.state.db, key, *limit, now).await?;
        }
        Ok(())
    }

    /// Checks the Turnstile token when Turnstile is configured.
    pub async fn challenge(&self, token: Option<&str>, action: &str) -> Result<(), Refusal> {
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
            Refusal::new(
                e.message_key(),
                match e {
                    domain::turnstile::TurnstileError::Unavailable => {
                        StatusCode::SERVICE_UNAVAILABLE
                    }
                    _ => StatusCode::FORBIDDEN,
                },
            )
        })
    }

    /// The signed-in account, if any.
    pub async fn user(&self) -> Result<Option<User>, Refusal> {
        Ok(sessions::signed_in_user(&self.state, &self.session).await?)
    }

    /// The signed-in account, or a refusal that sends the person to sign in.
    pub async fn require_user(&self) -> Result<User, Response> {
        match self.user().await {
            Ok(Some(user)) => Ok(user),
            Ok(None) => Err(Redirect::to(&self.path("/sign-in")).into_response()),
            Err(refusal) => Err(self.refuse("", refusal, &[]).await),
        }
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
    /// person typed (never passwords), and the refusal's status.
    pub async fn refuse(&self, form: &str, refusal: Refusal, fields: &[(&str, &str)]) -> Response {
        self.refuse_at(&self.form_page(), form, refusal, fields)
            .await
    }

    /// Like [`FormContext::refuse`], showing the page at `page_uri` (a path with a query,
    /// for pages that read one, such as a link's token).
    pub async fn refuse_at(
        &self,
        page_uri: &str,
        form: &str,
        refusal: Refusal,
        fields: &[(&str, &str)],
    ) -> Response {
        let flash = Flash {
            form: form.to_string(),
            error: Some(refusal.key.to_string()),
            args: refusal.args.clone(),
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
        *response.status_mut() = refusal.status;
        if let Some(seconds) = refusal.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A local path to continue to: absolute, on this site, never `//host`.
pub fn local_path(to: Option<&str>) -> Option<&str> {
    match to {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            Some(path)
        }
        _ => None,
    }
}

/// The gate in front of account and admin pages: settings need a signed-in person;
/// admin pages an admin who has enrolled two-factor and given a code in this session;
/// the sign-in and sign-up pages send signed-in people on.
pub async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let (locale, page) = Locale::split_path(&path);
    let guarded = page.starts_with("/settings")
        || page == "/admin"
        || page.starts_with("/admin/")
        || page == "/sign-in/two-factor"
        || page == "/sign-up/complete";
    let is_entry = page == "/sign-in" || page == "/sign-up";
    if !guarded && !is_entry {
        return next.run(request).await;
    }
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return next.run(request).await;
    };
    let user = match sessions::signed_in_user(&state, &session).await {
        Ok(user) => user,
        Err(e) => {
            tracing::error!(error = %e, "could not read the session");
            return crate::AppError::Internal(anyhow::anyhow!("session unavailable"))
                .into_response();
        }
    };
    let to = |p: &str| see_other(&locale.path(p));
    if page == "/sign-in/two-factor" {
        let pending = session
            .get::<String>(flow::PENDING_TWO_FACTOR)
            .await
            .ok()
            .flatten();
        return if pending.is_some() {
            next.run(request).await
        } else {
            to("/sign-in")
        };
    }
    if page == "/sign-up/complete" {
        let pending = session.get_value(flow::OAUTH_SIGN_UP).await.ok().flatten();
        return if pending.is_some() {
            next.run(request).await
        } else {
            to("/sign-up")
        };
    }
    if is_entry {
        return match user {
            Some(_) if request.method() == axum::http::Method::GET => to("/settings/profile"),
            _ => next.run(request).await,
        };
    }
    let Some(user) = user else {
        // With the query: an emailed link (an export's download) still works after sign-in.
        let back = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| path.clone());
        let _ = session.insert(AFTER_SIGN_IN, &back).await;
        return to("/sign-in");
    };
    if page == "/admin" || page.starts_with("/admin/") {
        if user.role != Role::Admin {
            return crate::AppError::Forbidden.into_response();
        }
        let enrolling = page == "/admin/two-factor";
        if !user.totp_enabled {
            return if enrolling {
                next.run(request).await
            } else {
                to("/admin/two-factor")
            };
        }
        let verified = session
            .get::<bool>(flow::TWO_FACTOR_OK)
            .await
            .ok()
            .flatten()
            .unwrap_or(false);
        if !verified {
            // Promoted or enrolled elsewhere while signed in: prove it here too.
            let _ = session.insert(flow::PENDING_TWO_FACTOR, &user.id).await;
            let _ = session.insert(AFTER_SIGN_IN, &path).await;
            return to("/sign-in/two-factor");
        }
    }
    next.run(request).await
}

/// Where to go after signing in (the page the gate turned the person away from).
pub const AFTER_SIGN_IN: &str = "auth.after_sign_in";

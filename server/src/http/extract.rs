//! Who is asking: the client (address, browser), the signed-in person ([`CurrentUser`],
//! [`MaybeUser`]) and an admin who gave their second factor in this session
//! ([`AdminUser`]). The admin check is [`admin_access`], and only there.

use super::{FormContext, HttpError, HttpState, response::see_other};
use app::i18n::Locale;
use axum::{
    extract::{ConnectInfo, FromRef, FromRequestParts},
    http::request::Parts,
    response::{IntoResponse, Response},
};
use domain::{
    AppState,
    accounts::{
        self, AdminAccess, User,
        sessions::{self, DeviceInfo, flow},
    },
};
use std::net::SocketAddr;
use tower_sessions::Session;

/// Where to go after signing in (the page the person was turned away from).
pub const AFTER_SIGN_IN: &str = "auth.after_sign_in";

/// The request's client, for rate limits and the device list.
#[derive(Clone, Debug)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
    pub country: Option<String>,
}

impl Client {
    pub fn of(parts: &Parts) -> Client {
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

    pub fn device(&self) -> DeviceInfo {
        DeviceInfo {
            user_agent: self.user_agent.chars().take(400).collect(),
            ip: self.ip.clone(),
            location: domain::useragent::approximate_location(&self.ip, self.country.as_deref()),
        }
    }
}

/// The signed-in person, if any.
pub struct MaybeUser(pub Option<User>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser
where
    AppState: FromRef<S>,
{
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| HttpError::internal("no session layer"))?;
        let state = AppState::from_ref(state);
        let user = sessions::signed_in_user(&state, &session)
            .await
            .map_err(HttpError::domain)?;
        Ok(MaybeUser(user))
    }
}

/// The signed-in person; anyone else is sent to sign in.
pub struct CurrentUser(pub User);

impl FromRequestParts<HttpState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = FormContext::from_request_parts(parts, state).await?;
        match ctx.user().await {
            Ok(Some(user)) => Ok(CurrentUser(user)),
            Ok(None) => Err(see_other(&ctx.path("/sign-in"))),
            Err(error) => Err(ctx.refuse("", error, &[]).await),
        }
    }
}

/// The admin check for this session: the role and two-factor rules are the domain's
/// ([`accounts::admin_access`]); the session says whether a code was given.
pub async fn admin_access(user: &User, session: &Session, enrolling: bool) -> AdminAccess {
    let second_factor_given = session
        .get::<bool>(flow::TWO_FACTOR_OK)
        .await
        .ok()
        .flatten()
        .unwrap_or(false);
    accounts::admin_access(user, second_factor_given, enrolling)
}

/// The answer to a refused admin check at `path`: 403 for someone who is not an admin,
/// else the way to the missing second factor. `None` when access is granted.
pub async fn admin_refusal(
    access: AdminAccess,
    user: &User,
    session: &Session,
    path: &str,
) -> Option<Response> {
    let locale = Locale::split_path(path).0;
    match access {
        AdminAccess::Granted => None,
        AdminAccess::NotAdmin => Some(HttpError::forbidden().into_response()),
        AdminAccess::MustEnrol => Some(see_other(&locale.path("/admin/two-factor"))),
        AdminAccess::MustGiveCode => {
            // Promoted or enrolled elsewhere while signed in: prove it here too.
            let _ = session.insert(flow::PENDING_TWO_FACTOR, &user.id).await;
            let _ = session.insert(AFTER_SIGN_IN, path).await;
            Some(see_other(&locale.path("/sign-in/two-factor")))
        }
    }
}

async fn admin_from_parts(
    parts: &mut Parts,
    state: &HttpState,
    enrolling: bool,
) -> Result<User, Response> {
    let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
    let session = Session::from_request_parts(parts, state)
        .await
        .map_err(|(status, _)| status.into_response())?;
    let access = admin_access(&user, &session, enrolling).await;
    match admin_refusal(access, &user, &session, parts.uri.path()).await {
        None => Ok(user),
        Some(refused) => Err(refused),
    }
}

/// An admin who has enrolled two-factor and given a code in this session.
pub struct AdminUser(pub User);

impl FromRequestParts<HttpState> for AdminUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        admin_from_parts(parts, state, false).await.map(AdminUser)
    }
}

/// An admin enrolling two-factor: the admin role, and a code given in this session if
/// two-factor is already on.
pub struct EnrollingAdmin(pub User);

impl FromRequestParts<HttpState> for EnrollingAdmin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        admin_from_parts(parts, state, true)
            .await
            .map(EnrollingAdmin)
    }
}

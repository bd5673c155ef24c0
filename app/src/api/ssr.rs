//! Server-side helpers shared by the server functions: the state, the session, the
//! signed-in person and errors that tell the browser nothing more.

use crate::model::Viewer;
use domain::{AppState, accounts::User};
use leptos::prelude::*;
use std::time::Duration;
pub use tower_sessions::Session;

/// How long a signed avatar link stays valid.
const AVATAR_LINK_LIFETIME: Duration = Duration::from_secs(3600);

pub fn state() -> Result<AppState, ServerFnError> {
    use_context::<AppState>().ok_or_else(|| ServerFnError::new("server state missing"))
}

pub async fn session() -> Result<Session, ServerFnError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|_| ServerFnError::new("session unavailable"))
}

/// Logs an internal failure and returns an error that tells the browser nothing more: the
/// same stable code the server's own handlers answer for a failure on our side.
pub fn internal(e: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(error = %e, "server function failed");
    ServerFnError::new(domain::error::message_key(domain::error::INTERNAL))
}

pub fn viewer(state: &AppState, user: &User) -> Viewer {
    Viewer {
        id: user.id.clone(),
        email: user.email.clone(),
        email_verified: user.email_verified,
        display_name: user.display_name.clone(),
        avatar_url: user
            .avatar_key
            .as_deref()
            .and_then(|key| domain::storage::StorageKey::parse(key).ok())
            .map(|key| {
                state
                    .storage
                    .signed_path(&key, AVATAR_LINK_LIFETIME, domain::now_ms())
            }),
        locale: user.locale.clone(),
        theme: user.theme.clone().unwrap_or_default(),
        company_name: user.company_name.clone().unwrap_or_default(),
        region: user.region.clone().unwrap_or_default(),
        phone: user.phone.clone().unwrap_or_default(),
        bio: user.bio.clone().unwrap_or_default(),
        role: user.role.as_str().to_string(),
        has_password: user.has_password,
        two_factor_enabled: user.totp_enabled,
    }
}

/// The signed-in account, or an "unauthorized" error.
pub async fn require_user(state: &AppState, session: &Session) -> Result<User, ServerFnError> {
    domain::accounts::sessions::signed_in_user(state, session)
        .await
        .map_err(internal)?
        .ok_or_else(|| ServerFnError::new("unauthorized"))
}

/// The signed-in admin, past two-step verification in this session; for anyone else a
/// "forbidden" error (an "unauthorized" one when nobody is signed in).
pub async fn require_admin(state: &AppState, session: &Session) -> Result<User, ServerFnError> {
    admin_for(state, session, false).await
}

/// Like [`require_admin`], for the two-factor enrolment itself: an admin who has not
/// enrolled yet passes; one who has must have given a code in this session.
pub async fn require_admin_enrolling(
    state: &AppState,
    session: &Session,
) -> Result<User, ServerFnError> {
    admin_for(state, session, true).await
}

async fn admin_for(
    state: &AppState,
    session: &Session,
    enrolling: bool,
) -> Result<User, ServerFnError> {
    use domain::accounts::{AdminAccess, sessions};
    let user = require_user(state, session).await?;
    match sessions::admin_access(session, &user, enrolling).await {
        AdminAccess::Granted => Ok(user),
        _ => Err(ServerFnError::new("forbidden")),
    }
}

/// What the header shows of the person this session is signed in as, or `None` for a
/// visitor (a guest included). Reads the session and, when someone is signed in, their
/// account and balance.
pub async fn header_account(
    state: &AppState,
    session: &Session,
) -> Result<Option<crate::model::HeaderAccount>, Box<dyn std::error::Error + Send + Sync>> {
    use domain::accounts::{Role, sessions};
    let Some(user) = sessions::signed_in_user(state, session).await? else {
        return Ok(None);
    };
    let balance = domain::credits::balance(&state.db, &user.id, domain::now_ms()).await?;
    let csrf = sessions::csrf_token(session).await?;
    let viewer = viewer(state, &user);
    Ok(Some(crate::model::HeaderAccount {
        display_name: viewer.display_name,
        email: viewer.email,
        avatar_url: viewer.avatar_url,
        balance: balance.available,
        is_admin: user.role == Role::Admin,
        csrf,
    }))
}

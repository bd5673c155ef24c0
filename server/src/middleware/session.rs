//! The session layer: records in our database, cookie `session` (HttpOnly, SameSite=Lax,
//! Secure under https), ending after the configured idle time.

use domain::{AppState, accounts::sessions::DbSessionStore};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};

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

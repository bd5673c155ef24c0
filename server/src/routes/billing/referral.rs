//! `/r/{code}`: a referral link. The code waits in the session until an account is made
//! (see [`domain::onboarding`]).

use crate::http::see_other;
use axum::{extract::Path, response::Response};
use domain::billing;
use tower_sessions::Session;

/// The session key holding the referral code a visitor arrived with.
pub const REFERRAL: &str = "referral";

/// `/r/{code}`: remembers who referred this visitor, then offers sign-up.
pub async fn referral(session: Session, Path(code): Path<String>) -> Response {
    if billing::is_referral_code(&code)
        && let Err(e) = session.insert(REFERRAL, code).await
    {
        tracing::warn!(error = %e, "could not remember a referral");
    }
    see_other("/sign-up")
}

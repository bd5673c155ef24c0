//! `/settings/*` forms: profile and avatar, security (email, password, devices, linked
//! providers) and billing (profile, portal, local subscriptions).

mod avatar;
mod billing;
mod profile;
mod security;

use crate::http::{HttpState, LocalizedRoutes};
use axum::{Router, routing::post};

pub fn router(state: HttpState) -> Router {
    Router::new()
        .localized("/settings/profile", post(profile::profile))
        .localized("/settings/profile/avatar", post(avatar::avatar))
        .localized("/settings/security/email", post(security::change_email))
        .localized(
            "/settings/security/password",
            post(security::change_password),
        )
        .localized(
            "/settings/security/devices/revoke",
            post(security::revoke_device),
        )
        .localized(
            "/settings/security/sign-out-everywhere",
            post(security::sign_out_everywhere),
        )
        .localized("/settings/security/unlink", post(security::unlink))
        .localized("/settings/billing/profile", post(billing::save_profile))
        .localized("/settings/billing/portal", post(billing::portal))
        .localized(
            "/settings/billing/subscriptions/{id}/cancel",
            post(billing::cancel_local_subscription),
        )
        .with_state(state)
}

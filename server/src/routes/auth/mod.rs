//! Accounts over HTTP: sign-up, sign-in (with the admin two-factor step), sign-out,
//! verification, password reset and the providers' sign-in. POST handlers sit on the same
//! paths as the pages they serve, in every locale.

mod cleanup;
mod oauth;
mod password;
mod sign_in;
mod sign_up;
mod verify;

pub use cleanup::spawn_cleanup;

use crate::{
    http::{FormContext, HttpState, LocalizedRoutes},
    routes::billing::REFERRAL,
};
use app::api::workbench::ssr::guest_of;
use axum::{
    Router,
    routing::{get, post},
};
use domain::onboarding::{self, Arrival};

pub fn router(state: HttpState) -> Router {
    Router::new()
        .localized("/sign-in", post(sign_in::sign_in))
        .localized("/sign-in/two-factor", post(sign_in::two_factor))
        .localized("/sign-up", post(sign_up::sign_up))
        .localized("/sign-up/complete", post(oauth::complete_sign_up))
        .localized("/forgot-password", post(password::forgot_password))
        .localized("/reset-password", post(password::reset_password))
        .localized("/verify-email", post(verify::verify_email))
        .localized("/verify-email/resend", post(verify::resend_verification))
        .localized("/verify-email/not-me", post(verify::not_me))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/auth/{provider}/start", get(oauth::start))
        .route("/auth/{provider}/callback", get(oauth::callback))
        .with_state(state)
}

/// Whether an arrival comes with a new account (which may have been referred).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arriving {
    NewAccount,
    SignIn,
}

/// Everything that happens when a person arrives in their account: the guest work of this
/// browser and, for a new account, the referral it came with (see [`domain::onboarding`]).
async fn arrive(ctx: &FormContext, user_id: &str, arriving: Arriving) {
    let referral = match arriving {
        Arriving::NewAccount => ctx.session.remove::<String>(REFERRAL).await.ok().flatten(),
        Arriving::SignIn => None,
    };
    let guest = guest_of(&ctx.state, ctx.headers());
    onboarding::arrive(
        &ctx.state,
        Arrival {
            user_id,
            guest_id: guest.as_deref(),
            referral_code: referral.as_deref(),
        },
    )
    .await;
}

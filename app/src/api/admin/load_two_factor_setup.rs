//! The admin's two-factor state, or a pending secret to enrol with.

use crate::model::TwoFactorSetup;
use leptos::prelude::*;

/// The admin's two-factor state; while not enabled, a pending secret to enrol with.
/// Refused ("forbidden") to anyone but an admin.
#[server(endpoint = "two-factor-setup")]
pub async fn load_two_factor_setup() -> Result<TwoFactorSetup, ServerFnError> {
    use crate::api::ssr::{internal, require_admin_enrolling, session, state};
    use domain::accounts::two_factor;
    let state = state()?;
    let session = session().await?;
    // Only admins enrol (nobody else needs a second factor); one who has enrolled sees
    // their state only after giving a code in this session.
    let user = require_admin_enrolling(&state, &session).await?;
    if user.totp_enabled {
        return Ok(TwoFactorSetup {
            enabled: true,
            recovery_codes_left: two_factor::recovery_codes_left(&state, &user.id)
                .await
                .map_err(internal)?,
            ..Default::default()
        });
    }
    let enrolment = two_factor::begin_enrolment(&state, &user)
        .await
        .map_err(internal)?;
    Ok(TwoFactorSetup {
        enabled: false,
        secret: enrolment.secret_base32,
        qr_svg: enrolment.qr_svg,
        otpauth_uri: enrolment.otpauth_uri,
        recovery_codes_left: 0,
    })
}

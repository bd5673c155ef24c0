use crate::model::{AdminOverview, TwoFactorSetup};
use leptos::prelude::*;

/// Account counts and the latest audit entries. Admins only; the server's admin gate has
/// already required two-factor sign-in before any admin page renders.
#[server(endpoint = "admin-overview")]
pub async fn load_admin_overview() -> Result<AdminOverview, ServerFnError> {
    use super::ssr::{internal, require_user, session, state};
    use crate::model::AuditView;
    use domain::accounts::{self, Role, sessions::flow};
    let state = state()?;
    let session = session().await?;
    let user = require_user(&state, &session).await?;
    let verified = session
        .get::<bool>(flow::TWO_FACTOR_OK)
        .await
        .map_err(internal)?
        .unwrap_or(false);
    if user.role != Role::Admin || !verified {
        return Err(ServerFnError::new("forbidden"));
    }
    let accounts_by_role = accounts::count_by_role(&state.db).await.map_err(internal)?;
    let recent_audit = domain::audit::latest(&state.db, 50)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|e| AuditView {
            action: e.action,
            actor: e.actor_id,
            subject: e.subject_id,
            created_at: e.created_at,
        })
        .collect();
    Ok(AdminOverview {
        accounts_by_role,
        recent_audit,
    })
}

/// The admin's two-factor state; while not enabled, a pending secret to enrol with.
#[server(endpoint = "two-factor-setup")]
pub async fn load_two_factor_setup() -> Result<TwoFactorSetup, ServerFnError> {
    use super::ssr::{internal, require_user, session, state};
    use domain::accounts::two_factor;
    let state = state()?;
    let session = session().await?;
    let user = require_user(&state, &session).await?;
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

//! The security settings page's data: the signed-in person's devices and linked providers.

use crate::model::SecurityOverview;
use leptos::prelude::*;

/// The signed-in person's devices and linked sign-in providers.
#[server(endpoint = "security-overview")]
pub async fn load_security_overview() -> Result<SecurityOverview, ServerFnError> {
    use crate::api::ssr::{internal, require_user, session, state};
    use crate::model::{DeviceView, IdentityView};
    use domain::accounts::{oauth, sessions};
    let state = state()?;
    let session = session().await?;
    let user = require_user(&state, &session).await?;
    let current = session.id().map(|id| id.to_string());
    let devices = sessions::list_devices(&state.db, &user.id, current.as_deref())
        .await
        .map_err(internal)?
        .into_iter()
        .map(|d| DeviceView {
            handle: d.handle,
            browser: d.browser.to_string(),
            os: d.os.to_string(),
            location: d.location,
            signed_in_at: d.signed_in_at,
            last_seen_at: d.last_seen_at,
            current: d.current,
        })
        .collect();
    let identities = oauth::identities(&state, &user.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|(provider, email)| IdentityView {
            provider: provider.id().to_string(),
            email,
        })
        .collect();
    Ok(SecurityOverview {
        devices,
        identities,
    })
}

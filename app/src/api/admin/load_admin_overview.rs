//! The admin overview: accounts by role and the latest audit entries.

use crate::model::AdminOverview;
use leptos::prelude::*;

/// Account counts and the latest audit entries. Admins only; the server's admin gate has
/// already required two-factor sign-in before any admin page renders.
#[server(endpoint = "admin-overview")]
pub async fn load_admin_overview() -> Result<AdminOverview, ServerFnError> {
    use crate::api::ssr::{internal, require_admin, session, state};
    use crate::model::AuditView;
    use domain::accounts;
    let state = state()?;
    let session = session().await?;
    require_admin(&state, &session).await?;
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

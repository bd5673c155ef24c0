//! The material policy change the signed-in person has not dismissed.

use crate::model::PolicyNoticeView;
use leptos::prelude::*;

/// The material policy change the signed-in person has not dismissed, if any.
#[server(endpoint = "policy-notice")]
pub async fn load_policy_notice() -> Result<Option<PolicyNoticeView>, ServerFnError> {
    use crate::api::ssr::{internal, session, state};
    use domain::{accounts::sessions::keys, privacy::policy};
    let state = state()?;
    let session = session().await?;
    let Some(user_id) = session
        .get::<String>(keys::USER_ID)
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let notice = policy::pending_notice(&state.db, &user_id, domain::now_ms())
        .await
        .map_err(internal)?;
    Ok(notice.map(|n| PolicyNoticeView {
        key: n.key(),
        doc: n.doc.id().to_string(),
        version: n.version,
        effective_at: n.effective_at,
    }))
}

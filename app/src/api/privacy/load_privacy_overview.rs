//! Everything the privacy settings page shows about the signed-in person.

#[cfg(feature = "ssr")]
use super::consent_of_request::consent_of_request;
use crate::model::PrivacyOverview;
use leptos::prelude::*;

/// Everything the privacy settings page shows about the signed-in person.
#[server(endpoint = "privacy-overview")]
pub async fn load_privacy_overview() -> Result<PrivacyOverview, ServerFnError> {
    use crate::api::ssr::{internal, require_user, session, state};
    use crate::model::{ConsentLine, ExportView, RequestLine};
    use domain::privacy::{consent, deletion, export, preferences, requests};
    let state = state()?;
    let session = session().await?;
    let user = require_user(&state, &session).await?;
    let history = consent::history(&state.db, &user.id)
        .await
        .map_err(internal)?
        .into_iter()
        .take(10)
        .map(|r| ConsentLine {
            analytics: r.analytics,
            marketing: r.marketing,
            source: r.source,
            policy_version: r.policy_version,
            created_at: r.created_at,
        })
        .collect();
    let exports: Vec<ExportView> = export::list(&state.db, &user.id)
        .await
        .map_err(internal)?
        .into_iter()
        .take(5)
        .map(|e| ExportView {
            status: e.status.as_str().to_string(),
            created_at: e.created_at,
            expires_at: e.expires_at,
            size_bytes: e.size_bytes,
        })
        .collect();
    let export_pending = exports
        .iter()
        .any(|e| matches!(e.status.as_str(), "queued" | "running"));
    let choices = preferences::get(&state.db, &user.id)
        .await
        .map_err(internal)?;
    let requests = requests::list_for_user(&state.db, &user.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|r| RequestLine {
            id: r.id,
            kind: r.kind.id().to_string(),
            status: r.status.id().to_string(),
            created_at: r.created_at,
            due_at: r.due_at,
        })
        .collect();
    let day = 24 * 60 * 60;
    Ok(PrivacyOverview {
        consent: consent_of_request(),
        history,
        exports,
        export_pending,
        restricted: choices.restricted,
        objected: choices.objected,
        marketing: choices.marketing,
        requests,
        has_password: user.has_password,
        two_factor: user.totp_enabled,
        hold_days: deletion::purge_delay().as_secs() / day,
        export_days: export::DOWNLOAD_LIFETIME.as_secs() / day,
    })
}

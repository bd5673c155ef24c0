//! One rights request's status, for the holder of its status link or its signed-in owner.

use crate::model::PrivacyRequestView;
use leptos::prelude::*;

/// One request, when the status link's `token` or the signed-in account shows it is the
/// visitor's; `None` otherwise, as for a request that does not exist.
#[server(endpoint = "privacy-request")]
pub async fn load_privacy_request(
    id: String,
    token: Option<String>,
) -> Result<Option<PrivacyRequestView>, ServerFnError> {
    use crate::api::ssr::{internal, session, state};
    use domain::privacy::requests::{self, RequestError};
    let state = state()?;
    let session = session().await?;
    let user = domain::accounts::sessions::signed_in_user(&state, &session)
        .await
        .map_err(internal)?;
    let found = requests::status(
        &state,
        id.trim(),
        token.as_deref(),
        user.as_ref().map(|u| u.id.as_str()),
    )
    .await;
    match found {
        Ok(request) => Ok(Some(PrivacyRequestView {
            id: request.id,
            kind: request.kind.id().to_string(),
            status: request.status.id().to_string(),
            details: request.details,
            created_at: request.created_at,
            verified_at: request.verified_at,
            due_at: request.due_at,
            extended_at: request.extended_at,
            extension_reason: request.extension_reason,
            resolution: request.resolution,
            closed_at: request.closed_at,
        })),
        Err(RequestError::NotFound) => Ok(None),
        Err(e) => Err(internal(e)),
    }
}

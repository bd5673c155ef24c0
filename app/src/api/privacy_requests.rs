//! Rights requests as their senders see them: one request's status (for the holder of its
//! status link, or its signed-in owner) and what a confirmation link is for.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A rights request as its status page shows it. Kinds and statuses are ids the page
/// names in its own language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrivacyRequestView {
    pub id: String,
    /// `access`, `correct`, `delete`, `restrict`, `object` or `port`.
    pub kind: String,
    /// `unverified`, `open`, `extended`, `completed` or `refused`.
    pub status: String,
    /// What the sender wrote, as they wrote it.
    pub details: String,
    pub created_at: i64,
    pub verified_at: Option<i64>,
    pub due_at: Option<i64>,
    pub extended_at: Option<i64>,
    pub extension_reason: Option<String>,
    pub resolution: Option<String>,
    pub closed_at: Option<i64>,
}

/// What a confirmation link is for, or why it cannot be used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RequestLinkView {
    /// The request to confirm; `verified` when the link was followed before.
    Request {
        id: String,
        kind: String,
        created_at: i64,
        verified: bool,
    },
    /// The link is unknown or expired: the message to show.
    Refused { key: String },
}

/// One request, when the status link's `token` or the signed-in account shows it is the
/// visitor's; `None` otherwise, as for a request that does not exist.
#[server(endpoint = "privacy-request")]
pub async fn load_privacy_request(
    id: String,
    token: Option<String>,
) -> Result<Option<PrivacyRequestView>, ServerFnError> {
    use super::ssr::{internal, session, state};
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

/// The request a confirmation link's `token` is for, before the person confirms it.
#[server(endpoint = "privacy-request-link")]
pub async fn load_privacy_request_link(token: String) -> Result<RequestLinkView, ServerFnError> {
    use super::ssr::{internal, state};
    use domain::privacy::requests::{self, RequestError};
    let state = state()?;
    match requests::pending(&state, &token, domain::now_ms()).await {
        Ok(pending) => Ok(RequestLinkView::Request {
            id: pending.id,
            kind: pending.kind.id().to_string(),
            created_at: pending.created_at,
            verified: pending.verified,
        }),
        Err(e @ (RequestError::LinkInvalid | RequestError::LinkExpired)) => {
            Ok(RequestLinkView::Refused {
                key: e.message_key().to_string(),
            })
        }
        Err(e) => Err(internal(e)),
    }
}

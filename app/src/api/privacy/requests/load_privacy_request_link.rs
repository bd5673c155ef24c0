//! What a rights request's confirmation link is for.

use crate::model::RequestLinkView;
use leptos::prelude::*;

/// The request a confirmation link's `token` is for, before the person confirms it.
#[server(endpoint = "privacy-request-link")]
pub async fn load_privacy_request_link(token: String) -> Result<RequestLinkView, ServerFnError> {
    use crate::api::ssr::{internal, state};
    use domain::error::{Coded, message_key};
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
                key: message_key(e.code()).to_string(),
            })
        }
        Err(e) => Err(internal(e)),
    }
}

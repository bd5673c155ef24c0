//! What a support ticket's confirmation link is for.

use crate::model::SupportLinkView;
use leptos::prelude::*;

/// The ticket a confirmation link's `token` is for, before the visitor confirms it.
#[server(endpoint = "support-link")]
pub async fn load_support_link(token: String) -> Result<SupportLinkView, ServerFnError> {
    use crate::api::ssr::{internal, state};
    use domain::error::{Coded, message_key};
    use domain::support::{self, SupportError};
    let state = state()?;
    match support::pending(&state, &token, domain::now_ms()).await {
        Ok(pending) => Ok(SupportLinkView::Ticket {
            topic: pending.topic.id().to_string(),
            created_at: pending.created_at,
            confirmed: pending.confirmed,
        }),
        Err(e @ (SupportError::LinkInvalid | SupportError::LinkExpired)) => {
            Ok(SupportLinkView::Refused {
                key: message_key(e.code()).to_string(),
            })
        }
        Err(e) => Err(internal(e)),
    }
}

//! One support ticket's thread, for its signed-in owner or the holder of its link.

use crate::model::SupportThreadView;
use leptos::prelude::*;

/// One ticket's thread: through its signed link when `token` is given, otherwise for the
/// signed-in account it belongs to. `None` for anyone else, as for no ticket at all.
#[server(endpoint = "support-thread")]
pub async fn load_support_thread(
    id: String,
    token: Option<String>,
) -> Result<Option<SupportThreadView>, ServerFnError> {
    use crate::api::ssr::{internal, session, state};
    use domain::support::{self, Reader, SupportError};
    let state = state()?;
    let token = token.filter(|t| !t.trim().is_empty());
    let user = match token {
        Some(_) => None,
        None => domain::accounts::sessions::signed_in_user(&state, &session().await?)
            .await
            .map_err(internal)?,
    };
    let reader = match (&token, &user) {
        (Some(token), _) => Reader::Link(token),
        (None, Some(user)) => Reader::Account(&user.id),
        (None, None) => return Ok(None),
    };
    match support::thread(&state, &id, reader).await {
        Ok(thread) => Ok(Some(wire::thread(&state, thread))),
        Err(SupportError::NotFound) => Ok(None),
        Err(e) => Err(internal(e)),
    }
}

#[cfg(feature = "ssr")]
mod wire {
    use crate::model::{SupportMessageView, SupportScreenshot, SupportThreadView};
    use domain::{AppState, storage::StorageKey, support::Thread};
    use std::time::Duration;

    /// How long a screenshot's link works.
    const SCREENSHOT_LINK_LIFETIME: Duration = Duration::from_secs(3600);

    pub(super) fn thread(state: &AppState, thread: Thread) -> SupportThreadView {
        let now = domain::now_ms();
        SupportThreadView {
            id: thread.ticket.id,
            topic: thread.ticket.topic.id().to_string(),
            status: thread.ticket.status.id().to_string(),
            created_at: thread.ticket.created_at,
            closed_at: thread.ticket.closed_at,
            messages: thread
                .messages
                .into_iter()
                .map(|message| SupportMessageView {
                    author: message.author.id().to_string(),
                    body: message.body,
                    created_at: message.created_at,
                    screenshots: message
                        .attachments
                        .into_iter()
                        .filter_map(|file| {
                            let key = StorageKey::parse(file.storage_key).ok()?;
                            Some(SupportScreenshot {
                                url: state
                                    .storage
                                    .signed_path(&key, SCREENSHOT_LINK_LIFETIME, now),
                                width: file.width,
                                height: file.height,
                            })
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

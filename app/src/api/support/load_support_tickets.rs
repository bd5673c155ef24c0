//! The signed-in person's support tickets.

use crate::model::SupportTicketSummary;
use leptos::prelude::*;

/// The signed-in person's tickets, the most recently active first.
#[server(endpoint = "support-tickets")]
pub async fn load_support_tickets() -> Result<Vec<SupportTicketSummary>, ServerFnError> {
    use crate::api::ssr::{internal, require_user, session, state};
    let state = state()?;
    let session = session().await?;
    let user = require_user(&state, &session).await?;
    let tickets = domain::support::list_for_user(&state.db, &user.id)
        .await
        .map_err(internal)?;
    Ok(tickets
        .into_iter()
        .map(|summary| SupportTicketSummary {
            id: summary.ticket.id,
            topic: summary.ticket.topic.id().to_string(),
            status: summary.ticket.status.id().to_string(),
            created_at: summary.ticket.created_at,
            updated_at: summary.ticket.updated_at,
            preview: summary.preview,
        })
        .collect())
}

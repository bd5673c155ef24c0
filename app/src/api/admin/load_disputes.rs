//! Payment disputes with the admins' notes, for admins.

#[cfg(feature = "ssr")]
use crate::api::billing::wire;
use crate::model::DisputeView;
use leptos::prelude::*;

/// Every payment dispute, open ones first, with the admins' notes. Admins only, past
/// two-step verification in this session (as for the admin overview).
#[server(endpoint = "disputes")]
pub async fn load_disputes() -> Result<Vec<DisputeView>, ServerFnError> {
    use crate::api::ssr::{internal, require_admin, session, state};
    use crate::model::DisputeNoteView;
    use domain::accounts;
    use std::collections::HashMap;
    let state = state()?;
    let session = session().await?;
    require_admin(&state, &session).await?;
    let disputes = domain::billing::disputes(&state.db, 200)
        .await
        .map_err(internal)?;
    // Notes name their authors, not their account ids.
    let mut author_ids: Vec<String> = Vec::new();
    for dispute in &disputes {
        for note in &dispute.notes {
            if let Some(id) = &note.author_id {
                author_ids.push(id.clone());
            }
        }
    }
    author_ids.sort();
    author_ids.dedup();
    let mut authors: HashMap<String, Option<String>> = HashMap::new();
    for id in author_ids {
        let name = accounts::find_user(&state.db, &id)
            .await
            .map_err(internal)?
            .map(|u| u.display_name);
        authors.insert(id, name);
    }
    Ok(disputes
        .into_iter()
        .map(|d| DisputeView {
            amount: wire::money(d.amount, &d.currency),
            id: d.id,
            order_number: d.order_number,
            provider: d.provider,
            status: d.status,
            reason: d.reason,
            created_at: d.created_at,
            closed_at: d.closed_at,
            notes: d
                .notes
                .into_iter()
                .map(|n| DisputeNoteView {
                    author: n
                        .author_id
                        .and_then(|id| authors.get(&id).cloned().flatten()),
                    body: n.body,
                    created_at: n.created_at,
                })
                .collect(),
        })
        .collect())
}

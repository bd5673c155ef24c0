//! The workbench's data: the models on offer, the allowance and the recent tasks.

use crate::model::WorkbenchData;
use leptos::prelude::*;

/// The workbench: the models on offer, the person's allowance and their recent tasks.
/// Works for guests (by their signed cookie) and accounts alike.
#[server(endpoint = "workbench")]
pub async fn load_workbench() -> Result<WorkbenchData, ServerFnError> {
    use super::ssr::{allowance, model_option, owner, task_view};
    use crate::api::ssr::{internal, session, state};
    use domain::accounts::sessions;
    let state = state()?;
    let session = session().await?;
    let csrf_token = sessions::csrf_token(&session).await.map_err(internal)?;
    let owner = owner(&state, &session).await?;
    let signed_in = matches!(owner, Some(domain::generation::tasks::Owner::User(_)));
    let allowance = allowance(&state, owner.as_ref()).await?;
    let tasks = match &owner {
        Some(owner) => domain::generation::tasks::recent(&state.db, owner, 24)
            .await
            .map_err(internal)?
            .iter()
            .map(|task| task_view(&state, task))
            .collect(),
        None => Vec::new(),
    };
    let catalog = &state.config.generation.catalog;
    Ok(WorkbenchData {
        signed_in,
        allowance,
        models: catalog.models.iter().map(model_option).collect(),
        styles: catalog.style_ids(),
        max_upload_bytes: domain::generation::uploads::limits().max_bytes as u64,
        tasks,
        csrf_token,
    })
}

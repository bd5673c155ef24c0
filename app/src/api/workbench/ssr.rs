//! Server-side helpers the workbench's server functions and the server's task routes share.

use crate::api::ssr::internal;
use crate::model::{Allowance, ModelOption, OutputView, TaskView};
use domain::{
    AppState,
    accounts::sessions,
    generation::{ModelSpec, ProviderKind, guests, tasks::Owner, tasks::TaskRecord},
};
use leptos::prelude::ServerFnError;
use std::time::Duration;
use tower_sessions::Session;

/// How long links to results and thumbnails stay valid.
pub const RESULT_LINK_LIFETIME: Duration = Duration::from_secs(6 * 3600);

/// The signed-in account, else the guest of the request's signed cookie, else nobody
/// yet (a first visit: the guest id is made on the first upload or submit).
pub async fn owner(state: &AppState, session: &Session) -> Result<Option<Owner>, ServerFnError> {
    if let Some(user) = sessions::signed_in_user(state, session)
        .await
        .map_err(internal)?
    {
        return Ok(Some(Owner::User(user.id)));
    }
    let headers: http::HeaderMap = leptos_axum::extract().await.map_err(internal)?;
    let Some(guest) = guest_of(state, &headers) else {
        return Ok(None);
    };
    // A guest whose things moved to an account is nobody now.
    let moved = guests::migrated_to(&state.db, &guest)
        .await
        .map_err(internal)?;
    Ok(match moved {
        Some(Some(_)) => None,
        _ => Some(Owner::Guest(guest)),
    })
}

/// The guest id in a request's signed `guest` cookie.
pub fn guest_of(state: &AppState, headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|cookie| guests::from_cookie_header(&state.config.secret_key, cookie))
}

/// What `owner` may spend: an account's available credits, or a guest's trial.
pub async fn allowance(
    state: &AppState,
    owner: Option<&Owner>,
) -> Result<Allowance, ServerFnError> {
    let trial = state.config.generation.guest_trial_credits;
    Ok(match owner {
        Some(Owner::User(id)) => Allowance::Account {
            available: domain::credits::balance(&state.db, id, domain::now_ms())
                .await
                .map_err(internal)?
                .available,
        },
        Some(Owner::Guest(id)) => {
            let t = guests::trial(&state.db, id, trial)
                .await
                .map_err(internal)?;
            Allowance::Guest {
                remaining: t.remaining,
                total: t.total,
            }
        }
        None => Allowance::Guest {
            remaining: trial,
            total: trial,
        },
    })
}

pub fn model_option(model: &ModelSpec) -> ModelOption {
    ModelOption {
        id: model.id.clone(),
        label: model.label.clone(),
        offline: model.provider == ProviderKind::Local,
        prices: model
            .resolutions()
            .into_iter()
            .filter_map(|r| model.credits_for(r).map(|c| (r.as_str().to_string(), c)))
            .collect(),
        aspect_ratios: model
            .aspect_ratios
            .iter()
            .map(|a| a.as_str().to_string())
            .collect(),
        formats: model
            .formats
            .iter()
            .map(|f| f.as_str().to_string())
            .collect(),
        max_references: model.max_references,
        mask: model.mask,
    }
}

/// A task as pages show it, with signed links to its images. Operator detail
/// (provider error text) never leaves the server.
pub fn task_view(state: &AppState, task: &TaskRecord) -> TaskView {
    let now = domain::now_ms();
    let link = |key| state.storage.signed_path(key, RESULT_LINK_LIFETIME, now);
    let model_label = state
        .config
        .generation
        .catalog
        .get(&task.model_id)
        .map(|m| m.label.clone())
        .unwrap_or_else(|| task.model_id.clone());
    TaskView {
        id: task.id.clone(),
        batch_id: task.batch_id.clone(),
        status: task.status.as_str().to_string(),
        progress: task.progress,
        model_id: task.model_id.clone(),
        model_label,
        prompt: task.params.prompt.clone(),
        cost: task.cost,
        error_code: task
            .error_code
            .clone()
            .filter(|_| task.status.is_terminal()),
        created_at: task.created_at,
        outputs: task
            .outputs
            .iter()
            .map(|o| OutputView {
                id: o.id.clone(),
                url: link(&o.key),
                thumb_url: link(&o.thumb_key),
                width: o.width,
                height: o.height,
                content_type: o.content_type.clone(),
            })
            .collect(),
    }
}

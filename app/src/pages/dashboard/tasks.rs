//! What is being made: the person's queued and running tasks with their progress.

use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::TaskView;
use leptos::prelude::*;

#[component]
pub(super) fn RunningTasks(running: RwSignal<Vec<TaskView>>) -> impl IntoView {
    let locale = use_locale();
    let empty = move || {
        running.with(Vec::is_empty).then(|| {
            view! { <p class="muted dashboard-empty">{t("dashboard-running-empty")}</p> }
        })
    };
    view! {
        <section class="panel dashboard-running" aria-labelledby="dashboard-running-heading">
            <div class="dashboard-panel-head">
                <h2 id="dashboard-running-heading">{t("dashboard-running-heading")}</h2>
                <a href=locale.path("/workbench")>{t("dashboard-to-workbench")}</a>
            </div>
            {empty}
            <ul class="dashboard-tasks" data-testid="dashboard-running" aria-live="polite">
                // Keyed by what changes, so a task that moved on is drawn again.
                <For
                    each=move || running.get()
                    key=|task| (task.id.clone(), task.status.clone(), task.progress)
                    children=|task| view! { <RunningTask task /> }
                />
            </ul>
        </section>
    }
    .into_any()
}

/// The name of a task's state, and the line below it while there is no percentage.
fn state_keys(status: &str) -> (&'static str, &'static str) {
    if status == "running" {
        ("dashboard-task-running", "dashboard-task-working")
    } else {
        ("dashboard-task-queued", "dashboard-task-waiting")
    }
}

#[component]
fn RunningTask(task: TaskView) -> impl IntoView {
    let locale = use_locale();
    let (name, waiting) = state_keys(&task.status);
    let badge = if task.status == "running" {
        "badge warn"
    } else {
        "badge neutral"
    };
    let progress = match (task.status.as_str(), task.progress) {
        ("running", Some(percent)) => view! {
            <div class="task-progress">
                <progress max="100" value=percent aria-label=t("dashboard-task-progress-label")></progress>
                <span>{locale.t_args("dashboard-task-progress", &[("percent", percent.into())])}</span>
            </div>
        }
        .into_any(),
        _ => view! {
            <p class="task-working muted">
                <span class="spinner small" aria-hidden="true"></span>
                {t(waiting)}
            </p>
        }
        .into_any(),
    };
    view! {
        <li class="dashboard-task" data-task-id=task.id.clone() data-status=task.status.clone()>
            <p class="dashboard-task-head">
                <span class=badge>{t(name)}</span>
                <UtcTime ms=task.created_at />
            </p>
            <p class="dashboard-task-prompt" title=task.prompt.clone()>
                {task.prompt.clone()}
            </p>
            {progress}
        </li>
    }
    .into_any()
}

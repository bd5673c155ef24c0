//! The latest results: a thumbnail of each of the latest finished tasks, each leading to
//! the task on the workbench.

use crate::i18n::{t, use_locale};
use crate::model::TaskView;
use leptos::prelude::*;

#[component]
pub(super) fn LatestResults(latest: RwSignal<Vec<TaskView>>) -> impl IntoView {
    let locale = use_locale();
    let empty = move || {
        latest.with(Vec::is_empty).then(|| {
            view! { <p class="muted dashboard-empty">{t("dashboard-latest-empty")}</p> }
        })
    };
    view! {
        <section class="panel dashboard-latest" aria-labelledby="dashboard-latest-heading">
            <div class="dashboard-panel-head">
                <h2 id="dashboard-latest-heading">{t("dashboard-latest-heading")}</h2>
                <a href=locale.path("/workbench")>{t("dashboard-latest-all")}</a>
            </div>
            {empty}
            <ul class="dashboard-results" data-testid="dashboard-results">
                <For
                    each=move || latest.get()
                    key=|task| task.id.clone()
                    children=|task| view! { <ResultThumb task /> }
                />
            </ul>
        </section>
    }
    .into_any()
}

/// One finished task: its first image, leading to the task on the workbench.
#[component]
fn ResultThumb(task: TaskView) -> impl IntoView {
    let locale = use_locale();
    let href = format!("{}#task-{}", locale.path("/workbench"), task.id);
    let image = task.outputs.first().map(|output| {
        view! {
            <img
                class="dashboard-thumb"
                src=output.thumb_url.clone()
                alt=task.prompt.clone()
                width=output.width
                height=output.height
                loading="lazy"
                decoding="async"
            />
        }
    });
    view! {
        <li class="dashboard-result" data-task-id=task.id.clone()>
            <a href=href title=task.prompt.clone()>
                {image}
            </a>
        </li>
    }
    .into_any()
}

//! The person's recent tasks, newest first.

use super::studio::Studio;
use super::task_card::TaskCard;
use crate::i18n::t;
use leptos::prelude::*;

/// The person's tasks, newest first, following the live stream.
#[component]
pub(super) fn TaskList(studio: Studio, csrf: StoredValue<String>) -> impl IntoView {
    let empty = move || {
        studio.tasks.with(Vec::is_empty).then(|| {
            view! { <p class="muted results-empty">{t("workbench-results-empty")}</p> }
        })
    };
    let guest = (!studio.signed_in)
        .then(|| view! { <p class="hint results-guest">{t("workbench-results-guest")}</p> });
    view! {
        <section class="workbench-results" aria-labelledby="results-heading">
            <h2 id="results-heading">{t("workbench-results-heading")}</h2>
            {guest}
            {empty}
            <ol class="task-list" id="task-list">
                <For
                    each=move || studio.tasks.get()
                    key=|task| task.id.clone()
                    children=move |task| view! { <TaskCard studio task csrf /> }
                />
            </ol>
        </section>
    }
    .into_any()
}

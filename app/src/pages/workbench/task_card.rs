//! One task: its state, its results with downloads, and cancelling it.

use super::fields::label;
use super::studio::Studio;
use crate::components::forms::CsrfField;
use crate::components::time::UtcTime;
use crate::i18n::{Locale, t, use_locale};
use crate::model::TaskView;
use leptos::prelude::*;

/// Task statuses with a name of their own (`workbench-status-…`).
pub(super) const STATUSES: &[&str] = &[
    "queued",
    "running",
    "succeeded",
    "failed",
    "cancelled",
    "refused",
];

/// Task error codes with a message of their own (`workbench-task-error-…`).
pub(super) const TASK_ERRORS: &[&str] = &[
    "timeout",
    "provider",
    "refused-prompt",
    "refused-output",
    "refused-upload",
    "unavailable",
];

/// The badge colour of a task status.
fn status_badge(status: &str) -> &'static str {
    match status {
        "succeeded" => "badge ok",
        "running" => "badge warn",
        "failed" | "refused" => "badge bad",
        _ => "badge neutral",
    }
}

/// Why a task made no image, in the page's language.
fn task_error(task: &TaskView) -> Option<String> {
    if !matches!(task.status.as_str(), "failed" | "refused") {
        return None;
    }
    Some(match task.error_code.as_deref() {
        Some(code) if TASK_ERRORS.contains(&code) => t(&format!("workbench-task-error-{code}")),
        _ => t("workbench-task-error-generic"),
    })
}

/// The file name a download suggests.
fn download_name(task_id: &str, number: usize, content_type: &str) -> String {
    let extension = match content_type {
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        _ => "png",
    };
    format!("banana-nano-{task_id}-{number}.{extension}")
}

#[component]
pub(super) fn TaskCard(studio: Studio, task: TaskView, csrf: StoredValue<String>) -> impl IntoView {
    let locale = use_locale();
    let id = task.id.clone();
    let current = {
        let id = id.clone();
        let first = task.clone();
        Memo::new(move |_| {
            studio
                .tasks
                .with(|tasks| tasks.iter().find(|t| t.id == id).cloned())
                .unwrap_or_else(|| first.clone())
        })
    };
    let status = Memo::new(move |_| current.with(|t| t.status.clone()));
    let status_line = move || {
        let status = status.get();
        view! { <span class=status_badge(&status)>{label("workbench-status", STATUSES, &status)}</span> }
    };
    let progress = move || current.with(|task| progress_view(task, locale));
    let error = move || {
        current.with(task_error).map(|message| {
            view! { <p class="task-error">{message}</p> }
        })
    };
    let outputs = move || current.with(|task| outputs_view(task, locale));
    let cancel = cancel_button(studio, locale, id.clone(), status, csrf);
    let cancel_error = {
        let id = id.clone();
        move || {
            studio
                .cancel_errors
                .with(|errors| {
                    errors
                        .iter()
                        .find(|(task, _)| *task == id)
                        .map(|(_, m)| m.clone())
                })
                .map(|message| view! { <p class="task-error" role="alert">{message}</p> })
        }
    };
    let meta = format!(
        "{} · {}",
        studio.model_name(&task.model_id, &task.model_label),
        locale.t_args("workbench-task-cost", &[("credits", task.cost.into())])
    );
    view! {
        <li
            class="task"
            id=format!("task-{id}")
            data-task-id=id.clone()
            data-status=move || status.get()
        >
            <div class="task-head">
                <p class="task-status" id=format!("task-status-{id}") aria-live="polite">
                    {status_line}
                </p>
                <p class="task-meta muted small">
                    {meta} " · " <UtcTime ms=task.created_at />
                </p>
            </div>
            <p class="task-prompt" title=task.prompt.clone()>
                {task.prompt.clone()}
            </p>
            {progress}
            {error}
            {outputs}
            {cancel}
            {cancel_error}
        </li>
    }
    .into_any()
}

/// How far a running task got, or that it is waiting or working.
fn progress_view(task: &TaskView, locale: Locale) -> Option<AnyView> {
    match (task.status.as_str(), task.progress) {
        ("running", Some(percent)) => Some(
            view! {
                <div class="task-progress">
                    <progress max="100" value=percent aria-labelledby=format!("task-status-{}", task.id)></progress>
                    <span>{locale.t_args("workbench-task-progress", &[("percent", percent.into())])}</span>
                </div>
            }
            .into_any(),
        ),
        ("running" | "queued", _) => Some(
            view! {
                <p class="task-working muted">
                    <span class="spinner small" aria-hidden="true"></span>
                    {t("workbench-task-working")}
                </p>
            }
            .into_any(),
        ),
        _ => None,
    }
}

/// The task's images, each opening in a new tab, with a download link.
fn outputs_view(task: &TaskView, locale: Locale) -> Option<AnyView> {
    (!task.outputs.is_empty()).then(|| {
        let items = task
            .outputs
            .iter()
            .enumerate()
            .map(|(index, output)| {
                let number = index + 1;
                let alt = locale.t_args(
                    "workbench-task-result-alt",
                    &[
                        ("number", number.into()),
                        ("width", output.width.into()),
                        ("height", output.height.into()),
                    ],
                );
                view! {
                    <li class="task-output">
                        <a
                            class="result-link"
                            href=output.url.clone()
                            target="_blank"
                            rel="noopener"
                        >
                            <img
                                class="result-thumb"
                                src=output.thumb_url.clone()
                                alt=alt
                                width=output.width
                                height=output.height
                                loading="lazy"
                                decoding="async"
                            />
                            <span class="visually-hidden">{t("workbench-task-new-tab")}</span>
                        </a>
                        <a
                            class="button small result-download"
                            href=output.url.clone()
                            download=download_name(&task.id, number, &output.content_type)
                            aria-label=locale
                                .t_args("workbench-task-download-label", &[("number", number.into())])
                        >
                            {t("workbench-task-download")}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="task-outputs">{items}</ul> }.into_any()
    })
}

/// The cancel button, while the task waits in the queue.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn cancel_button(
    studio: Studio,
    locale: Locale,
    id: String,
    status: Memo<String>,
    csrf: StoredValue<String>,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static {
    let cancel_action = locale.path(&format!("/workbench/tasks/{id}/cancel"));
    move || {
        (status.get() == "queued").then(|| {
            #[cfg(feature = "hydrate")]
            let task_id = id.clone();
            let on_submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                #[cfg(feature = "hydrate")]
                studio.cancel(task_id.clone());
            };
            view! {
                <form
                    class="task-cancel-form"
                    method="post"
                    action=cancel_action.clone()
                    on:submit=on_submit
                >
                    <CsrfField token=csrf.get_value() />
                    <button
                        type="submit"
                        class="button small danger task-cancel"
                        aria-label=t("workbench-task-cancel-label")
                    >
                        {t("workbench-task-cancel")}
                    </button>
                </form>
            }
            .into_any()
        })
    }
}

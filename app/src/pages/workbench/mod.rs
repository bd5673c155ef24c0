//! The workbench: describe a picture, or edit your own with reference images and a painted
//! mask, see what it costs, and watch the results arrive.
//!
//! The page is one form. Without JavaScript it posts everything, files included, to
//! `/workbench` and the server answers with the page again (a refusal comes back as the
//! flash message), which reloads itself while anything is still being made. Once hydrated,
//! images upload as they are added, the submit goes to `/api/generations` as JSON, and the
//! results follow the live task stream (`/api/tasks/events`).

mod fields;
mod form;
mod input;
mod mask;
mod model_picker;
mod references;
mod spending;
mod studio;
mod submit_bar;
mod task_card;
mod task_list;
#[cfg(all(test, feature = "ssr"))]
mod tests;

use crate::api::{load_page_context, load_workbench};
use crate::components::auth_card::query_param;
use crate::components::forms::{FlashMessages, LoadFailed, Loading};
use crate::components::mask_canvas::MaskHistory;
use crate::components::page_meta::PageMeta;
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, WorkbenchData};
use form::{NO_JS_REFRESH, WorkbenchForm};
use leptos::prelude::*;
use studio::{Initial, Studio};
use task_list::TaskList;

#[component]
pub fn WorkbenchPage() -> impl IntoView {
    let ctx = Resource::new(|| (), |_| load_page_context());
    let data = Resource::new(|| (), |_| load_workbench());
    // `/workbench?prompt=…` (the dashboard's prompt box) starts with the prompt filled in;
    // the server and the browser read the same URL, so both render it alike.
    let prompt = query_param("prompt");
    view! {
        <PageMeta
            title=t("workbench-title")
            description=t("workbench-description")
            page="/workbench"
        />
        <Suspense fallback=|| view! { <Loading /> }>
            {move || {
                let prompt = prompt.clone();
                Suspend::new(async move {
                    match (ctx.await, data.await) {
                        (Ok(ctx), Ok(data)) => view! { <Workbench ctx data prompt /> }.into_any(),
                        _ => view! { <LoadFailed /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// The page. `prompt` fills the prompt field when no refused form brings back what was
/// typed.
#[component]
pub(super) fn Workbench(
    ctx: PageContext,
    data: WorkbenchData,
    #[prop(default = None)] prompt: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let hydrated = RwSignal::new(false);
    // Effects run in the browser only: from here on the page is interactive.
    Effect::new(move |_| hydrated.set(true));
    let flash = ctx.flash.clone();
    let initial = Initial::new(&data.models, |name| {
        let typed = flash
            .as_ref()
            .and_then(|f| f.field(name))
            .map(str::to_string);
        typed.or_else(|| prompt.clone().filter(|_| name == "prompt"))
    });
    let studio = Studio::new(&data, &initial, locale, hydrated.into());

    keep_in_step(studio);

    let unfinished = data.tasks.iter().any(|t| !t.is_done());
    let csrf = StoredValue::new(data.csrf_token.clone());
    let body = if data.models.is_empty() {
        view! {
            <div class="alert error" role="alert">
                {t("workbench-no-models")}
            </div>
        }
        .into_any()
    } else {
        view! {
            <WorkbenchForm
                studio
                initial=initial.clone()
                styles=data.styles.clone()
                csrf=data.csrf_token.clone()
            />
        }
        .into_any()
    };
    view! {
        <div class="workbench container">
            <header class="workbench-head">
                <h1>{t("workbench-heading")}</h1>
                <p class="lead muted">{t("workbench-lead")}</p>
            </header>
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            <div class="workbench-grid">
                {body}
                <TaskList studio csrf />
            </div>
            // Without JavaScript the page reloads itself while images are being made; with
            // it, `noscript` is inert and the task stream brings the news instead.
            {unfinished.then(|| view! { <noscript inner_html=NO_JS_REFRESH></noscript> })}
        </div>
    }
    .into_any()
}

/// The page's effects: the live task stream, and what a change of the request resets.
fn keep_in_step(studio: Studio) {
    // The live task stream, open while the page is: the effect keeps it as its value, and
    // dropping that (when the page goes) closes it. A first-time visitor has nothing to
    // stream yet (the server answers 204 and the browser gives up), so the stream is opened
    // again whenever the task list changes and it is closed: after the first submit.
    #[cfg(feature = "hydrate")]
    Effect::new(
        move |events: Option<Option<crate::components::client::TaskEvents>>| {
            studio.tasks.track();
            events
                .flatten()
                .filter(|events| !events.is_closed())
                .or_else(|| {
                    crate::components::client::TaskEvents::open(move |task| studio.receive(task))
                })
        },
    );

    // A mask belongs to the first reference: a different first image starts it afresh.
    Effect::new(move |before: Option<Option<u64>>| {
        let key = studio
            .first_reference
            .with(|f| f.as_ref().map(|(key, _, _)| *key));
        if before.is_some_and(|before| before != key) {
            studio.mask.history.update(MaskHistory::reset);
        }
        key
    });
    // A refusal is about the request as it was: changing the request clears it.
    Effect::new(move |_| {
        studio.cost.track();
        studio.choices.model.track();
        studio.problem.set(None);
    });
}

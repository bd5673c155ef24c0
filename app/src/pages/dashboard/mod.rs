//! /dashboard, where signing in lands: the person's credits and what of them expires soon,
//! the notices that need them, a prompt box that starts on the workbench, what is being
//! made (followed live once hydrated, on the workbench's task stream) and the latest
//! results.

mod balance;
#[cfg(any(feature = "hydrate", test))]
mod live;
mod notices;
mod prompt;
#[cfg(all(test, feature = "ssr"))]
mod render_tests;
mod results;
mod tasks;

use crate::api::load_dashboard;
use crate::components::forms::{CsrfField, FlashMessages, LoadFailed};
use crate::i18n::{t, use_locale};
use crate::model::{DashboardView, PageContext, TaskView, Viewer};
use crate::pages::settings::SignedInPage;
use balance::BalanceCard;
use leptos::prelude::*;
use notices::Notices;
use prompt::PromptBox;
use results::LatestResults;
use tasks::RunningTasks;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_dashboard());
    view! {
        <SignedInPage
            title=t("dashboard-title")
            data
            render=|ctx, viewer, data| view! { <Dashboard ctx viewer data /> }
        />
    }
    .into_any()
}

#[component]
pub(crate) fn Dashboard(
    ctx: PageContext,
    viewer: Viewer,
    data: Option<DashboardView>,
) -> impl IntoView {
    let locale = use_locale();
    let greeting = locale.t_args(
        "dashboard-heading",
        &[("name", viewer.display_name.clone().into())],
    );
    let body = match data {
        Some(data) => view! { <DashboardBody data /> }.into_any(),
        None => view! { <LoadFailed /> }.into_any(),
    };
    view! {
        <div class="dashboard container">
            <header class="dashboard-head">
                <div>
                    <h1>{greeting}</h1>
                    <p class="lead">{t("dashboard-lead")}</p>
                </div>
                <div class="dashboard-account">
                    <a class="button small" href=locale.path("/settings/profile")>
                        {t("dashboard-settings")}
                    </a>
                    <form class="sign-out" method="post" action="/sign-out">
                        <CsrfField token=ctx.csrf.clone() />
                        <button type="submit" class="button small">
                            {t("settings-sign-out")}
                        </button>
                    </form>
                </div>
            </header>
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            {body}
        </div>
    }
    .into_any()
}

#[component]
fn DashboardBody(data: DashboardView) -> impl IntoView {
    let running = RwSignal::new(data.running);
    let latest = RwSignal::new(data.latest);
    follow_live(running, latest);
    view! {
        <Notices notices=data.notices />
        <div class="dashboard-grid">
            <BalanceCard
                balance=data.balance
                expiring_soon=data.expiring_soon
                next_expiry=data.next_expiry
            />
            <PromptBox />
            <RunningTasks running />
            <LatestResults latest />
        </div>
    }
    .into_any()
}

/// In the browser: follows the person's task stream (`/api/tasks/events`, the workbench's)
/// while the page is open; the effect keeps the stream as its value, and dropping it when
/// the page goes closes it. The server renders the tasks as they stood.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn follow_live(running: RwSignal<Vec<TaskView>>, latest: RwSignal<Vec<TaskView>>) {
    #[cfg(feature = "hydrate")]
    Effect::new(
        move |events: Option<Option<crate::components::client::TaskEvents>>| {
            events.flatten().or_else(|| {
                crate::components::client::TaskEvents::open(move |task| {
                    live::receive(running, latest, task)
                })
            })
        },
    );
}

//! One of the person's tickets (`/settings/support/{id}`): the thread and the reply form.
//! Anyone else's ticket is the same 404 as no ticket.

use crate::api::load_support_thread;
use crate::components::billing::set_not_found;
use crate::components::forms::LoadFailed;
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, SupportThreadView, Viewer};
use crate::pages::settings::{SettingsSection, SettingsShell, SignedInPage};
use crate::pages::support::thread::Thread;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SupportThreadPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).unwrap_or_default();
    let thread = Resource::new(id, |id| load_support_thread(id, None));
    view! {
        <SignedInPage
            title=t("support-thread-title")
            data=thread
            render=|ctx, viewer, thread| {
                view! { <SupportThread ctx viewer thread=thread.ok_or(()) /> }
            }
        />
    }
    .into_any()
}

#[component]
pub(crate) fn SupportThread(
    ctx: PageContext,
    viewer: Viewer,
    thread: Result<Option<SupportThreadView>, ()>,
) -> impl IntoView {
    let locale = use_locale();
    let body = match thread {
        Ok(Some(thread)) => {
            let action = locale.path(&format!("/settings/support/{}/reply", thread.id));
            view! { <Thread ctx=ctx.clone() thread reply_action=action /> }.into_any()
        }
        Ok(None) => {
            set_not_found();
            view! {
                <div class="alert error" role="alert">
                    {t("support-error-not-found")}
                </div>
            }
            .into_any()
        }
        Err(()) => view! { <LoadFailed /> }.into_any(),
    };
    view! {
        <SettingsShell
            viewer
            csrf=ctx.csrf.clone()
            section=SettingsSection::SupportThread
            heading=t("support-thread-heading")
        >
            <p>
                <a href=locale.path("/settings/support")>{t("support-thread-back")}</a>
            </p>
            {body}
        </SettingsShell>
    }
    .into_any()
}

//! A visitor's thread, behind the signed link that support's emails carry.

use super::thread::Thread;
use crate::api::{load_page_context, load_support_thread};
use crate::components::forms::{AccountHead, FlashMessages, LoadFailed, Loading};
use crate::i18n::{t, use_locale};
use crate::pages::privacy::requests::{query_param, set_status};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/support/tickets/<id>?token=`: the thread for the holder of its link. Without a valid
/// link, the same 404 as for no ticket at all.
#[component]
pub fn SupportTicketPage() -> impl IntoView {
    let params = use_params_map();
    let token = query_param("token");
    let ctx = Resource::new(|| (), |_| load_page_context());
    let thread = Resource::new(
        {
            let token = token.clone();
            move || {
                (
                    params.with(|p| p.get("id")).unwrap_or_default(),
                    token.clone(),
                )
            }
        },
        |(id, token)| async move {
            match token {
                Some(token) => load_support_thread(id, Some(token)).await,
                None => Ok(None),
            }
        },
    );
    view! {
        <AccountHead title=t("support-thread-title") />
        <div class="container narrow support">
            <Suspense fallback=|| view! { <Loading /> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match (ctx.await, thread.await) {
                            (Ok(ctx), Ok(Some(thread))) => {
                                let locale = use_locale();
                                let action = locale
                                    .path(&format!("/support/tickets/{}/reply", thread.id));
                                view! {
                                    <section class="panel" aria-labelledby="support-thread-heading">
                                        <h1 id="support-thread-heading">
                                            {t("support-thread-heading")}
                                        </h1>
                                        <Thread ctx thread reply_action=action token=token.unwrap_or_default() />
                                    </section>
                                }
                                    .into_any()
                            }
                            (Ok(ctx), Ok(None)) => {
                                view! {
                                    <FlashMessages flash=ctx.flash.clone() forms=&[] />
                                    <TicketNotFound />
                                }
                                    .into_any()
                            }
                            _ => view! { <LoadFailed /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
    .into_any()
}

/// No ticket, or not this visitor's: a real 404.
#[component]
pub(crate) fn TicketNotFound() -> impl IntoView {
    let locale = use_locale();
    set_status(404);
    view! {
        <section class="panel" aria-labelledby="support-thread-heading">
            <h1 id="support-thread-heading">{t("support-thread-heading")}</h1>
            <div class="alert error" role="alert">
                {t("support-error-not-found")}
            </div>
            <p>
                <a href=locale.path("/support")>{t("support-write-again")}</a>
            </p>
        </section>
    }
    .into_any()
}

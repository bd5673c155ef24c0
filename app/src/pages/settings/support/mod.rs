//! /settings/support: the person's support tickets, and each ticket's thread
//! (`/settings/support/{id}`) where they read support's answers and reply.

pub mod thread;

use super::{SettingsSection, SettingsShell, SignedInPage};
use crate::api::load_support_tickets;
use crate::components::forms::{FlashMessages, LoadFailed};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, SupportTicketSummary, Viewer};
use leptos::prelude::*;

#[component]
pub fn SupportTicketsPage() -> impl IntoView {
    let tickets = Resource::new(|| (), |_| load_support_tickets());
    view! {
        <SignedInPage
            title=t("support-settings-title")
            data=tickets
            render=|ctx, viewer, tickets| view! { <SupportTickets ctx viewer tickets /> }
        />
    }
    .into_any()
}

#[component]
pub(crate) fn SupportTickets(
    ctx: PageContext,
    viewer: Viewer,
    tickets: Option<Vec<SupportTicketSummary>>,
) -> impl IntoView {
    let locale = use_locale();
    let body = match tickets {
        Some(tickets) if tickets.is_empty() => {
            view! { <p class="muted">{t("support-settings-empty")}</p> }.into_any()
        }
        Some(tickets) => view! { <TicketList tickets /> }.into_any(),
        None => view! { <LoadFailed /> }.into_any(),
    };
    view! {
        <SettingsShell
            viewer
            csrf=ctx.csrf.clone()
            section=SettingsSection::Support
            heading=t("support-settings-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            <section class="panel" aria-labelledby="support-tickets-heading">
                <h2 id="support-tickets-heading">{t("support-settings-tickets")}</h2>
                {body}
                <p>
                    <a class="button primary" href=locale.path("/support")>
                        {t("support-settings-new")}
                    </a>
                </p>
            </section>
        </SettingsShell>
    }
    .into_any()
}

/// The tickets, most recently active first, each linking to its thread.
#[component]
fn TicketList(tickets: Vec<SupportTicketSummary>) -> impl IntoView {
    let locale = use_locale();
    let rows = tickets
        .into_iter()
        .map(|ticket| {
            let href = locale.path(&format!("/settings/support/{}", ticket.id));
            view! {
                <li class="support-ticket">
                    <a href=href>
                        <strong>{t(&format!("support-topic-{}", ticket.topic))}</strong>
                        " · "
                        {t(&format!("support-status-{}", ticket.status))}
                    </a>
                    <p class="muted">{ticket.preview}</p>
                    <p class="hint">
                        {t("support-updated")} " " <UtcTime ms=ticket.updated_at />
                    </p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="support-tickets">{rows}</ul> }
}

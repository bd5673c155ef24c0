//! Payment disputes (`/admin/disputes`), open ones first, each with the admins' notes and
//! a form to add one.

use crate::api::load_disputes;
use crate::components::billing::{DISPUTE_STATUSES, label, provider_label};
use crate::components::forms::{CsrfField, FlashMessages};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::{DisputeNoteView, DisputeView, PageContext, Viewer};
use crate::pages::settings::{SettingsSection, SettingsShell, SignedInPage};
use leptos::prelude::*;

#[component]
pub fn DisputesPage() -> impl IntoView {
    let disputes = Resource::new(|| (), |_| load_disputes());
    view! {
        <SignedInPage
            title=t("disputes-title")
            data=disputes
            render=|ctx, viewer, disputes| view! { <Disputes ctx viewer disputes=disputes /> }
        />
    }
    .into_any()
}

#[component]
pub(crate) fn Disputes(
    ctx: PageContext,
    viewer: Viewer,
    disputes: Option<Vec<DisputeView>>,
) -> impl IntoView {
    let body = match disputes {
        Some(disputes) if disputes.is_empty() => view! {
            <section class="panel">
                <p class="muted">{t("disputes-empty")}</p>
            </section>
        }
        .into_any(),
        Some(disputes) => disputes
            .into_iter()
            .map(|dispute| view! { <DisputeCard ctx=ctx.clone() dispute /> })
            .collect_view()
            .into_any(),
        // Not an admin, or not past two-step verification in this session.
        None => view! {
            <div class="alert error" role="alert">
                {t("admin-forbidden")}
            </div>
        }
        .into_any(),
    };
    view! {
        <SettingsShell
            viewer
            csrf=ctx.csrf.clone()
            section=SettingsSection::AdminDisputes
            heading=t("disputes-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            <p class="muted">{t("disputes-lead")}</p>
            {body}
        </SettingsShell>
    }
    .into_any()
}

#[component]
fn DisputeCard(ctx: PageContext, dispute: DisputeView) -> impl IntoView {
    let locale = use_locale();
    let heading_id = format!("dispute-{}", dispute.id);
    let body_id = format!("dispute-{}-body", dispute.id);
    let badge = match dispute.status.as_str() {
        "open" => "badge bad",
        "won" => "badge ok",
        _ => "badge neutral",
    };
    let class = if dispute.status == "open" {
        "panel dispute open"
    } else {
        "panel dispute"
    };
    view! {
        <section class=class aria-labelledby=heading_id>
            <h2 id=heading_id.clone()>
                <code>{dispute.order_number.clone()}</code>
                " "
                <span class=badge>{label("disputes-status", DISPUTE_STATUSES, &dispute.status)}</span>
            </h2>
            <DisputeFacts dispute=dispute.clone() />
            <h3>{t("disputes-notes")}</h3>
            <DisputeNotes notes=dispute.notes.clone() />
            <form
                class="stack"
                method="post"
                action=locale.path(&format!("/admin/disputes/{}/notes", dispute.id))
            >
                <CsrfField token=ctx.csrf.clone() />
                <div class="field">
                    <label for=body_id.clone()>{t("disputes-note-label")}</label>
                    <textarea id=body_id name="body" rows="3" maxlength="2000" required></textarea>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button small">
                        {t("disputes-note-submit")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

/// The dispute's amount, reason, provider and dates.
#[component]
fn DisputeFacts(dispute: DisputeView) -> impl IntoView {
    let reason = if dispute.reason.is_empty() {
        t("disputes-reason-unknown")
    } else {
        dispute.reason.clone()
    };
    view! {
        <dl class="receipt-facts">
            <div>
                <dt>{t("billing-order-amount")}</dt>
                <dd>
                    <strong>{dispute.amount.clone()}</strong>
                </dd>
            </div>
            <div>
                <dt>{t("disputes-reason")}</dt>
                <dd>{reason}</dd>
            </div>
            <div>
                <dt>{t("disputes-provider")}</dt>
                <dd>{provider_label(&dispute.provider)}</dd>
            </div>
            <div>
                <dt>{t("disputes-opened")}</dt>
                <dd>
                    <UtcTime ms=dispute.created_at />
                </dd>
            </div>
            {dispute
                .closed_at
                .map(|at| {
                    view! {
                        <div>
                            <dt>{t("disputes-closed")}</dt>
                            <dd>
                                <UtcTime ms=at />
                            </dd>
                        </div>
                    }
                })}
        </dl>
    }
}

/// The admins' notes on a dispute, oldest first.
#[component]
fn DisputeNotes(notes: Vec<DisputeNoteView>) -> impl IntoView {
    if notes.is_empty() {
        return view! { <p class="muted small">{t("disputes-no-notes")}</p> }.into_any();
    }
    view! {
        <ol class="dispute-notes">
            {notes
                .iter()
                .map(|note| {
                    view! {
                        <li>
                            <p class="muted small">
                                {note.author.clone().unwrap_or_else(|| t("disputes-note-system"))}
                                " · "
                                <UtcTime ms=note.created_at />
                            </p>
                            <p class="note-body">{note.body.clone()}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

//! The panels of the admin overview: accounts by role, payments, the audit log.

use super::short_id;
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;

/// A role's name in the interface; an unknown role shows as stored.
fn role_label(role: &str) -> String {
    match role {
        "user" | "support" | "admin" => t(&format!("admin-role-{role}")),
        other => other.to_string(),
    }
}

#[component]
pub(crate) fn AccountsPanel(counts: Vec<(String, i64)>) -> impl IntoView {
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let rows = counts
        .into_iter()
        .map(|(role, count)| {
            view! {
                <tr>
                    <th scope="row">{role_label(&role)}</th>
                    <td class="number">{count}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="accounts-heading">
            <h2 id="accounts-heading">{t("admin-accounts-heading")}</h2>
            <div class="table-scroll">
                <table class="data-table compact">
                    <thead>
                        <tr>
                            <th scope="col">{t("admin-accounts-role")}</th>
                            <th scope="col" class="number">
                                {t("admin-accounts-count")}
                            </th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">{t("admin-accounts-total")}</th>
                            <td class="number">{total}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// Where admins follow payments up.
#[component]
pub(crate) fn PaymentsPanel() -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="panel" aria-labelledby="payments-heading">
            <h2 id="payments-heading">{t("admin-payments-heading")}</h2>
            <p class="muted">{t("admin-payments-lead")}</p>
            <p>
                <a class="button small" href=locale.path("/admin/disputes")>
                    {t("admin-disputes-link")}
                </a>
            </p>
        </section>
    }
    .into_any()
}

#[component]
pub(crate) fn AuditPanel(entries: Vec<crate::model::AuditView>) -> impl IntoView {
    let id_cell = |id: Option<String>| match id {
        Some(id) => view! { <code title=id.clone()>{short_id(&id)}</code> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    };
    let body = if entries.is_empty() {
        view! {
            <tr>
                <td colspan="4" class="muted">
                    {t("admin-audit-empty")}
                </td>
            </tr>
        }
        .into_any()
    } else {
        entries
            .into_iter()
            .map(|entry| {
                view! {
                    <tr>
                        <td class="nowrap">
                            <UtcTime ms=entry.created_at />
                        </td>
                        <td>
                            <code>{entry.action}</code>
                        </td>
                        <td>{id_cell(entry.actor)}</td>
                        <td>{id_cell(entry.subject)}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{t("admin-audit-heading")}</h2>
            <p class="muted">{t("admin-audit-lead")}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label=t("admin-audit-table")>
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{t("admin-audit-time")}</th>
                            <th scope="col">{t("admin-audit-action")}</th>
                            <th scope="col">{t("admin-audit-actor")}</th>
                            <th scope="col">{t("admin-audit-subject")}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

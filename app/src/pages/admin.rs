//! The admin area: an overview (accounts by role, the latest audit entries) and the
//! admin's own two-step verification, which the server requires before any admin page.

use super::settings::{SettingsSection, SettingsShell, SignedInPage, UtcTime};
use crate::api::{load_admin_overview, load_two_factor_setup};
use crate::components::forms::{
    CsrfField, Field, FlashMessages, FormAlert, FormFeedback, LoadFailed,
};
use crate::i18n::{t, use_locale};
use crate::model::{AdminOverview, PageContext, TwoFactorSetup, Viewer};
use leptos::prelude::*;

/// The end of an id: enough to tell entries apart at a glance. UUIDv7 ids begin with
/// their creation time, so it is the end, not the start, that differs.
fn short_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        id.to_string()
    } else {
        let tail: String = chars[chars.len() - 8..].iter().collect();
        format!("…{tail}")
    }
}

/// A role's name in the interface; an unknown role shows as stored.
fn role_label(role: &str) -> String {
    match role {
        "user" | "support" | "admin" => t(&format!("admin-role-{role}")),
        other => other.to_string(),
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_admin_overview());
    view! {
        <SignedInPage
            title=t("admin-title")
            data=overview
            render=|ctx, viewer, overview| view! { <Admin ctx viewer overview=overview /> }
        />
    }
    .into_any()
}

#[component]
fn Admin(ctx: PageContext, viewer: Viewer, overview: Option<AdminOverview>) -> impl IntoView {
    let body = match overview {
        Some(overview) => view! {
            <AccountsPanel counts=overview.accounts_by_role />
            <PaymentsPanel />
            <AuditPanel entries=overview.recent_audit />
        }
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
            section=SettingsSection::Admin
            heading=t("admin-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            {body}
        </SettingsShell>
    }
    .into_any()
}

#[component]
fn AccountsPanel(counts: Vec<(String, i64)>) -> impl IntoView {
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
fn PaymentsPanel() -> impl IntoView {
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
fn AuditPanel(entries: Vec<crate::model::AuditView>) -> impl IntoView {
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

const TWO_FACTOR_SETUP_FORMS: &[&str] = &["two-factor-setup"];

#[component]
pub fn AdminTwoFactorPage() -> impl IntoView {
    let setup = Resource::new(|| (), |_| load_two_factor_setup());
    view! {
        <SignedInPage
            title=t("two-factor-setup-title")
            data=setup
            render=|ctx, viewer, setup| view! { <TwoFactorSetupView ctx viewer setup=setup /> }
        />
    }
    .into_any()
}

#[component]
fn TwoFactorSetupView(
    ctx: PageContext,
    viewer: Viewer,
    setup: Option<TwoFactorSetup>,
) -> impl IntoView {
    // Sent once, right after enrolment, and gone from the session with this page.
    let recovery_codes: Vec<String> = ctx
        .flash
        .as_ref()
        .and_then(|flash| flash.field("recovery_codes"))
        .map(|codes| codes.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let codes = (!recovery_codes.is_empty()).then(|| {
        view! {
            <section class="panel recovery-panel" aria-labelledby="recovery-heading">
                <h2 id="recovery-heading">{t("two-factor-setup-codes-heading")}</h2>
                <p>{t("two-factor-setup-codes-body")}</p>
                <ol class="recovery-codes">
                    {recovery_codes
                        .into_iter()
                        .map(|code| view! { <li><code>{code}</code></li> })
                        .collect_view()}
                </ol>
            </section>
        }
    });
    let body = match setup {
        Some(setup) if setup.enabled => view! { <TwoFactorEnabled setup /> }.into_any(),
        Some(setup) => view! { <TwoFactorEnrol ctx=ctx.clone() setup /> }.into_any(),
        None => view! { <LoadFailed /> }.into_any(),
    };
    view! {
        <SettingsShell
            viewer
            csrf=ctx.csrf.clone()
            section=SettingsSection::AdminTwoFactor
            heading=t("two-factor-setup-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=TWO_FACTOR_SETUP_FORMS />
            {codes}
            {body}
        </SettingsShell>
    }
    .into_any()
}

#[component]
fn TwoFactorEnabled(setup: TwoFactorSetup) -> impl IntoView {
    let locale = use_locale();
    let left = locale.t_args(
        "two-factor-setup-codes-left",
        &[("count", setup.recovery_codes_left.into())],
    );
    view! {
        <section class="panel" aria-labelledby="two-factor-status">
            <h2 id="two-factor-status">{t("two-factor-setup-status-heading")}</h2>
            <p>
                <span class="badge ok">{t("security-two-factor-on")}</span> " "
                {t("two-factor-setup-enabled-body")}
            </p>
            <p class="muted">{left}</p>
            <p>
                <a class="button small" href=locale.path("/admin")>
                    {t("two-factor-setup-to-admin")}
                </a>
            </p>
        </section>
    }
    .into_any()
}

/// Enrolment: scan the QR code (or type the key), then prove it with a code.
#[component]
fn TwoFactorEnrol(ctx: PageContext, setup: TwoFactorSetup) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "two-factor-setup");
    view! {
        <section class="panel" aria-labelledby="enrol-heading">
            <h2 id="enrol-heading">{t("two-factor-setup-enrol-heading")}</h2>
            <p>{t("two-factor-setup-enrol-lead")}</p>
            <ol class="enrol-steps">
                <li>
                    <p>{t("two-factor-setup-step-scan")}</p>
                    // Server-made SVG from the secret: no user input reaches it.
                    <div class="qr" role="img" aria-label=t("two-factor-setup-qr-alt") inner_html=setup.qr_svg></div>
                    <p>
                        {t("two-factor-setup-manual")} " "
                        <code class="secret">{setup.secret}</code>
                    </p>
                    <p class="small">
                        <a href=setup.otpauth_uri>{t("two-factor-setup-open-app")}</a>
                    </p>
                </li>
                <li>
                    <p>{t("two-factor-setup-step-code")}</p>
                    <form class="stack" method="post" action=locale.path("/admin/two-factor")>
                        <CsrfField token=ctx.csrf.clone() />
                        <FormAlert feedback=feedback.clone() />
                        <Field
                            feedback=feedback.clone()
                            name="code"
                            label=t("two-factor-code")
                            inputmode="numeric"
                            autocomplete="one-time-code"
                            required=true
                            hint=t("two-factor-setup-code-hint")
                        />
                        <div class="form-actions">
                            <button type="submit" class="button primary">
                                {t("two-factor-setup-submit")}
                            </button>
                        </div>
                    </form>
                </li>
            </ol>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_shorten_to_their_random_end() {
        assert_eq!(
            short_id("01936a3e-7c2b-7def-8a12-3456789abcde"),
            "…789abcde"
        );
        assert_eq!(short_id("abc"), "abc");
    }
}

#[cfg(all(test, feature = "ssr"))]
mod render_tests {
    use super::*;
    use crate::components::forms::test_support::{check, ctx, error, render, viewer};
    use crate::i18n::Locale;
    use crate::model::AuditView;

    fn admin() -> Viewer {
        let mut admin = viewer();
        admin.role = "admin".into();
        admin
    }

    #[test]
    fn overview_shows_roles_and_audit_entries() {
        let overview = AdminOverview {
            accounts_by_role: vec![("user".into(), 41), ("admin".into(), 1)],
            recent_audit: vec![AuditView {
                action: "session.revoked_all".into(),
                actor: Some("01936a3e-7c2b-7def-8a12-3456789abcde".into()),
                subject: None,
                created_at: 1_700_000_000_000,
            }],
        };
        for locale in Locale::ALL {
            let html = render(locale, || {
                view! { <Admin ctx=ctx(Some(admin()), None) viewer=admin() overview=Some(overview.clone()) /> }
            });
            check(&format!("admin-{}", locale.tag()), &html);
            assert!(html.contains(">42<"), "total");
            assert!(html.contains("session.revoked_all"));
            assert!(html.contains("…789abcde"));
        }
    }

    #[test]
    fn two_factor_enrolment_and_recovery_codes() {
        for locale in Locale::ALL {
            let setup = TwoFactorSetup {
                enabled: false,
                secret: "JBSWY3DPEHPK3PXP".into(),
                qr_svg: r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>"#
                    .into(),
                otpauth_uri: "otpauth://totp/banana%20nano:ada?secret=JBSWY3DPEHPK3PXP".into(),
                recovery_codes_left: 0,
            };
            let context = ctx(
                Some(admin()),
                error("two-factor-setup", "auth-error-totp", &[]),
            );
            let html = render(locale, || {
                view! { <TwoFactorSetupView ctx=context.clone() viewer=admin() setup=Some(setup.clone()) /> }
            });
            check(&format!("admin-two-factor-{}", locale.tag()), &html);
            assert!(html.contains(&format!(r#"action="{}""#, locale.path("/admin/two-factor"))));
            assert!(html.contains("<svg"));
            assert!(html.contains("JBSWY3DPEHPK3PXP"));
            assert!(html.contains(r#"href="otpauth://"#));

            let mut flash = error(
                "two-factor-setup",
                "auth-error-totp",
                &[("recovery_codes", "aaaa-bbbb-cccc dddd-eeee-ffff")],
            )
            .unwrap();
            flash.error = None;
            flash.notice = Some("auth-notice-two-factor-enabled".into());
            let enabled = TwoFactorSetup {
                enabled: true,
                recovery_codes_left: 10,
                ..Default::default()
            };
            let html = render(locale, || {
                view! { <TwoFactorSetupView ctx=ctx(Some(admin()), Some(flash.clone())) viewer=admin() setup=Some(enabled.clone()) /> }
            });
            check(&format!("admin-two-factor-on-{}", locale.tag()), &html);
            assert!(html.contains("<code>aaaa-bbbb-cccc</code>"));
            assert!(html.contains("10"));
            assert!(!html.contains("<form class=\"stack\""));
        }
    }
}

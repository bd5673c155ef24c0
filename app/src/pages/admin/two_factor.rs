//! Two-step verification for admins (`/admin/two-factor`): enrolment with a QR code, or
//! its state and the recovery codes left.

use crate::api::load_two_factor_setup;
use crate::components::forms::{
    CsrfField, Field, FlashMessages, FormAlert, FormFeedback, LoadFailed,
};
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, TwoFactorSetup, Viewer};
use crate::pages::settings::{SettingsSection, SettingsShell, SignedInPage};
use leptos::prelude::*;

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
pub(crate) fn TwoFactorSetupView(
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

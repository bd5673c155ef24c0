//! The signed-in devices, each with a form to sign it out.

use crate::components::forms::{CsrfField, FormAlert, FormFeedback};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::{DeviceView, PageContext};
use leptos::prelude::*;

#[component]
pub(crate) fn DevicesPanel(ctx: PageContext, devices: Vec<DeviceView>) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "devices");
    let csrf = ctx.csrf.clone();
    let rows = devices
        .into_iter()
        .map(|device| view! { <DeviceRow csrf=csrf.clone() device /> })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="devices-heading">
            <h2 id="devices-heading">{t("security-devices-heading")}</h2>
            <p class="muted">{t("security-devices-lead")}</p>
            <FormAlert feedback=feedback />
            <div class="table-scroll" tabindex="0" role="region" aria-label=t("security-devices-table")>
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{t("security-device-browser")}</th>
                            <th scope="col">{t("security-device-os")}</th>
                            <th scope="col">{t("security-device-location")}</th>
                            <th scope="col">{t("security-device-signed-in")}</th>
                            <th scope="col">{t("security-device-last-active")}</th>
                            <th scope="col">
                                <span class="visually-hidden">{t("security-device-status")}</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <form
                class="stack inline-form"
                method="post"
                action=locale.path("/settings/security/sign-out-everywhere")
            >
                <CsrfField token=ctx.csrf.clone() />
                <p class="hint" id="sign-out-everywhere-hint">
                    {t("security-sign-out-everywhere-hint")}
                </p>
                <div class="form-actions">
                    <button
                        type="submit"
                        class="button danger"
                        aria-describedby="sign-out-everywhere-hint"
                    >
                        {t("security-sign-out-everywhere")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

/// One signed-in device: what and where it is, when it signed in and was last seen, and a
/// form to sign it out (not for this device).
#[component]
fn DeviceRow(csrf: String, device: DeviceView) -> impl IntoView {
    let locale = use_locale();
    let revoke_action = locale.path("/settings/security/devices/revoke");
    let what = locale.t_args(
        "security-device-name",
        &[
            ("browser", device.browser.clone().into()),
            ("os", device.os.clone().into()),
        ],
    );
    let location = if device.location.is_empty() {
        t("security-location-unknown")
    } else {
        device.location.clone()
    };
    let action = if device.current {
        view! { <span class="badge ok">{t("security-this-device")}</span> }.into_any()
    } else {
        view! {
            <form method="post" action=revoke_action>
                <CsrfField token=csrf />
                <input type="hidden" name="handle" value=device.handle.clone() />
                <button type="submit" class="button small">
                    {t("security-revoke")}
                    <span class="visually-hidden">" " {what}</span>
                </button>
            </form>
        }
        .into_any()
    };
    view! {
        <tr class=device.current.then_some("current")>
            <td>{device.browser}</td>
            <td>{device.os}</td>
            <td>{location}</td>
            <td>
                <UtcTime ms=device.signed_in_at />
            </td>
            <td>
                <UtcTime ms=device.last_seen_at />
            </td>
            <td class="actions">{action}</td>
        </tr>
    }
}

//! The consent banner: on a first visit it asks whether analytics and marketing cookies may
//! be used. "Reject all" and "Accept all" look the same and sit side by side; "Customize"
//! opens a choice per category. It is a plain form, so it works without JavaScript, and it
//! is not shown to a browser that sends the Global Privacy Control signal (that is a
//! refusal already).

use crate::api::load_policy_notice;
use crate::i18n::{t, use_locale};
use crate::model::{ConsentView, PolicyNoticeView};
use leptos::prelude::*;
use leptos::server::SharedValue;
use leptos_router::hooks::use_location;

#[component]
pub fn ConsentBanner() -> impl IntoView {
    // Decided on the server from the request (no I/O) and carried to the browser with the
    // page, so the banner is in the first HTML — it works without JavaScript — and hydrates
    // as it was rendered.
    let consent = SharedValue::new(current_consent).into_inner();
    let notice = Resource::new(|| (), |_| load_policy_notice());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                notice.await.ok().flatten().map(|notice| view! { <PolicyNotice notice /> })
            })}
        </Suspense>
        {consent.undecided.then(|| view! { <BannerForm /> })}
    }
}

/// The consent decision of the request being rendered (see the server's consent
/// middleware); in the browser outside hydration nothing is undecided any more.
fn current_consent() -> ConsentView {
    #[cfg(feature = "ssr")]
    {
        crate::api::consent_of_request()
    }
    #[cfg(not(feature = "ssr"))]
    {
        ConsentView::default()
    }
}

/// Tells a signed-in person about a material change to a legal document, until dismissed.
#[component]
fn PolicyNotice(notice: PolicyNoticeView) -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    let doc_path = match notice.doc.as_str() {
        "subprocessors" => "/legal/subprocessors".to_string(),
        doc => format!("/{doc}"),
    };
    let date = crate::format::format_utc(notice.effective_at)
        .chars()
        .take(10)
        .collect::<String>();
    let text = {
        use fluent_templates::fluent_bundle::FluentValue;
        locale.t_args(
            "policy-notice-body",
            &[
                ("doc", FluentValue::from(notice.doc.clone())),
                ("date", FluentValue::from(date)),
            ],
        )
    };
    view! {
        <section class="policy-notice" role="status" data-testid="policy-notice">
            <form class="container policy-notice-row" method="post" action="/policy-notice/dismiss">
                <input type="hidden" name="key" value=notice.key.clone() />
                <input type="hidden" name="to" value=move || location.pathname.get() />
                <p>
                    {text} " " <a href=locale.path(&doc_path)>{t("policy-notice-read")}</a>
                </p>
                <button type="submit" class="button small">{t("policy-notice-dismiss")}</button>
            </form>
        </section>
    }
}

#[component]
fn BannerForm() -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    let back = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), search)
        }
    };
    view! {
        <section
            class="consent-banner"
            aria-labelledby="consent-title"
            data-testid="consent-banner"
        >
            <form class="consent-form container" method="post" action="/consent">
                <input type="hidden" name="to" value=back />
                <input type="hidden" name="source" value="banner" />
                <div class="consent-text">
                    <h2 id="consent-title">{t("consent-title")}</h2>
                    // The full explanation where there is room; on phones a shorter one, so
                    // the banner takes at most a quarter of the first screen.
                    <p>
                        <span class="consent-long">{t("consent-body")}</span>
                        <span class="consent-short">{t("consent-body-short")}</span>
                        " "
                        <a href=locale.path("/cookies")>{t("consent-cookie-policy")}</a>
                    </p>
                </div>
                <div class="consent-actions">
                    <button type="submit" name="choice" value="reject" class="button consent-choice">
                        {t("consent-reject-all")}
                    </button>
                    <button type="submit" name="choice" value="accept" class="button consent-choice">
                        {t("consent-accept-all")}
                    </button>
                </div>
                <details class="consent-customize">
                    <summary>{t("consent-customize")}</summary>
                    <ConsentCategories analytics=false marketing=false />
                    <button type="submit" name="choice" value="custom" class="button small">
                        {t("consent-save")}
                    </button>
                </details>
            </form>
        </section>
    }
}

/// A checkbox per category that needs consent, with the essential one shown as always on.
#[component]
pub fn ConsentCategories(analytics: bool, marketing: bool) -> impl IntoView {
    view! {
        <fieldset class="consent-categories">
            <legend>{t("consent-categories")}</legend>
            <label class="check">
                <input type="checkbox" checked=true disabled=true />
                <span>
                    <strong>{t("consent-essential")}</strong>
                    " — "
                    {t("consent-essential-hint")}
                </span>
            </label>
            <label class="check">
                <input type="checkbox" name="analytics" value="on" checked=analytics />
                <span>
                    <strong>{t("consent-analytics")}</strong>
                    " — "
                    {t("consent-analytics-hint")}
                </span>
            </label>
            <label class="check">
                <input type="checkbox" name="marketing" value="on" checked=marketing />
                <span>
                    <strong>{t("consent-marketing")}</strong>
                    " — "
                    {t("consent-marketing-hint")}
                </span>
            </label>
        </fieldset>
    }
}

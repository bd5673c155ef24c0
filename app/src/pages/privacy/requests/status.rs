//! A request's status page, for the holder of its status link or its signed-in owner.

use super::{paragraphs, query_param, set_status};
use crate::api::{PrivacyRequestView, load_page_context, load_privacy_request};
use crate::components::forms::{AccountHead, FlashMessages, LoadFailed, Loading};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/privacy/requests/<id>?token=`: where a request stands, for the holder of its status
/// link or its signed-in owner. Anyone else gets the same 404 as for no request at all.
#[component]
pub fn PrivacyRequestStatusPage() -> impl IntoView {
    let params = use_params_map();
    let token = query_param("token");
    let ctx = Resource::new(|| (), |_| load_page_context());
    let request = Resource::new(
        move || {
            (
                params.with(|p| p.get("id")).unwrap_or_default(),
                token.clone(),
            )
        },
        |(id, token)| load_privacy_request(id, token),
    );
    view! {
        <AccountHead title=t("privacy-request-title") />
        <div class="container narrow privacy-request">
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match (ctx.await, request.await) {
                        (Ok(ctx), Ok(Some(request))) => {
                            view! {
                                <FlashMessages flash=ctx.flash.clone() forms=&[] />
                                <RequestStatus request />
                            }
                                .into_any()
                        }
                        (Ok(ctx), Ok(None)) => {
                            view! {
                                <FlashMessages flash=ctx.flash.clone() forms=&[] />
                                <RequestNotFound />
                            }
                                .into_any()
                        }
                        _ => view! { <LoadFailed /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
    .into_any()
}

#[component]
fn RequestNotFound() -> impl IntoView {
    let locale = use_locale();
    set_status(404);
    view! {
        <section class="panel" aria-labelledby="privacy-request-heading">
            <h1 id="privacy-request-heading">{t("privacy-request-heading")}</h1>
            <div class="alert error" role="alert">
                {t("privacy-request-not-found")}
            </div>
            <p>
                <a href=locale.path("/privacy/requests")>{t("privacy-requests-new")}</a>
            </p>
        </section>
    }
    .into_any()
}

#[component]
pub(crate) fn RequestStatus(request: PrivacyRequestView) -> impl IntoView {
    let fact = |label: &'static str, ms: Option<i64>| {
        ms.map(|ms| {
            view! {
                <div>
                    <dt>{t(label)}</dt>
                    <dd>
                        <UtcTime ms />
                    </dd>
                </div>
            }
        })
    };
    let waiting = (request.status == "unverified").then(|| {
        view! {
            <div class="alert info" role="status">
                {t("privacy-request-unverified-hint")}
            </div>
        }
    });
    let extension = request.extension_reason.as_deref().map(|reason| {
        view! {
            <section class="panel" aria-labelledby="privacy-request-extension">
                <h2 id="privacy-request-extension">{t("privacy-request-extension-heading")}</h2>
                {paragraphs(reason)}
            </section>
        }
    });
    let refused = request.status == "refused";
    let resolution = request.resolution.as_deref().map(|resolution| {
        let heading = if refused {
            "privacy-request-resolution-refused"
        } else {
            "privacy-request-resolution-completed"
        };
        view! {
            <section class="panel" aria-labelledby="privacy-request-resolution">
                <h2 id="privacy-request-resolution">{t(heading)}</h2>
                {paragraphs(resolution)}
                {refused.then(|| view! { <p class="hint">{t("privacy-request-complaint")}</p> })}
            </section>
        }
    });
    let details = (!request.details.trim().is_empty()).then(|| {
        view! {
            <section class="panel" aria-labelledby="privacy-request-details">
                <h2 id="privacy-request-details">{t("privacy-request-details")}</h2>
                {paragraphs(&request.details)}
            </section>
        }
    });
    view! {
        <section class="panel" aria-labelledby="privacy-request-heading">
            <h1 id="privacy-request-heading">{t("privacy-request-heading")}</h1>
            {waiting}
            <dl class="receipt-facts">
                <div>
                    <dt>{t("privacy-request-kind")}</dt>
                    <dd>{t(&format!("privacy-request-kind-{}", request.kind))}</dd>
                </div>
                <div>
                    <dt>{t("privacy-request-status")}</dt>
                    <dd>{t(&format!("privacy-request-status-{}", request.status))}</dd>
                </div>
                {fact("privacy-request-sent", Some(request.created_at))}
                {fact("privacy-request-confirmed", request.verified_at)}
                {fact("privacy-request-due", request.due_at.filter(|_| request.closed_at.is_none()))}
                {fact("privacy-request-extended-on", request.extended_at)}
                {fact("privacy-request-closed", request.closed_at)}
            </dl>
            <p class="hint">{t("privacy-request-keep-link")}</p>
        </section>
        {resolution}
        {extension}
        {details}
    }
    .into_any()
}

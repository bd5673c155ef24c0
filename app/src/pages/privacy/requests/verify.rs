//! The confirmation link's page: what the request is, and the button that confirms it.

use super::{VERIFY_FORM, VERIFY_FORMS, query_param, set_status};
use crate::api::{RequestLinkView, load_page_context, load_privacy_request_link};
use crate::components::forms::{
    AccountHead, CsrfField, FlashMessages, FormAlert, FormFeedback, LoadFailed, Loading,
};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::PageContext;
use leptos::prelude::*;

/// `/privacy/requests/verify?token=`: what the emailed link is for, and the button that
/// confirms it. Opening the link confirms nothing: mail scanners open links too, and must
/// not confirm a request in someone's name.
#[component]
pub fn VerifyPrivacyRequestPage() -> impl IntoView {
    let token = query_param("token");
    let ctx = Resource::new(|| (), |_| load_page_context());
    let link = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        |token| async move {
            match token {
                Some(token) => load_privacy_request_link(token).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <AccountHead title=t("privacy-requests-verify-title") />
        <Suspense fallback=|| view! { <Loading /> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match (ctx.await, link.await) {
                        (Ok(ctx), Ok(link)) => {
                            view! { <VerifyRequest ctx link token /> }.into_any()
                        }
                        _ => view! { <LoadFailed /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
pub(crate) fn VerifyRequest(
    ctx: PageContext,
    link: Option<RequestLinkView>,
    token: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let new_request = view! {
        <p class="auth-switch">
            <a href=locale.path("/privacy/requests")>{t("privacy-requests-new")}</a>
        </p>
    };
    let body = match (link, token) {
        (
            Some(RequestLinkView::Request {
                id,
                kind,
                created_at,
                verified,
            }),
            Some(token),
        ) => {
            let status = format!(
                "{}?token={token}",
                locale.path(&format!("/privacy/requests/{id}"))
            );
            if verified {
                view! {
                    <FlashMessages flash=ctx.flash.clone() forms=&[] />
                    <p>{t("privacy-requests-verify-done")}</p>
                    <p>
                        <a class="button primary block" href=status>
                            {t("privacy-requests-verify-view")}
                        </a>
                    </p>
                }
                .into_any()
            } else {
                view! { <ConfirmRequest ctx=ctx.clone() kind created_at token /> }.into_any()
            }
        }
        (Some(RequestLinkView::Refused { key }), _) => {
            set_status(410);
            view! {
                <FlashMessages flash=ctx.flash.clone() forms=VERIFY_FORMS />
                <div class="alert error" role="alert">
                    {t(&key)}
                </div>
                {new_request}
            }
            .into_any()
        }
        _ => view! {
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            <p>{t("privacy-requests-verify-no-token")}</p>
            {new_request}
        }
        .into_any(),
    };
    view! {
        <div class="auth-page">
            <section class="auth-card" aria-labelledby="verify-request-heading">
                <h1 id="verify-request-heading">{t("privacy-requests-verify-heading")}</h1>
                {body}
            </section>
        </div>
    }
    .into_any()
}

/// A request not confirmed yet: what it is, and the button that confirms it.
#[component]
fn ConfirmRequest(ctx: PageContext, kind: String, created_at: i64, token: String) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, VERIFY_FORM);
    view! {
        <FlashMessages flash=ctx.flash.clone() forms=VERIFY_FORMS />
        <p class="lead">{t("privacy-requests-verify-lead")}</p>
        <dl class="receipt-facts">
            <div>
                <dt>{t("privacy-request-kind")}</dt>
                <dd>{t(&format!("privacy-request-kind-{kind}"))}</dd>
            </div>
            <div>
                <dt>{t("privacy-request-sent")}</dt>
                <dd>
                    <UtcTime ms=created_at />
                </dd>
            </div>
        </dl>
        <form
            class="stack"
            method="post"
            action=locale.path("/privacy/requests/verify")
        >
            <CsrfField token=ctx.csrf.clone() />
            <input type="hidden" name="token" value=token />
            <FormAlert feedback />
            <button type="submit" class="button primary block">
                {t("privacy-requests-verify-submit")}
            </button>
        </form>
        <p class="form-aside">{t("privacy-requests-verify-not-you")}</p>
    }
}

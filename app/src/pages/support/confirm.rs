//! The confirmation link's page: what the ticket is, and the button that confirms it.

use super::{CONFIRM_FORM, CONFIRM_FORMS};
use crate::api::{load_page_context, load_support_link};
use crate::components::forms::{
    AccountHead, CsrfField, FlashMessages, FormAlert, FormFeedback, LoadFailed, Loading,
};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, SupportLinkView};
use crate::pages::privacy::requests::{query_param, set_status};
use leptos::prelude::*;

/// `/support/confirm?token=`: what the emailed link is for, and the button that confirms
/// it. Opening the link confirms nothing: mail scanners open links too.
#[component]
pub fn SupportConfirmPage() -> impl IntoView {
    let token = query_param("token");
    let ctx = Resource::new(|| (), |_| load_page_context());
    let link = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        |token| async move {
            match token {
                Some(token) => load_support_link(token).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <AccountHead title=t("support-confirm-title") />
        <Suspense fallback=|| view! { <Loading /> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match (ctx.await, link.await) {
                        (Ok(ctx), Ok(link)) => {
                            view! { <ConfirmTicket ctx link token /> }.into_any()
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
pub(crate) fn ConfirmTicket(
    ctx: PageContext,
    link: Option<SupportLinkView>,
    token: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let write_again = view! {
        <p class="auth-switch">
            <a href=locale.path("/support")>{t("support-write-again")}</a>
        </p>
    };
    let body = match (link, token) {
        (
            Some(SupportLinkView::Ticket {
                topic,
                created_at,
                confirmed,
            }),
            Some(token),
        ) => {
            if confirmed {
                view! {
                    <FlashMessages flash=ctx.flash.clone() forms=&[] />
                    <p>{t("support-confirm-done")}</p>
                }
                .into_any()
            } else {
                view! { <ConfirmButton ctx=ctx.clone() topic created_at token /> }.into_any()
            }
        }
        (Some(SupportLinkView::Refused { key }), _) => {
            set_status(410);
            view! {
                <FlashMessages flash=ctx.flash.clone() forms=CONFIRM_FORMS />
                <div class="alert error" role="alert">
                    {t(&key)}
                </div>
                {write_again}
            }
            .into_any()
        }
        _ => view! {
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            <p>{t("support-confirm-no-token")}</p>
            {write_again}
        }
        .into_any(),
    };
    view! {
        <div class="auth-page">
            <section class="auth-card" aria-labelledby="support-confirm-heading">
                <h1 id="support-confirm-heading">{t("support-confirm-heading")}</h1>
                {body}
            </section>
        </div>
    }
    .into_any()
}

/// A ticket not confirmed yet: what it is, and the button that confirms it.
#[component]
fn ConfirmButton(ctx: PageContext, topic: String, created_at: i64, token: String) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, CONFIRM_FORM);
    view! {
        <FlashMessages flash=ctx.flash.clone() forms=CONFIRM_FORMS />
        <p class="lead">{t("support-confirm-lead")}</p>
        <dl class="receipt-facts">
            <div>
                <dt>{t("support-topic")}</dt>
                <dd>{t(&format!("support-topic-{topic}"))}</dd>
            </div>
            <div>
                <dt>{t("support-sent")}</dt>
                <dd>
                    <UtcTime ms=created_at />
                </dd>
            </div>
        </dl>
        <form class="stack" method="post" action=locale.path("/support/confirm")>
            <CsrfField token=ctx.csrf.clone() />
            <input type="hidden" name="token" value=token />
            <FormAlert feedback />
            <button type="submit" class="button primary block">
                {t("support-confirm-submit")}
            </button>
        </form>
    }
}

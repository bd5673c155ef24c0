//! A ticket's thread as its person sees it, with the reply form: shown in the settings
//! (signed in) and behind the thread's signed link (visitors).

use super::{REPLY_FORM, REPLY_FORMS, SCREENSHOT_TYPES, form::MessageField};
use crate::components::forms::{CsrfField, Field, FlashMessages, FormAlert, FormFeedback};
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, SupportMessageView, SupportThreadView};
use crate::pages::privacy::requests::paragraphs;
use leptos::prelude::*;

/// The facts of a ticket, its messages oldest first, and the reply form (posting to
/// `reply_action`, with the link's `token` for visitors) while it is not closed.
#[component]
pub fn Thread(
    ctx: PageContext,
    thread: SupportThreadView,
    reply_action: String,
    #[prop(optional)] token: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let closed = thread.status == "closed";
    let privacy = (thread.topic == "privacy").then(|| {
        view! {
            <div class="alert info" role="note">
                {t("support-privacy-body")} " "
                <a href=locale.path("/privacy/requests")>{t("support-privacy-link")}</a>
            </div>
        }
    });
    let messages = thread
        .messages
        .into_iter()
        .map(|message| view! { <Message message /> })
        .collect_view();
    let reply = if closed {
        view! { <p class="hint">{t("support-thread-closed")}</p> }.into_any()
    } else {
        view! { <ReplyForm ctx=ctx.clone() action=reply_action token /> }.into_any()
    };
    view! {
        <FlashMessages flash=ctx.flash.clone() forms=REPLY_FORMS />
        <dl class="receipt-facts">
            <div>
                <dt>{t("support-topic")}</dt>
                <dd>{t(&format!("support-topic-{}", thread.topic))}</dd>
            </div>
            <div>
                <dt>{t("support-status")}</dt>
                <dd>{t(&format!("support-status-{}", thread.status))}</dd>
            </div>
            <div>
                <dt>{t("support-sent")}</dt>
                <dd>
                    <UtcTime ms=thread.created_at />
                </dd>
            </div>
        </dl>
        {privacy}
        <ol class="support-thread">{messages}</ol>
        {reply}
    }
    .into_any()
}

/// One message: who wrote it, when, the text, and its screenshots.
#[component]
fn Message(message: SupportMessageView) -> impl IntoView {
    let author = if message.author == "staff" {
        "support-author-staff"
    } else {
        "support-author-you"
    };
    let screenshots = message
        .screenshots
        .into_iter()
        .map(|shot| {
            let href = shot.url.clone();
            view! {
                <a href=href>
                    <img
                        src=shot.url
                        width=shot.width.min(480)
                        alt=t("support-screenshot-alt")
                        loading="lazy"
                    />
                </a>
            }
        })
        .collect_view();
    view! {
        <li class=format!("panel support-message {}", message.author)>
            <p class="muted">
                <strong>{t(author)}</strong>
                " · "
                <UtcTime ms=message.created_at />
            </p>
            {paragraphs(&message.body)}
            {screenshots}
        </li>
    }
}

/// The person's answer in their thread.
#[component]
fn ReplyForm(ctx: PageContext, action: String, token: Option<String>) -> impl IntoView {
    let feedback = FormFeedback::new(&ctx, REPLY_FORM);
    view! {
        <section class="panel" aria-labelledby="support-reply-heading">
            <h2 id="support-reply-heading">{t("support-reply-heading")}</h2>
            <form class="stack" method="post" action=action enctype="multipart/form-data">
                <CsrfField token=ctx.csrf.clone() />
                {token.map(|token| view! { <input type="hidden" name="token" value=token /> })}
                <FormAlert feedback=feedback.clone() />
                <MessageField feedback=feedback.clone() name="message" label=t("support-reply-message") />
                <Field
                    feedback=feedback.clone()
                    name="screenshot"
                    label=t("support-screenshot")
                    kind="file"
                    accept=SCREENSHOT_TYPES
                    optional=true
                />
                <button type="submit" class="button primary">
                    {t("support-reply-submit")}
                </button>
            </form>
        </section>
    }
}

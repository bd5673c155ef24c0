//! The support form: the topic, who is writing, the message and an optional screenshot.

use super::{FORM, FORMS, MAX_MESSAGE, SCREENSHOT_TYPES, TOPICS};
use crate::components::forms::{
    CsrfField, DevMailHint, Field, FlashMessages, FormAlert, FormFeedback, Turnstile,
};
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, Viewer};
use leptos::prelude::*;

#[component]
pub(crate) fn SupportForm(ctx: PageContext, topic: Option<String>) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, FORM);
    let selected = feedback.value("topic").or(topic).unwrap_or_default();
    let signed_in = ctx.viewer.is_some();
    let lead = if signed_in {
        "support-lead-signed-in"
    } else {
        "support-lead-visitor"
    };
    let own_tickets = signed_in.then(|| {
        view! {
            <p>
                <a href=locale.path("/settings/support")>{t("support-your-tickets")}</a>
            </p>
        }
    });
    view! {
        <section class="panel" aria-labelledby="support-heading">
            <h1 id="support-heading">{t("support-heading")}</h1>
            <p class="lead">{t(lead)}</p>
            {own_tickets}
            <FlashMessages flash=ctx.flash.clone() forms=FORMS />
            <form
                class="stack"
                method="post"
                action=locale.path("/support")
                enctype="multipart/form-data"
            >
                <CsrfField token=ctx.csrf.clone() />
                <FormAlert feedback=feedback.clone() />
                <TopicField feedback=feedback.clone() selected />
                <EmailField feedback=feedback.clone() viewer=ctx.viewer.clone() />
                <MessageField feedback=feedback.clone() name="message" label=t("support-message") />
                <Field
                    feedback=feedback.clone()
                    name="screenshot"
                    label=t("support-screenshot")
                    kind="file"
                    accept=SCREENSHOT_TYPES
                    optional=true
                    hint=t("support-screenshot-hint")
                />
                <Turnstile
                    site_key=ctx.turnstile_site_key.clone().filter(|_| !signed_in)
                    action="support"
                />
                <button type="submit" class="button primary">
                    {t("support-submit")}
                </button>
            </form>
            <DevMailHint show=ctx.dev_mail && !signed_in />
        </section>
        <PrivacyAside />
    }
    .into_any()
}

/// Privacy requests have their own form, with legal deadlines: offered beside this one.
#[component]
pub(crate) fn PrivacyAside() -> impl IntoView {
    let locale = use_locale();
    view! {
        <aside class="panel" aria-labelledby="support-privacy-heading">
            <h2 id="support-privacy-heading">{t("support-privacy-heading")}</h2>
            <p>{t("support-privacy-body")}</p>
            <p>
                <a class="button" href=locale.path("/privacy/requests")>
                    {t("support-privacy-link")}
                </a>
            </p>
        </aside>
    }
}

/// What the ticket is about.
#[component]
fn TopicField(feedback: FormFeedback, selected: String) -> impl IntoView {
    let invalid = feedback.invalid("topic");
    let options = TOPICS
        .into_iter()
        .map(|topic| {
            view! {
                <option value=topic selected=topic == selected>
                    {t(&format!("support-topic-{topic}"))}
                </option>
            }
        })
        .collect_view();
    let id = feedback.input_id("topic");
    let hint = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id.clone()>{t("support-topic")}</label>
            <select
                id=id
                name="topic"
                required=true
                aria-invalid=invalid.then_some("true")
                aria-describedby=if invalid {
                    format!("{} {hint}", feedback.error_id())
                } else {
                    hint.clone()
                }
            >
                <option value="" disabled=true selected=selected.is_empty()>
                    {t("support-topic-choose")}
                </option>
                {options}
            </select>
            <p class="hint" id=hint>
                {t("support-topic-hint")}
            </p>
        </div>
    }
}

/// Where the answer goes: the account's address when signed in, otherwise the one typed
/// (confirmed by a link mailed to it).
#[component]
fn EmailField(feedback: FormFeedback, viewer: Option<Viewer>) -> impl IntoView {
    match viewer {
        Some(viewer) => {
            let id = feedback.input_id("email");
            let hint = format!("{id}-hint");
            view! {
                <div class="field">
                    <label for=id.clone()>{t("form-email")}</label>
                    <input
                        id=id
                        type="email"
                        value=viewer.email
                        readonly=true
                        aria-describedby=hint.clone()
                    />
                    <p class="hint" id=hint>
                        {t("support-email-signed-in-hint")}
                    </p>
                </div>
            }
            .into_any()
        }
        None => view! {
            <Field
                feedback=feedback.clone()
                name="email"
                label=t("form-email")
                kind="email"
                autocomplete="email"
                required=true
                value=feedback.value_or("email", "")
                hint=t("support-email-hint")
            />
        }
        .into_any(),
    }
}

/// The message, in the person's words (the support form and a thread's reply).
#[component]
pub(crate) fn MessageField(
    feedback: FormFeedback,
    name: &'static str,
    label: String,
) -> impl IntoView {
    let id = feedback.input_id(name);
    let invalid = feedback.invalid(name);
    let text = feedback.value_or(name, "");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                name=name
                rows="6"
                required=true
                maxlength=MAX_MESSAGE
                aria-invalid=invalid.then_some("true")
                aria-describedby=invalid.then(|| feedback.error_id())
            >
                {text}
            </textarea>
        </div>
    }
}

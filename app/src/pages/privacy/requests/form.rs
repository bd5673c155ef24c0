//! The request form: which right, who is asking, the details.

use super::{FORM, FORMS, KINDS, MAX_DETAILS};
use crate::components::forms::{
    CsrfField, DevMailHint, Field, FlashMessages, FormAlert, FormFeedback, Turnstile,
};
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, Viewer};
use leptos::prelude::*;

#[component]
pub(crate) fn RequestForm(ctx: PageContext, kind: Option<String>) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, FORM);
    let error = ctx
        .flash
        .as_ref()
        .and_then(|flash| flash.error_for(FORM))
        .map(str::to_owned);
    let error_about = |keys: &[&str]| error.as_deref().is_some_and(|key| keys.contains(&key));
    let kind_invalid = error_about(&["privacy-requests-error-kind"]);
    let details_invalid = error_about(&[
        "privacy-requests-error-details-missing",
        "privacy-requests-error-details-long",
    ]);
    let selected = feedback.value("kind").or(kind).unwrap_or_default();
    let signed_in = ctx.viewer.is_some();
    let self_service = signed_in.then(|| {
        view! {
            <p>
                {t("privacy-requests-self-service")} " "
                <a href=locale.path("/settings/privacy")>
                    {t("privacy-requests-self-service-link")}
                </a>
            </p>
        }
    });
    view! {
        <section class="panel" aria-labelledby="privacy-requests-heading">
            <h1 id="privacy-requests-heading">{t("privacy-requests-heading")}</h1>
            <p class="lead">{t("privacy-requests-lead")}</p>
            {self_service}
            <FlashMessages flash=ctx.flash.clone() forms=FORMS />
            <form class="stack" method="post" action=locale.path("/privacy/requests")>
                <CsrfField token=ctx.csrf.clone() />
                <FormAlert feedback=feedback.clone() />
                <KindField feedback=feedback.clone() selected invalid=kind_invalid />
                <EmailField feedback=feedback.clone() viewer=ctx.viewer.clone() />
                <DetailsField feedback=feedback.clone() invalid=details_invalid />
                <Turnstile
                    site_key=ctx.turnstile_site_key.clone().filter(|_| !signed_in)
                    action="privacy-request"
                />
                <button type="submit" class="button primary">
                    {t("privacy-requests-submit")}
                </button>
            </form>
            <DevMailHint show=ctx.dev_mail && !signed_in />
        </section>
        <RequestSteps />
    }
    .into_any()
}

/// Which right the request is about.
#[component]
fn KindField(feedback: FormFeedback, selected: String, invalid: bool) -> impl IntoView {
    let options = KINDS
        .into_iter()
        .map(|kind| {
            view! {
                <option value=kind selected=kind == selected>
                    {t(&format!("privacy-requests-option-{kind}"))}
                </option>
            }
        })
        .collect_view();
    let kind_id = feedback.input_id("kind");
    view! {
        <div class="field">
            <label for=kind_id.clone()>{t("privacy-requests-kind")}</label>
            <select
                id=kind_id
                name="kind"
                required=true
                aria-invalid=invalid.then_some("true")
                aria-describedby=invalid.then(|| feedback.error_id())
            >
                <option value="" disabled=true selected=selected.is_empty()>
                    {t("privacy-requests-kind-choose")}
                </option>
                {options}
            </select>
        </div>
    }
}

/// Where the answer goes. Signed in, the request is about the account: its address,
/// confirmed by the sign-in.
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
                        name="email"
                        type="email"
                        value=viewer.email
                        readonly=true
                        aria-describedby=hint.clone()
                    />
                    <p class="hint" id=hint>
                        {t("privacy-requests-email-signed-in-hint")}
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
                hint=t("privacy-requests-email-hint")
            />
        }
        .into_any(),
    }
}

/// What the person asks for, in their words.
#[component]
fn DetailsField(feedback: FormFeedback, invalid: bool) -> impl IntoView {
    let details_id = feedback.input_id("details");
    let details_hint = format!("{details_id}-hint");
    let details_described = if invalid {
        format!("{} {details_hint}", feedback.error_id())
    } else {
        details_hint.clone()
    };
    let details = feedback.value_or("details", "");
    view! {
        <div class="field">
            <label for=details_id.clone()>{t("privacy-requests-details")}</label>
            <textarea
                id=details_id
                name="details"
                rows="6"
                maxlength=MAX_DETAILS
                aria-invalid=invalid.then_some("true")
                aria-describedby=details_described
            >
                {details}
            </textarea>
            <p class="hint" id=details_hint>
                {t("privacy-requests-details-hint")}
            </p>
        </div>
    }
}

/// What happens after sending: confirmation, the deadline, a possible extension, the answer.
#[component]
fn RequestSteps() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="privacy-requests-steps">
            <h2 id="privacy-requests-steps">{t("privacy-requests-steps-heading")}</h2>
            <ol>
                <li>{t("privacy-requests-step-verify")}</li>
                <li>{t("privacy-requests-step-deadline")}</li>
                <li>{t("privacy-requests-step-extension")}</li>
                <li>{t("privacy-requests-step-answer")}</li>
            </ol>
        </section>
    }
}

//! The profile form: name, language, theme, company, region, phone and bio.

use crate::components::forms::{CsrfField, Field, FormAlert, FormFeedback};
use crate::i18n::{Locale, t, use_locale};
use crate::model::{PageContext, Viewer};
use leptos::prelude::*;

/// A labelled `<select>`; `options` are (value, label, language of the label).
#[component]
fn SelectField(
    feedback: FormFeedback,
    name: &'static str,
    label: String,
    selected: String,
    options: Vec<(&'static str, String, Option<&'static str>)>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let id = feedback.input_id(name);
    let invalid = feedback.invalid(name);
    let options = options
        .into_iter()
        .map(|(value, label, lang)| {
            view! {
                <option value=value lang=lang selected=value == selected>
                    {label}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                autocomplete=autocomplete
                aria-invalid=invalid.then_some("true")
                aria-describedby=invalid.then(|| feedback.error_id())
            >
                {options}
            </select>
        </div>
    }
    .into_any()
}

#[component]
pub(crate) fn ProfileForm(ctx: PageContext, viewer: Viewer) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "profile");
    view! {
        <section class="panel" aria-labelledby="profile-details-heading">
            <h2 id="profile-details-heading">{t("profile-details-heading")}</h2>
            <form class="stack" method="post" action=locale.path("/settings/profile")>
                <CsrfField token=ctx.csrf.clone() />
                <FormAlert feedback=feedback.clone() />
                <Field
                    feedback=feedback.clone()
                    name="display_name"
                    label=t("form-display-name")
                    autocomplete="name"
                    required=true
                    maxlength=50
                    value=feedback.value_or("display_name", &viewer.display_name)
                    hint=t("form-display-name-hint")
                />
                <PreferenceFields feedback=feedback.clone() viewer=viewer.clone() />
                <Field
                    feedback=feedback.clone()
                    name="company_name"
                    label=t("profile-company")
                    autocomplete="organization"
                    maxlength=100
                    optional=true
                    value=feedback.value_or("company_name", &viewer.company_name)
                />
                <Field
                    feedback=feedback.clone()
                    name="region"
                    label=t("profile-region")
                    autocomplete="country-name"
                    maxlength=100
                    optional=true
                    value=feedback.value_or("region", &viewer.region)
                />
                <Field
                    feedback=feedback.clone()
                    name="phone"
                    label=t("profile-phone")
                    kind="tel"
                    autocomplete="tel"
                    optional=true
                    value=feedback.value_or("phone", &viewer.phone)
                    hint=t("profile-phone-hint")
                />
                <BioField feedback=feedback.clone() value=feedback.value_or("bio", &viewer.bio) />
                <div class="form-actions">
                    <button type="submit" class="button primary">
                        {t("profile-submit")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

/// The language and theme the account's pages use.
#[component]
fn PreferenceFields(feedback: FormFeedback, viewer: Viewer) -> impl IntoView {
    let language = feedback.value_or("locale", &viewer.locale);
    let languages = Locale::ALL
        .into_iter()
        .map(|l| (l.tag(), l.native_name().to_string(), Some(l.tag())))
        .collect();
    let theme = feedback.value_or("theme", &viewer.theme);
    let themes = vec![
        ("", t("profile-theme-system"), None),
        ("light", t("profile-theme-light"), None),
        ("dark", t("profile-theme-dark"), None),
    ];
    view! {
        <div class="field-row">
            <SelectField
                feedback=feedback.clone()
                name="locale"
                label=t("profile-language")
                selected=language
                options=languages
                autocomplete="language"
            />
            <SelectField feedback name="theme" label=t("profile-theme") selected=theme options=themes />
        </div>
    }
}

/// A few words about the person, optional.
#[component]
fn BioField(feedback: FormFeedback, value: String) -> impl IntoView {
    let invalid = feedback.invalid("bio");
    let described = if invalid {
        format!("{} profile-bio-hint", feedback.error_id())
    } else {
        "profile-bio-hint".to_string()
    };
    view! {
        <div class="field">
            <label for="profile-bio">
                {t("profile-bio")} <span class="optional">{t("form-optional")}</span>
            </label>
            <textarea
                id="profile-bio"
                name="bio"
                rows="4"
                maxlength="500"
                aria-invalid=invalid.then_some("true")
                aria-describedby=described
            >
                {value}
            </textarea>
            <p class="hint" id="profile-bio-hint">
                {t("profile-bio-hint")}
            </p>
        </div>
    }
}

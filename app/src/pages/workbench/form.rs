//! The workbench form: prompt, model, options, references, mask and the submit bar.

use super::fields::{
    CAMERA_ANGLES, CAMERA_LENSES, CAMERA_LIGHTING, CameraSelect, ModelSelect, STYLES, format_label,
    label, options,
};
use super::input::{aspect_ratios, formats, resolutions};
use super::mask::MaskSection;
use super::model_picker::ModelPicker;
use super::references::References;
use super::studio::{Initial, Studio};
use super::submit_bar::SubmitBar;
use crate::components::forms::CsrfField;
use crate::i18n::{t, use_locale};
use crate::model::{MAX_NEGATIVE_CHARS, MAX_PROMPT_CHARS, MAX_QUANTITY};
use leptos::prelude::*;

/// How often the page reloads itself without JavaScript while images are being made.
pub(super) const NO_JS_REFRESH: &str = r#"<meta http-equiv="refresh" content="3">"#;

#[component]
pub(super) fn WorkbenchForm(
    studio: Studio,
    initial: Initial,
    styles: Vec<String>,
    csrf: String,
) -> impl IntoView {
    let locale = use_locale();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        studio.submit();
    };
    view! {
        <form
            id="workbench-form"
            class="workbench-form panel"
            // Set once the page's WebAssembly runs, so the live behaviour can be awaited.
            data-hydrated=move || studio.hydrated.get().then_some("true")
            method="post"
            action=locale.path("/workbench")
            enctype="multipart/form-data"
            on:submit=on_submit
        >
            <CsrfField token=csrf />
            <input type="hidden" name="locale" value=locale.tag() />
            <ModelPicker studio initial=initial.model.clone() />
            <PromptField studio initial=initial.prompt.clone() />
            <References studio />
            <MaskSection studio />
            <OptionGrid studio initial=initial.clone() styles />
            <noscript inner_html=noscript_hint(&t("workbench-options-nojs"))></noscript>
            <AdvancedOptions studio initial />
            <SubmitBar studio />
        </form>
    }
    .into_any()
}

/// The prompt, with how many characters are left.
#[component]
fn PromptField(studio: Studio, initial: String) -> impl IntoView {
    let locale = use_locale();
    let c = studio.choices;
    let prompt_count = move || {
        let count = c.prompt.with(|p| p.chars().count());
        locale.t_args(
            "workbench-prompt-count",
            &[("count", count.into()), ("max", MAX_PROMPT_CHARS.into())],
        )
    };
    view! {
        <div class="field">
            <label for="prompt">{t("workbench-prompt-label")}</label>
            <textarea
                id="prompt"
                name="prompt"
                rows="5"
                required
                maxlength=MAX_PROMPT_CHARS
                placeholder=t("workbench-prompt-placeholder")
                aria-describedby="prompt-count"
                on:input=move |ev| c.prompt.set(event_target_value(&ev))
                inner_html=escape_html(&initial)
            ></textarea>
            <p class="hint counter" id="prompt-count">
                {prompt_count}
            </p>
        </div>
    }
}

/// Style, aspect ratio, resolution, format and how many images.
#[component]
fn OptionGrid(studio: Studio, initial: Initial, styles: Vec<String>) -> impl IntoView {
    let locale = use_locale();
    let c = studio.choices;
    let style_choices = std::iter::once((String::new(), t("workbench-style-none")))
        .chain(
            styles
                .iter()
                .map(|s| (s.clone(), label("workbench-style", STYLES, s))),
        )
        .collect();
    let quantity_choices = (1..=MAX_QUANTITY)
        .map(|n| {
            (
                n.to_string(),
                locale.t_args("workbench-quantity-option", &[("count", n.into())]),
            )
        })
        .collect();
    view! {
        <div class="option-grid">
            <div class="field">
                <label for="style">{t("workbench-style-label")}</label>
                <select
                    id="style"
                    name="style"
                    on:change=move |ev| c.style.set(event_target_value(&ev))
                >
                    {options(style_choices, &initial.style)}
                </select>
            </div>
            <ModelSelect
                studio
                id="aspect-ratio"
                name="aspect_ratio"
                label=t("workbench-aspect-label")
                offered=aspect_ratios
                current=studio.aspect_ratio
                choice=c.aspect_ratio
            />
            <ModelSelect
                studio
                id="resolution"
                name="resolution"
                label=t("workbench-resolution-label")
                offered=resolutions
                current=studio.resolution
                choice=c.resolution
            />
            <ModelSelect
                studio
                id="format"
                name="format"
                label=t("workbench-format-label")
                offered=formats
                current=studio.format
                choice=c.format
                show=format_label
            />
            <div class="field">
                <label for="quantity">{t("workbench-quantity-label")}</label>
                <select
                    id="quantity"
                    name="quantity"
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u8>() {
                            c.quantity.set(n.clamp(1, MAX_QUANTITY));
                        }
                    }
                >
                    {options(quantity_choices, &initial.quantity.to_string())}
                </select>
            </div>
        </div>
    }
}

/// "Advanced", open when anything inside was set: negative prompt, seed, camera and
/// character consistency.
#[component]
fn AdvancedOptions(studio: Studio, initial: Initial) -> impl IntoView {
    let c = studio.choices;
    view! {
        <details class="advanced" open=initial.advanced()>
            <summary>{t("workbench-advanced")}</summary>
            <div class="advanced-body">
                <div class="field">
                    <label for="negative-prompt">{t("workbench-negative-label")}</label>
                    <textarea
                        id="negative-prompt"
                        name="negative_prompt"
                        rows="2"
                        maxlength=MAX_NEGATIVE_CHARS
                        aria-describedby="negative-prompt-hint"
                        on:input=move |ev| c.negative_prompt.set(event_target_value(&ev))
                        inner_html=escape_html(&initial.negative_prompt)
                    ></textarea>
                    <p class="hint" id="negative-prompt-hint">
                        {t("workbench-negative-hint")}
                    </p>
                </div>
                <div class="field">
                    <label for="seed">{t("workbench-seed-label")}</label>
                    <input
                        type="text"
                        id="seed"
                        name="seed"
                        inputmode="numeric"
                        pattern="[0-9]*"
                        autocomplete="off"
                        placeholder=t("workbench-seed-placeholder")
                        value=initial.seed.clone()
                        aria-describedby="seed-hint"
                        on:input=move |ev| c.seed.set(event_target_value(&ev))
                    />
                    <p class="hint" id="seed-hint">
                        {t("workbench-seed-hint")}
                    </p>
                </div>
                <CameraOptions studio initial=initial.clone() />
                <div class="field check">
                    <input
                        type="checkbox"
                        id="character-consistency"
                        name="character_consistency"
                        value="true"
                        checked=initial.character_consistency
                        aria-describedby="character-consistency-hint"
                        on:change=move |ev| {
                            c.character_consistency.set(event_target_checked(&ev))
                        }
                    />
                    <div>
                        <label for="character-consistency">
                            {t("workbench-character-consistency")}
                        </label>
                        <p class="hint" id="character-consistency-hint">
                            {t("workbench-character-consistency-hint")}
                        </p>
                    </div>
                </div>
            </div>
        </details>
    }
}

/// Camera angle, lens and lighting.
#[component]
fn CameraOptions(studio: Studio, initial: Initial) -> impl IntoView {
    let c = studio.choices;
    view! {
        <div class="option-grid">
            <CameraSelect
                id="camera-angle"
                name="camera_angle"
                label=t("workbench-camera-angle-label")
                values=CAMERA_ANGLES
                prefix="workbench-camera-angle"
                choice=c.camera_angle
                initial=initial.camera_angle.clone()
            />
            <CameraSelect
                id="camera-lens"
                name="camera_lens"
                label=t("workbench-camera-lens-label")
                values=CAMERA_LENSES
                prefix="workbench-camera-lens"
                choice=c.camera_lens
                initial=initial.camera_lens.clone()
            />
            <CameraSelect
                id="camera-lighting"
                name="camera_lighting"
                label=t("workbench-camera-lighting-label")
                values=CAMERA_LIGHTING
                prefix="workbench-camera-lighting"
                choice=c.camera_lighting
                initial=initial.camera_lighting.clone()
            />
        </div>
    }
}

/// Text as HTML markup. A `<textarea>`'s first value is set as markup (`inner_html`): the
/// renderer writes a textarea's children unescaped, and an empty one as no node at all,
/// which hydration would then miss.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A hint inside `<noscript>`, as markup set in one piece (so the browser's parsing of
/// `noscript` cannot upset hydration).
fn noscript_hint(text: &str) -> String {
    format!(r#"<p class="hint">{}</p>"#, escape_html(text))
}

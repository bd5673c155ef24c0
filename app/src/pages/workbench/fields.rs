//! Select fields of the form and the names of their options.

use super::input::union;
use super::studio::Studio;
use crate::i18n::t;
use crate::model::ModelOption;
use leptos::prelude::*;

pub(super) const CAMERA_ANGLES: &[&str] =
    &["eye-level", "low-angle", "high-angle", "overhead", "dutch"];

pub(super) const CAMERA_LENSES: &[&str] = &["wide", "normal", "portrait", "telephoto", "macro"];

pub(super) const CAMERA_LIGHTING: &[&str] =
    &["natural", "studio", "golden-hour", "neon", "dramatic"];

/// Style presets with a name of their own (`workbench-style-…`).
pub(super) const STYLES: &[&str] = &[
    "photo",
    "illustration",
    "watercolor",
    "3d",
    "anime",
    "poster",
];

/// The option list of a `<select>`: `(value, label)`, with `selected` chosen.
pub(super) fn options(choices: Vec<(String, String)>, selected: &str) -> impl IntoView + use<> {
    choices
        .into_iter()
        .map(|(value, label)| {
            let is = value == selected;
            view! {
                <option value=value selected=is>
                    {label}
                </option>
            }
        })
        .collect_view()
}

/// The name of `value` from the family `prefix`; a value we have no name for shows as is.
pub(super) fn label(prefix: &str, known: &[&str], value: &str) -> String {
    if known.contains(&value) {
        t(&format!("{prefix}-{value}"))
    } else {
        value.to_string()
    }
}

pub(super) fn format_label(format: &str) -> String {
    match format {
        "png" => "PNG".into(),
        "jpeg" => "JPEG".into(),
        "webp" => "WebP".into(),
        other => other.to_ascii_uppercase(),
    }
}

/// A `<select>` of values that depend on the chosen model: before the page is interactive
/// (and without JavaScript) every model's values, after it the chosen model's.
#[component]
pub(super) fn ModelSelect(
    studio: Studio,
    id: &'static str,
    name: &'static str,
    label: String,
    /// The values a model offers.
    offered: fn(&ModelOption) -> Vec<String>,
    /// The value in effect.
    current: Memo<String>,
    choice: RwSignal<String>,
    #[prop(optional)] show: Option<fn(&str) -> String>,
) -> impl IntoView {
    let list = move || {
        let values = if studio.hydrated.get() {
            studio
                .model
                .with(|m| m.as_ref().map(offered).unwrap_or_default())
        } else {
            studio.models.with_value(|ms| union(ms.iter().map(offered)))
        };
        let selected = current.get_untracked();
        let shown = values
            .into_iter()
            .map(|v| {
                let text = show.map_or_else(|| v.clone(), |show| show(&v));
                (v, text)
            })
            .collect();
        options(shown, &selected)
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name on:change=move |ev| choice.set(event_target_value(&ev))>
                {list}
            </select>
        </div>
    }
    .into_any()
}

/// A `<select>` of fixed values with a "none" choice first; labels from `prefix-<value>`.
#[component]
pub(super) fn CameraSelect(
    id: &'static str,
    name: &'static str,
    label: String,
    values: &'static [&'static str],
    prefix: &'static str,
    choice: RwSignal<String>,
    initial: String,
) -> impl IntoView {
    let choices = std::iter::once((String::new(), t("workbench-camera-none")))
        .chain(
            values
                .iter()
                .map(|v| (v.to_string(), t(&format!("{prefix}-{v}")))),
        )
        .collect();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name on:change=move |ev| choice.set(event_target_value(&ev))>
                {options(choices, &initial)}
            </select>
        </div>
    }
    .into_any()
}

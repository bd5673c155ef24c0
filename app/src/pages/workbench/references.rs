//! Reference images: the uploader, for models that edit.

use super::studio::Studio;
use crate::components::uploader::ReferencePicker;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;

/// The reference images, for models that edit: before the page is interactive whenever
/// any model does, after it when the chosen one does (or when images are already there,
/// so they can be removed).
#[component]
pub(super) fn References(studio: Studio) -> impl IntoView {
    let locale = use_locale();
    let uploader = studio.uploader;
    let any_model = studio
        .models
        .with_value(|ms| ms.iter().map(|m| m.max_references).max().unwrap_or(0));
    let visible = Memo::new(move |_| {
        if studio.hydrated.get() {
            uploader.max.get() > 0 || uploader.references.with(|r| !r.is_empty())
        } else {
            any_model > 0
        }
    });
    let lead = move || {
        let max = if studio.hydrated.get() {
            uploader.max.get()
        } else {
            any_model
        };
        locale.t_args("workbench-references-lead", &[("max", max.into())])
    };
    let too_many = move || {
        let max = uploader.max.get();
        (uploader.references.with(Vec::len) > usize::from(max)).then(|| {
            view! {
                <p class="alert error" role="alert" id="reference-too-many">
                    {locale.t_args("workbench-reference-too-many", &[("max", max.into())])}
                </p>
            }
        })
    };
    move || {
        visible.get().then(|| {
            view! {
                <fieldset class="references">
                    <legend>{t("workbench-references-legend")}</legend>
                    <p class="hint">{lead}</p>
                    <ReferencePicker uploader hydrated=studio.hydrated />
                    {too_many}
                </fieldset>
            }
        })
    }
}

//! The mask: painted over the first reference, or an uploaded image.

use super::studio::Studio;
use crate::components::mask_canvas::{MaskHistory, MaskPainter};
use crate::components::uploader::ACCEPT;
use crate::i18n::t;
use leptos::prelude::*;

/// The mask: painted over the first reference, or uploaded as an image. Before the page is
/// interactive only the upload is offered (whenever any model takes masks).
#[component]
pub(super) fn MaskSection(studio: Studio) -> impl IntoView {
    let mask = studio.mask;
    let any_model = studio
        .models
        .with_value(|ms| ms.iter().any(|m| m.mask && m.max_references > 0));
    let visible = Memo::new(move |_| {
        if studio.hydrated.get() {
            studio.mask_applies()
        } else {
            any_model
        }
    });
    let interactive = Memo::new(move |_| studio.hydrated.get());
    let uploaded = Memo::new(move |_| mask.file.with(Option::is_some));
    let painter = move || {
        let (_, preview, upload) = studio.first_reference.get()?;
        let upload = upload?;
        (mask.open.get() && !uploaded.get()).then(|| {
            view! {
                <div id="mask-editor">
                    <MaskPainter
                        history=mask.history
                        image_url=preview
                        width=upload.width
                        height=upload.height
                    />
                </div>
            }
        })
    };
    let mode_button = move || {
        (interactive.get() && !uploaded.get()).then(|| {
            view! {
                <button
                    type="button"
                    id="mask-mode"
                    class="button"
                    aria-pressed=move || if mask.open.get() { "true" } else { "false" }
                    aria-controls="mask-editor"
                    on:click=move |_| mask.open.update(|open| *open = !*open)
                >
                    {t("workbench-mask-mode")}
                </button>
            }
        })
    };
    let painted = move || {
        (!uploaded.get() && mask.history.with(MaskHistory::paints)).then(|| {
            view! {
                <p class="hint" id="mask-painted">
                    {t("workbench-mask-painted")}
                </p>
            }
        })
    };
    move || {
        visible.get().then(|| {
            view! {
                <fieldset class="mask-section">
                    <legend>{t("workbench-mask-legend")}</legend>
                    <p class="hint">{t("workbench-mask-lead")}</p>
                    {mode_button}
                    {painter}
                    {painted}
                    <MaskFile studio />
                </fieldset>
            }
        })
    }
}

/// A mask as an image file instead of painting: the file field, the file added, and why
/// it was refused.
#[component]
fn MaskFile(studio: Studio) -> impl IntoView {
    let mask = studio.mask;
    let uploaded = Memo::new(move |_| mask.file.with(Option::is_some));
    let on_file = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let file = input.files().and_then(|files| files.get(0));
        input.set_value("");
        #[cfg(feature = "hydrate")]
        if let Some(file) = file {
            studio.upload_mask(file);
        }
        #[cfg(not(feature = "hydrate"))]
        drop(file);
    };
    let file_state = move || {
        uploaded.get().then(|| {
            view! {
                <p class="mask-file-added" id="mask-file-added">
                    <span>{t("workbench-mask-file-added")}</span>
                    " "
                    <button
                        type="button"
                        id="mask-file-remove"
                        class="button small"
                        on:click=move |_| mask.file.set(None)
                    >
                        {t("workbench-mask-file-remove")}
                    </button>
                </p>
            }
        })
    };
    let error = move || {
        mask.error.get().map(|message| {
            view! {
                <p class="alert error" role="alert" id="mask-error">
                    {message}
                </p>
            }
        })
    };
    view! {
        <div class="field">
            <label for="mask-input">{t("workbench-mask-file-label")}</label>
            <input
                type="file"
                id="mask-input"
                name="mask_file"
                accept=ACCEPT
                aria-describedby="mask-input-hint"
                on:change=on_file
            />
            <p class="hint" id="mask-input-hint">
                {t("workbench-mask-file-hint")}
            </p>
        </div>
        {file_state}
        {error}
    }
}

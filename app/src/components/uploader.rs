//! Reference images for editing: dropped on the drop zone, pasted anywhere on the page or
//! chosen with the file picker. Each is uploaded at once and shown as a numbered thumbnail
//! that can be moved earlier or later (the order is the order the model reads them in) or
//! removed. Without JavaScript the same file input simply travels with the form.

use crate::i18n::{Locale, t, use_locale};
use crate::model::UploadView;
use leptos::prelude::*;
use web_sys::{File, FileList};

/// The image types uploads accept, as the file input offers them.
pub const ACCEPT: &str = "image/png,image/jpeg,image/webp";
const IMAGE_TYPES: &[&str] = &["image/png", "image/jpeg", "image/webp"];

/// One reference image on the page: its preview, and the upload once the server has it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferenceItem {
    /// Stable for the page's lifetime, unlike the position.
    pub key: u64,
    pub name: String,
    /// A `blob:` URL of the local file.
    pub preview: String,
    /// `None` while uploading.
    pub upload: Option<UploadView>,
}

/// Why a file is not taken before it is even sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    Type,
    Size,
}

/// Checks a file's declared type and size against what uploads accept.
pub fn check_file(content_type: &str, size: f64, max_bytes: u64) -> Result<(), FileProblem> {
    if !IMAGE_TYPES.contains(&content_type) {
        return Err(FileProblem::Type);
    }
    // File sizes come from the browser as a double; anything above 2^53 is far past any limit.
    if size > max_bytes as f64 {
        return Err(FileProblem::Size);
    }
    Ok(())
}

/// An upload limit in whole megabytes (MiB) for messages: never shown as 0.
pub fn limit_mb(max_bytes: u64) -> u64 {
    (max_bytes / (1024 * 1024)).max(1)
}

/// Swaps the item at `index` with its neighbour (the next one when `later`); false when
/// there is none.
pub fn shift<T>(items: &mut [T], index: usize, later: bool) -> bool {
    let other = if later {
        index.checked_add(1).filter(|&i| i < items.len())
    } else {
        index.checked_sub(1)
    };
    match other {
        Some(other) if index < items.len() => {
            items.swap(index, other);
            true
        }
        _ => false,
    }
}

/// The image files of a file list, in order.
pub fn image_files(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .filter(|file| file.type_().starts_with("image/"))
        .collect()
}

/// The reference images of the form and how they are added: owned by the page, which reads
/// their upload ids when it submits.
#[derive(Clone, Copy)]
pub struct Uploader {
    pub references: RwSignal<Vec<ReferenceItem>>,
    /// The last problem, shown under the drop zone.
    pub error: RwSignal<Option<String>>,
    /// How many references the chosen model takes.
    pub max: Signal<u8>,
    max_bytes: u64,
    locale: Locale,
    next_key: StoredValue<u64>,
}

impl Uploader {
    pub fn new(max: Signal<u8>, max_bytes: u64, locale: Locale) -> Self {
        Uploader {
            references: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            max,
            max_bytes,
            locale,
            next_key: StoredValue::new(0),
        }
    }

    /// The uploaded references' ids, in order.
    pub fn ids(&self) -> Vec<String> {
        self.references.with_untracked(|r| {
            r.iter()
                .filter_map(|item| item.upload.as_ref().map(|u| u.id.clone()))
                .collect()
        })
    }

    /// Takes files from the picker, a drop or a paste: checks each, shows it, and uploads
    /// it. Files past the model's limit are left out, with a note.
    pub fn add(&self, files: Vec<File>) {
        let locale = self.locale;
        let max = self.max.get_untracked();
        let mut problems = Vec::new();
        for file in files {
            let name = file.name();
            if self.references.with_untracked(Vec::len) >= usize::from(max) {
                problems.push(locale.t_args("workbench-reference-full", &[("max", max.into())]));
                break;
            }
            match check_file(&file.type_(), file.size(), self.max_bytes) {
                Err(FileProblem::Type) => {
                    problems.push(locale.t_args(
                        "workbench-upload-error-type",
                        &[("name", name.clone().into())],
                    ));
                    continue;
                }
                Err(FileProblem::Size) => {
                    problems.push(locale.t_args(
                        "workbench-upload-error-size",
                        &[
                            ("name", name.clone().into()),
                            ("max_mb", limit_mb(self.max_bytes).into()),
                        ],
                    ));
                    continue;
                }
                Ok(()) => {}
            }
            let key = self.next_key.get_value();
            self.next_key.set_value(key + 1);
            let preview = web_sys::Url::create_object_url_with_blob(&file).unwrap_or_default();
            self.references.update(|r| {
                r.push(ReferenceItem {
                    key,
                    name: name.clone(),
                    preview,
                    upload: None,
                })
            });
            #[cfg(feature = "hydrate")]
            {
                let this = *self;
                leptos::task::spawn_local(async move {
                    match super::client::upload(&file, &name, "reference", locale).await {
                        Ok(upload) => {
                            this.references.try_update(|r| {
                                if let Some(item) = r.iter_mut().find(|i| i.key == key) {
                                    item.upload = Some(upload);
                                }
                            });
                        }
                        Err(message) => {
                            this.remove(key);
                            this.error.try_set(Some(message));
                        }
                    }
                });
            }
        }
        self.error
            .set((!problems.is_empty()).then(|| problems.join(" ")));
    }

    /// Removes a reference (an upload still under way is then ignored when it lands).
    pub fn remove(&self, key: u64) {
        self.references.try_update(|r| {
            if let Some(index) = r.iter().position(|i| i.key == key) {
                let item = r.remove(index);
                let _ = web_sys::Url::revoke_object_url(&item.preview);
            }
        });
    }

    /// Moves a reference one place earlier or later.
    pub fn shift(&self, key: u64, later: bool) {
        self.references.update(|r| {
            if let Some(index) = r.iter().position(|i| i.key == key) {
                shift(r, index, later);
            }
        });
    }
}

/// The drop zone, the file picker, the problems and the numbered thumbnails. `hydrated`
/// is false on the server and until the page is interactive: then the picker is a plain
/// form field.
#[component]
pub fn ReferencePicker(uploader: Uploader, hydrated: Signal<bool>) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let references = uploader.references;
    // Images pasted anywhere on the page (text pastes are left alone), for as long as the
    // picker shows. In an effect, so only in the browser.
    Effect::new(move |_| {
        let paste = window_event_listener(leptos::ev::paste, move |ev| {
            let files = image_files(ev.clipboard_data().and_then(|d| d.files()));
            if !files.is_empty() {
                ev.prevent_default();
                uploader.add(files);
            }
        });
        on_cleanup(move || paste.remove());
    });

    let on_drag = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        uploader.add(image_files(ev.data_transfer().and_then(|d| d.files())));
    };
    let lead = move || {
        if hydrated.get() {
            t("workbench-drop-zone")
        } else {
            t("workbench-references-nojs")
        }
    };
    view! {
        <div
            id="drop-zone"
            class=move || if dragging.get() { "drop-zone dragging" } else { "drop-zone" }
            on:dragenter=on_drag
            on:dragover=on_drag
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p class="drop-zone-lead">{lead}</p>
            <ReferenceInput uploader hydrated />
        </div>
        {move || {
            uploader
                .error
                .get()
                .map(|message| {
                    view! {
                        <p class="alert error" role="alert" id="reference-error">
                            {message}
                        </p>
                    }
                })
        }}
        <ol class="reference-list" aria-label=t("workbench-reference-list")>
            <For
                each=move || references.get()
                key=|item| item.key
                children=move |item| view! { <ReferenceCard uploader item=item /> }
            />
        </ol>
    }
    .into_any()
}

/// The file field and how many more images it takes.
#[component]
fn ReferenceInput(uploader: Uploader, hydrated: Signal<bool>) -> impl IntoView {
    let locale = use_locale();
    let references = uploader.references;
    let full =
        move || hydrated.get() && references.with(Vec::len) >= usize::from(uploader.max.get());
    let on_pick = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        uploader.add(image_files(input.files()));
        // The files are uploaded: the field itself sends nothing, and the same file can be
        // picked again.
        input.set_value("");
    };

    let hint = locale.t_args(
        "workbench-reference-hint",
        &[("max_mb", limit_mb(uploader.max_bytes).into())],
    );
    let full_note = move || {
        full().then(|| {
            let max = uploader.max.get();
            view! {
                <p class="hint" id="reference-full">
                    {locale.t_args("workbench-reference-full", &[("max", max.into())])}
                </p>
            }
        })
    };
    view! {
        <div class="field">
            <label for="reference-input">{t("workbench-reference-choose")}</label>
            <input
                type="file"
                id="reference-input"
                name="reference_files"
                multiple
                accept=ACCEPT
                aria-describedby="reference-hint"
                disabled=full
                on:change=on_pick
            />
            <p class="hint" id="reference-hint">{hint}</p>
        </div>
        {full_note}
    }
}

#[component]
fn ReferenceCard(uploader: Uploader, item: ReferenceItem) -> impl IntoView {
    let locale = use_locale();
    let key = item.key;
    let references = uploader.references;
    let position = Memo::new(move |_| {
        references.with(|r| r.iter().position(|i| i.key == key).map_or(0, |p| p + 1))
    });
    let count = Memo::new(move |_| references.with(Vec::len));
    let upload_id = Memo::new(move |_| {
        references.with(|r| {
            r.iter()
                .find(|i| i.key == key)
                .and_then(|i| i.upload.as_ref().map(|u| u.id.clone()))
        })
    });
    let label =
        move |key: &'static str| move || locale.t_args(key, &[("position", position.get().into())]);
    view! {
        <li
            class="reference"
            class:uploading=move || upload_id.with(Option::is_none)
            data-upload-id=move || upload_id.get()
        >
            <img src=item.preview.clone() alt=label("workbench-reference-alt") decoding="async" />
            <span class="reference-position" aria-hidden="true">
                {move || position.get()}
            </span>
            {move || {
                upload_id
                    .with(Option::is_none)
                    .then(|| {
                        view! {
                            <span class="reference-status" role="status">
                                {t("workbench-reference-uploading")}
                            </span>
                        }
                    })
            }}
            <div class="reference-actions">
                <button
                    type="button"
                    class="icon-button reference-earlier"
                    aria-label=label("workbench-reference-earlier")
                    title=label("workbench-reference-earlier")
                    disabled=move || { position.get() <= 1 }
                    on:click=move |_| uploader.shift(key, false)
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M15 5l-7 7 7 7" />
                    </svg>
                </button>
                <button
                    type="button"
                    class="icon-button reference-later"
                    aria-label=label("workbench-reference-later")
                    title=label("workbench-reference-later")
                    disabled=move || { position.get() >= count.get() }
                    on:click=move |_| uploader.shift(key, true)
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M9 5l7 7-7 7" />
                    </svg>
                </button>
                <button
                    type="button"
                    class="icon-button reference-remove"
                    aria-label=label("workbench-reference-remove")
                    title=label("workbench-reference-remove")
                    on:click=move |_| uploader.remove(key)
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M6 6l12 12M18 6L6 18" />
                    </svg>
                </button>
            </div>
        </li>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_checked_by_type_and_size() {
        let max = 10 * 1024 * 1024;
        assert_eq!(check_file("image/png", 1024.0, max), Ok(()));
        assert_eq!(check_file("image/webp", max as f64, max), Ok(()));
        assert_eq!(
            check_file("image/jpeg", max as f64 + 1.0, max),
            Err(FileProblem::Size)
        );
        assert_eq!(check_file("image/gif", 10.0, max), Err(FileProblem::Type));
        assert_eq!(check_file("", 10.0, max), Err(FileProblem::Type));
        assert_eq!(limit_mb(max), 10);
        assert_eq!(limit_mb(300_000), 1);
    }

    #[test]
    fn shifting_swaps_with_the_neighbour_only() {
        let mut items = vec!['a', 'b', 'c'];
        assert!(shift(&mut items, 0, true));
        assert_eq!(items, ['b', 'a', 'c']);
        assert!(shift(&mut items, 2, false));
        assert_eq!(items, ['b', 'c', 'a']);
        assert!(!shift(&mut items, 0, false));
        assert!(!shift(&mut items, 2, true));
        assert!(!shift(&mut items, 7, false));
        assert_eq!(items, ['b', 'c', 'a']);
    }
}

//! The page's state: the fields' signals, the chosen model and its price, the allowance,
//! the tasks, the references and the mask, shared by every part of the page.

use super::input::{aspect_ratios, formats, non_empty, parse_seed, pick, resolutions};
use super::spending::available;
#[cfg(any(feature = "hydrate", test))]
use super::spending::{Spending, adjust, merge_task};
use crate::components::mask_canvas::MaskHistory;
use crate::components::uploader::Uploader;
use crate::i18n::Locale;
use crate::model::{Allowance, ModelOption, TaskView, UploadView, WorkbenchData};
use crate::model::{GenerationInput, MAX_QUANTITY};
use leptos::prelude::*;

/// What the form holds, one signal per field.
#[derive(Clone, Copy)]
pub(super) struct Choices {
    pub(super) model: RwSignal<String>,
    pub(super) prompt: RwSignal<String>,
    pub(super) negative_prompt: RwSignal<String>,
    pub(super) style: RwSignal<String>,
    pub(super) seed: RwSignal<String>,
    pub(super) aspect_ratio: RwSignal<String>,
    pub(super) resolution: RwSignal<String>,
    pub(super) format: RwSignal<String>,
    pub(super) quantity: RwSignal<u8>,
    pub(super) camera_angle: RwSignal<String>,
    pub(super) camera_lens: RwSignal<String>,
    pub(super) camera_lighting: RwSignal<String>,
    pub(super) character_consistency: RwSignal<bool>,
}

/// The first values of the fields: what the person typed when the form came back refused
/// (`typed`), else sensible defaults for the first model.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Initial {
    pub(super) model: String,
    pub(super) prompt: String,
    pub(super) negative_prompt: String,
    pub(super) style: String,
    pub(super) seed: String,
    pub(super) aspect_ratio: String,
    pub(super) resolution: String,
    pub(super) format: String,
    pub(super) quantity: u8,
    pub(super) camera_angle: String,
    pub(super) camera_lens: String,
    pub(super) camera_lighting: String,
    pub(super) character_consistency: bool,
}

impl Initial {
    pub(super) fn new(models: &[ModelOption], typed: impl Fn(&str) -> Option<String>) -> Self {
        let text = |name: &str| typed(name).unwrap_or_default();
        let model = typed("model")
            .filter(|id| models.iter().any(|m| &m.id == id))
            .or_else(|| models.first().map(|m| m.id.clone()))
            .unwrap_or_default();
        let chosen = models.iter().find(|m| m.id == model);
        let offered = |f: fn(&ModelOption) -> Vec<String>| chosen.map(f).unwrap_or_default();
        let or = |name: &str, fallback: &str| typed(name).unwrap_or_else(|| fallback.to_string());
        Initial {
            prompt: text("prompt"),
            negative_prompt: text("negative_prompt"),
            style: text("style"),
            seed: text("seed"),
            aspect_ratio: pick(&offered(aspect_ratios), &or("aspect_ratio", "1:1")),
            resolution: pick(&offered(resolutions), &text("resolution")),
            format: pick(&offered(formats), &or("format", "png")),
            quantity: typed("quantity")
                .and_then(|q| q.parse::<u8>().ok())
                .unwrap_or(1)
                .clamp(1, MAX_QUANTITY),
            camera_angle: text("camera_angle"),
            camera_lens: text("camera_lens"),
            camera_lighting: text("camera_lighting"),
            character_consistency: typed("character_consistency")
                .is_some_and(|v| v == "true" || v == "on"),
            model,
        }
    }

    /// Whether anything inside "Advanced" was set, so it opens.
    pub(super) fn advanced(&self) -> bool {
        !(self.negative_prompt.is_empty()
            && self.seed.is_empty()
            && self.camera_angle.is_empty()
            && self.camera_lens.is_empty()
            && self.camera_lighting.is_empty()
            && !self.character_consistency)
    }

    pub(super) fn signals(&self) -> Choices {
        Choices {
            model: RwSignal::new(self.model.clone()),
            prompt: RwSignal::new(self.prompt.clone()),
            negative_prompt: RwSignal::new(self.negative_prompt.clone()),
            style: RwSignal::new(self.style.clone()),
            seed: RwSignal::new(self.seed.clone()),
            aspect_ratio: RwSignal::new(self.aspect_ratio.clone()),
            resolution: RwSignal::new(self.resolution.clone()),
            format: RwSignal::new(self.format.clone()),
            quantity: RwSignal::new(self.quantity),
            camera_angle: RwSignal::new(self.camera_angle.clone()),
            camera_lens: RwSignal::new(self.camera_lens.clone()),
            camera_lighting: RwSignal::new(self.camera_lighting.clone()),
            character_consistency: RwSignal::new(self.character_consistency),
        }
    }
}

/// Why the form did not start, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Problem {
    /// Not enough credits: the message with a way to get more.
    Shortfall {
        required: i64,
        available: i64,
    },
    Message(String),
}

/// Which mask goes with a submit.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum MaskPlan {
    None,
    /// An uploaded mask image.
    Uploaded(String),
    /// The painted mask, exported at the first reference's size and uploaded first.
    Painted {
        history: MaskHistory,
        width: u32,
        height: u32,
    },
}

/// The mask editor's state.
#[derive(Clone, Copy)]
pub(super) struct MaskState {
    pub(super) history: RwSignal<MaskHistory>,
    /// The editor is showing.
    pub(super) open: RwSignal<bool>,
    /// An uploaded mask image, which wins over painting.
    pub(super) file: RwSignal<Option<UploadView>>,
    pub(super) uploading: RwSignal<bool>,
    pub(super) error: RwSignal<Option<String>>,
}

/// Everything the page's parts share; copied into every handler.
#[derive(Clone, Copy)]
pub(super) struct Studio {
    pub(super) locale: Locale,
    pub(super) signed_in: bool,
    pub(super) hydrated: Signal<bool>,
    pub(super) models: StoredValue<Vec<ModelOption>>,
    pub(super) choices: Choices,
    /// The chosen model (the first, when the choice is unknown).
    pub(super) model: Memo<Option<ModelOption>>,
    pub(super) aspect_ratio: Memo<String>,
    pub(super) resolution: Memo<String>,
    pub(super) format: Memo<String>,
    pub(super) cost: Memo<Option<i64>>,
    pub(super) allowance: RwSignal<Allowance>,
    pub(super) tasks: RwSignal<Vec<TaskView>>,
    #[cfg(any(feature = "hydrate", test))]
    pub(super) spending: StoredValue<Spending>,
    pub(super) uploader: Uploader,
    pub(super) mask: MaskState,
    /// The first reference: its key, preview and (once uploaded) upload.
    pub(super) first_reference: Memo<Option<(u64, String, Option<UploadView>)>>,
    pub(super) submitting: RwSignal<bool>,
    pub(super) problem: RwSignal<Option<Problem>>,
    /// Said after a submit started.
    pub(super) notice: RwSignal<Option<String>>,
    /// Per task id: why cancelling it failed.
    pub(super) cancel_errors: RwSignal<Vec<(String, String)>>,
}

impl Studio {
    pub(super) fn new(
        data: &WorkbenchData,
        initial: &Initial,
        locale: Locale,
        hydrated: Signal<bool>,
    ) -> Self {
        let models = StoredValue::new(data.models.clone());
        let choices = initial.signals();
        let model = Memo::new(move |_| {
            let id = choices.model.get();
            models.with_value(|ms| ms.iter().find(|m| m.id == id).or(ms.first()).cloned())
        });
        let offered = move |f: fn(&ModelOption) -> Vec<String>| {
            model.with(|m| m.as_ref().map(f).unwrap_or_default())
        };
        let aspect_ratio =
            Memo::new(move |_| pick(&offered(aspect_ratios), &choices.aspect_ratio.get()));
        let resolution = Memo::new(move |_| pick(&offered(resolutions), &choices.resolution.get()));
        let format = Memo::new(move |_| pick(&offered(formats), &choices.format.get()));
        let cost = Memo::new(move |_| {
            let quantity = choices.quantity.get();
            resolution.with(|r| model.with(|m| m.as_ref().and_then(|m| m.cost(r, quantity))))
        });
        let max_references =
            Signal::derive(move || model.with(|m| m.as_ref().map_or(0, |m| m.max_references)));
        let uploader = Uploader::new(max_references, data.max_upload_bytes, locale);
        let first_reference = Memo::new(move |_| {
            uploader.references.with(|r| {
                r.first()
                    .map(|i| (i.key, i.preview.clone(), i.upload.clone()))
            })
        });
        let allowance = RwSignal::new(data.allowance.clone());
        // The header shows the same credits: kept current as tasks spend or return them.
        if let Some(header) = use_context::<crate::components::account_menu::HeaderBalance>() {
            Effect::new(move |_| {
                if let Allowance::Account { available } = allowance.get() {
                    header.set(available);
                }
            });
        }
        Studio {
            locale,
            signed_in: data.signed_in,
            hydrated,
            models,
            choices,
            model,
            aspect_ratio,
            resolution,
            format,
            cost,
            allowance,
            tasks: RwSignal::new(data.tasks.clone()),
            #[cfg(any(feature = "hydrate", test))]
            spending: StoredValue::new(Spending::new(&data.tasks)),
            uploader,
            mask: MaskState {
                history: RwSignal::new(MaskHistory::default()),
                open: RwSignal::new(false),
                file: RwSignal::new(None),
                uploading: RwSignal::new(false),
                error: RwSignal::new(None),
            },
            first_reference,
            submitting: RwSignal::new(false),
            problem: RwSignal::new(None),
            notice: RwSignal::new(None),
            cancel_errors: RwSignal::new(Vec::new()),
        }
    }

    pub(super) fn available(&self) -> i64 {
        self.allowance.with(available)
    }

    /// Whether the chosen model can edit with a mask, and there is an uploaded first
    /// reference for it to apply to.
    pub(super) fn mask_applies(&self) -> bool {
        self.model.with(|m| m.as_ref().is_some_and(|m| m.mask))
            && self
                .first_reference
                .with(|f| f.as_ref().is_some_and(|(_, _, upload)| upload.is_some()))
    }

    /// A model's name as the page shows it: the offline engine by what it is.
    pub(super) fn model_name(&self, model_id: &str, label: &str) -> String {
        let offline = self
            .models
            .with_value(|ms| ms.iter().any(|m| m.id == model_id && m.offline));
        if offline {
            self.locale.t("workbench-model-offline-name")
        } else {
            label.to_string()
        }
    }

    /// The request the form stands for, or why it cannot go yet.
    pub(super) fn prepare(&self) -> Result<(GenerationInput, MaskPlan), Problem> {
        let locale = self.locale;
        let message = |key: &str| Problem::Message(locale.t(key));
        let model = self
            .model
            .get_untracked()
            .ok_or_else(|| message("generation-error-unknown-model"))?;
        let c = self.choices;
        let prompt = c.prompt.get_untracked().trim().to_string();
        if prompt.is_empty() {
            return Err(message("generation-error-empty-prompt"));
        }
        if self
            .uploader
            .references
            .with_untracked(|r| r.iter().any(|i| i.upload.is_none()))
        {
            return Err(message("workbench-uploads-pending"));
        }
        let references = self.uploader.ids();
        if references.len() > usize::from(model.max_references) {
            return Err(Problem::Message(locale.t_args(
                "workbench-reference-too-many",
                &[("max", model.max_references.into())],
            )));
        }
        if self.mask.uploading.get_untracked() {
            return Err(message("workbench-uploads-pending"));
        }
        let seed =
            parse_seed(&c.seed.get_untracked()).map_err(|()| message("workbench-error-seed"))?;
        let quantity = c.quantity.get_untracked().clamp(1, MAX_QUANTITY);
        let resolution = self.resolution.get_untracked();
        if let Some(required) = model.cost(&resolution, quantity) {
            let available = self.allowance.with_untracked(available);
            if required > available {
                return Err(Problem::Shortfall {
                    required,
                    available,
                });
            }
        }
        let mask = if !model.mask || references.is_empty() {
            MaskPlan::None
        } else if let Some(file) = self.mask.file.get_untracked() {
            MaskPlan::Uploaded(file.id)
        } else if self.mask.history.with_untracked(MaskHistory::paints) {
            match self.first_reference.get_untracked() {
                Some((_, _, Some(upload))) => MaskPlan::Painted {
                    history: self.mask.history.get_untracked(),
                    width: upload.width,
                    height: upload.height,
                },
                _ => MaskPlan::None,
            }
        } else {
            MaskPlan::None
        };
        let input = GenerationInput {
            model: model.id,
            prompt,
            negative_prompt: non_empty(&c.negative_prompt.get_untracked()),
            style: non_empty(&c.style.get_untracked()),
            seed,
            aspect_ratio: self.aspect_ratio.get_untracked(),
            resolution,
            format: self.format.get_untracked(),
            quantity: Some(quantity),
            camera_angle: non_empty(&c.camera_angle.get_untracked()),
            camera_lens: non_empty(&c.camera_lens.get_untracked()),
            camera_lighting: non_empty(&c.camera_lighting.get_untracked()),
            character_consistency: c.character_consistency.get_untracked(),
            references,
            mask: None,
            locale: Some(locale.tag().to_string()),
        };
        Ok((input, mask))
    }

    /// The form was sent (in the browser): checks it, then starts the generation.
    pub(super) fn submit(self) {
        if self.submitting.get_untracked() {
            return;
        }
        self.notice.set(None);
        match self.prepare() {
            Err(problem) => self.problem.set(Some(problem)),
            Ok(request) => {
                self.problem.set(None);
                #[cfg(feature = "hydrate")]
                self.send(request);
                // Forms are only ever sent in the browser.
                #[cfg(not(feature = "hydrate"))]
                drop(request);
            }
        }
    }

    /// News of a task, from the stream or an answer: into the list, and into the credits.
    #[cfg(any(feature = "hydrate", test))]
    pub(super) fn receive(self, task: TaskView) {
        let delta = self
            .spending
            .try_update_value(|s| s.observe(&task))
            .unwrap_or(0);
        if delta != 0 {
            self.allowance.try_update(|a| adjust(a, delta));
        }
        self.tasks.try_update(|tasks| merge_task(tasks, task));
    }
}

#[cfg(feature = "hydrate")]
impl Studio {
    /// Uploads the painted mask if there is one, then submits.
    pub(super) fn send(self, (mut input, mask): (GenerationInput, MaskPlan)) {
        use crate::components::{client, mask_canvas};
        let locale = self.locale;
        self.submitting.set(true);
        leptos::task::spawn_local(async move {
            let mask_id = match mask {
                MaskPlan::None => Ok(None),
                MaskPlan::Uploaded(id) => Ok(Some(id)),
                MaskPlan::Painted {
                    history,
                    width,
                    height,
                } => match mask_canvas::export_png(&history, width, height).await {
                    Some(png) => client::upload(&png, "mask.png", "mask", locale)
                        .await
                        .map(|upload| Some(upload.id)),
                    None => Err(locale.t("workbench-mask-export-failed")),
                },
            };
            input.mask = match mask_id {
                Ok(id) => id,
                Err(message) => {
                    self.problem.try_set(Some(Problem::Message(message)));
                    self.submitting.try_set(false);
                    return;
                }
            };
            match client::submit(&input, locale).await {
                Ok(submitted) => {
                    let count = submitted.tasks.len();
                    for task in submitted.tasks {
                        self.receive(task);
                    }
                    self.notice.try_set(Some(
                        locale.t_args("workbench-started", &[("count", count.into())]),
                    ));
                }
                Err(client::Refusal::Shortfall {
                    required,
                    available,
                }) => {
                    // The server knows best what is left.
                    self.allowance.try_update(|a| match a {
                        Allowance::Guest { remaining, .. } => *remaining = available,
                        Allowance::Account { available: now } => *now = available,
                    });
                    self.problem.try_set(Some(Problem::Shortfall {
                        required,
                        available,
                    }));
                }
                Err(client::Refusal::Message(message)) => {
                    self.problem.try_set(Some(Problem::Message(message)));
                }
            }
            self.submitting.try_set(false);
        });
    }

    /// Cancels a queued task.
    pub(super) fn cancel(self, task_id: String) {
        let locale = self.locale;
        self.cancel_errors
            .update(|errors| errors.retain(|(id, _)| *id != task_id));
        leptos::task::spawn_local(async move {
            match crate::components::client::cancel(&task_id, locale).await {
                Ok(task) => self.receive(task),
                Err(message) => {
                    self.cancel_errors
                        .try_update(|errors| errors.push((task_id, message)));
                }
            }
        });
    }

    /// Uploads a mask image chosen with the file input.
    pub(super) fn upload_mask(self, file: web_sys::File) {
        let locale = self.locale;
        self.mask.error.set(None);
        self.mask.uploading.set(true);
        leptos::task::spawn_local(async move {
            match crate::components::client::upload(&file, &file.name(), "mask", locale).await {
                Ok(upload) => {
                    self.mask.file.try_set(Some(upload));
                }
                Err(message) => {
                    self.mask.error.try_set(Some(message));
                }
            }
            self.mask.uploading.try_set(false);
        });
    }
}

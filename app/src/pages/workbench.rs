//! The workbench: describe a picture, or edit your own with reference images and a painted
//! mask, see what it costs, and watch the results arrive.
//!
//! The page is one form. Without JavaScript it posts everything, files included, to
//! `/workbench` and the server answers with the page again (a refusal comes back as the
//! flash message), which reloads itself while anything is still being made. Once hydrated,
//! images upload as they are added, the submit goes to `/api/generations` as JSON, and the
//! results follow the live task stream (`/api/tasks/events`).

use super::settings::UtcTime;
use crate::api::{load_page_context, load_workbench};
use crate::components::forms::{CsrfField, FlashMessages, LoadFailed, Loading};
use crate::components::mask_canvas::{MaskHistory, MaskPainter};
use crate::components::page_meta::PageMeta;
use crate::components::uploader::{ACCEPT, ReferencePicker, Uploader};
use crate::i18n::{Locale, t, use_locale};
use crate::model::{Allowance, ModelOption, PageContext, TaskView, UploadView, WorkbenchData};
use leptos::prelude::*;
use serde::Serialize;

/// Longest prompt the server accepts, in characters.
pub const MAX_PROMPT_CHARS: usize = 5000;
/// Longest negative prompt the server accepts, in characters.
pub const MAX_NEGATIVE_CHARS: usize = 1000;
/// Images per submit.
pub const MAX_QUANTITY: u8 = 4;

const CAMERA_ANGLES: &[&str] = &["eye-level", "low-angle", "high-angle", "overhead", "dutch"];
const CAMERA_LENSES: &[&str] = &["wide", "normal", "portrait", "telephoto", "macro"];
const CAMERA_LIGHTING: &[&str] = &["natural", "studio", "golden-hour", "neon", "dramatic"];
/// Style presets with a name of their own (`workbench-style-…`).
const STYLES: &[&str] = &[
    "photo",
    "illustration",
    "watercolor",
    "3d",
    "anime",
    "poster",
];
/// Task statuses with a name of their own (`workbench-status-…`).
const STATUSES: &[&str] = &[
    "queued",
    "running",
    "succeeded",
    "failed",
    "cancelled",
    "refused",
];
/// Task error codes with a message of their own (`workbench-task-error-…`).
const TASK_ERRORS: &[&str] = &[
    "timeout",
    "provider",
    "refused-prompt",
    "refused-output",
    "refused-upload",
    "unavailable",
];

/// How often the page reloads itself without JavaScript while images are being made.
const NO_JS_REFRESH: &str = r#"<meta http-equiv="refresh" content="3">"#;

// ---------------------------------------------------------------------------------------
// What the form sends.

/// The JSON body of `POST /api/generations`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GenerationInput {
    pub model: String,
    pub prompt: String,
    pub negative_prompt: Option<String>,
    pub style: Option<String>,
    /// `None`: a random seed.
    pub seed: Option<u64>,
    pub aspect_ratio: String,
    pub resolution: String,
    pub format: String,
    pub quantity: u8,
    pub camera_angle: Option<String>,
    pub camera_lens: Option<String>,
    pub camera_lighting: Option<String>,
    pub character_consistency: bool,
    /// Upload ids, in order.
    pub references: Vec<String>,
    /// Upload id of the mask.
    pub mask: Option<String>,
    /// The page's language, for the messages of the answer.
    pub locale: String,
}

/// A text field's value, trimmed; `None` when empty.
fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// The seed field: empty for a random seed, else a whole number.
fn parse_seed(value: &str) -> Result<Option<u64>, ()> {
    match value.trim() {
        "" => Ok(None),
        digits => digits.parse::<u64>().map(Some).map_err(|_| ()),
    }
}

/// `wanted` when `offered` has it, else the first offered value (else `wanted`).
fn pick(offered: &[String], wanted: &str) -> String {
    if offered.iter().any(|o| o == wanted) {
        wanted.to_string()
    } else {
        offered
            .first()
            .cloned()
            .unwrap_or_else(|| wanted.to_string())
    }
}

/// Every value of any of the lists, once, in the order first seen.
fn union(lists: impl IntoIterator<Item = Vec<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in lists.into_iter().flatten() {
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

fn resolutions(model: &ModelOption) -> Vec<String> {
    model.prices.iter().map(|(r, _)| r.clone()).collect()
}

fn aspect_ratios(model: &ModelOption) -> Vec<String> {
    model.aspect_ratios.clone()
}

fn formats(model: &ModelOption) -> Vec<String> {
    model.formats.clone()
}

// ---------------------------------------------------------------------------------------
// Tasks and credits as news arrives.

/// Whether a task ended without making its image, so its credits went back.
#[cfg(any(feature = "hydrate", test))]
fn returns_credits(status: &str) -> bool {
    matches!(status, "failed" | "cancelled" | "refused")
}

/// Puts news of a task into the list: replaces it by id, or adds it in time order, newest
/// first. Late news that would turn a finished task back into an unfinished one is
/// dropped.
#[cfg(any(feature = "hydrate", test))]
fn merge_task(tasks: &mut Vec<TaskView>, task: TaskView) {
    if let Some(known) = tasks.iter_mut().find(|t| t.id == task.id) {
        if !known.is_done() || task.is_done() {
            *known = task;
        }
        return;
    }
    let at = tasks
        .iter()
        .position(|t| t.created_at < task.created_at)
        .unwrap_or(tasks.len());
    tasks.insert(at, task);
}

/// Keeps the credits the page shows in step with the tasks it hears about, between page
/// loads: a task it has not seen before was paid for (unless it already ended without an
/// image), and one it knows to be under way gives its credits back when it fails, is
/// cancelled or is refused.
#[cfg(any(feature = "hydrate", test))]
#[derive(Clone, Debug, Default)]
struct Spending {
    seen: std::collections::HashSet<String>,
    /// Under way: its credits are held.
    held: std::collections::HashSet<String>,
}

#[cfg(any(feature = "hydrate", test))]
impl Spending {
    /// The tasks the page loaded with, whose cost the loaded allowance already reflects.
    fn new(tasks: &[TaskView]) -> Self {
        Spending {
            seen: tasks.iter().map(|t| t.id.clone()).collect(),
            held: tasks
                .iter()
                .filter(|t| !t.is_done())
                .map(|t| t.id.clone())
                .collect(),
        }
    }

    /// What `task`'s news changes about the available credits.
    fn observe(&mut self, task: &TaskView) -> i64 {
        if self.seen.insert(task.id.clone()) {
            if returns_credits(&task.status) {
                return 0;
            }
            if !task.is_done() {
                self.held.insert(task.id.clone());
            }
            return -task.cost;
        }
        if task.is_done() && self.held.remove(&task.id) && returns_credits(&task.status) {
            return task.cost;
        }
        0
    }
}

/// The credits at hand.
fn available(allowance: &Allowance) -> i64 {
    match allowance {
        Allowance::Guest { remaining, .. } => *remaining,
        Allowance::Account { available } => *available,
    }
}

/// Changes the credits at hand by `delta`, never below zero.
#[cfg(any(feature = "hydrate", test))]
fn adjust(allowance: &mut Allowance, delta: i64) {
    match allowance {
        Allowance::Guest { remaining, total } => {
            *remaining = (*remaining + delta).clamp(0, (*total).max(0));
        }
        Allowance::Account { available } => *available = (*available + delta).max(0),
    }
}

// ---------------------------------------------------------------------------------------
// The page's state.

/// What the form holds, one signal per field.
#[derive(Clone, Copy)]
struct Choices {
    model: RwSignal<String>,
    prompt: RwSignal<String>,
    negative_prompt: RwSignal<String>,
    style: RwSignal<String>,
    seed: RwSignal<String>,
    aspect_ratio: RwSignal<String>,
    resolution: RwSignal<String>,
    format: RwSignal<String>,
    quantity: RwSignal<u8>,
    camera_angle: RwSignal<String>,
    camera_lens: RwSignal<String>,
    camera_lighting: RwSignal<String>,
    character_consistency: RwSignal<bool>,
}

/// The first values of the fields: what the person typed when the form came back refused
/// (`typed`), else sensible defaults for the first model.
#[derive(Clone, Debug, PartialEq)]
struct Initial {
    model: String,
    prompt: String,
    negative_prompt: String,
    style: String,
    seed: String,
    aspect_ratio: String,
    resolution: String,
    format: String,
    quantity: u8,
    camera_angle: String,
    camera_lens: String,
    camera_lighting: String,
    character_consistency: bool,
}

impl Initial {
    fn new(models: &[ModelOption], typed: impl Fn(&str) -> Option<String>) -> Self {
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
    fn advanced(&self) -> bool {
        !(self.negative_prompt.is_empty()
            && self.seed.is_empty()
            && self.camera_angle.is_empty()
            && self.camera_lens.is_empty()
            && self.camera_lighting.is_empty()
            && !self.character_consistency)
    }

    fn signals(&self) -> Choices {
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
enum Problem {
    /// Not enough credits: the message with a way to get more.
    Shortfall {
        required: i64,
        available: i64,
    },
    Message(String),
}

/// Which mask goes with a submit.
#[derive(Clone, Debug, PartialEq)]
enum MaskPlan {
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
struct MaskState {
    history: RwSignal<MaskHistory>,
    /// The editor is showing.
    open: RwSignal<bool>,
    /// An uploaded mask image, which wins over painting.
    file: RwSignal<Option<UploadView>>,
    uploading: RwSignal<bool>,
    error: RwSignal<Option<String>>,
}

/// Everything the page's parts share; copied into every handler.
#[derive(Clone, Copy)]
struct Studio {
    locale: Locale,
    signed_in: bool,
    hydrated: Signal<bool>,
    models: StoredValue<Vec<ModelOption>>,
    choices: Choices,
    /// The chosen model (the first, when the choice is unknown).
    model: Memo<Option<ModelOption>>,
    aspect_ratio: Memo<String>,
    resolution: Memo<String>,
    format: Memo<String>,
    cost: Memo<Option<i64>>,
    allowance: RwSignal<Allowance>,
    tasks: RwSignal<Vec<TaskView>>,
    #[cfg(any(feature = "hydrate", test))]
    spending: StoredValue<Spending>,
    uploader: Uploader,
    mask: MaskState,
    /// The first reference: its key, preview and (once uploaded) upload.
    first_reference: Memo<Option<(u64, String, Option<UploadView>)>>,
    submitting: RwSignal<bool>,
    problem: RwSignal<Option<Problem>>,
    /// Said after a submit started.
    notice: RwSignal<Option<String>>,
    /// Per task id: why cancelling it failed.
    cancel_errors: RwSignal<Vec<(String, String)>>,
}

impl Studio {
    fn new(
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
            allowance: RwSignal::new(data.allowance.clone()),
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

    fn available(&self) -> i64 {
        self.allowance.with(available)
    }

    /// Whether the chosen model can edit with a mask, and there is an uploaded first
    /// reference for it to apply to.
    fn mask_applies(&self) -> bool {
        self.model.with(|m| m.as_ref().is_some_and(|m| m.mask))
            && self
                .first_reference
                .with(|f| f.as_ref().is_some_and(|(_, _, upload)| upload.is_some()))
    }

    /// A model's name as the page shows it: the offline engine by what it is.
    fn model_name(&self, model_id: &str, label: &str) -> String {
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
    fn prepare(&self) -> Result<(GenerationInput, MaskPlan), Problem> {
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
            quantity,
            camera_angle: non_empty(&c.camera_angle.get_untracked()),
            camera_lens: non_empty(&c.camera_lens.get_untracked()),
            camera_lighting: non_empty(&c.camera_lighting.get_untracked()),
            character_consistency: c.character_consistency.get_untracked(),
            references,
            mask: None,
            locale: locale.tag().to_string(),
        };
        Ok((input, mask))
    }

    /// The form was sent (in the browser): checks it, then starts the generation.
    fn submit(self) {
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
    fn receive(self, task: TaskView) {
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
    fn send(self, (mut input, mask): (GenerationInput, MaskPlan)) {
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
    fn cancel(self, task_id: String) {
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
    fn upload_mask(self, file: web_sys::File) {
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

// ---------------------------------------------------------------------------------------
// The page.

#[component]
pub fn WorkbenchPage() -> impl IntoView {
    let ctx = Resource::new(|| (), |_| load_page_context());
    let data = Resource::new(|| (), |_| load_workbench());
    view! {
        <PageMeta
            title=t("workbench-title")
            description=t("workbench-description")
            page="/workbench"
        />
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match (ctx.await, data.await) {
                    (Ok(ctx), Ok(data)) => view! { <Workbench ctx data /> }.into_any(),
                    _ => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Workbench(ctx: PageContext, data: WorkbenchData) -> impl IntoView {
    let locale = use_locale();
    let hydrated = RwSignal::new(false);
    // Effects run in the browser only: from here on the page is interactive.
    Effect::new(move |_| hydrated.set(true));
    let flash = ctx.flash.clone();
    let initial = Initial::new(&data.models, |name| {
        flash
            .as_ref()
            .and_then(|f| f.field(name))
            .map(str::to_string)
    });
    let studio = Studio::new(&data, &initial, locale, hydrated.into());

    // The live task stream, open while the page is: the effect keeps it as its value, and
    // dropping that (when the page goes) closes it. A first-time visitor has nothing to
    // stream yet (the server answers 204 and the browser gives up), so the stream is opened
    // again whenever the task list changes and it is closed: after the first submit.
    #[cfg(feature = "hydrate")]
    Effect::new(
        move |events: Option<Option<crate::components::client::TaskEvents>>| {
            studio.tasks.track();
            events
                .flatten()
                .filter(|events| !events.is_closed())
                .or_else(|| {
                    crate::components::client::TaskEvents::open(move |task| studio.receive(task))
                })
        },
    );

    // A mask belongs to the first reference: a different first image starts it afresh.
    Effect::new(move |before: Option<Option<u64>>| {
        let key = studio
            .first_reference
            .with(|f| f.as_ref().map(|(key, _, _)| *key));
        if before.is_some_and(|before| before != key) {
            studio.mask.history.update(MaskHistory::reset);
        }
        key
    });
    // A refusal is about the request as it was: changing the request clears it.
    Effect::new(move |_| {
        studio.cost.track();
        studio.choices.model.track();
        studio.problem.set(None);
    });

    let unfinished = data.tasks.iter().any(|t| !t.is_done());
    let csrf = StoredValue::new(data.csrf_token.clone());
    let body = if data.models.is_empty() {
        view! {
            <div class="alert error" role="alert">
                {t("workbench-no-models")}
            </div>
        }
        .into_any()
    } else {
        view! {
            <WorkbenchForm
                studio
                initial=initial.clone()
                styles=data.styles.clone()
                csrf=data.csrf_token.clone()
            />
        }
        .into_any()
    };
    view! {
        <div class="workbench container">
            <header class="workbench-head">
                <h1>{t("workbench-heading")}</h1>
                <p class="lead muted">{t("workbench-lead")}</p>
            </header>
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            <div class="workbench-grid">
                {body}
                <TaskList studio csrf />
            </div>
            // Without JavaScript the page reloads itself while images are being made; with
            // it, `noscript` is inert and the task stream brings the news instead.
            {unfinished.then(|| view! { <noscript inner_html=NO_JS_REFRESH></noscript> })}
        </div>
    }
    .into_any()
}

/// The option list of a `<select>`: `(value, label)`, with `selected` chosen.
fn options(choices: Vec<(String, String)>, selected: &str) -> impl IntoView + use<> {
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
fn label(prefix: &str, known: &[&str], value: &str) -> String {
    if known.contains(&value) {
        t(&format!("{prefix}-{value}"))
    } else {
        value.to_string()
    }
}

fn format_label(format: &str) -> String {
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
fn ModelSelect(
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
fn CameraSelect(
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

#[component]
fn WorkbenchForm(
    studio: Studio,
    initial: Initial,
    styles: Vec<String>,
    csrf: String,
) -> impl IntoView {
    let locale = use_locale();
    let c = studio.choices;
    let prompt_count = move || {
        let count = c.prompt.with(|p| p.chars().count());
        locale.t_args(
            "workbench-prompt-count",
            &[("count", count.into()), ("max", MAX_PROMPT_CHARS.into())],
        )
    };
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
                    inner_html=escape_html(&initial.prompt)
                ></textarea>
                <p class="hint counter" id="prompt-count">
                    {prompt_count}
                </p>
            </div>
            <References studio />
            <MaskSection studio />
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
            <noscript inner_html=noscript_hint(&t("workbench-options-nojs"))></noscript>
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
            <SubmitBar studio />
        </form>
    }
    .into_any()
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

/// The models as radio cards, each with its prices per resolution and what it can do.
#[component]
fn ModelPicker(studio: Studio, initial: String) -> impl IntoView {
    let locale = use_locale();
    let cards = studio.models.with_value(|models| {
        models
            .iter()
            .map(|model| {
                let id = model.id.clone();
                let input_id = format!("model-{id}");
                let prices = model
                    .prices
                    .iter()
                    .map(|(resolution, credits)| {
                        locale.t_args(
                            "workbench-model-price",
                            &[
                                ("resolution", resolution.clone().into()),
                                ("credits", (*credits).into()),
                            ],
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" · ");
                let mut facts = vec![locale.t_args(
                    "workbench-model-references",
                    &[("count", model.max_references.into())],
                )];
                if model.mask {
                    facts.push(t("workbench-model-mask"));
                }
                let checked = model.id == initial;
                let value = id.clone();
                let label_for = input_id.clone();
                view! {
                    <label class="model-card" for=label_for>
                        <input
                            type="radio"
                            name="model"
                            id=input_id
                            value=value
                            checked=checked
                            on:change=move |_| studio.choices.model.set(id.clone())
                        />
                        <span class="model-card-body">
                            <span class="model-name">
                                {studio.model_name(&model.id, &model.label)}
                                {model
                                    .offline
                                    .then(|| {
                                        view! {
                                            " "
                                            <span class="badge neutral">
                                                {t("workbench-model-not-ai")}
                                            </span>
                                        }
                                    })}
                            </span>
                            <span class="model-prices">{prices}</span>
                            <span class="model-facts">{facts.join(" · ")}</span>
                            {model
                                .offline
                                .then(|| {
                                    view! {
                                        <span class="model-hint">
                                            {t("workbench-model-offline-hint")}
                                        </span>
                                    }
                                })}
                        </span>
                    </label>
                }
            })
            .collect_view()
    });
    view! {
        <fieldset class="model-picker">
            <legend>{t("workbench-model-legend")}</legend>
            <div class="model-cards">{cards}</div>
        </fieldset>
    }
    .into_any()
}

/// The reference images, for models that edit: before the page is interactive whenever
/// any model does, after it when the chosen one does (or when images are already there,
/// so they can be removed).
#[component]
fn References(studio: Studio) -> impl IntoView {
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

/// The mask: painted over the first reference, or uploaded as an image. Before the page is
/// interactive only the upload is offered (whenever any model takes masks).
#[component]
fn MaskSection(studio: Studio) -> impl IntoView {
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
    move || {
        visible.get().then(|| {
            view! {
                <fieldset class="mask-section">
                    <legend>{t("workbench-mask-legend")}</legend>
                    <p class="hint">{t("workbench-mask-lead")}</p>
                    {mode_button}
                    {painter}
                    {painted}
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
                </fieldset>
            }
        })
    }
}

/// The allowance, the cost, what stands in the way, and the button.
#[component]
fn SubmitBar(studio: Studio) -> impl IntoView {
    let locale = use_locale();
    let allowance = move || match studio.allowance.get() {
        Allowance::Guest { remaining, total } => locale.t_args(
            "workbench-allowance-guest",
            &[("remaining", remaining.into()), ("total", total.into())],
        ),
        Allowance::Account { available } => locale.t_args(
            "workbench-allowance-account",
            &[("credits", available.into())],
        ),
    };
    let cost = move || match studio.cost.get() {
        Some(credits) => locale.t_args("workbench-cost", &[("credits", credits.into())]),
        None => t("workbench-cost-unknown"),
    };
    // The same words the server uses when it refuses for want of credits.
    let (message_key, more_href, more_key) = if studio.signed_in {
        (
            "generation-error-insufficient-credits",
            locale.path("/pricing"),
            "workbench-shortfall-buy",
        )
    } else {
        (
            "generation-error-trial-exhausted",
            locale.path("/sign-up"),
            "workbench-shortfall-sign-up",
        )
    };
    let shortfall = move |required: i64, available: i64| {
        view! {
            <div class="alert error shortfall" role="alert" id="shortfall">
                <p>
                    {locale
                        .t_args(
                            message_key,
                            &[("required", required.into()), ("available", available.into())],
                        )}
                </p>
                <a class="button small primary" href=more_href.clone()>
                    {t(more_key)}
                </a>
            </div>
        }
        .into_any()
    };
    let problem = move || match studio.problem.get() {
        Some(Problem::Shortfall {
            required,
            available,
        }) => Some(shortfall(required, available)),
        Some(Problem::Message(message)) => Some(
            view! {
                <div class="alert error" role="alert" id="submit-error">
                    {message}
                </div>
            }
            .into_any(),
        ),
        None => {
            let available = studio.available();
            studio
                .cost
                .get()
                .filter(|required| *required > available)
                .map(|required| shortfall(required, available))
        }
    };
    let notice = move || {
        studio.notice.get().map(|text| {
            view! { <span>{text}</span> }
        })
    };
    view! {
        <div class="submit-bar">
            <p class="allowance" id="allowance">
                {allowance}
            </p>
            <p class="cost-line" id="cost-line" aria-live="polite">
                {cost}
            </p>
            {problem}
            <p class="submit-status" id="submit-status" role="status">
                {notice}
            </p>
            <button
                type="submit"
                id="submit-generation"
                class="button primary large"
                disabled=move || studio.submitting.get()
                aria-busy=move || studio.submitting.get().then_some("true")
            >
                {move || {
                    if studio.submitting.get() {
                        t("workbench-submitting")
                    } else {
                        t("workbench-submit")
                    }
                }}
            </button>
        </div>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// Results.

/// The person's tasks, newest first, following the live stream.
#[component]
fn TaskList(studio: Studio, csrf: StoredValue<String>) -> impl IntoView {
    let empty = move || {
        studio.tasks.with(Vec::is_empty).then(|| {
            view! { <p class="muted results-empty">{t("workbench-results-empty")}</p> }
        })
    };
    let guest = (!studio.signed_in)
        .then(|| view! { <p class="hint results-guest">{t("workbench-results-guest")}</p> });
    view! {
        <section class="workbench-results" aria-labelledby="results-heading">
            <h2 id="results-heading">{t("workbench-results-heading")}</h2>
            {guest}
            {empty}
            <ol class="task-list" id="task-list">
                <For
                    each=move || studio.tasks.get()
                    key=|task| task.id.clone()
                    children=move |task| view! { <TaskCard studio task csrf /> }
                />
            </ol>
        </section>
    }
    .into_any()
}

/// The badge colour of a task status.
fn status_badge(status: &str) -> &'static str {
    match status {
        "succeeded" => "badge ok",
        "running" => "badge warn",
        "failed" | "refused" => "badge bad",
        _ => "badge neutral",
    }
}

/// Why a task made no image, in the page's language.
fn task_error(task: &TaskView) -> Option<String> {
    if !matches!(task.status.as_str(), "failed" | "refused") {
        return None;
    }
    Some(match task.error_code.as_deref() {
        Some(code) if TASK_ERRORS.contains(&code) => t(&format!("workbench-task-error-{code}")),
        _ => t("workbench-task-error-generic"),
    })
}

/// The file name a download suggests.
fn download_name(task_id: &str, number: usize, content_type: &str) -> String {
    let extension = match content_type {
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        _ => "png",
    };
    format!("banana-nano-{task_id}-{number}.{extension}")
}

#[component]
fn TaskCard(studio: Studio, task: TaskView, csrf: StoredValue<String>) -> impl IntoView {
    let locale = use_locale();
    let id = task.id.clone();
    let current = {
        let id = id.clone();
        let first = task.clone();
        Memo::new(move |_| {
            studio
                .tasks
                .with(|tasks| tasks.iter().find(|t| t.id == id).cloned())
                .unwrap_or_else(|| first.clone())
        })
    };
    let status = Memo::new(move |_| current.with(|t| t.status.clone()));
    let status_line = move || {
        let status = status.get();
        view! { <span class=status_badge(&status)>{label("workbench-status", STATUSES, &status)}</span> }
    };
    let progress = move || {
        current.with(|task| match (task.status.as_str(), task.progress) {
            ("running", Some(percent)) => Some(
                view! {
                    <div class="task-progress">
                        <progress max="100" value=percent aria-labelledby=format!("task-status-{}", task.id)></progress>
                        <span>{locale.t_args("workbench-task-progress", &[("percent", percent.into())])}</span>
                    </div>
                }
                .into_any(),
            ),
            ("running" | "queued", _) => Some(
                view! {
                    <p class="task-working muted">
                        <span class="spinner small" aria-hidden="true"></span>
                        {t("workbench-task-working")}
                    </p>
                }
                .into_any(),
            ),
            _ => None,
        })
    };
    let error = move || {
        current.with(task_error).map(|message| {
            view! { <p class="task-error">{message}</p> }
        })
    };
    let outputs = move || {
        current.with(|task| {
            (!task.outputs.is_empty()).then(|| {
                let items = task
                    .outputs
                    .iter()
                    .enumerate()
                    .map(|(index, output)| {
                        let number = index + 1;
                        let alt = locale.t_args(
                            "workbench-task-result-alt",
                            &[
                                ("number", number.into()),
                                ("width", output.width.into()),
                                ("height", output.height.into()),
                            ],
                        );
                        view! {
                            <li class="task-output">
                                <a
                                    class="result-link"
                                    href=output.url.clone()
                                    target="_blank"
                                    rel="noopener"
                                >
                                    <img
                                        class="result-thumb"
                                        src=output.thumb_url.clone()
                                        alt=alt
                                        width=output.width
                                        height=output.height
                                        loading="lazy"
                                        decoding="async"
                                    />
                                    <span class="visually-hidden">{t("workbench-task-new-tab")}</span>
                                </a>
                                <a
                                    class="button small result-download"
                                    href=output.url.clone()
                                    download=download_name(&task.id, number, &output.content_type)
                                    aria-label=locale
                                        .t_args("workbench-task-download-label", &[("number", number.into())])
                                >
                                    {t("workbench-task-download")}
                                </a>
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul class="task-outputs">{items}</ul> }
            })
        })
    };
    let cancel_action = locale.path(&format!("/workbench/tasks/{id}/cancel"));
    let cancel = {
        #[cfg(feature = "hydrate")]
        let id = id.clone();
        move || {
            (status.get() == "queued").then(|| {
                #[cfg(feature = "hydrate")]
                let task_id = id.clone();
                let on_submit = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    #[cfg(feature = "hydrate")]
                    studio.cancel(task_id.clone());
                };
                view! {
                    <form
                        class="task-cancel-form"
                        method="post"
                        action=cancel_action.clone()
                        on:submit=on_submit
                    >
                        <CsrfField token=csrf.get_value() />
                        <button
                            type="submit"
                            class="button small danger task-cancel"
                            aria-label=t("workbench-task-cancel-label")
                        >
                            {t("workbench-task-cancel")}
                        </button>
                    </form>
                }
            })
        }
    };
    let cancel_error = {
        let id = id.clone();
        move || {
            studio
                .cancel_errors
                .with(|errors| {
                    errors
                        .iter()
                        .find(|(task, _)| *task == id)
                        .map(|(_, m)| m.clone())
                })
                .map(|message| view! { <p class="task-error" role="alert">{message}</p> })
        }
    };
    let meta = format!(
        "{} · {}",
        studio.model_name(&task.model_id, &task.model_label),
        locale.t_args("workbench-task-cost", &[("credits", task.cost.into())])
    );
    view! {
        <li class="task" data-task-id=id.clone() data-status=move || status.get()>
            <div class="task-head">
                <p class="task-status" id=format!("task-status-{id}") aria-live="polite">
                    {status_line}
                </p>
                <p class="task-meta muted small">
                    {meta} " · " <UtcTime ms=task.created_at />
                </p>
            </div>
            <p class="task-prompt" title=task.prompt.clone()>
                {task.prompt.clone()}
            </p>
            {progress}
            {error}
            {outputs}
            {cancel}
            {cancel_error}
        </li>
    }
    .into_any()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::components::forms::test_support::{check, ctx, render, viewer};
    use crate::model::{Flash, OutputView};

    fn model(id: &str, offline: bool) -> ModelOption {
        ModelOption {
            id: id.into(),
            label: format!("Model {id}"),
            offline,
            prices: if offline {
                vec![("1K".into(), 1)]
            } else {
                vec![("1K".into(), 2), ("2K".into(), 4), ("4K".into(), 8)]
            },
            aspect_ratios: if offline {
                vec!["1:1".into(), "16:9".into()]
            } else {
                vec!["1:1".into(), "16:9".into(), "21:9".into()]
            },
            formats: vec!["png".into(), "webp".into()],
            max_references: if offline { 1 } else { 3 },
            mask: !offline,
        }
    }

    fn task(id: &str, status: &str, created_at: i64) -> TaskView {
        TaskView {
            id: id.into(),
            batch_id: "b-1".into(),
            status: status.into(),
            progress: (status == "running").then_some(40),
            model_id: "gemini".into(),
            model_label: "Model gemini".into(),
            prompt: "A banana in a boat".into(),
            cost: 2,
            error_code: None,
            created_at,
            outputs: Vec::new(),
        }
    }

    fn data(allowance: Allowance, tasks: Vec<TaskView>) -> WorkbenchData {
        WorkbenchData {
            signed_in: matches!(allowance, Allowance::Account { .. }),
            allowance,
            models: vec![model("local", true), model("gemini", false)],
            styles: STYLES.iter().map(|s| s.to_string()).collect(),
            max_upload_bytes: 10 * 1024 * 1024,
            tasks,
            csrf_token: "csrf-token-123".into(),
        }
    }

    fn page(locale: Locale, context: PageContext, data: WorkbenchData) -> String {
        render(locale, move || view! { <Workbench ctx=context data /> })
    }

    #[test]
    fn the_form_offers_every_field_in_both_locales() {
        for locale in Locale::ALL {
            let html = page(
                locale,
                ctx(None, None),
                data(
                    Allowance::Guest {
                        remaining: 5,
                        total: 10,
                    },
                    Vec::new(),
                ),
            );
            check(&format!("workbench-{}", locale.tag()), &html);
            assert!(html.contains(&format!(
                r#"action="{}" enctype="multipart/form-data""#,
                locale.path("/workbench")
            )));
            for id in [
                "workbench-form",
                "prompt",
                "model-local",
                "model-gemini",
                "reference-input",
                "drop-zone",
                "mask-input",
                "submit-generation",
                "cost-line",
                "allowance",
                "style",
                "aspect-ratio",
                "resolution",
                "format",
                "quantity",
                "seed",
                "camera-angle",
                "camera-lens",
                "camera-lighting",
                "character-consistency",
            ] {
                assert!(html.contains(&format!(r#"id="{id}""#)), "{id}");
            }
            for name in [
                "model",
                "prompt",
                "negative_prompt",
                "style",
                "seed",
                "aspect_ratio",
                "resolution",
                "format",
                "quantity",
                "camera_angle",
                "camera_lens",
                "camera_lighting",
                "character_consistency",
                "reference_files",
                "mask_file",
            ] {
                assert!(html.contains(&format!(r#"name="{name}""#)), "{name}");
            }
            assert!(html.contains(&format!(r#"name="locale" value="{}""#, locale.tag())));
            // The first model is chosen; before hydration every model's values are listed.
            assert!(html.contains(r#"id="model-local" value="local" checked"#));
            assert!(html.contains(r#"<option value="21:9">21:9</option>"#));
            assert!(html.contains(r#"<option value="4K">4K</option>"#));
            assert!(html.contains(r#"<option value="1K" selected>1K</option>"#));
            assert!(html.contains(r#"<option value="png" selected>PNG</option>"#));
            for style in STYLES {
                assert!(
                    html.contains(&format!(r#"<option value="{style}">"#)),
                    "{style}"
                );
            }
            // The browser-only tools are not in the server's page.
            assert!(!html.contains("mask-canvas") && !html.contains(r#"id="mask-mode""#));
            assert!(!html.contains(r#"http-equiv="refresh""#));
        }
    }

    #[test]
    fn models_show_prices_and_the_offline_engine_by_name() {
        let html = page(
            Locale::En,
            ctx(None, None),
            data(
                Allowance::Guest {
                    remaining: 5,
                    total: 10,
                },
                Vec::new(),
            ),
        );
        assert!(html.contains("Offline engine"));
        assert!(html.contains("Not AI"));
        assert!(
            !html.contains(">Model local<"),
            "the offline engine's label is replaced"
        );
        assert!(html.contains("Model gemini"));
        assert!(html.contains("1K: 2 credits · 2K: 4 credits · 4K: 8 credits"));
        assert!(html.contains("1K: 1 credit"));
        assert!(html.contains("Edits up to 3 reference images · Mask editing"));
        assert!(html.contains("This will use 1 credit."));
        assert!(html.contains("Trial: 5 of 10 credits left as a guest."));
        let html = page(
            Locale::ZhCn,
            ctx(Some(viewer()), None),
            data(Allowance::Account { available: 120 }, Vec::new()),
        );
        assert!(html.contains("离线引擎") && html.contains("非 AI"));
        assert!(html.contains("本次将使用 1 积分。"));
        assert!(html.contains("你有 120 积分。"));
    }

    #[test]
    fn a_shortfall_says_what_is_needed_and_where_to_get_more() {
        for (allowance, more) in [
            (
                Allowance::Guest {
                    remaining: 0,
                    total: 10,
                },
                "/sign-up",
            ),
            (Allowance::Account { available: 0 }, "/pricing"),
        ] {
            for locale in Locale::ALL {
                let html = page(locale, ctx(None, None), data(allowance.clone(), Vec::new()));
                assert!(html.contains(r#"id="shortfall""#), "{allowance:?}");
                assert!(html.contains(&format!(r#"href="{}""#, locale.path(more))));
            }
        }
        let html = page(
            Locale::En,
            ctx(None, None),
            data(Allowance::Account { available: 0 }, Vec::new()),
        );
        assert!(html.contains("This needs 1 credit and you have 0."));
        let html = page(
            Locale::En,
            ctx(None, None),
            data(Allowance::Account { available: 1 }, Vec::new()),
        );
        assert!(!html.contains(r#"id="shortfall""#));
    }

    #[test]
    fn a_refused_form_comes_back_filled_in_with_its_error() {
        let flash = Flash {
            form: "generation".into(),
            error: Some("generation-error-prompt-too-long".into()),
            args: vec![("max".into(), "5000".into())],
            notice: None,
            fields: vec![
                ("model".into(), "gemini".into()),
                ("prompt".into(), "A <b>bold</b> banana".into()),
                ("resolution".into(), "2K".into()),
                ("quantity".into(), "3".into()),
                ("seed".into(), "42".into()),
                ("camera_lens".into(), "macro".into()),
                ("character_consistency".into(), "true".into()),
            ],
        };
        for locale in Locale::ALL {
            let html = page(
                locale,
                ctx(None, Some(flash.clone())),
                data(Allowance::Account { available: 100 }, Vec::new()),
            );
            check(&format!("workbench-refused-{}", locale.tag()), &html);
            assert!(html.contains(r#"role="alert""#));
            assert!(html.contains("5000"));
            assert!(html.contains(r#"id="model-gemini" value="gemini" checked"#));
            assert!(html.contains(">A &lt;b&gt;bold&lt;/b&gt; banana</textarea>"));
            assert!(html.contains(r#"<option value="2K" selected>2K</option>"#));
            assert!(html.contains(r#"<option value="3" selected>"#));
            assert!(html.contains(r#"<option value="macro" selected>"#));
            assert!(html.contains(r#"value="42""#));
            assert!(html.contains(r#"<details open class="advanced">"#));
            assert!(html.contains(r#"value="true" checked"#));
        }
        let html = page(
            Locale::En,
            ctx(None, Some(flash)),
            data(Allowance::Account { available: 100 }, Vec::new()),
        );
        assert!(html.contains("The prompt can be up to 5000 characters."));
        // 2K × 3 on the second model.
        assert!(html.contains("This will use 12 credits."));
    }

    #[test]
    fn tasks_show_their_status_results_and_cancel_forms() {
        let mut done = task("t-done", "succeeded", 3_000);
        done.outputs = vec![OutputView {
            id: "o-1".into(),
            url: "/files/full.webp?sig=1".into(),
            thumb_url: "/files/thumb.webp?sig=1".into(),
            width: 1024,
            height: 768,
            content_type: "image/webp".into(),
        }];
        let mut refused = task("t-refused", "refused", 2_000);
        refused.error_code = Some("refused-prompt".into());
        let mut odd = task("t-odd", "failed", 1_000);
        odd.error_code = Some("something-new".into());
        let tasks = vec![
            task("t-queued", "queued", 5_000),
            task("t-running", "running", 4_000),
            done,
            refused,
            odd,
            task("t-cancelled", "cancelled", 500),
        ];
        for locale in Locale::ALL {
            let html = page(
                locale,
                ctx(Some(viewer()), None),
                data(Allowance::Account { available: 100 }, tasks.clone()),
            );
            check(&format!("workbench-tasks-{}", locale.tag()), &html);
            for (id, status) in [
                ("t-queued", "queued"),
                ("t-running", "running"),
                ("t-done", "succeeded"),
                ("t-refused", "refused"),
                ("t-odd", "failed"),
                ("t-cancelled", "cancelled"),
            ] {
                assert!(
                    html.contains(&format!(r#"data-task-id="{id}" data-status="{status}""#)),
                    "{id}"
                );
            }
            // Newest first.
            assert!(html.find("t-queued").unwrap() < html.find("t-cancelled").unwrap());
            assert_eq!(html.matches("task-cancel-form").count(), 1);
            assert!(html.contains(&format!(
                r#"action="{}""#,
                locale.path("/workbench/tasks/t-queued/cancel")
            )));
            assert!(html.contains(r#"class="button small danger task-cancel">"#));
            assert!(html.contains(r#"class="result-thumb">"#));
            assert!(html.contains(r#"<progress max="100" value="40""#));
            assert!(
                html.contains(r#"href="/files/full.webp?sig=1" target="_blank" rel="noopener""#)
            );
            assert!(html.contains(r#"<img src="/files/thumb.webp?sig=1""#));
            assert!(html.contains(r#"download="banana-nano-t-done-1.webp""#));
            assert!(html.contains(r#"aria-live="polite""#));
            // Still working: the page reloads itself without JavaScript.
            assert!(
                html.contains(r#"<noscript><meta http-equiv="refresh" content="3"></noscript>"#)
            );
        }
        let html = page(
            Locale::En,
            ctx(Some(viewer()), None),
            data(Allowance::Account { available: 100 }, tasks.clone()),
        );
        assert!(html.contains("The prompt was refused under the content policy."));
        assert!(html.contains("This image could not be made."));
        assert!(html.contains("Running") && html.contains("40%"));
        let finished: Vec<_> = tasks.into_iter().filter(|t| t.is_done()).collect();
        let html = page(
            Locale::En,
            ctx(Some(viewer()), None),
            data(Allowance::Account { available: 100 }, finished),
        );
        assert!(!html.contains(r#"http-equiv="refresh""#));
        assert!(!html.contains("task-cancel"));
    }

    #[test]
    fn without_models_the_page_says_so() {
        let mut empty = data(Allowance::Account { available: 1 }, Vec::new());
        empty.models.clear();
        let html = page(Locale::En, ctx(None, None), empty);
        assert!(html.contains("No image models are available right now."));
        assert!(!html.contains("workbench-form"));
    }

    #[test]
    fn news_of_a_task_replaces_it_or_lands_in_time_order() {
        let mut tasks = vec![task("b", "queued", 200), task("a", "succeeded", 100)];
        merge_task(&mut tasks, task("c", "queued", 300));
        merge_task(&mut tasks, task("between", "queued", 150));
        let ids: Vec<_> = tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["c", "b", "between", "a"]);
        merge_task(&mut tasks, task("b", "running", 200));
        assert_eq!(tasks[1].status, "running");
        merge_task(&mut tasks, task("b", "failed", 200));
        // A late "running" does not bring a failed task back.
        merge_task(&mut tasks, task("b", "running", 200));
        assert_eq!(tasks[1].status, "failed");
        assert_eq!(tasks.len(), 4);
    }

    #[test]
    fn credits_follow_what_tasks_cost_and_give_back() {
        let mut spending = Spending::new(&[
            task("old-running", "running", 1),
            task("old-done", "succeeded", 1),
        ]);
        // Loaded tasks are already paid for; a held one that fails gives its credits back.
        assert_eq!(spending.observe(&task("old-done", "succeeded", 1)), 0);
        assert_eq!(spending.observe(&task("old-running", "failed", 1)), 2);
        assert_eq!(spending.observe(&task("old-running", "failed", 1)), 0);
        // A new task is paid for once, and given back once when cancelled.
        assert_eq!(spending.observe(&task("new", "queued", 2)), -2);
        assert_eq!(spending.observe(&task("new", "running", 2)), 0);
        assert_eq!(spending.observe(&task("new", "cancelled", 2)), 2);
        assert_eq!(spending.observe(&task("new", "cancelled", 2)), 0);
        // A new task that succeeded was paid for; one first heard of as refused was not.
        assert_eq!(spending.observe(&task("fast", "succeeded", 3)), -2);
        assert_eq!(spending.observe(&task("refused", "refused", 3)), 0);
        assert_eq!(spending.observe(&task("kept", "queued", 3)), -2);
        assert_eq!(spending.observe(&task("kept", "succeeded", 3)), 0);

        let mut guest = Allowance::Guest {
            remaining: 3,
            total: 10,
        };
        adjust(&mut guest, -5);
        assert_eq!(
            guest,
            Allowance::Guest {
                remaining: 0,
                total: 10
            }
        );
        adjust(&mut guest, 20);
        assert_eq!(
            guest,
            Allowance::Guest {
                remaining: 10,
                total: 10
            }
        );
        let mut account = Allowance::Account { available: 5 };
        adjust(&mut account, -2);
        assert_eq!(available(&account), 3);
    }

    #[test]
    fn the_studio_merges_news_into_tasks_and_credits() {
        let owner = Owner::new();
        owner.with(|| {
            provide_context(Locale::En);
            let data = data(
                Allowance::Account { available: 10 },
                vec![task("old", "queued", 1)],
            );
            let initial = Initial::new(&data.models, |_| None);
            let studio = Studio::new(&data, &initial, Locale::En, Signal::derive(|| true));
            studio.receive(task("new", "queued", 5));
            assert_eq!(
                studio.allowance.get_untracked(),
                Allowance::Account { available: 8 }
            );
            studio.receive(task("old", "refused", 1));
            assert_eq!(
                studio.allowance.get_untracked(),
                Allowance::Account { available: 10 }
            );
            let ids: Vec<_> = studio
                .tasks
                .with_untracked(|ts| ts.iter().map(|t| t.id.clone()).collect());
            assert_eq!(ids, ["new", "old"]);
        });
    }

    #[test]
    fn the_request_carries_the_form_as_the_endpoint_takes_it() {
        let owner = Owner::new();
        owner.with(|| {
            provide_context(Locale::ZhCn);
            let data = data(Allowance::Account { available: 100 }, Vec::new());
            let initial = Initial::new(&data.models, |_| None);
            let studio = Studio::new(&data, &initial, Locale::ZhCn, Signal::derive(|| true));
            let c = studio.choices;
            assert_eq!(
                studio.prepare(),
                Err(Problem::Message(
                    Locale::ZhCn.t("generation-error-empty-prompt")
                ))
            );
            c.prompt.set("  a banana  ".into());
            c.model.set("gemini".into());
            c.resolution.set("4K".into());
            c.aspect_ratio.set("9:16".into()); // not offered: the model's first
            c.quantity.set(2);
            c.camera_lens.set("macro".into());
            c.negative_prompt.set("   ".into());
            c.seed.set("12".into());
            let (input, mask) = studio.prepare().unwrap();
            assert_eq!(mask, MaskPlan::None);
            let json = serde_json::to_value(&input).unwrap();
            assert_eq!(
                json,
                serde_json::json!({
                    "model": "gemini",
                    "prompt": "a banana",
                    "negative_prompt": null,
                    "style": null,
                    "seed": 12,
                    "aspect_ratio": "1:1",
                    "resolution": "4K",
                    "format": "png",
                    "quantity": 2,
                    "camera_angle": null,
                    "camera_lens": "macro",
                    "camera_lighting": null,
                    "character_consistency": false,
                    "references": [],
                    "mask": null,
                    "locale": "zh-CN",
                })
            );
            c.seed.set("-1".into());
            assert_eq!(
                studio.prepare(),
                Err(Problem::Message(Locale::ZhCn.t("workbench-error-seed")))
            );
            c.seed.set(String::new());
            c.quantity.set(4);
            studio.allowance.set(Allowance::Account { available: 31 });
            assert_eq!(
                studio.prepare(),
                Err(Problem::Shortfall {
                    required: 32,
                    available: 31
                })
            );
        });
    }

    #[test]
    fn every_named_value_has_a_name_in_both_locales() {
        let families: [(&str, &[&str]); 6] = [
            ("workbench-status", STATUSES),
            ("workbench-style", STYLES),
            ("workbench-task-error", TASK_ERRORS),
            ("workbench-camera-angle", CAMERA_ANGLES),
            ("workbench-camera-lens", CAMERA_LENSES),
            ("workbench-camera-lighting", CAMERA_LIGHTING),
        ];
        for locale in Locale::ALL {
            for (prefix, values) in families {
                for value in values {
                    let key = format!("{prefix}-{value}");
                    assert_ne!(locale.t(&key), key, "{}", locale.tag());
                }
            }
        }
    }

    #[test]
    fn seeds_are_empty_or_whole_numbers() {
        assert_eq!(parse_seed(""), Ok(None));
        assert_eq!(parse_seed("  "), Ok(None));
        assert_eq!(parse_seed(" 42 "), Ok(Some(42)));
        assert_eq!(parse_seed("18446744073709551615"), Ok(Some(u64::MAX)));
        assert_eq!(parse_seed("4.5"), Err(()));
        assert_eq!(parse_seed("-3"), Err(()));
        assert_eq!(parse_seed("abc"), Err(()));
    }

    #[test]
    fn choices_fall_back_to_what_the_model_offers() {
        let offered = vec!["1:1".to_string(), "16:9".to_string()];
        assert_eq!(pick(&offered, "16:9"), "16:9");
        assert_eq!(pick(&offered, "21:9"), "1:1");
        assert_eq!(pick(&[], "21:9"), "21:9");
        assert_eq!(
            union([offered.clone(), vec!["21:9".into(), "1:1".into()]]),
            ["1:1", "16:9", "21:9"]
        );
    }
}

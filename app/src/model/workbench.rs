//! Wire types of the workbench: the models on offer, the person's allowance, and tasks as
//! pages and the live stream (`/api/tasks/events`) show them. Times are unix milliseconds;
//! file URLs are signed and expire.

use serde::{Deserialize, Serialize};

/// One model in the picker, with everything the form needs to offer only what it can do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelOption {
    pub id: String,
    pub label: String,
    /// The offline engine: the page names it as such (not AI).
    pub offline: bool,
    /// Credits per image at each offered resolution: `("1K", 1)`, `("2K", 2)`…
    pub prices: Vec<(String, i64)>,
    /// `1:1`, `16:9`…
    pub aspect_ratios: Vec<String>,
    /// `png`, `jpeg`, `webp`.
    pub formats: Vec<String>,
    /// 0: text-to-image only.
    pub max_references: u8,
    pub mask: bool,
}

impl ModelOption {
    /// Credits for `quantity` images at `resolution`, if offered.
    pub fn cost(&self, resolution: &str, quantity: u8) -> Option<i64> {
        self.prices
            .iter()
            .find(|(r, _)| r == resolution)
            .map(|(_, c)| c * i64::from(quantity))
    }
}

/// Who is using the workbench, and what they can spend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Allowance {
    /// Not signed in: trial credits left (of `total`).
    Guest { remaining: i64, total: i64 },
    /// Signed in: spendable credits.
    Account { available: i64 },
}

/// An image a task made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputView {
    pub id: String,
    pub url: String,
    pub thumb_url: String,
    pub width: u32,
    pub height: u32,
    pub content_type: String,
}

/// One task (one image) as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskView {
    pub id: String,
    pub batch_id: String,
    /// queued | running | succeeded | failed | cancelled | refused
    pub status: String,
    /// Percent, where the provider reports it.
    pub progress: Option<u8>,
    pub model_id: String,
    pub model_label: String,
    pub prompt: String,
    pub cost: i64,
    /// A stable code (`timeout`, `provider`, `refused-prompt`, `refused-output`…) the page
    /// translates as `workbench-task-error-<code>`.
    pub error_code: Option<String>,
    pub created_at: i64,
    pub outputs: Vec<OutputView>,
}

impl TaskView {
    pub fn is_done(&self) -> bool {
        !matches!(self.status.as_str(), "queued" | "running")
    }
}

/// An uploaded reference or mask, as `/api/uploads` answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UploadView {
    pub id: String,
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// What `/workbench` loads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkbenchData {
    pub signed_in: bool,
    pub allowance: Allowance,
    pub models: Vec<ModelOption>,
    /// Style preset ids; the page names them as `workbench-style-<id>`.
    pub styles: Vec<String>,
    pub max_upload_bytes: u64,
    /// The person's recent tasks, newest first.
    pub tasks: Vec<TaskView>,
    /// Form token for the no-JS form.
    pub csrf_token: String,
}

/// An error answer of the workbench's JSON endpoints: a code, a message already in the
/// person's language, and for a shortfall the credits required and available.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<i64>,
}

/// The answer to a submit: the batch and its tasks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubmitView {
    pub batch_id: String,
    pub tasks: Vec<TaskView>,
}

/// Longest prompt the server accepts, in characters.
pub const MAX_PROMPT_CHARS: usize = 5000;
/// Longest negative prompt the server accepts, in characters.
pub const MAX_NEGATIVE_CHARS: usize = 1000;
/// Images per submit.
pub const MAX_QUANTITY: u8 = 4;

/// The JSON body of `POST /api/generations` (and what the plain form's fields become).
/// Every field may be left out; empty choices take the model's defaults, and unknown
/// fields are ignored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GenerationInput {
    /// Empty: the catalog's default model.
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub prompt: String,
    #[serde(default)]
    pub negative_prompt: Option<String>,
    /// A style preset id; empty or `none` for none.
    #[serde(default)]
    pub style: Option<String>,
    /// `None`: a random seed.
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub aspect_ratio: String,
    #[serde(default)]
    pub resolution: String,
    #[serde(default)]
    pub format: String,
    /// `None`: one image.
    #[serde(default)]
    pub quantity: Option<u8>,
    #[serde(default)]
    pub camera_angle: Option<String>,
    #[serde(default)]
    pub camera_lens: Option<String>,
    #[serde(default)]
    pub camera_lighting: Option<String>,
    #[serde(default)]
    pub character_consistency: bool,
    /// Upload ids, in order.
    #[serde(default)]
    pub references: Vec<String>,
    /// Upload id of the mask.
    #[serde(default)]
    pub mask: Option<String>,
    /// The page's language, for the messages of the answer.
    #[serde(default)]
    pub locale: Option<String>,
}

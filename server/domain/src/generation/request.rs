//! What a person may ask for, validated on construction. Everything a browser sends is
//! checked here against the model it names; nothing unchecked reaches a provider.

use super::models::ModelSpec;
use crate::images::ImageKind;
use serde::{Deserialize, Serialize};

pub use crate::config::models::{AspectRatio, OutputFormat, Resolution};

/// Longest prompt accepted (characters). Kie's Flash models take 5,000; ours is the floor.
pub const MAX_PROMPT_CHARS: usize = 5000;
/// Longest negative prompt accepted (characters).
pub const MAX_NEGATIVE_CHARS: usize = 1000;
/// Images per submit.
pub const MAX_QUANTITY: u8 = 4;
/// The seed range: every `u64` is a seed (image i of a batch uses `seed + i`, wrapping).
pub const MAX_SEED: u64 = u64::MAX;

/// A seed for a request that names none.
pub fn random_seed() -> u64 {
    u64::from(rand::random::<u32>())
}

impl OutputFormat {
    /// The image kind a result in this format is stored as.
    pub fn kind(self) -> ImageKind {
        match self {
            OutputFormat::Png => ImageKind::Png,
            OutputFormat::Jpeg => ImageKind::Jpeg,
            OutputFormat::Webp => ImageKind::Webp,
        }
    }
}

/// Photographic direction, folded into the prompt (and into the local engine's framing).
/// Each field is one of a fixed list, so no free text rides along unchecked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Camera {
    /// eye-level | low-angle | high-angle | overhead | dutch
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub angle: Option<String>,
    /// wide | normal | portrait | telephoto | macro
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lens: Option<String>,
    /// natural | studio | golden-hour | neon | dramatic
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lighting: Option<String>,
}

pub const CAMERA_ANGLES: &[&str] = &["eye-level", "low-angle", "high-angle", "overhead", "dutch"];
pub const CAMERA_LENSES: &[&str] = &["wide", "normal", "portrait", "telephoto", "macro"];
pub const CAMERA_LIGHTING: &[&str] = &["natural", "studio", "golden-hour", "neon", "dramatic"];

impl Camera {
    pub fn is_empty(&self) -> bool {
        self.angle.is_none() && self.lens.is_none() && self.lighting.is_none()
    }
}

/// A validated request for `quantity` images from one model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerationRequest {
    pub model_id: String,
    pub prompt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative_prompt: Option<String>,
    /// A style preset id from the configured list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    /// The first image's seed; image i of a batch uses `seed + i`.
    pub seed: u64,
    pub aspect_ratio: AspectRatio,
    pub resolution: Resolution,
    pub format: OutputFormat,
    pub quantity: u8,
    #[serde(default, skip_serializing_if = "Camera::is_empty")]
    pub camera: Camera,
    /// Keep the people in the references recognisably the same.
    #[serde(default)]
    pub character_consistency: bool,
    /// Upload ids of reference images, in order; the first is the one a mask applies to.
    #[serde(default)]
    pub references: Vec<String>,
    /// Upload id of the inpainting mask (white = change, black = keep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<String>,
}

/// Why a request is refused before anything is queued. The page translates the code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("unknown model")]
    UnknownModel,
    #[error("the prompt is empty")]
    EmptyPrompt,
    #[error("the prompt is longer than {max} characters")]
    PromptTooLong { max: usize },
    #[error("the negative prompt is longer than {max} characters")]
    NegativeTooLong { max: usize },
    #[error("unknown style")]
    UnknownStyle,
    #[error("quantity must be between 1 and {max}")]
    Quantity { max: u8 },
    #[error("this model does not offer that resolution")]
    Resolution,
    #[error("this model does not offer that aspect ratio")]
    AspectRatio,
    #[error("this model does not offer that format")]
    Format,
    #[error("this model takes at most {max} reference images")]
    TooManyReferences { max: u8 },
    #[error("this model cannot edit with a mask")]
    MaskUnsupported,
    #[error("a mask needs a reference image to apply to")]
    MaskWithoutReference,
    #[error("unknown camera option")]
    Camera,
}

impl RequestError {
    /// The stable code a page translates (`generation-error-<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            RequestError::UnknownModel => "unknown-model",
            RequestError::EmptyPrompt => "empty-prompt",
            RequestError::PromptTooLong { .. } => "prompt-too-long",
            RequestError::NegativeTooLong { .. } => "negative-too-long",
            RequestError::UnknownStyle => "unknown-style",
            RequestError::Quantity { .. } => "quantity",
            RequestError::Resolution => "resolution",
            RequestError::AspectRatio => "aspect-ratio",
            RequestError::Format => "format",
            RequestError::TooManyReferences { .. } => "too-many-references",
            RequestError::MaskUnsupported => "mask-unsupported",
            RequestError::MaskWithoutReference => "mask-without-reference",
            RequestError::Camera => "camera",
        }
    }
}

impl GenerationRequest {
    /// Trims the text fields and checks every field against `model` and the configured
    /// `styles`.
    pub fn validate(mut self, model: &ModelSpec, styles: &[String]) -> Result<Self, RequestError> {
        if self.model_id != model.id {
            return Err(RequestError::UnknownModel);
        }
        self.prompt = self.prompt.trim().to_string();
        if self.prompt.is_empty() {
            return Err(RequestError::EmptyPrompt);
        }
        if self.prompt.chars().count() > MAX_PROMPT_CHARS {
            return Err(RequestError::PromptTooLong {
                max: MAX_PROMPT_CHARS,
            });
        }
        self.negative_prompt = self
            .negative_prompt
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        if let Some(negative) = &self.negative_prompt
            && negative.chars().count() > MAX_NEGATIVE_CHARS
        {
            return Err(RequestError::NegativeTooLong {
                max: MAX_NEGATIVE_CHARS,
            });
        }
        self.style = self.style.filter(|s| !s.is_empty());
        if let Some(style) = &self.style
            && !styles.iter().any(|s| s == style)
        {
            return Err(RequestError::UnknownStyle);
        }
        if !(1..=MAX_QUANTITY).contains(&self.quantity) {
            return Err(RequestError::Quantity { max: MAX_QUANTITY });
        }
        if model.credits_for(self.resolution).is_none() {
            return Err(RequestError::Resolution);
        }
        if !model.aspect_ratios.contains(&self.aspect_ratio) {
            return Err(RequestError::AspectRatio);
        }
        if !model.formats.contains(&self.format) {
            return Err(RequestError::Format);
        }
        if self.references.len() > usize::from(model.max_references) {
            return Err(RequestError::TooManyReferences {
                max: model.max_references,
            });
        }
        if self.mask.is_some() {
            if !model.mask {
                return Err(RequestError::MaskUnsupported);
            }
            if self.references.is_empty() {
                return Err(RequestError::MaskWithoutReference);
            }
        }
        let check = |value: &Option<String>, allowed: &[&str]| match value {
            Some(v) => allowed.contains(&v.as_str()),
            None => true,
        };
        if !check(&self.camera.angle, CAMERA_ANGLES)
            || !check(&self.camera.lens, CAMERA_LENSES)
            || !check(&self.camera.lighting, CAMERA_LIGHTING)
        {
            return Err(RequestError::Camera);
        }
        Ok(self)
    }

    /// Credits for the whole request at `model`'s price.
    pub fn cost(&self, model: &ModelSpec) -> Option<i64> {
        model
            .credits_for(self.resolution)
            .map(|per_image| per_image * i64::from(self.quantity))
    }

    /// The prompt a provider receives: the person's words, then the style, camera and
    /// character directions and the negative prompt as plain instructions (the Nano
    /// Banana models take one text part; none has a separate negative field).
    pub fn provider_prompt(&self, style_prompt: Option<&str>) -> String {
        let mut text = self.prompt.clone();
        if let Some(style) = style_prompt {
            text.push_str("\n\nStyle: ");
            text.push_str(style);
        }
        let mut camera = Vec::new();
        if let Some(angle) = &self.camera.angle {
            camera.push(format!("{} camera angle", angle.replace('-', " ")));
        }
        if let Some(lens) = &self.camera.lens {
            camera.push(format!("{} lens", lens));
        }
        if let Some(lighting) = &self.camera.lighting {
            camera.push(format!("{} lighting", lighting.replace('-', " ")));
        }
        if !camera.is_empty() {
            text.push_str("\n\nCamera: ");
            text.push_str(&camera.join(", "));
        }
        if self.character_consistency {
            text.push_str(
                "\n\nKeep every person and character from the reference images recognisably the same: face, hair, build and clothing.",
            );
        }
        if let Some(negative) = &self.negative_prompt {
            text.push_str("\n\nAvoid: ");
            text.push_str(negative);
        }
        text
    }
}

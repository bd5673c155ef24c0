//! The model catalog as configuration describes it: which models exist, which provider
//! runs each, the image shapes, sizes and formats each offers and what an image costs.

use serde::{Deserialize, Serialize};

/// Who makes the images.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// The offline engine: deterministic pictures, no AI, no network.
    Local,
    Gemini,
    Kie,
    Openai,
    Replicate,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 5] = [
        ProviderKind::Local,
        ProviderKind::Gemini,
        ProviderKind::Kie,
        ProviderKind::Openai,
        ProviderKind::Replicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Local => "local",
            ProviderKind::Gemini => "gemini",
            ProviderKind::Kie => "kie",
            ProviderKind::Openai => "openai",
            ProviderKind::Replicate => "replicate",
        }
    }

    pub fn parse(s: &str) -> Option<ProviderKind> {
        ProviderKind::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// One model people can pick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Stable id: in forms, tasks and the API.
    pub id: String,
    pub provider: ProviderKind,
    /// The provider's own model name (`gemini-2.5-flash-image`, `google/nano-banana`,
    /// `gpt-image-1`, `owner/name` on Replicate). Unused by the local engine.
    #[serde(default)]
    pub remote_model: String,
    /// Shown in the model picker.
    pub label: String,
    /// Credits per image at 1K, 2K and 4K; a resolution without a price is not offered.
    pub credits_1k: i64,
    #[serde(default)]
    pub credits_2k: Option<i64>,
    #[serde(default)]
    pub credits_4k: Option<i64>,
    #[serde(default = "all_ratios")]
    pub aspect_ratios: Vec<AspectRatio>,
    #[serde(default = "all_formats")]
    pub formats: Vec<OutputFormat>,
    /// How many reference images an edit may carry (0: text-to-image only).
    #[serde(default)]
    pub max_references: u8,
    /// Whether it can repaint only a masked region.
    #[serde(default)]
    pub mask: bool,
}

fn all_ratios() -> Vec<AspectRatio> {
    AspectRatio::ALL.to_vec()
}

fn all_formats() -> Vec<OutputFormat> {
    OutputFormat::ALL.to_vec()
}

impl ModelSpec {
    /// Credits per image at `resolution`, if the model offers it.
    pub fn credits_for(&self, resolution: Resolution) -> Option<i64> {
        match resolution {
            Resolution::K1 => Some(self.credits_1k),
            Resolution::K2 => self.credits_2k,
            Resolution::K4 => self.credits_4k,
        }
    }

    pub fn resolutions(&self) -> Vec<Resolution> {
        Resolution::ALL
            .into_iter()
            .filter(|r| self.credits_for(*r).is_some())
            .collect()
    }

    /// Checks what configuration cannot express in types.
    pub fn check(&self) -> Result<(), String> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 64
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !id_ok {
            return Err(format!(
                "model id {:?}: letters, digits, - _ . only",
                self.id
            ));
        }
        let prices = [Some(self.credits_1k), self.credits_2k, self.credits_4k];
        if prices.into_iter().flatten().any(|p| p <= 0) {
            return Err(format!("model {}: credits must be positive", self.id));
        }
        if self.aspect_ratios.is_empty() || self.formats.is_empty() {
            return Err(format!(
                "model {}: needs aspect ratios and formats",
                self.id
            ));
        }
        if self.provider != ProviderKind::Local && self.remote_model.is_empty() {
            return Err(format!("model {}: remote_model is required", self.id));
        }
        if self.mask && self.max_references == 0 {
            return Err(format!(
                "model {}: a mask needs max_references ≥ 1",
                self.id
            ));
        }
        Ok(())
    }
}

/// A style preset: an id for forms, and the words it adds to a prompt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StylePreset {
    pub id: String,
    pub prompt: String,
}

/// The models this instance offers: the configured ones whose provider is configured.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModelCatalog {
    pub models: Vec<ModelSpec>,
    pub styles: Vec<StylePreset>,
}

impl ModelCatalog {
    pub fn get(&self, id: &str) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.id == id)
    }

    /// The model picked when none is named: the first configured.
    pub fn default_model(&self) -> Option<&ModelSpec> {
        self.models.first()
    }

    pub fn style_ids(&self) -> Vec<String> {
        self.styles.iter().map(|s| s.id.clone()).collect()
    }

    pub fn style_prompt(&self, id: &str) -> Option<&str> {
        self.styles
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.prompt.as_str())
    }
}

/// The built-in catalog: the offline engine first, then the Nano Banana models directly and
/// through Kie, and the opt-in OpenAI and Replicate models. Only those whose provider has
/// credentials are offered.
pub fn default_models() -> Vec<ModelSpec> {
    vec![
        ModelSpec {
            max_references: 4,
            mask: true,
            ..spec(
                "offline",
                ProviderKind::Local,
                "",
                "Offline engine (no AI)",
                [Some(1), Some(1), Some(2)],
            )
        },
        ModelSpec {
            max_references: 3,
            mask: true,
            ..spec(
                "nano-banana",
                ProviderKind::Gemini,
                "gemini-2.5-flash-image",
                "Nano Banana (Gemini 2.5 Flash Image)",
                [Some(4), None, None],
            )
        },
        ModelSpec {
            max_references: 14,
            mask: true,
            ..spec(
                "nano-banana-pro",
                ProviderKind::Gemini,
                "gemini-3-pro-image-preview",
                "Nano Banana Pro (Gemini 3 Pro Image)",
                [Some(12), Some(12), Some(24)],
            )
        },
        ModelSpec {
            max_references: 10,
            formats: vec![OutputFormat::Png, OutputFormat::Jpeg],
            ..spec(
                "kie-nano-banana",
                ProviderKind::Kie,
                "google/nano-banana",
                "Nano Banana via Kie.ai",
                [Some(3), None, None],
            )
        },
        ModelSpec {
            max_references: 16,
            mask: true,
            aspect_ratios: vec![AspectRatio::Square, AspectRatio::R3x2, AspectRatio::R2x3],
            ..spec(
                "gpt-image-1",
                ProviderKind::Openai,
                "gpt-image-1",
                "OpenAI GPT Image 1",
                [Some(8), None, None],
            )
        },
        ModelSpec {
            max_references: 1,
            ..spec(
                "replicate-flux",
                ProviderKind::Replicate,
                "black-forest-labs/flux-schnell",
                "FLUX schnell via Replicate",
                [Some(2), None, None],
            )
        },
    ]
}

/// A built-in model with every ratio and format, no references and no mask; prices at
/// 1K, 2K and 4K.
fn spec(
    id: &str,
    provider: ProviderKind,
    remote: &str,
    label: &str,
    prices: [Option<i64>; 3],
) -> ModelSpec {
    ModelSpec {
        id: id.into(),
        provider,
        remote_model: remote.into(),
        label: label.into(),
        credits_1k: prices[0].expect("1K is always priced"),
        credits_2k: prices[1],
        credits_4k: prices[2],
        aspect_ratios: all_ratios(),
        formats: all_formats(),
        max_references: 0,
        mask: false,
    }
}

pub fn default_styles() -> Vec<StylePreset> {
    let preset = |id: &str, prompt: &str| StylePreset {
        id: id.into(),
        prompt: prompt.into(),
    };
    vec![
        preset("photo", "photorealistic, natural colour, sharp focus"),
        preset(
            "illustration",
            "clean editorial illustration, flat colour, bold shapes",
        ),
        preset(
            "watercolor",
            "loose watercolour on textured paper, soft edges",
        ),
        preset("3d", "3D render, soft global illumination, clay materials"),
        preset("anime", "anime key visual, cel shading, vivid palette"),
        preset(
            "poster",
            "vintage screen-printed poster, limited palette, grain",
        ),
    ]
}

/// The shape of the image. The ten ratios every Nano Banana model accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AspectRatio {
    #[serde(rename = "1:1")]
    Square,
    #[serde(rename = "2:3")]
    R2x3,
    #[serde(rename = "3:2")]
    R3x2,
    #[serde(rename = "3:4")]
    R3x4,
    #[serde(rename = "4:3")]
    R4x3,
    #[serde(rename = "4:5")]
    R4x5,
    #[serde(rename = "5:4")]
    R5x4,
    #[serde(rename = "9:16")]
    R9x16,
    #[serde(rename = "16:9")]
    R16x9,
    #[serde(rename = "21:9")]
    R21x9,
}

impl AspectRatio {
    pub const ALL: [AspectRatio; 10] = [
        AspectRatio::Square,
        AspectRatio::R2x3,
        AspectRatio::R3x2,
        AspectRatio::R3x4,
        AspectRatio::R4x3,
        AspectRatio::R4x5,
        AspectRatio::R5x4,
        AspectRatio::R9x16,
        AspectRatio::R16x9,
        AspectRatio::R21x9,
    ];

    /// As providers write it: `16:9`.
    pub fn as_str(self) -> &'static str {
        match self {
            AspectRatio::Square => "1:1",
            AspectRatio::R2x3 => "2:3",
            AspectRatio::R3x2 => "3:2",
            AspectRatio::R3x4 => "3:4",
            AspectRatio::R4x3 => "4:3",
            AspectRatio::R4x5 => "4:5",
            AspectRatio::R5x4 => "5:4",
            AspectRatio::R9x16 => "9:16",
            AspectRatio::R16x9 => "16:9",
            AspectRatio::R21x9 => "21:9",
        }
    }

    pub fn parse(s: &str) -> Option<AspectRatio> {
        AspectRatio::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// (width, height) in ratio units.
    pub fn ratio(self) -> (u32, u32) {
        let (w, h) = self.as_str().split_once(':').expect("ratios have a colon");
        (w.parse().expect("digits"), h.parse().expect("digits"))
    }

    /// Pixel size at `resolution`: the long side is the resolution's, the short side is
    /// rounded to a multiple of 8 (what encoders and providers prefer).
    pub fn dimensions(self, resolution: Resolution) -> (u32, u32) {
        let long = resolution.long_side();
        let (w, h) = self.ratio();
        let short = |small: u32, large: u32| {
            let exact = f64::from(long) * f64::from(small) / f64::from(large);
            ((exact / 8.0).round() as u32).max(1) * 8
        };
        if w >= h {
            (long, short(h, w))
        } else {
            (short(w, h), long)
        }
    }
}

/// How large the image is: about 1,024, 2,048 or 4,096 pixels on the long side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Resolution {
    #[serde(rename = "1K")]
    K1,
    #[serde(rename = "2K")]
    K2,
    #[serde(rename = "4K")]
    K4,
}

impl Resolution {
    pub const ALL: [Resolution; 3] = [Resolution::K1, Resolution::K2, Resolution::K4];

    /// Uppercase, as Gemini and Kie require (`2k` is rejected).
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::K1 => "1K",
            Resolution::K2 => "2K",
            Resolution::K4 => "4K",
        }
    }

    pub fn parse(s: &str) -> Option<Resolution> {
        Resolution::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
    }

    pub fn long_side(self) -> u32 {
        match self {
            Resolution::K1 => 1024,
            Resolution::K2 => 2048,
            Resolution::K4 => 4096,
        }
    }
}

/// The file format of the results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Png,
    Jpeg,
    Webp,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 3] = [OutputFormat::Png, OutputFormat::Jpeg, OutputFormat::Webp];

    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Png => "png",
            OutputFormat::Jpeg => "jpeg",
            OutputFormat::Webp => "webp",
        }
    }

    pub fn parse(s: &str) -> Option<OutputFormat> {
        match s.to_ascii_lowercase().as_str() {
            "png" => Some(OutputFormat::Png),
            "jpeg" | "jpg" => Some(OutputFormat::Jpeg),
            "webp" => Some(OutputFormat::Webp),
            _ => None,
        }
    }
}

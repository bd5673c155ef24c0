//! The offline engine: deterministic abstract posters painted on the CPU, with no AI and no
//! network. It is the default provider, so a fresh install makes pictures out of the box.
//!
//! Every parameter of a job shows in the picture:
//! - the seed, the prompt and the negative prompt are hashed (SHA-256) into the composition:
//!   the background gradient and its glow, the translucent bands, the discs, rings and
//!   striped discs, their shades and places;
//! - the style id picks the palette family;
//! - the camera frames that composition: the angle tilts or shifts it, the lens zooms it
//!   (and, at long focal lengths, softens discs by their depth), the lighting grades it;
//! - the prompt is written in a caption band along the bottom edge;
//! - references are composed instead of the painted scene: the first covers the canvas, the
//!   others sit in framed tiles along one edge, and the whole is colour-graded from the
//!   palette;
//! - with a mask, the first reference is kept exactly where the mask is black and only the
//!   white region is painted;
//! - the aspect ratio and resolution give the exact pixel size, the format the encoding.
//!
//! Style and camera stay out of the hash on purpose: another style repaints the same
//! composition in other colours and another lens zooms it, rather than making an unrelated
//! picture. The same job always gives the same bytes: the hash is fixed, the random stream
//! is our own, and only IEEE basic arithmetic (no platform `sin` or `cos`) reaches a pixel.

use super::{GeneratedImage, ImageProvider, ProviderError, ProviderJob, RemoteTracker};
use crate::images::{self, UploadLimits};
use image::{DynamicImage, RgbImage, imageops};
use sha2::{Digest, Sha256};

mod finish;
mod paint;
mod references;
mod scene;
#[cfg(test)]
mod tests;

use finish::*;
use paint::*;
use references::*;
use scene::*;

/// The offline engine. It keeps no state: everything it paints comes from the job.
pub struct LocalEngine;

#[async_trait::async_trait]
impl ImageProvider for LocalEngine {
    async fn generate(
        &self,
        job: &ProviderJob,
        tracker: &dyn RemoteTracker,
    ) -> Result<Vec<GeneratedImage>, ProviderError> {
        tracker.progress(10).await;
        let job = job.clone();
        let bytes = match tokio::task::spawn_blocking(move || render(&job)).await {
            Ok(result) => result?,
            Err(error) => {
                tracing::error!(%error, "the local engine panicked");
                return Err(ProviderError::failed(
                    "the local engine stopped while painting",
                ));
            }
        };
        tracker.progress(100).await;
        Ok(vec![GeneratedImage { bytes }])
    }
}

/// Paints `job`'s image and encodes it in the job's format: the blocking core of
/// [`LocalEngine`]. Takes tens of milliseconds at 1K in a release build; call it from
/// blocking code only.
pub fn render(job: &ProviderJob) -> Result<Vec<u8>, ProviderError> {
    let (width, height) = job.aspect_ratio.dimensions(job.resolution);
    let mut dice = Dice::new(composition_digest(job));
    let palette = Palette::pick(job.style.as_deref(), &mut dice);
    let scene = Scene::compose(&palette, &mut dice);
    let framing = Framing::new(width, height, &job.camera, scene.dutch);
    let light = Light::of(job.camera.lighting.as_deref());
    let caption = Caption::new(&job.prompt, width, height);
    let (references, mask) = decode_inputs(job)?;
    let canvas = Canvas {
        width,
        height,
        scene: &scene,
        palette: &palette,
        framing: &framing,
        caption_band: caption.band_height(),
    };

    let mut picture = RgbImage::new(width, height);
    let mut kept = None;
    match references.split_first() {
        None => {
            // Nothing to keep without a reference, so a mask changes nothing here.
            paint_background(&mut picture, &scene, &framing, 1.0);
            paint_shapes(&mut picture, &scene, &framing);
        }
        Some((first, others)) => match mask {
            Some(mask) => {
                let base = cover(first, width, height, 1.0);
                picture = canvas.repaint_masked(base.clone(), others);
                kept = Some((base, mask));
            }
            None => picture = canvas.compose_references(first, others),
        },
    }
    light.apply(&mut picture);
    caption.draw(&mut picture, &palette);
    if let Some((base, mask)) = kept {
        keep_unmasked(&mut picture, &base, &mask);
    }

    let format = job.format.kind();
    images::encode_rgb(picture, format)
        .map(|clean| clean.bytes)
        .map_err(|error| {
            ProviderError::failed(format!(
                "encoding the picture as {format:?} failed: {error}"
            ))
        })
}

/// The job's references and mask, decoded.
fn decode_inputs(
    job: &ProviderJob,
) -> Result<(Vec<RgbImage>, Option<DynamicImage>), ProviderError> {
    let limits = input_limits();
    let references = job
        .references
        .iter()
        .enumerate()
        .map(|(index, input)| {
            images::decode_rgb(&input.bytes, &limits).map_err(|error| {
                ProviderError::failed(format!("reference {} cannot be used: {error}", index + 1))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mask =
        match &job.mask {
            Some(input) => Some(images::decode(&input.bytes, &limits).map_err(|error| {
                ProviderError::failed(format!("the mask cannot be used: {error}"))
            })?),
            None => None,
        };
    Ok((references, mask))
}

/// One picture's canvas: its size and what the hash and the camera decided for it.
struct Canvas<'a> {
    width: u32,
    height: u32,
    scene: &'a Scene,
    palette: &'a Palette,
    framing: &'a Framing,
    /// The caption band's height, which the reference tiles stay clear of.
    caption_band: u32,
}

impl Canvas<'_> {
    /// With a mask: the first reference as the base, the others tiled, graded, and the
    /// painted scene washed over it (the mask later keeps the base where it says so).
    fn repaint_masked(&self, base: RgbImage, others: &[RgbImage]) -> RgbImage {
        let (scene, palette, framing) = (self.scene, self.palette, self.framing);
        let mut picture = base;
        place_tiles(&mut picture, others, scene, palette, self.caption_band);
        scene.grade.apply(&mut picture, palette);
        paint_background(&mut picture, scene, framing, MASK_WASH);
        paint_shapes(&mut picture, scene, framing);
        picture
    }

    /// Without a mask: the first reference framed by the lens, the others tiled, all
    /// graded and lit by the scene's glow.
    fn compose_references(&self, first: &RgbImage, others: &[RgbImage]) -> RgbImage {
        let (scene, palette, framing) = (self.scene, self.palette, self.framing);
        let (width, height) = (self.width, self.height);
        let mut picture = RgbImage::new(width, height);
        let placed = cover(first, width, height, framing.zoom);
        if placed.dimensions() == (width, height) {
            picture = placed;
        } else {
            // A wide lens shows more of the reference, on the painted background.
            paint_background(&mut picture, scene, framing, 1.0);
            imageops::replace(
                &mut picture,
                &placed,
                i64::from((width - placed.width()) / 2),
                i64::from((height - placed.height()) / 2),
            );
        }
        place_tiles(&mut picture, others, scene, palette, self.caption_band);
        scene.grade.apply(&mut picture, palette);
        paint_glow(&mut picture, scene, framing, REFERENCE_GLOW);
        picture
    }
}

/// How much of the painted background covers the graded reference in a masked region.
const MASK_WASH: f32 = 0.62;
/// How strong the scene's glow is over references, as a share of its strength on a poster.
const REFERENCE_GLOW: f32 = 0.6;

/// Limits for decoding references and masks. They were checked as uploads or made by us and
/// are already in memory, so their byte size is not limited again; the pixel limits still
/// bound what a decoder allocates.
fn input_limits() -> UploadLimits {
    UploadLimits {
        max_bytes: usize::MAX,
        ..UploadLimits::default()
    }
}

/// The hash the composition grows from. Every field is length-prefixed, so moving text
/// between the prompt and the negative prompt gives another hash. The tag is the drawing's
/// version, so a new way of drawing starts from new hashes.
fn composition_digest(job: &ProviderJob) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(b"banana-nano local engine 1\0");
    hash.update(job.seed.to_le_bytes());
    for field in [Some(job.prompt.as_str()), job.negative_prompt.as_deref()] {
        match field {
            None => hash.update([0]),
            Some(text) => {
                hash.update([1]);
                hash.update((text.len() as u64).to_le_bytes());
                hash.update(text.as_bytes());
            }
        }
    }
    hash.finalize().into()
}

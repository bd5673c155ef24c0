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

use super::{Camera, GeneratedImage, ImageProvider, ProviderError, ProviderJob, RemoteTracker};
use crate::images::{self, UploadLimits};
use image::{
    DynamicImage, RgbImage,
    imageops::{self, FilterType},
};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

#[cfg(test)]
mod tests;

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
                picture = base.clone();
                place_tiles(
                    &mut picture,
                    others,
                    &scene,
                    &palette,
                    caption.band_height(),
                );
                scene.grade.apply(&mut picture, &palette);
                paint_background(&mut picture, &scene, &framing, MASK_WASH);
                paint_shapes(&mut picture, &scene, &framing);
                kept = Some((base, mask));
            }
            None => {
                let placed = cover(first, width, height, framing.zoom);
                if placed.dimensions() == (width, height) {
                    picture = placed;
                } else {
                    // A wide lens shows more of the reference, on the painted background.
                    paint_background(&mut picture, &scene, &framing, 1.0);
                    imageops::replace(
                        &mut picture,
                        &placed,
                        i64::from((width - placed.width()) / 2),
                        i64::from((height - placed.height()) / 2),
                    );
                }
                place_tiles(
                    &mut picture,
                    others,
                    &scene,
                    &palette,
                    caption.band_height(),
                );
                scene.grade.apply(&mut picture, &palette);
                paint_glow(&mut picture, &scene, &framing, REFERENCE_GLOW);
            }
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

/// A xoshiro256** stream seeded from the digest: our own, so no library update can change
/// the pictures.
struct Dice {
    state: [u64; 4],
}

impl Dice {
    fn new(digest: [u8; 32]) -> Dice {
        let mut state = [0u64; 4];
        for (word, chunk) in state.iter_mut().zip(digest.chunks_exact(8)) {
            *word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        }
        // The one state xoshiro cannot leave; a SHA-256 digest of zeros is not going to
        // happen, but the stream must not stall if it did.
        if state == [0; 4] {
            state[0] = 1;
        }
        Dice { state }
    }

    fn next(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1), from the top 24 bits (exactly representable as `f32`).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    fn range(&mut self, low: f32, high: f32) -> f32 {
        low + (high - low) * self.unit()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, p: f32) -> bool {
        self.unit() < p
    }

    fn angle(&mut self) -> f32 {
        self.range(0.0, std::f32::consts::TAU)
    }
}

/// A colour as blending wants it: red, green, blue from 0 to 255.
type Colour = [f32; 3];

fn rgb(hex: u32) -> [u8; 3] {
    [(hex >> 16) as u8, (hex >> 8) as u8, hex as u8]
}

/// Palette families, each from its darkest to its lightest colour. The first six are named
/// after the built-in style presets; a job without a style draws one of the others.
const FAMILIES: [(&str, [u32; 5]); 10] = [
    ("photo", [0x1F2A30, 0x5B7F95, 0xA7B98A, 0xD9A066, 0xF2EBDD]),
    (
        "illustration",
        [0x1D2B53, 0xFF6B6B, 0x2EC4B6, 0xFFCC4D, 0xFDF6E3],
    ),
    (
        "watercolor",
        [0x3D4A5C, 0x8FB8DE, 0xE8A0BF, 0xB8D8BA, 0xFAF3EA],
    ),
    ("3d", [0x3B3355, 0xF4A58A, 0xB8A1E3, 0x8ED1C6, 0xFFF1E6]),
    ("anime", [0x1A1033, 0xFF3D7F, 0x21D4FD, 0xFFE14D, 0xF8F8FF]),
    ("poster", [0x2B2B2B, 0xC8553D, 0xE3B23C, 0x2A7F80, 0xF1E3C8]),
    ("sunset", [0x2D1E3E, 0xE4572E, 0xF3A712, 0xA23B72, 0xFFE8D1]),
    ("ocean", [0x0B2545, 0x1B6CA8, 0x48B8D0, 0xF4D35E, 0xEEF4ED]),
    ("forest", [0x1B2F23, 0x3A6B35, 0xCBD18F, 0xE3B448, 0xF6F4E8]),
    ("dusk", [0x161A30, 0x5C4B99, 0xE86A92, 0xF7B267, 0xF0ECE5]),
];
/// Where the families a job without a style chooses from begin.
const UNNAMED_FAMILIES: usize = 6;

/// The colours of one picture: a family, each colour nudged a little by the composition.
struct Palette {
    dark: Colour,
    mids: [Colour; 3],
    light: Colour,
}

impl Palette {
    fn pick(style: Option<&str>, dice: &mut Dice) -> Palette {
        // Drawn whether or not it is used, so the rest of the composition is the same with
        // and without a style.
        let unnamed = UNNAMED_FAMILIES + dice.below(FAMILIES.len() - UNNAMED_FAMILIES);
        let family = match style {
            None => unnamed,
            Some(id) => FAMILIES
                .iter()
                .position(|(name, _)| *name == id)
                .unwrap_or_else(|| {
                    // A configured preset with its own id: a family of its own, the same every
                    // time.
                    let digest = Sha256::digest(id.as_bytes());
                    usize::from(digest[0]) % FAMILIES.len()
                }),
        };
        let mut colours = FAMILIES[family].1.map(|hex| {
            let [r, g, b] = rgb(hex);
            [f32::from(r), f32::from(g), f32::from(b)]
        });
        for colour in &mut colours {
            for channel in colour.iter_mut() {
                *channel = (*channel + dice.range(-12.0, 12.0))
                    .round()
                    .clamp(0.0, 255.0);
            }
        }
        Palette {
            dark: colours[0],
            mids: [colours[1], colours[2], colours[3]],
            light: colours[4],
        }
    }
}

/// A straight translucent band across the canvas, in scene units (the short side is 1, the
/// origin the centre).
struct Band {
    angle: f32,
    offset: f32,
    width: f32,
    softness: f32,
    colour: Colour,
    alpha: f32,
}

enum Fill {
    Solid,
    /// The ring's thickness as a fraction of its radius.
    Ring(f32),
    /// Parallel stripes: their angle and period (scene units); half of each period is ink.
    Stripes {
        angle: f32,
        period: f32,
    },
}

/// A disc: its centre as fractions of the canvas from the middle (±0.5 is the edge), its
/// radius in scene units, and how far from the lens it is (0 near, 1 far).
struct Disc {
    at: (f32, f32),
    radius: f32,
    colour: Colour,
    alpha: f32,
    depth: f32,
    fill: Fill,
}

struct Glow {
    at: (f32, f32),
    radius: f32,
    colour: Colour,
    strength: f32,
}

/// The duotone a reference is graded with: its luminance mapped between two palette colours
/// and mixed in at `strength`.
struct Grade {
    shadow_from_mid: Option<usize>,
    strength: f32,
}

/// Everything the hash decides, before it meets a canvas.
struct Scene {
    background: [Colour; 2],
    gradient_angle: f32,
    glow: Glow,
    bands: Vec<Band>,
    discs: Vec<Disc>,
    /// Which way a dutch angle leans.
    dutch: f32,
    /// The edge the reference tiles line: 0 top, 1 right, 2 left.
    tile_edge: usize,
    grade: Grade,
}

impl Scene {
    fn compose(palette: &Palette, dice: &mut Dice) -> Scene {
        let light_mood = dice.chance(0.5);
        let ground = dice.below(3);
        let extreme = if light_mood {
            palette.light
        } else {
            palette.dark
        };
        let contrast = if light_mood {
            palette.dark
        } else {
            palette.light
        };
        let background = if dice.chance(0.5) {
            [extreme, palette.mids[ground]]
        } else {
            [palette.mids[ground], extreme]
        };
        let ink = [
            palette.mids[(ground + 1) % 3],
            palette.mids[(ground + 2) % 3],
            contrast,
        ];
        let gradient_angle = dice.angle();
        let glow = Glow {
            at: (dice.range(-0.4, 0.4), dice.range(-0.4, 0.3)),
            radius: dice.range(0.35, 0.8),
            colour: if light_mood { ink[0] } else { palette.light },
            strength: dice.range(0.25, 0.55),
        };

        let band_angle = dice.angle();
        let bands = (0..1 + dice.below(3))
            .map(|_| Band {
                angle: band_angle + dice.range(-0.35, 0.35),
                offset: dice.range(-0.5, 0.5),
                width: dice.range(0.04, 0.22),
                softness: dice.range(0.0, 0.025),
                colour: ink[dice.below(ink.len())],
                alpha: dice.range(0.25, 0.55),
            })
            .collect();

        let mut discs: Vec<Disc> = (0..3 + dice.below(4))
            .map(|_| {
                let at = (dice.range(-0.42, 0.42), dice.range(-0.4, 0.32));
                let radius = dice.range(0.06, 0.3);
                let colour = ink[dice.below(ink.len())];
                let alpha = dice.range(0.78, 1.0);
                let depth = dice.unit();
                let kind = dice.unit();
                let thickness = dice.range(0.12, 0.3);
                let stripes = Fill::Stripes {
                    angle: dice.angle(),
                    period: dice.range(0.018, 0.04),
                };
                let fill = if kind < 0.55 {
                    Fill::Solid
                } else if kind < 0.78 {
                    Fill::Ring(thickness)
                } else {
                    stripes
                };
                Disc {
                    at,
                    radius,
                    colour,
                    alpha,
                    depth,
                    fill,
                }
            })
            .collect();
        // Large discs first, so small ones sit on them.
        discs.sort_by(|a, b| b.radius.total_cmp(&a.radius));

        let dutch = if dice.chance(0.5) { 1.0 } else { -1.0 };
        let tile_edge = dice.below(3);
        let grade = Grade {
            shadow_from_mid: dice.chance(0.4).then(|| dice.below(3)),
            strength: dice.range(0.2, 0.36),
        };
        Scene {
            background,
            gradient_angle,
            glow,
            bands,
            discs,
            dutch,
            tile_edge,
            grade,
        }
    }
}

/// Sine and cosine from a fixed polynomial in `f64`: the same bits on every platform, which
/// the standard library's (the platform's `libm`) does not promise.
fn sin_cos(angle: f32) -> (f32, f32) {
    use std::f64::consts::{FRAC_PI_2, PI, TAU};
    fn sin_reduced(x: f64) -> f64 {
        // Into [-π, π], then [-π/2, π/2] by sin(x) = sin(π - x); Taylor to x¹⁵ is then
        // accurate to about 1e-12.
        let mut x = x - TAU * (x / TAU).round();
        if x > FRAC_PI_2 {
            x = PI - x;
        } else if x < -FRAC_PI_2 {
            x = -PI - x;
        }
        let x2 = x * x;
        let mut term = x;
        let mut sum = x;
        for n in 1..8 {
            let k = f64::from(2 * n);
            term *= -x2 / (k * (k + 1.0));
            sum += term;
        }
        sum
    }
    let a = f64::from(angle);
    (sin_reduced(a) as f32, sin_reduced(FRAC_PI_2 - a) as f32)
}

/// How the camera options frame the scene on a canvas of a given size.
struct Framing {
    width: f32,
    height: f32,
    /// The short side in pixels: one scene unit.
    unit: f32,
    zoom: f32,
    /// The tilt as its cosine and sine.
    turn: (f32, f32),
    /// Where the scene's centre moves, in scene units.
    shift: (f32, f32),
    /// How much larger discs grow per scene unit down the canvas (negative: up).
    keystone: f32,
    /// Edge softness per unit of depth, as a fraction of the short side.
    blur: f32,
}

impl Framing {
    fn new(width: u32, height: u32, camera: &Camera, dutch: f32) -> Framing {
        let (tilt, shift, keystone) = match camera.angle.as_deref() {
            Some("low-angle") => (0.0, (0.0, 0.08), 0.6),
            Some("high-angle") => (0.0, (0.0, -0.08), -0.6),
            Some("overhead") => (std::f32::consts::FRAC_PI_2, (0.0, 0.0), 0.0),
            Some("dutch") => (0.22 * dutch, (0.0, 0.0), 0.0),
            _ => (0.0, (0.0, 0.0), 0.0),
        };
        let (zoom, blur) = match camera.lens.as_deref() {
            Some("wide") => (0.7, 0.0),
            Some("portrait") => (1.25, 0.012),
            Some("telephoto") => (1.6, 0.02),
            Some("macro") => (2.3, 0.035),
            _ => (1.0, 0.0),
        };
        let (width, height) = (width as f32, height as f32);
        let (sin, cos) = sin_cos(tilt);
        Framing {
            width,
            height,
            unit: width.min(height),
            zoom,
            turn: (cos, sin),
            shift,
            keystone,
            blur,
        }
    }

    fn rotate(&self, (x, y): (f32, f32)) -> (f32, f32) {
        let (cos, sin) = self.turn;
        (x * cos - y * sin, x * sin + y * cos)
    }

    /// A point given as fractions of the canvas from the middle, in pixels.
    fn point(&self, (fx, fy): (f32, f32)) -> (f32, f32) {
        let scene = (
            fx * self.width / self.unit * self.zoom,
            fy * self.height / self.unit * self.zoom,
        );
        let (x, y) = self.rotate(scene);
        (
            self.width / 2.0 + (x + self.shift.0) * self.unit,
            self.height / 2.0 + (y + self.shift.1) * self.unit,
        )
    }

    /// A direction at `angle`, turned with the camera.
    fn direction(&self, angle: f32) -> (f32, f32) {
        let (sin, cos) = sin_cos(angle);
        self.rotate((cos, sin))
    }

    /// How much a length in scene units grows at pixel row `y`.
    fn scale_at(&self, y: f32) -> f32 {
        self.zoom * (1.0 + self.keystone * (y - self.height / 2.0) / self.unit).max(0.3)
    }
}

#[inline]
fn blend(pixel: &mut [u8], colour: &Colour, alpha: f32) {
    for (channel, target) in pixel.iter_mut().zip(colour) {
        let value = f32::from(*channel);
        // In [0, 255.5): truncation rounds.
        *channel = (value + (target - value) * alpha + 0.5) as u8;
    }
}

#[inline]
fn mix(a: &Colour, b: &Colour, t: f32) -> Colour {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

/// The scene's gradient with its glow, laid over the canvas at `wash` (1 replaces it).
fn paint_background(picture: &mut RgbImage, scene: &Scene, framing: &Framing, wash: f32) {
    let width = picture.width() as usize;
    if width == 0 {
        return;
    }
    let (nx, ny) = framing.direction(scene.gradient_angle);
    // The canvas's extent along the gradient, so it runs from corner to corner.
    let extent = (nx.abs() * framing.width + ny.abs() * framing.height).max(1.0);
    let (cx, cy) = (framing.width / 2.0, framing.height / 2.0);
    let (gx, gy) = framing.point(scene.glow.at);
    let glow_radius = (scene.glow.radius * framing.unit * framing.zoom).max(1.0);
    let glow_inverse = 1.0 / (glow_radius * glow_radius);
    let [from, to] = &scene.background;
    for (y, row) in picture.chunks_exact_mut(width * 3).enumerate() {
        let py = y as f32 + 0.5;
        let row_start = 0.5 + (nx * (0.5 - cx) + ny * (py - cy)) / extent;
        let step = nx / extent;
        let glow_dy = (py - gy) * (py - gy);
        for (x, pixel) in row.chunks_exact_mut(3).enumerate() {
            let t = (row_start + step * x as f32).clamp(0.0, 1.0);
            let mut colour = mix(from, to, t * t * (3.0 - 2.0 * t));
            let dx = x as f32 + 0.5 - gx;
            let near = 1.0 - (dx * dx + glow_dy) * glow_inverse;
            if near > 0.0 {
                colour = mix(
                    &colour,
                    &scene.glow.colour,
                    scene.glow.strength * near * near,
                );
            }
            if wash >= 1.0 {
                for (channel, value) in pixel.iter_mut().zip(colour) {
                    *channel = (value + 0.5) as u8;
                }
            } else {
                blend(pixel, &colour, wash);
            }
        }
    }
}

/// The scene's glow alone, at `strength` of its own: a light leak over references.
fn paint_glow(picture: &mut RgbImage, scene: &Scene, framing: &Framing, strength: f32) {
    let width = picture.width() as usize;
    if width == 0 {
        return;
    }
    let (gx, gy) = framing.point(scene.glow.at);
    let radius = (scene.glow.radius * framing.unit * framing.zoom).max(1.0);
    let inverse = 1.0 / (radius * radius);
    let (x0, x1) = span(gx, radius, width);
    for (y, row) in picture.chunks_exact_mut(width * 3).enumerate() {
        let dy = y as f32 + 0.5 - gy;
        if dy.abs() >= radius {
            continue;
        }
        for (x, pixel) in row[x0 * 3..x1 * 3].chunks_exact_mut(3).enumerate() {
            let dx = (x0 + x) as f32 + 0.5 - gx;
            let near = 1.0 - (dx * dx + dy * dy) * inverse;
            if near > 0.0 {
                blend(
                    pixel,
                    &scene.glow.colour,
                    scene.glow.strength * strength * near * near,
                );
            }
        }
    }
}

/// The columns `[start, end)` within `reach` of `centre`, clipped to the canvas.
fn span(centre: f32, reach: f32, width: usize) -> (usize, usize) {
    let start = (centre - reach).floor().max(0.0) as usize;
    let end = ((centre + reach).ceil().max(0.0) as usize).min(width);
    (start.min(end), end)
}

fn paint_shapes(picture: &mut RgbImage, scene: &Scene, framing: &Framing) {
    for band in &scene.bands {
        paint_band(picture, band, framing);
    }
    for disc in &scene.discs {
        paint_disc(picture, disc, framing);
    }
}

fn paint_band(picture: &mut RgbImage, band: &Band, framing: &Framing) {
    let width = picture.width() as usize;
    if width == 0 {
        return;
    }
    let (nx, ny) = framing.direction(band.angle);
    let (cx, cy) = (framing.width / 2.0, framing.height / 2.0);
    // The band's centre line: n · (p − c) = offset, moved and zoomed with the scene.
    let offset =
        (band.offset * framing.zoom + nx * framing.shift.0 + ny * framing.shift.1) * framing.unit;
    let half = band.width * framing.zoom * framing.unit / 2.0;
    let soft = 1.0 + band.softness * framing.zoom * framing.unit;
    let reach = half + soft / 2.0;
    for (y, row) in picture.chunks_exact_mut(width * 3).enumerate() {
        let row_distance = nx * (0.5 - cx) + ny * (y as f32 + 0.5 - cy) - offset;
        for (x, pixel) in row.chunks_exact_mut(3).enumerate() {
            let distance = (row_distance + nx * x as f32).abs();
            if distance < reach {
                let cover = ((half - distance) / soft + 0.5).clamp(0.0, 1.0);
                blend(pixel, &band.colour, cover * band.alpha);
            }
        }
    }
}

fn paint_disc(picture: &mut RgbImage, disc: &Disc, framing: &Framing) {
    let width = picture.width() as usize;
    let height = picture.height() as usize;
    let (cx, cy) = framing.point(disc.at);
    let radius = disc.radius * framing.unit * framing.scale_at(cy);
    let soft = 1.0 + framing.blur * disc.depth * framing.unit;
    let reach = radius + soft / 2.0;
    let inner = match disc.fill {
        Fill::Ring(thickness) => Some(radius * (1.0 - thickness)),
        _ => None,
    };
    let stripes = match disc.fill {
        Fill::Stripes { angle, period } => {
            let (nx, ny) = framing.direction(angle);
            Some((nx, ny, (period * framing.zoom * framing.unit).max(4.0)))
        }
        _ => None,
    };
    let y0 = (cy - reach).floor().max(0.0) as usize;
    let y1 = ((cy + reach).ceil().max(0.0) as usize).min(height);
    for y in y0..y1 {
        let dy = y as f32 + 0.5 - cy;
        let across = reach * reach - dy * dy;
        if across <= 0.0 {
            continue;
        }
        let (x0, x1) = span(cx, across.sqrt(), width);
        let row = &mut (**picture)[(y * width + x0) * 3..(y * width + x1) * 3];
        for (i, pixel) in row.chunks_exact_mut(3).enumerate() {
            let px = (x0 + i) as f32 + 0.5;
            let dx = px - cx;
            let distance = (dx * dx + dy * dy).sqrt();
            let mut cover = ((radius - distance) / soft + 0.5).clamp(0.0, 1.0);
            if let Some(inner) = inner {
                cover *= ((distance - inner) / soft + 0.5).clamp(0.0, 1.0);
            }
            if let Some((nx, ny, period)) = stripes {
                let s = (nx * px + ny * (y as f32 + 0.5)) / period;
                let f = s - s.floor();
                // Signed distance to the nearest stripe edge, in pixels: ink in [0, ½).
                let edge = if f < 0.5 {
                    f.min(0.5 - f)
                } else {
                    -(f - 0.5).min(1.0 - f)
                };
                cover *= (edge * period + 0.5).clamp(0.0, 1.0);
            }
            if cover > 0.0 {
                blend(pixel, &disc.colour, cover * disc.alpha);
            }
        }
    }
}

/// `image` scaled to cover `width` × `height` times `zoom`, centred and cut to the canvas:
/// exactly the canvas's size at zoom 1 or more (at zoom 1, the base layer a mask keeps),
/// smaller on one side or both below 1. Only the part of the image that shows is resampled.
fn cover(image: &RgbImage, width: u32, height: u32, zoom: f32) -> RgbImage {
    let (w, h) = image.dimensions();
    let scale = f64::max(
        f64::from(width) / f64::from(w),
        f64::from(height) / f64::from(h),
    ) * f64::from(zoom);
    let shown =
        |side: u32, canvas: u32| ((f64::from(side) * scale).round() as u32).clamp(1, canvas);
    let (out_w, out_h) = (shown(w, width), shown(h, height));
    let source = |side: u32, out: u32| ((f64::from(out) / scale).round() as u32).clamp(1, side);
    let (part_w, part_h) = (source(w, out_w), source(h, out_h));
    let part = if (part_w, part_h) == (w, h) {
        Cow::Borrowed(image)
    } else {
        Cow::Owned(
            imageops::crop_imm(image, (w - part_w) / 2, (h - part_h) / 2, part_w, part_h)
                .to_image(),
        )
    };
    if (part_w, part_h) == (out_w, out_h) {
        part.into_owned()
    } else if u64::from(out_w) * 2 <= u64::from(part_w) && u64::from(out_h) * 2 <= u64::from(part_h)
    {
        // Shrinking a lot: the area average is three times faster and cannot alias.
        imageops::thumbnail(part.as_ref(), out_w, out_h)
    } else {
        imageops::resize(part.as_ref(), out_w, out_h, FilterType::Triangle)
    }
}

/// The references after the first, as framed square tiles along one edge of the canvas,
/// clear of the caption band.
fn place_tiles(
    picture: &mut RgbImage,
    tiles: &[RgbImage],
    scene: &Scene,
    palette: &Palette,
    reserved_bottom: u32,
) {
    if tiles.is_empty() {
        return;
    }
    let (width, height) = picture.dimensions();
    let short = width.min(height);
    let margin = (short * 35 / 1000).max(2);
    let along_top = scene.tile_edge == 0;
    let length = if along_top {
        width
    } else {
        height.saturating_sub(reserved_bottom)
    };
    let count = tiles.len() as u32;
    let room = length.saturating_sub(margin * (count + 1)) / count;
    let side = room.min(short * 26 / 100);
    let frame = (side / 40).max(2);
    if side <= frame * 2 + 2 {
        // So many references that no tile would show anything: they are left out.
        return;
    }
    let start = (length - (side * count + margin * (count - 1))) / 2;
    let frame_colour = palette.light.map(|c| c as u8);
    for (index, tile) in tiles.iter().enumerate() {
        let along = start + index as u32 * (side + margin);
        let (x, y) = match scene.tile_edge {
            0 => (along, margin),
            1 => (width - margin - side, along),
            _ => (margin, along),
        };
        fill_square(picture, x, y, side, frame_colour);
        let inner = side - 2 * frame;
        let fitted = cover(tile, inner, inner, 1.0);
        imageops::replace(picture, &fitted, i64::from(x + frame), i64::from(y + frame));
    }
}

impl Grade {
    /// Mixes each pixel with its luminance mapped from the shadow to the highlight colour.
    fn apply(&self, picture: &mut RgbImage, palette: &Palette) {
        let shadow = match self.shadow_from_mid {
            Some(index) => mix(&palette.dark, &palette.mids[index], 0.35),
            None => palette.dark,
        };
        let tones: Vec<[u32; 3]> = (0..256)
            .map(|luma| {
                let colour = mix(&shadow, &palette.light, luma as f32 / 255.0);
                colour.map(|c| (c + 0.5) as u32)
            })
            .collect();
        let strength = (self.strength * 256.0) as u32;
        let keep = 256 - strength;
        for pixel in picture.chunks_exact_mut(3) {
            let (r, g, b) = (
                u32::from(pixel[0]),
                u32::from(pixel[1]),
                u32::from(pixel[2]),
            );
            let luma = ((77 * r + 150 * g + 29 * b + 128) >> 8) as usize;
            let tone = &tones[luma.min(255)];
            for (channel, target) in pixel.iter_mut().zip(tone) {
                *channel = ((u32::from(*channel) * keep + target * strength + 128) >> 8) as u8;
            }
        }
    }
}

/// The camera's lighting as a per-channel curve and a vignette.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Light {
    /// Per channel: out = ((in − ½) · contrast + ½) · gain + lift, in 0–1 units.
    gain: [f32; 3],
    lift: [f32; 3],
    contrast: f32,
    /// How much the corners darken (0 none, 1 to black).
    vignette: f32,
}

impl Light {
    const NATURAL: Light = Light {
        gain: [1.0; 3],
        lift: [0.0; 3],
        contrast: 1.0,
        vignette: 0.0,
    };

    fn of(lighting: Option<&str>) -> Light {
        match lighting {
            // Bright and even: lifted, a touch less contrast, slightly cool.
            Some("studio") => Light {
                gain: [1.04, 1.04, 1.06],
                lift: [0.04; 3],
                contrast: 0.94,
                vignette: 0.0,
            },
            // Warm: reds up, blues down, a soft vignette.
            Some("golden-hour") => Light {
                gain: [1.08, 1.0, 0.82],
                lift: [0.055, 0.02, -0.015],
                contrast: 1.04,
                vignette: 0.18,
            },
            // Magenta and cyan, hard contrast, dark corners.
            Some("neon") => Light {
                gain: [1.08, 0.85, 1.18],
                lift: [0.04, -0.015, 0.06],
                contrast: 1.15,
                vignette: 0.35,
            },
            // Darker everywhere, steep contrast, a heavy vignette.
            Some("dramatic") => Light {
                gain: [0.78; 3],
                lift: [0.0; 3],
                contrast: 1.3,
                vignette: 0.45,
            },
            _ => Light::NATURAL,
        }
    }

    fn curves(&self) -> [[u8; 256]; 3] {
        let mut curves = [[0u8; 256]; 3];
        for (channel, curve) in curves.iter_mut().enumerate() {
            for (value, out) in curve.iter_mut().enumerate() {
                let v = value as f32 / 255.0;
                let graded =
                    ((v - 0.5) * self.contrast + 0.5) * self.gain[channel] + self.lift[channel];
                *out = (graded * 255.0 + 0.5).clamp(0.0, 255.0) as u8;
            }
        }
        curves
    }

    fn apply(&self, picture: &mut RgbImage) {
        if *self == Light::NATURAL {
            return;
        }
        let curves = self.curves();
        let (width, height) = (picture.width() as usize, picture.height() as usize);
        if width == 0 || height == 0 {
            return;
        }
        // Squared distance from the centre, split by axis: a corner is 1.
        let axis = |i: usize, n: usize| {
            let d = (i as f32 + 0.5) / n as f32 * 2.0 - 1.0;
            d * d / 2.0
        };
        let columns: Vec<f32> = (0..width).map(|x| axis(x, width)).collect();
        for (y, row) in picture.chunks_exact_mut(width * 3).enumerate() {
            let row_distance = axis(y, height);
            for (pixel, column) in row.chunks_exact_mut(3).zip(&columns) {
                let keep = 1.0 - self.vignette * (row_distance + column);
                for (channel, curve) in pixel.iter_mut().zip(&curves) {
                    *channel = (f32::from(curve[usize::from(*channel)]) * keep + 0.5) as u8;
                }
            }
        }
    }
}

/// Characters of the prompt the caption shows.
const CAPTION_CHARS: usize = 40;

/// The caption's text: the prompt's first characters in upper case, whitespace as spaces,
/// anything the font lacks as `?`, and `...` when the prompt goes on.
fn caption_text(prompt: &str) -> String {
    let shown = |c: char| {
        if c.is_whitespace() {
            ' '
        } else {
            let upper = c.to_ascii_uppercase();
            if glyph(upper).is_some() { upper } else { '?' }
        }
    };
    let trimmed = prompt.trim();
    let count = trimmed.chars().count();
    if count <= CAPTION_CHARS {
        trimmed.chars().map(shown).collect()
    } else {
        let mut text: String = trimmed.chars().take(CAPTION_CHARS - 3).map(shown).collect();
        text.push_str("...");
        text
    }
}

/// Where the caption goes: a band along the bottom edge, its glyphs `scale` pixels a dot.
struct Caption {
    text: Vec<[u8; 7]>,
    scale: u32,
    band_top: u32,
}

/// A glyph cell is 6 dots wide (5 and a gap) and 7 tall.
const GLYPH_ADVANCE: u32 = 6;
const GLYPH_HEIGHT: u32 = 7;

impl Caption {
    fn new(prompt: &str, width: u32, height: u32) -> Caption {
        let text: Vec<[u8; 7]> = caption_text(prompt)
            .chars()
            .map(|c| glyph(c).expect("caption_text keeps only known glyphs"))
            .collect();
        let short = width.min(height);
        // About a 256th of the short side per dot, less when the text would not fit.
        let by_size = (short + 128) / 256;
        let by_fit = (width * 9 / 10) / (GLYPH_ADVANCE * (text.len() as u32).max(1));
        let scale = by_size.min(by_fit).max(1);
        let band = (GLYPH_HEIGHT + 8) * scale;
        Caption {
            band_top: if text.is_empty() {
                height
            } else {
                height.saturating_sub(band)
            },
            text,
            scale,
        }
    }

    fn band_height(&self) -> u32 {
        if self.text.is_empty() {
            0
        } else {
            (GLYPH_HEIGHT + 8) * self.scale
        }
    }

    /// A dark band with light text: legible on any picture.
    fn draw(&self, picture: &mut RgbImage, palette: &Palette) {
        if self.text.is_empty() {
            return;
        }
        let width = picture.width();
        let band_colour = palette.dark.map(|c| c * 0.3);
        let ink = palette.light.map(|c| c + (255.0 - c) * 0.85);
        let ink_bytes = ink.map(|c| (c + 0.5) as u8);
        let start = (self.band_top * width * 3) as usize;
        for pixel in (**picture)[start..].chunks_exact_mut(3) {
            blend(pixel, &band_colour, 0.82);
        }
        let s = self.scale;
        let top = self.band_top + 4 * s;
        let mut left = 4 * s;
        for rows in &self.text {
            if left + 5 * s > width {
                break;
            }
            for (row, bits) in (0u32..).zip(rows) {
                for column in (0..5u32).filter(|column| bits & (0x10 >> column) != 0) {
                    fill_square(picture, left + column * s, top + row * s, s, ink_bytes);
                }
            }
            left += GLYPH_ADVANCE * s;
        }
    }
}

/// Paints the `side` × `side` square at (`x`, `y`), which must lie on the canvas.
fn fill_square(picture: &mut RgbImage, x: u32, y: u32, side: u32, colour: [u8; 3]) {
    let width = picture.width() as usize;
    let (x, side) = (x as usize, side as usize);
    for row in y as usize..y as usize + side {
        let start = (row * width + x) * 3;
        for pixel in (**picture)[start..start + side * 3].chunks_exact_mut(3) {
            pixel.copy_from_slice(&colour);
        }
    }
}

/// A 5 × 7 glyph, one byte a row from the top, the leftmost dot in bit 4.
fn glyph(c: char) -> Option<[u8; 7]> {
    Some(match c {
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04],
        'Z' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        ' ' => [0x00; 7],
        '!' => [0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x04],
        '"' => [0x0A, 0x0A, 0x0A, 0x00, 0x00, 0x00, 0x00],
        '#' => [0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A],
        '%' => [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03],
        '&' => [0x0C, 0x12, 0x14, 0x08, 0x15, 0x12, 0x0D],
        '\'' => [0x04, 0x04, 0x08, 0x00, 0x00, 0x00, 0x00],
        '(' => [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02],
        ')' => [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
        '*' => [0x00, 0x04, 0x15, 0x0E, 0x15, 0x04, 0x00],
        '+' => [0x00, 0x04, 0x04, 0x1F, 0x04, 0x04, 0x00],
        ',' => [0x00, 0x00, 0x00, 0x00, 0x0C, 0x04, 0x08],
        '-' => [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00],
        '.' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        '/' => [0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00],
        ':' => [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00],
        ';' => [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x04, 0x08],
        '=' => [0x00, 0x00, 0x1F, 0x00, 0x1F, 0x00, 0x00],
        '?' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04],
        '@' => [0x0E, 0x11, 0x01, 0x0D, 0x15, 0x15, 0x0E],
        '_' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F],
        _ => return None,
    })
}

/// Puts `base` back wherever the mask says keep. The mask is scaled to the canvas by
/// nearest neighbour: pixel (x, y) reads mask pixel (x · mw / w, y · mh / h). A mask pixel
/// asks for repainting when its luminance times its opacity is at least half: white and
/// opaque repaints, black or transparent keeps.
fn keep_unmasked(picture: &mut RgbImage, base: &RgbImage, mask: &DynamicImage) {
    let mask = mask.to_luma_alpha8();
    let (width, height) = picture.dimensions();
    let (mask_width, mask_height) = mask.dimensions();
    let columns: Vec<usize> = (0..width)
        .map(|x| (u64::from(x) * u64::from(mask_width) / u64::from(width)) as usize)
        .collect();
    let row_bytes = width as usize * 3;
    let mask_raw = mask.as_raw();
    for y in 0..height {
        let mask_y = (u64::from(y) * u64::from(mask_height) / u64::from(height)) as usize;
        let mask_row =
            &mask_raw[mask_y * mask_width as usize * 2..(mask_y + 1) * mask_width as usize * 2];
        let start = y as usize * row_bytes;
        let out = &mut (**picture)[start..start + row_bytes];
        let kept = &(**base)[start..start + row_bytes];
        for ((pixel, original), column) in out
            .chunks_exact_mut(3)
            .zip(kept.chunks_exact(3))
            .zip(&columns)
        {
            let luma = u32::from(mask_row[column * 2]);
            let alpha = u32::from(mask_row[column * 2 + 1]);
            if luma * alpha < 128 * 255 {
                pixel.copy_from_slice(original);
            }
        }
    }
}

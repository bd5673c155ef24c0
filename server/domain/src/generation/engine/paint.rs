//! Painting the scene on a canvas: the camera's framing, the gradient and its glow, the
//! bands and the discs.

use super::{Band, Colour, Disc, Fill, Scene};
use crate::generation::Camera;
use image::RgbImage;

/// Sine and cosine from a fixed polynomial in `f64`: the same bits on every platform, which
/// the standard library's (the platform's `libm`) does not promise.
pub(super) fn sin_cos(angle: f32) -> (f32, f32) {
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
pub(super) struct Framing {
    pub(super) width: f32,
    pub(super) height: f32,
    /// The short side in pixels: one scene unit.
    pub(super) unit: f32,
    pub(super) zoom: f32,
    /// The tilt as its cosine and sine.
    pub(super) turn: (f32, f32),
    /// Where the scene's centre moves, in scene units.
    pub(super) shift: (f32, f32),
    /// How much larger discs grow per scene unit down the canvas (negative: up).
    pub(super) keystone: f32,
    /// Edge softness per unit of depth, as a fraction of the short side.
    pub(super) blur: f32,
}

impl Framing {
    pub(super) fn new(width: u32, height: u32, camera: &Camera, dutch: f32) -> Framing {
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

    pub(super) fn rotate(&self, (x, y): (f32, f32)) -> (f32, f32) {
        let (cos, sin) = self.turn;
        (x * cos - y * sin, x * sin + y * cos)
    }

    /// A point given as fractions of the canvas from the middle, in pixels.
    pub(super) fn point(&self, (fx, fy): (f32, f32)) -> (f32, f32) {
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
    pub(super) fn direction(&self, angle: f32) -> (f32, f32) {
        let (sin, cos) = sin_cos(angle);
        self.rotate((cos, sin))
    }

    /// How much a length in scene units grows at pixel row `y`.
    pub(super) fn scale_at(&self, y: f32) -> f32 {
        self.zoom * (1.0 + self.keystone * (y - self.height / 2.0) / self.unit).max(0.3)
    }
}

#[inline]
pub(super) fn blend(pixel: &mut [u8], colour: &Colour, alpha: f32) {
    for (channel, target) in pixel.iter_mut().zip(colour) {
        let value = f32::from(*channel);
        // In [0, 255.5): truncation rounds.
        *channel = (value + (target - value) * alpha + 0.5) as u8;
    }
}

#[inline]
pub(super) fn mix(a: &Colour, b: &Colour, t: f32) -> Colour {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

/// The scene's gradient with its glow, laid over the canvas at `wash` (1 replaces it).
pub(super) fn paint_background(
    picture: &mut RgbImage,
    scene: &Scene,
    framing: &Framing,
    wash: f32,
) {
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
pub(super) fn paint_glow(picture: &mut RgbImage, scene: &Scene, framing: &Framing, strength: f32) {
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
pub(super) fn span(centre: f32, reach: f32, width: usize) -> (usize, usize) {
    let start = (centre - reach).floor().max(0.0) as usize;
    let end = ((centre + reach).ceil().max(0.0) as usize).min(width);
    (start.min(end), end)
}

pub(super) fn paint_shapes(picture: &mut RgbImage, scene: &Scene, framing: &Framing) {
    for band in &scene.bands {
        paint_band(picture, band, framing);
    }
    for disc in &scene.discs {
        paint_disc(picture, disc, framing);
    }
}

pub(super) fn paint_band(picture: &mut RgbImage, band: &Band, framing: &Framing) {
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

pub(super) fn paint_disc(picture: &mut RgbImage, disc: &Disc, framing: &Framing) {
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

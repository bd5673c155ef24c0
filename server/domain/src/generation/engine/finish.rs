//! The finishing touches every picture gets: the lighting's tone curves and the prompt's
//! caption band in a built-in pixel font.

use super::{Palette, blend};
use image::RgbImage;

/// The camera's lighting as a per-channel curve and a vignette.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Light {
    /// Per channel: out = ((in − ½) · contrast + ½) · gain + lift, in 0–1 units.
    pub(super) gain: [f32; 3],
    pub(super) lift: [f32; 3],
    pub(super) contrast: f32,
    /// How much the corners darken (0 none, 1 to black).
    pub(super) vignette: f32,
}

impl Light {
    pub(super) const NATURAL: Light = Light {
        gain: [1.0; 3],
        lift: [0.0; 3],
        contrast: 1.0,
        vignette: 0.0,
    };

    pub(super) fn of(lighting: Option<&str>) -> Light {
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

    pub(super) fn curves(&self) -> [[u8; 256]; 3] {
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

    pub(super) fn apply(&self, picture: &mut RgbImage) {
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
pub(super) const CAPTION_CHARS: usize = 40;

/// The caption's text: the prompt's first characters in upper case, whitespace as spaces,
/// anything the font lacks as `?`, and `...` when the prompt goes on.
pub(super) fn caption_text(prompt: &str) -> String {
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
pub(super) struct Caption {
    pub(super) text: Vec<[u8; 7]>,
    pub(super) scale: u32,
    pub(super) band_top: u32,
}

/// A glyph cell is 6 dots wide (5 and a gap) and 7 tall.
pub(super) const GLYPH_ADVANCE: u32 = 6;
pub(super) const GLYPH_HEIGHT: u32 = 7;

impl Caption {
    pub(super) fn new(prompt: &str, width: u32, height: u32) -> Caption {
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

    pub(super) fn band_height(&self) -> u32 {
        if self.text.is_empty() {
            0
        } else {
            (GLYPH_HEIGHT + 8) * self.scale
        }
    }

    /// A dark band with light text: legible on any picture.
    pub(super) fn draw(&self, picture: &mut RgbImage, palette: &Palette) {
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
pub(super) fn fill_square(picture: &mut RgbImage, x: u32, y: u32, side: u32, colour: [u8; 3]) {
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
pub(super) fn glyph(c: char) -> Option<[u8; 7]> {
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

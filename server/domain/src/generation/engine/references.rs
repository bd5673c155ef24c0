//! The person's own pictures: the first reference covering the canvas, the others in
//! framed tiles, the palette's colour grade, and the mask's kept region.

use super::{Grade, Palette, Scene, fill_square, mix};
use image::{
    DynamicImage, RgbImage,
    imageops::{self, FilterType},
};
use std::borrow::Cow;

/// `image` scaled to cover `width` × `height` times `zoom`, centred and cut to the canvas:
/// exactly the canvas's size at zoom 1 or more (at zoom 1, the base layer a mask keeps),
/// smaller on one side or both below 1. Only the part of the image that shows is resampled.
pub(super) fn cover(image: &RgbImage, width: u32, height: u32, zoom: f32) -> RgbImage {
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
pub(super) fn place_tiles(
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
    pub(super) fn apply(&self, picture: &mut RgbImage, palette: &Palette) {
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

/// Puts `base` back wherever the mask says keep. The mask is scaled to the canvas by
/// nearest neighbour: pixel (x, y) reads mask pixel (x · mw / w, y · mh / h). A mask pixel
/// asks for repainting when its luminance times its opacity is at least half: white and
/// opaque repaints, black or transparent keeps.
pub(super) fn keep_unmasked(picture: &mut RgbImage, base: &RgbImage, mask: &DynamicImage) {
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

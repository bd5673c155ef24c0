//! Checks and cleans the images people upload (edit sources, references, avatars): only PNG,
//! JPEG and WebP, within size and pixel limits read from the header before anything is
//! decoded, then decoded, turned upright and re-encoded so no EXIF, GPS position or other
//! metadata the camera wrote leaves with the file. The same checks guard what providers
//! return: [`convert`] re-encodes a result in the format asked for and [`thumbnail`] makes
//! its gallery preview.
//!
//! Decoding and encoding are CPU-bound and take up to a second for a large photo: call
//! [`inspect`], [`sanitize`], [`avatar`], [`thumbnail`], [`convert`], [`decode`],
//! [`decode_rgb`] and [`encode_rgb`] from blocking code only, or use the async
//! [`sanitize_blocking`], [`avatar_blocking`], [`thumbnail_blocking`] and
//! [`convert_blocking`], which run them on tokio's blocking pool.

use image::{
    DynamicImage, ExtendedColorType, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage,
    codecs::{jpeg::JpegEncoder, webp::WebPEncoder},
    imageops::FilterType,
    metadata::Orientation,
};
use std::io::Cursor;

/// Width and height of every avatar.
pub const AVATAR_SIZE: u32 = 256;
/// Longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 384;
/// JPEG quality of re-encoded photos: visually lossless, about a third of quality 100.
const JPEG_QUALITY: u8 = 90;
/// Bytes per pixel of the widest layout our formats decode to (16-bit RGBA PNG).
const MAX_BYTES_PER_PIXEL: u64 = 8;
/// Headroom for a decoder's own tables and buffers beyond the output image.
const DECODER_OVERHEAD_BYTES: u64 = 64 * 1024 * 1024;

/// What an upload may be. The defaults fit phone photos and generated images.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadLimits {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Largest width × height accepted.
    pub max_pixels: u64,
    /// Largest width or height accepted.
    pub max_side: u32,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            max_bytes: 10 * 1024 * 1024,
            max_pixels: 40_000_000,
            max_side: 8192,
        }
    }
}

impl UploadLimits {
    /// The decoder's limits: the side limit strictly, and an allocation budget that fits
    /// the largest accepted image in the widest pixel layout.
    fn decoder_limits(&self) -> Limits {
        let mut limits = Limits::default();
        limits.max_image_width = Some(self.max_side);
        limits.max_image_height = Some(self.max_side);
        limits.max_alloc = Some(self.alloc_budget());
        limits
    }

    fn alloc_budget(&self) -> u64 {
        self.max_pixels
            .saturating_mul(MAX_BYTES_PER_PIXEL)
            .saturating_add(DECODER_OVERHEAD_BYTES)
    }
}

/// The image formats we accept and produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageKind {
    Png,
    Jpeg,
    Webp,
}

impl ImageKind {
    /// The MIME type, as stored with the file and sent as `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Webp => "image/webp",
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Webp => "webp",
        }
    }

    fn of_format(format: ImageFormat) -> Option<ImageKind> {
        match format {
            ImageFormat::Png => Some(ImageKind::Png),
            ImageFormat::Jpeg => Some(ImageKind::Jpeg),
            ImageFormat::WebP => Some(ImageKind::Webp),
            _ => None,
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            ImageKind::Png => ImageFormat::Png,
            ImageKind::Jpeg => ImageFormat::Jpeg,
            ImageKind::Webp => ImageFormat::WebP,
        }
    }
}

/// What the header of an acceptable upload says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub format: ImageKind,
    pub width: u32,
    pub height: u32,
}

/// A re-encoded image, free of metadata and upright.
#[derive(Clone, PartialEq, Eq)]
pub struct CleanImage {
    pub bytes: Vec<u8>,
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
}

impl std::fmt::Debug for CleanImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CleanImage")
            .field("bytes", &self.bytes.len())
            .field("kind", &self.kind)
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

/// Why an upload is refused. Each variant is something the person can act on, and the UI
/// translates it; none carries decoder internals.
#[derive(Debug, thiserror::Error, Clone, Copy, PartialEq, Eq)]
pub enum ImageError {
    #[error("the file is larger than {max_bytes} bytes")]
    TooLarge { max_bytes: usize },
    #[error("the image has more than {max_pixels} pixels")]
    TooManyPixels { max_pixels: u64 },
    #[error("the image is wider or taller than {max_side} pixels")]
    SideTooLong { max_side: u32 },
    #[error("only PNG, JPEG and WebP images are accepted")]
    UnsupportedFormat,
    #[error("the image cannot be read")]
    Corrupt,
}

impl ImageError {
    /// Maps a decoder's error to what the person can be told. The detail is logged at
    /// debug level only: it describes the attacker's file, not our system.
    fn from_decoder(error: image::ImageError, limits: &UploadLimits) -> ImageError {
        tracing::debug!(%error, "image refused by the decoder");
        match error {
            image::ImageError::Limits(_) => ImageError::TooManyPixels {
                max_pixels: limits.max_pixels,
            },
            // A valid signature in front of a feature the codec lacks (e.g. arithmetic-
            // coded JPEG): for the person, the format is what we cannot take.
            image::ImageError::Unsupported(_) => ImageError::UnsupportedFormat,
            _ => ImageError::Corrupt,
        }
    }
}

/// Identifies an upload by its content (never its name or declared type) and checks it
/// against `limits` using only the header, so a small file declaring a huge image (a
/// decompression bomb) is refused before any pixel memory is allocated.
pub fn inspect(bytes: &[u8], limits: &UploadLimits) -> Result<ImageInfo, ImageError> {
    if bytes.len() > limits.max_bytes {
        return Err(ImageError::TooLarge {
            max_bytes: limits.max_bytes,
        });
    }
    // The built-in magic-byte table only: a format hook registered elsewhere in the process
    // cannot widen what we accept.
    let format = image::guess_format(bytes)
        .ok()
        .and_then(ImageKind::of_format)
        .ok_or(ImageError::UnsupportedFormat)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.format());
    // No side limit here, so a too-wide image is reported as such rather than as a
    // generic limit error; the pixel checks below come first.
    let mut header_limits = limits.decoder_limits();
    header_limits.max_image_width = None;
    header_limits.max_image_height = None;
    reader.limits(header_limits);
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| ImageError::from_decoder(e, limits))?;
    if width == 0 || height == 0 {
        return Err(ImageError::Corrupt);
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(ImageError::TooManyPixels {
            max_pixels: limits.max_pixels,
        });
    }
    if width > limits.max_side || height > limits.max_side {
        return Err(ImageError::SideTooLong {
            max_side: limits.max_side,
        });
    }
    Ok(ImageInfo {
        format,
        width,
        height,
    })
}

/// Checks an upload, decodes it within `limits`, turns it the way its EXIF orientation says
/// it is viewed, and re-encodes it as `output`. The result carries none of the original's
/// metadata (EXIF, GPS, XMP, comments, colour profile); an animated image keeps its first
/// frame. Blocking: see the module docs.
pub fn sanitize(
    bytes: &[u8],
    limits: &UploadLimits,
    output: ImageKind,
) -> Result<CleanImage, ImageError> {
    let image = decode_upright(bytes, limits)?;
    encode(&image, output)
}

/// A square avatar from an upload: sanitized, centre-cropped, resized to
/// [`AVATAR_SIZE`]² and encoded as PNG. Blocking: see the module docs.
pub fn avatar(bytes: &[u8], limits: &UploadLimits) -> Result<CleanImage, ImageError> {
    let image = decode_upright(bytes, limits)?;
    let side = image.width().min(image.height());
    let square = image.crop_imm(
        (image.width() - side) / 2,
        (image.height() - side) / 2,
        side,
        side,
    );
    // Lanczos3 keeps faces sharp when a large photo shrinks a lot.
    let resized = square.resize_exact(AVATAR_SIZE, AVATAR_SIZE, FilterType::Lanczos3);
    // Eight bits per channel is all a 256-pixel avatar needs; 16-bit PNGs double in size.
    let resized = if resized.color().has_alpha() {
        DynamicImage::ImageRgba8(resized.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(resized.to_rgb8())
    };
    encode(&resized, ImageKind::Png)
}

/// A WebP preview of an image: decoded within `limits`, turned upright and shrunk so its
/// longer side is at most [`THUMBNAIL_SIDE`], keeping its proportions. An image already that
/// small keeps its size: a preview is never larger than its image. Transparency is kept.
/// Blocking: see the module docs.
pub fn thumbnail(bytes: &[u8], limits: &UploadLimits) -> Result<CleanImage, ImageError> {
    let image = decode_upright(bytes, limits)?;
    let (width, height) = (image.width(), image.height());
    let long = width.max(height);
    let image = if long > THUMBNAIL_SIDE {
        // Rounded to the nearest pixel and never zero, so a 1 × 5000 strip stays visible.
        let scale = |side: u32| {
            let scaled = (u64::from(side) * u64::from(THUMBNAIL_SIDE) + u64::from(long) / 2)
                / u64::from(long);
            u32::try_from(scaled).unwrap_or(THUMBNAIL_SIDE).max(1)
        };
        // Triangle widens with the reduction, so every source pixel counts (no aliasing on
        // fine patterns) at a third of Lanczos3's cost.
        image.resize_exact(scale(width), scale(height), FilterType::Triangle)
    } else {
        image
    };
    encode(&image, ImageKind::Webp)
}

/// An image in the `output` format: checked and decoded within `limits`, turned upright and
/// re-encoded with no metadata, at its own size. The same work as [`sanitize`], named for
/// results that change format rather than uploads being cleaned. Blocking: see the module
/// docs.
pub fn convert(
    bytes: &[u8],
    limits: &UploadLimits,
    output: ImageKind,
) -> Result<CleanImage, ImageError> {
    sanitize(bytes, limits, output)
}

/// An accepted image's pixels, decoded within `limits` and turned upright, in the layout
/// its file holds (8- or 16-bit, with or without alpha). Blocking: see the module docs.
pub fn decode(bytes: &[u8], limits: &UploadLimits) -> Result<DynamicImage, ImageError> {
    decode_upright(bytes, limits)
}

/// An accepted image as 8-bit RGB, decoded within `limits` and turned upright; transparent
/// parts are composited onto white, as the image looked on a page. Blocking: see the module
/// docs.
pub fn decode_rgb(bytes: &[u8], limits: &UploadLimits) -> Result<RgbImage, ImageError> {
    let image = decode_upright(bytes, limits)?;
    Ok(match image {
        DynamicImage::ImageRgb8(rgb) => rgb,
        other => flatten_on_white(&other),
    })
}

/// Encodes 8-bit RGB pixels as `kind` the way every image we produce is encoded (JPEG at
/// quality 90, lossless WebP, PNG), with no metadata. Blocking: see the module docs.
pub fn encode_rgb(pixels: RgbImage, kind: ImageKind) -> Result<CleanImage, ImageError> {
    encode(&DynamicImage::ImageRgb8(pixels), kind)
}

/// [`sanitize`] on tokio's blocking pool, for async callers.
pub async fn sanitize_blocking(
    bytes: Vec<u8>,
    limits: UploadLimits,
    output: ImageKind,
) -> Result<CleanImage, ImageError> {
    run_blocking(move || sanitize(&bytes, &limits, output)).await
}

/// [`avatar`] on tokio's blocking pool, for async callers.
pub async fn avatar_blocking(
    bytes: Vec<u8>,
    limits: UploadLimits,
) -> Result<CleanImage, ImageError> {
    run_blocking(move || avatar(&bytes, &limits)).await
}

/// [`thumbnail`] on tokio's blocking pool, for async callers.
pub async fn thumbnail_blocking(
    bytes: Vec<u8>,
    limits: UploadLimits,
) -> Result<CleanImage, ImageError> {
    run_blocking(move || thumbnail(&bytes, &limits)).await
}

/// [`convert`] on tokio's blocking pool, for async callers.
pub async fn convert_blocking(
    bytes: Vec<u8>,
    limits: UploadLimits,
    output: ImageKind,
) -> Result<CleanImage, ImageError> {
    run_blocking(move || convert(&bytes, &limits, output)).await
}

async fn run_blocking(
    work: impl FnOnce() -> Result<CleanImage, ImageError> + Send + 'static,
) -> Result<CleanImage, ImageError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        // A decoder panicking on hostile input must not take the request handler with it;
        // for the person it is a file we cannot read.
        Err(error) => {
            tracing::error!(%error, "image processing panicked");
            Err(ImageError::Corrupt)
        }
    }
}

/// Decodes an accepted upload and applies its EXIF orientation.
fn decode_upright(bytes: &[u8], limits: &UploadLimits) -> Result<DynamicImage, ImageError> {
    let info = inspect(bytes, limits)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), info.format.format());
    reader.limits(limits.decoder_limits());
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| ImageError::from_decoder(e, limits))?;
    // Some decoders treat the allocation limit as advisory; the output buffer is the big
    // allocation, so check it here before it is made.
    if decoder.total_bytes() > limits.alloc_budget() {
        return Err(ImageError::TooManyPixels {
            max_pixels: limits.max_pixels,
        });
    }
    // Broken EXIF is no reason to refuse a photo whose pixels are fine: it is dropped anyway.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| ImageError::from_decoder(e, limits))?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Encodes pixels only: the encoders write no metadata unless given some, and we give none.
fn encode(image: &DynamicImage, kind: ImageKind) -> Result<CleanImage, ImageError> {
    let mut bytes = Vec::new();
    let result = match kind {
        ImageKind::Png => image.write_to(Cursor::new(&mut bytes), ImageFormat::Png),
        ImageKind::Jpeg => JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
            .encode_image(&flatten_on_white(image)),
        // The only WebP encoder available is lossless; it keeps alpha when there is some.
        ImageKind::Webp => {
            let encoder = WebPEncoder::new_lossless(&mut bytes);
            if image.color().has_alpha() {
                let rgba = image.to_rgba8();
                encoder.encode(
                    rgba.as_raw(),
                    rgba.width(),
                    rgba.height(),
                    ExtendedColorType::Rgba8,
                )
            } else {
                let rgb = image.to_rgb8();
                encoder.encode(
                    rgb.as_raw(),
                    rgb.width(),
                    rgb.height(),
                    ExtendedColorType::Rgb8,
                )
            }
        }
    };
    if let Err(error) = result {
        // Every decoded image is encodable in these formats, so this is our bug, not the
        // person's file; the log says so, the person hears only that it did not work.
        tracing::error!(%error, ?kind, "encoding a decoded image failed");
        return Err(ImageError::Corrupt);
    }
    Ok(CleanImage {
        bytes,
        kind,
        width: image.width(),
        height: image.height(),
    })
}

/// JPEG has no transparency: composite onto white, as the image looked on a page, instead
/// of letting whatever colour transparent pixels happen to hold (often black) show through.
fn flatten_on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let alpha = u16::from(a);
        let blend = |c: u8| ((u16::from(c) * alpha + 255 * (255 - alpha) + 127) / 255) as u8;
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb, Rgba};

    /// A `width`×`height` picture, red on the left half and blue on the right.
    fn halves(width: u32, height: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(ImageBuffer::from_fn(width, height, |x, _| {
            if x < width / 2 {
                Rgb([255, 0, 0])
            } else {
                Rgb([0, 0, 255])
            }
        }))
    }

    fn encoded(image: &DynamicImage, kind: ImageKind) -> Vec<u8> {
        encode(image, kind).unwrap().bytes
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// An EXIF APP1 segment (little-endian TIFF) with orientation 6 ("rotate 90° clockwise
    /// to view") and a GPS IFD holding latitude N 51° 30′ 0″.
    fn exif_app1_with_gps() -> Vec<u8> {
        let mut tiff = Vec::new();
        tiff.extend_from_slice(b"II\x2a\x00\x08\x00\x00\x00");
        // IFD0 at 8: two entries, then the next-IFD offset (none).
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]); // Orientation
        tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0]); // GPSInfo IFD pointer
        tiff.extend_from_slice(&38u32.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        assert_eq!(tiff.len(), 38);
        // GPS IFD at 38: latitude reference and latitude (three rationals at 68).
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
        tiff.extend_from_slice(&[0x02, 0x00, 5, 0, 3, 0, 0, 0]);
        tiff.extend_from_slice(&68u32.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        assert_eq!(tiff.len(), 68);
        for (numerator, denominator) in [(51u32, 1u32), (30, 1), (0, 1)] {
            tiff.extend_from_slice(&numerator.to_le_bytes());
            tiff.extend_from_slice(&denominator.to_le_bytes());
        }
        let mut segment = vec![0xFF, 0xE1];
        let length = u16::try_from(2 + 6 + tiff.len()).unwrap();
        segment.extend_from_slice(&length.to_be_bytes());
        segment.extend_from_slice(b"Exif\0\0");
        segment.extend_from_slice(&tiff);
        segment
    }

    /// A JPEG as a phone writes it: the EXIF segment right after the start-of-image marker.
    fn jpeg_with_exif(image: &DynamicImage) -> Vec<u8> {
        let plain = encoded(image, ImageKind::Jpeg);
        assert_eq!(&plain[..2], &[0xFF, 0xD8]);
        let mut bytes = plain[..2].to_vec();
        bytes.extend_from_slice(&exif_app1_with_gps());
        bytes.extend_from_slice(&plain[2..]);
        bytes
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut chunk = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        chunk.extend_from_slice(kind);
        chunk.extend_from_slice(data);
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        chunk.extend_from_slice(&crc32(&crc_input).to_be_bytes());
        chunk
    }

    /// A valid-looking PNG of under 100 bytes whose header declares `width`×`height` RGB.
    fn png_declaring(width: u32, height: u32) -> Vec<u8> {
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no interlace
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(png_chunk(b"IHDR", &ihdr));
        // An empty zlib stream: the pixels it would have to inflate to never exist.
        png.extend(png_chunk(
            b"IDAT",
            &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        ));
        png.extend(png_chunk(b"IEND", &[]));
        png
    }

    #[test]
    fn accepts_png_jpeg_and_webp_by_content() {
        let limits = UploadLimits::default();
        let picture = halves(64, 48);
        for kind in [ImageKind::Png, ImageKind::Jpeg, ImageKind::Webp] {
            let bytes = encoded(&picture, kind);
            assert_eq!(
                inspect(&bytes, &limits).unwrap(),
                ImageInfo {
                    format: kind,
                    width: 64,
                    height: 48
                }
            );
            for output in [ImageKind::Png, ImageKind::Jpeg, ImageKind::Webp] {
                let clean = sanitize(&bytes, &limits, output).unwrap();
                assert_eq!((clean.kind, clean.width, clean.height), (output, 64, 48));
                assert_eq!(inspect(&clean.bytes, &limits).unwrap().format, output);
            }
        }
    }

    #[test]
    fn exif_and_gps_are_dropped_and_orientation_applied() {
        let limits = UploadLimits::default();
        let bytes = jpeg_with_exif(&halves(40, 20));
        assert!(contains(&bytes, b"Exif"));
        for output in [ImageKind::Jpeg, ImageKind::Png, ImageKind::Webp] {
            let clean = sanitize(&bytes, &limits, output).unwrap();
            assert!(!contains(&clean.bytes, b"Exif"), "{output:?} kept EXIF");
            assert!(
                !contains(&clean.bytes, b"II\x2a\x00"),
                "{output:?} kept TIFF"
            );
            // Turned upright: the landscape sensor image is a portrait, and the left half
            // (red) is now the top.
            assert_eq!((clean.width, clean.height), (20, 40), "{output:?}");
            let pixels = image::load_from_memory(&clean.bytes).unwrap().to_rgb8();
            let top = pixels.get_pixel(10, 5).0;
            let bottom = pixels.get_pixel(10, 35).0;
            assert!(top[0] > 200 && top[2] < 60, "{output:?} top {top:?}");
            assert!(
                bottom[2] > 200 && bottom[0] < 60,
                "{output:?} bottom {bottom:?}"
            );
        }
    }

    #[test]
    fn decompression_bomb_is_refused_from_the_header() {
        let bomb = png_declaring(100_000, 100_000);
        assert!(bomb.len() < 100);
        assert_eq!(
            inspect(&bomb, &UploadLimits::default()),
            Err(ImageError::TooManyPixels {
                max_pixels: 40_000_000
            })
        );
        assert_eq!(
            sanitize(&bomb, &UploadLimits::default(), ImageKind::Png),
            Err(ImageError::TooManyPixels {
                max_pixels: 40_000_000
            })
        );
        // Few pixels but an absurd side is refused too.
        let strip = png_declaring(100_000, 1);
        assert_eq!(
            inspect(&strip, &UploadLimits::default()),
            Err(ImageError::SideTooLong { max_side: 8192 })
        );
    }

    #[test]
    fn other_formats_are_refused_whatever_they_are_called() {
        let limits = UploadLimits::default();
        let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
        let html = b"<!doctype html><html><script>alert(1)</script></html>";
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        for bytes in [&gif[..], &html[..], &svg[..], b"", b"\x89PN"] {
            assert_eq!(
                inspect(bytes, &limits),
                Err(ImageError::UnsupportedFormat),
                "{bytes:?}"
            );
            assert_eq!(
                sanitize(bytes, &limits, ImageKind::Png),
                Err(ImageError::UnsupportedFormat)
            );
        }
    }

    #[test]
    fn truncated_data_is_corrupt() {
        let limits = UploadLimits::default();
        let png = encoded(&halves(64, 64), ImageKind::Png);
        // Cut inside the header, and inside the pixel data.
        for cut in [20, png.len() / 2] {
            assert_eq!(
                sanitize(&png[..cut], &limits, ImageKind::Png),
                Err(ImageError::Corrupt),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn byte_size_is_limited() {
        let limits = UploadLimits {
            max_bytes: 100,
            ..UploadLimits::default()
        };
        let png = encoded(&halves(64, 64), ImageKind::Png);
        assert!(png.len() > 100);
        assert_eq!(
            inspect(&png, &limits),
            Err(ImageError::TooLarge { max_bytes: 100 })
        );
    }

    #[test]
    fn transparency_becomes_white_in_jpeg() {
        let clear = DynamicImage::ImageRgba8(ImageBuffer::from_pixel(8, 8, Rgba([0, 0, 0, 0])));
        let png = encoded(&clear, ImageKind::Png);
        let clean = sanitize(&png, &UploadLimits::default(), ImageKind::Jpeg).unwrap();
        let pixel = image::load_from_memory(&clean.bytes)
            .unwrap()
            .to_rgb8()
            .get_pixel(4, 4)
            .0;
        assert!(pixel.iter().all(|&c| c > 245), "{pixel:?}");
    }

    #[test]
    fn avatar_is_a_centred_square_png() {
        // Blue in the middle third of a wide image, red at the sides: the crop keeps blue.
        let wide = DynamicImage::ImageRgb8(ImageBuffer::from_fn(900, 300, |x, _| {
            if (300..600).contains(&x) {
                Rgb([0, 0, 255])
            } else {
                Rgb([255, 0, 0])
            }
        }));
        let jpeg = encoded(&wide, ImageKind::Jpeg);
        let clean = avatar(&jpeg, &UploadLimits::default()).unwrap();
        assert_eq!(
            (clean.kind, clean.width, clean.height),
            (ImageKind::Png, 256, 256)
        );
        assert_eq!(clean.kind.content_type(), "image/png");
        let decoded = image::load_from_memory(&clean.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (256, 256));
        let centre = decoded.to_rgb8().get_pixel(128, 128).0;
        assert!(centre[2] > 200 && centre[0] < 60, "{centre:?}");
        // Small images grow to the same size.
        let tiny = encoded(&halves(10, 30), ImageKind::Webp);
        let clean = avatar(&tiny, &UploadLimits::default()).unwrap();
        assert_eq!((clean.width, clean.height), (256, 256));
    }

    #[test]
    fn thumbnail_is_a_webp_within_the_side_keeping_proportions() {
        let limits = UploadLimits::default();
        // (source size, source format, expected thumbnail size)
        let cases = [
            ((1000, 500), ImageKind::Png, (384, 192)),
            ((300, 900), ImageKind::Jpeg, (128, 384)),
            ((1001, 333), ImageKind::Webp, (384, 128)),
            ((2000, 2000), ImageKind::Png, (384, 384)),
        ];
        for ((width, height), source, expected) in cases {
            let bytes = encoded(&halves(width, height), source);
            let thumb = thumbnail(&bytes, &limits).unwrap();
            assert_eq!(
                (thumb.kind, thumb.width, thumb.height),
                (ImageKind::Webp, expected.0, expected.1),
                "{width}x{height} {source:?}"
            );
            assert_eq!(
                image::guess_format(&thumb.bytes).unwrap(),
                ImageFormat::WebP
            );
            let pixels = image::load_from_memory(&thumb.bytes).unwrap().to_rgb8();
            assert_eq!(pixels.dimensions(), expected);
            // The picture is the same one: red on the left, blue on the right.
            let left = pixels.get_pixel(expected.0 / 8, expected.1 / 2).0;
            let right = pixels.get_pixel(expected.0 * 7 / 8, expected.1 / 2).0;
            assert!(left[0] > 200 && left[2] < 60, "{left:?}");
            assert!(right[2] > 200 && right[0] < 60, "{right:?}");
        }
    }

    #[test]
    fn small_images_are_not_upscaled_for_thumbnails() {
        let limits = UploadLimits::default();
        for (width, height) in [
            (100, 60),
            (1, 1),
            (THUMBNAIL_SIDE, 17),
            (20, THUMBNAIL_SIDE),
        ] {
            let bytes = encoded(&halves(width, height), ImageKind::Png);
            let thumb = thumbnail(&bytes, &limits).unwrap();
            assert_eq!((thumb.width, thumb.height), (width, height));
            let decoded = image::load_from_memory(&thumb.bytes).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (width, height));
        }
        // A thin strip shrinks without its short side vanishing.
        let strip = encoded(&halves(4000, 2), ImageKind::Png);
        let thumb = thumbnail(&strip, &limits).unwrap();
        assert_eq!((thumb.width, thumb.height), (THUMBNAIL_SIDE, 1));
    }

    #[test]
    fn thumbnails_keep_transparency_and_refuse_what_uploads_refuse() {
        let limits = UploadLimits::default();
        let clear = DynamicImage::ImageRgba8(ImageBuffer::from_pixel(800, 400, Rgba([9, 9, 9, 0])));
        let thumb = thumbnail(&encoded(&clear, ImageKind::Png), &limits).unwrap();
        let decoded = image::load_from_memory(&thumb.bytes).unwrap();
        assert!(decoded.color().has_alpha());
        assert_eq!(decoded.to_rgba8().get_pixel(100, 100).0[3], 0);
        assert_eq!(
            thumbnail(&png_declaring(100_000, 100_000), &limits),
            Err(ImageError::TooManyPixels {
                max_pixels: 40_000_000
            })
        );
        assert_eq!(
            thumbnail(b"nope", &limits),
            Err(ImageError::UnsupportedFormat)
        );
    }

    #[test]
    fn convert_changes_the_format_and_keeps_the_picture() {
        let limits = UploadLimits::default();
        let png = encoded(&halves(120, 80), ImageKind::Png);
        for (output, format) in [
            (ImageKind::Jpeg, ImageFormat::Jpeg),
            (ImageKind::Webp, ImageFormat::WebP),
            (ImageKind::Png, ImageFormat::Png),
        ] {
            let converted = convert(&png, &limits, output).unwrap();
            assert_eq!(
                (converted.kind, converted.width, converted.height),
                (output, 120, 80)
            );
            assert_eq!(image::guess_format(&converted.bytes).unwrap(), format);
            // And back to PNG: the same size and the same halves.
            let back = convert(&converted.bytes, &limits, ImageKind::Png).unwrap();
            assert_eq!((back.width, back.height), (120, 80));
            let pixels = image::load_from_memory(&back.bytes).unwrap().to_rgb8();
            let (left, right) = (pixels.get_pixel(10, 40).0, pixels.get_pixel(110, 40).0);
            assert!(left[0] > 200 && left[2] < 60, "{output:?} {left:?}");
            assert!(right[2] > 200 && right[0] < 60, "{output:?} {right:?}");
        }
        // Metadata does not survive a conversion either.
        let converted =
            convert(&jpeg_with_exif(&halves(40, 20)), &limits, ImageKind::Webp).unwrap();
        assert!(!contains(&converted.bytes, b"Exif"));
        assert_eq!((converted.width, converted.height), (20, 40));
    }

    #[test]
    fn decode_rgb_flattens_and_encode_rgb_round_trips() {
        let limits = UploadLimits::default();
        let half_clear = DynamicImage::ImageRgba8(ImageBuffer::from_fn(4, 2, |x, _| {
            if x < 2 {
                Rgba([0, 0, 0, 0])
            } else {
                Rgba([10, 20, 30, 255])
            }
        }));
        let rgb = decode_rgb(&encoded(&half_clear, ImageKind::Png), &limits).unwrap();
        assert_eq!(rgb.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(rgb.get_pixel(3, 1).0, [10, 20, 30]);
        for kind in [ImageKind::Png, ImageKind::Webp] {
            let clean = encode_rgb(rgb.clone(), kind).unwrap();
            assert_eq!((clean.kind, clean.width, clean.height), (kind, 4, 2));
            // Both are lossless: the pixels come back exactly.
            assert_eq!(decode_rgb(&clean.bytes, &limits).unwrap(), rgb);
        }
        let wide = decode(&encoded(&halves(64, 16), ImageKind::Jpeg), &limits).unwrap();
        assert_eq!((wide.width(), wide.height()), (64, 16));
        assert_eq!(
            decode(b"nope", &limits).unwrap_err(),
            ImageError::UnsupportedFormat
        );
    }

    #[tokio::test]
    async fn thumbnail_and_convert_run_off_the_executor() {
        let png = encoded(&halves(800, 600), ImageKind::Png);
        let thumb = thumbnail_blocking(png.clone(), UploadLimits::default())
            .await
            .unwrap();
        assert_eq!(
            (thumb.kind, thumb.width, thumb.height),
            (ImageKind::Webp, 384, 288)
        );
        let jpeg = convert_blocking(png, UploadLimits::default(), ImageKind::Jpeg)
            .await
            .unwrap();
        assert_eq!(image::guess_format(&jpeg.bytes).unwrap(), ImageFormat::Jpeg);
        assert_eq!(
            convert_blocking(b"nope".to_vec(), UploadLimits::default(), ImageKind::Png).await,
            Err(ImageError::UnsupportedFormat)
        );
    }

    #[tokio::test]
    async fn blocking_helpers_run_off_the_executor() {
        let png = encoded(&halves(32, 32), ImageKind::Png);
        let clean = sanitize_blocking(png.clone(), UploadLimits::default(), ImageKind::Webp)
            .await
            .unwrap();
        assert_eq!(clean.kind, ImageKind::Webp);
        let face = avatar_blocking(png, UploadLimits::default()).await.unwrap();
        assert_eq!((face.width, face.height), (256, 256));
        assert_eq!(
            sanitize_blocking(b"nope".to_vec(), UploadLimits::default(), ImageKind::Png).await,
            Err(ImageError::UnsupportedFormat)
        );
    }
}

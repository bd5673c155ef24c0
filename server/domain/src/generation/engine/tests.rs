use super::*;
use crate::generation::{AspectRatio, Camera, InputImage, OutputFormat, Resolution};
use crate::images::ImageKind;
use image::{ImageFormat, ImageReader, LumaA, Rgb, RgbaImage};
use std::{io::Cursor, sync::Mutex, time::Duration};

fn job(seed: u64, prompt: &str) -> ProviderJob {
    ProviderJob {
        task_id: "task-1".into(),
        remote_model: "local".into(),
        prompt: prompt.into(),
        full_prompt: prompt.into(),
        negative_prompt: None,
        style: None,
        camera: Camera::default(),
        seed,
        aspect_ratio: AspectRatio::Square,
        resolution: Resolution::K1,
        format: OutputFormat::Png,
        references: Vec::new(),
        mask: None,
        remote_id: None,
        callback_url: None,
    }
}

fn input(image: DynamicImage, format: ImageFormat) -> InputImage {
    let mut bytes = Vec::new();
    image.write_to(Cursor::new(&mut bytes), format).unwrap();
    InputImage {
        kind: match format {
            ImageFormat::Png => ImageKind::Png,
            ImageFormat::Jpeg => ImageKind::Jpeg,
            _ => ImageKind::Webp,
        },
        width: image.width(),
        height: image.height(),
        bytes,
        url: "https://example.test/input".into(),
    }
}

/// A busy reference: smooth ramps in every channel, so any change to a pixel shows.
fn ramps(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 255 / width) as u8,
            (y * 255 / height) as u8,
            ((x + y) % 200 + 30) as u8,
        ])
    })
}

fn pixels(bytes: &[u8]) -> RgbImage {
    image::load_from_memory(bytes).unwrap().to_rgb8()
}

fn size_of(bytes: &[u8]) -> (u32, u32) {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_dimensions()
        .unwrap()
}

/// Mean absolute difference per channel, 0–255.
fn difference(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let total: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    total as f64 / a.as_raw().len() as f64
}

/// Mean of each channel, 0–255.
fn means(image: &RgbImage) -> [f64; 3] {
    let mut sums = [0u64; 3];
    for pixel in image.pixels() {
        for (sum, value) in sums.iter_mut().zip(pixel.0) {
            *sum += u64::from(value);
        }
    }
    let count = f64::from(image.width() * image.height());
    sums.map(|s| s as f64 / count)
}

fn luma(means: [f64; 3]) -> f64 {
    0.299 * means[0] + 0.587 * means[1] + 0.114 * means[2]
}

fn failed(result: Result<Vec<u8>, ProviderError>) -> String {
    match result {
        Err(ProviderError::Failed { reason }) => reason,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn the_same_job_gives_the_same_bytes() {
    for format in OutputFormat::ALL {
        let mut job = job(42, "A quiet harbour at dawn");
        job.format = format;
        job.style = Some("poster".into());
        job.camera.lens = Some("macro".into());
        job.camera.lighting = Some("neon".into());
        let first = render(&job).unwrap();
        assert_eq!(render(&job).unwrap(), first, "{format:?}");
    }
}

#[test]
fn seed_prompt_and_negative_prompt_change_the_picture() {
    let base = job(7, "a lighthouse at dusk");
    let reference = pixels(&render(&base).unwrap());
    let mut variants = Vec::new();
    for seed in [8, 9, 1_000_007, u64::MAX] {
        variants.push((
            format!("seed {seed}"),
            ProviderJob {
                seed,
                ..base.clone()
            },
        ));
    }
    variants.push((
        "prompt".into(),
        ProviderJob {
            prompt: "a lighthouse at dawn".into(),
            ..base.clone()
        },
    ));
    variants.push((
        "negative prompt".into(),
        ProviderJob {
            negative_prompt: Some("fog".into()),
            ..base.clone()
        },
    ));
    for (what, variant) in variants {
        let other = pixels(&render(&variant).unwrap());
        let diff = difference(&reference, &other);
        assert!(diff > 12.0, "{what}: mean difference only {diff:.1}");
    }
}

#[test]
fn the_style_picks_the_palette() {
    let mut renders = Vec::new();
    for style in [
        None,
        Some("anime"),
        Some("watercolor"),
        Some("a-configured-preset"),
    ] {
        let mut job = job(3, "fox in the snow");
        job.style = style.map(String::from);
        let bytes = render(&job).unwrap();
        assert_eq!(render(&job).unwrap(), bytes, "{style:?} is stable");
        renders.push((style, pixels(&bytes)));
    }
    for (i, (a, first)) in renders.iter().enumerate() {
        for (b, second) in &renders[i + 1..] {
            let diff = difference(first, second);
            assert!(diff > 8.0, "{a:?} vs {b:?}: mean difference only {diff:.1}");
        }
    }
}

#[test]
fn the_camera_frames_and_lights_the_same_composition() {
    let plain = job(11, "city lights");
    let natural = pixels(&render(&plain).unwrap());
    let with = |angle: Option<&str>, lens: Option<&str>, lighting: Option<&str>| {
        let mut job = plain.clone();
        job.camera = Camera {
            angle: angle.map(String::from),
            lens: lens.map(String::from),
            lighting: lighting.map(String::from),
        };
        pixels(&render(&job).unwrap())
    };
    for angle in ["low-angle", "high-angle", "overhead", "dutch"] {
        let diff = difference(&natural, &with(Some(angle), None, None));
        assert!(diff > 4.0, "{angle}: mean difference only {diff:.1}");
    }
    for lens in ["wide", "portrait", "telephoto", "macro"] {
        let diff = difference(&natural, &with(None, Some(lens), None));
        assert!(diff > 4.0, "{lens}: mean difference only {diff:.1}");
    }
    // Explicit defaults are the defaults.
    assert_eq!(
        with(Some("eye-level"), Some("normal"), Some("natural")),
        natural
    );

    // Lighting grades the very same composition, so its direction shows in the means.
    let base = means(&natural);
    let golden = means(&with(None, None, Some("golden-hour")));
    assert!(
        golden[0] - golden[2] > base[0] - base[2] + 10.0,
        "{golden:?} vs {base:?}"
    );
    let studio = means(&with(None, None, Some("studio")));
    let dramatic = means(&with(None, None, Some("dramatic")));
    assert!(luma(studio) > luma(base) + 3.0, "{studio:?} vs {base:?}");
    assert!(
        luma(dramatic) < luma(base) - 10.0,
        "{dramatic:?} vs {base:?}"
    );
    let neon = means(&with(None, None, Some("neon")));
    assert!(
        neon[2] - neon[1] > base[2] - base[1] + 10.0,
        "{neon:?} vs {base:?}"
    );
}

#[test]
fn lighting_curves_move_the_way_they_are_named() {
    let natural = Light::of(None).curves();
    for curve in natural {
        assert!(curve.iter().enumerate().all(|(i, &v)| usize::from(v) == i));
    }
    assert_eq!(Light::of(Some("natural")), Light::NATURAL);
    let golden = Light::of(Some("golden-hour")).curves();
    assert!(
        golden[0][128] > 140 && golden[2][128] < 116,
        "{:?}",
        golden.map(|c| c[128])
    );
    let dramatic = Light::of(Some("dramatic")).curves();
    assert!((0..256).all(|i| usize::from(dramatic[1][i]) <= i));
}

#[test]
fn sizes_follow_aspect_ratio_and_resolution_exactly() {
    let cases = [
        (AspectRatio::Square, Resolution::K1),
        (AspectRatio::R16x9, Resolution::K1),
        (AspectRatio::R9x16, Resolution::K1),
        (AspectRatio::R21x9, Resolution::K1),
        (AspectRatio::R4x5, Resolution::K1),
        (AspectRatio::R3x2, Resolution::K2),
    ];
    for (ratio, resolution) in cases {
        let mut job = job(5, "sizes");
        job.aspect_ratio = ratio;
        job.resolution = resolution;
        let bytes = render(&job).unwrap();
        assert_eq!(
            size_of(&bytes),
            ratio.dimensions(resolution),
            "{ratio:?} at {resolution:?}"
        );
    }
}

#[test]
fn each_format_is_encoded_as_asked() {
    for (format, expected) in [
        (OutputFormat::Png, ImageFormat::Png),
        (OutputFormat::Jpeg, ImageFormat::Jpeg),
        (OutputFormat::Webp, ImageFormat::WebP),
    ] {
        let mut job = job(9, "formats");
        job.format = format;
        job.aspect_ratio = AspectRatio::R3x4;
        let bytes = render(&job).unwrap();
        assert_eq!(image::guess_format(&bytes).unwrap(), expected);
        let decoded = image::load_from_memory_with_format(&bytes, expected).unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            AspectRatio::R3x4.dimensions(Resolution::K1)
        );
    }
}

#[test]
fn references_are_composed_into_the_picture() {
    let plain = job(21, "my red car");
    let painted = pixels(&render(&plain).unwrap());

    // A solid red photo of another shape: it covers the canvas, graded but still red.
    let red = DynamicImage::ImageRgb8(RgbImage::from_pixel(300, 200, Rgb([230, 20, 25])));
    let one = ProviderJob {
        references: vec![input(red, ImageFormat::Jpeg)],
        ..plain.clone()
    };
    let bytes = render(&one).unwrap();
    assert_eq!(size_of(&bytes), (1024, 1024));
    let composed = pixels(&bytes);
    assert!(difference(&painted, &composed) > 12.0);
    for (x, y) in [(512, 512), (300, 700), (900, 400)] {
        let [r, g, b] = composed.get_pixel(x, y).0;
        assert!(r > g + 20 && r > b + 20, "({x}, {y}) is {:?}", [r, g, b]);
    }

    // A second reference adds a tile; the first still covers the rest.
    let mut two = one.clone();
    two.references.push(input(
        DynamicImage::ImageRgb8(ramps(640, 480)),
        ImageFormat::Png,
    ));
    let tiled = pixels(&render(&two).unwrap());
    let changed = composed
        .pixels()
        .zip(tiled.pixels())
        .filter(|(a, b)| a != b)
        .count();
    // A tile is at most about a quarter of the short side square.
    assert!(
        changed > 20_000 && changed < 1024 * 1024 / 10,
        "{changed} pixels changed"
    );

    // The lens frames a reference too.
    let mut wide = one.clone();
    wide.camera.lens = Some("wide".into());
    assert!(difference(&composed, &pixels(&render(&wide).unwrap())) > 4.0);
    let mut long = one.clone();
    long.camera.lens = Some("telephoto".into());
    assert_eq!(render(&long).unwrap(), render(&long).unwrap());
}

#[test]
fn a_mask_keeps_the_first_reference_exactly_where_it_is_black() {
    // The reference is the canvas's size, so the base layer is its pixels exactly; the
    // mask is a quarter of it and is scaled up by nearest neighbour.
    let reference = ramps(1024, 1024);
    let mask = image::GrayImage::from_fn(256, 256, |x, y| {
        let inside = (64..192).contains(&x) && (64..192).contains(&y);
        image::Luma([if inside { 255 } else { 0 }])
    });
    let mut job = job(99, "replace the middle with a sun");
    job.references = vec![
        input(DynamicImage::ImageRgb8(reference.clone()), ImageFormat::Png),
        // Its tile is painted only where the mask repaints.
        input(DynamicImage::ImageRgb8(ramps(300, 300)), ImageFormat::Png),
    ];
    job.mask = Some(input(DynamicImage::ImageLuma8(mask), ImageFormat::Png));
    let bytes = render(&job).unwrap();
    assert_eq!(render(&job).unwrap(), bytes);
    let out = pixels(&bytes);
    let (mut inside, mut repainted) = (0, 0);
    for (x, y, pixel) in out.enumerate_pixels() {
        if (256..768).contains(&x) && (256..768).contains(&y) {
            inside += 1;
            if pixel != reference.get_pixel(x, y) {
                repainted += 1;
            }
        } else {
            assert_eq!(pixel, reference.get_pixel(x, y), "kept pixel ({x}, {y})");
        }
    }
    assert!(
        repainted * 100 >= inside * 99,
        "{repainted} of {inside} repainted"
    );
}

#[test]
fn a_mask_of_another_size_reads_luminance_and_opacity() {
    // 16:9 at 1K is 1024 × 576; the mask is 64 × 36. Its left half is opaque white except
    // the top quarter, which is black; its right half is white but transparent.
    let (width, height) = AspectRatio::R16x9.dimensions(Resolution::K1);
    assert_eq!((width, height), (1024, 576));
    let reference = ramps(width, height);
    let mask = RgbaImage::from_fn(64, 36, |x, y| match (x < 32, y < 9) {
        (true, true) => image::Rgba([0, 0, 0, 255]),
        (true, false) => image::Rgba([255, 255, 255, 255]),
        (false, _) => image::Rgba([255, 255, 255, 0]),
    });
    let mut job = job(5, "paint the left");
    job.aspect_ratio = AspectRatio::R16x9;
    job.format = OutputFormat::Png;
    job.references = vec![input(
        DynamicImage::ImageRgb8(reference.clone()),
        ImageFormat::Png,
    )];
    job.mask = Some(input(DynamicImage::ImageRgba8(mask), ImageFormat::Png));
    let out = pixels(&render(&job).unwrap());
    let (mut inside, mut repainted) = (0, 0);
    for (x, y, pixel) in out.enumerate_pixels() {
        let (mx, my) = (x * 64 / width, y * 36 / height);
        if mx < 32 && my >= 9 {
            inside += 1;
            if pixel != reference.get_pixel(x, y) {
                repainted += 1;
            }
        } else {
            assert_eq!(pixel, reference.get_pixel(x, y), "kept pixel ({x}, {y})");
        }
    }
    assert_eq!(inside, 512 * 432);
    assert!(
        repainted * 100 >= inside * 99,
        "{repainted} of {inside} repainted"
    );

    // A grey-and-alpha mask reads the same way.
    let grey = image::ImageBuffer::from_fn(64, 36, |x, y| {
        LumaA([if x < 32 && y >= 9 { 255u8 } else { 0 }, 255])
    });
    job.mask = Some(input(DynamicImage::ImageLumaA8(grey), ImageFormat::Png));
    assert_eq!(pixels(&render(&job).unwrap()), out);
}

#[test]
fn unreadable_inputs_fail_the_job() {
    let good = input(DynamicImage::ImageRgb8(ramps(64, 64)), ImageFormat::Png);
    let mut garbage = good.clone();
    garbage.bytes = b"definitely not an image".to_vec();
    let mut truncated = good.clone();
    truncated.bytes.truncate(good.bytes.len() / 2);

    let mut broken = job(1, "x");
    broken.references = vec![good.clone(), garbage.clone()];
    let reason = failed(render(&broken));
    assert!(reason.contains("reference 2"), "{reason}");

    broken.references = vec![truncated];
    let reason = failed(render(&broken));
    assert!(reason.contains("reference 1"), "{reason}");

    broken.references = vec![good];
    broken.mask = Some(garbage);
    let reason = failed(render(&broken));
    assert!(reason.contains("mask"), "{reason}");
}

#[test]
fn the_caption_is_the_prompt_in_capitals_the_font_can_draw() {
    assert_eq!(caption_text("a cat, 🐱 in café"), "A CAT, ? IN CAF?");
    assert_eq!(caption_text("  two\tlines\nhere  "), "TWO LINES HERE");
    assert_eq!(caption_text("50% off {sale} #1!"), "50% OFF ?SALE? #1!");
    let long = "the quick brown fox jumps over the lazy dog again and again";
    let text = caption_text(long);
    assert_eq!(text.chars().count(), CAPTION_CHARS);
    assert_eq!(text, "THE QUICK BROWN FOX JUMPS OVER THE LA...");
    let exact = "x".repeat(CAPTION_CHARS);
    assert_eq!(caption_text(&exact), "X".repeat(CAPTION_CHARS));
}

#[test]
fn every_glyph_is_distinct_and_five_dots_wide() {
    let charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !\"#%&'()*+,-./:;=?@_";
    let glyphs: Vec<[u8; 7]> = charset.chars().map(|c| glyph(c).unwrap()).collect();
    for (i, a) in glyphs.iter().enumerate() {
        assert!(
            a.iter().all(|row| row & !0x1F == 0),
            "{:?}",
            charset.chars().nth(i)
        );
        for (j, b) in glyphs.iter().enumerate().skip(i + 1) {
            assert_ne!(
                a,
                b,
                "{:?} and {:?}",
                charset.chars().nth(i),
                charset.chars().nth(j)
            );
        }
    }
    assert_eq!(glyph('a'), None);
    assert_eq!(glyph('é'), None);
}

#[test]
fn the_caption_is_light_dots_on_a_dark_band() {
    let palette = Palette {
        dark: [40.0, 30.0, 60.0],
        mids: [
            [200.0, 80.0, 60.0],
            [60.0, 160.0, 200.0],
            [240.0, 200.0, 60.0],
        ],
        light: [250.0, 240.0, 230.0],
    };
    let mut picture = RgbImage::from_pixel(1024, 1024, Rgb([255, 255, 255]));
    let caption = Caption::new("HI", 1024, 1024);
    caption.draw(&mut picture, &palette);
    // "HI" is short, so the dots are a 256th of the short side.
    let s = 4;
    assert_eq!(caption.scale, s);
    assert_eq!(caption.band_height(), 15 * s);
    let top = 1024 - 15 * s + 4 * s;
    let is_ink = |x: u32, y: u32| {
        let [r, g, b] = picture.get_pixel(x, y).0;
        r > 230 && g > 230 && b > 230
    };
    let is_band = |x: u32, y: u32| {
        let [r, g, b] = picture.get_pixel(x, y).0;
        r < 70 && g < 70 && b < 70
    };
    // Above the band the picture is untouched.
    assert_eq!(picture.get_pixel(500, 1024 - 15 * s - 1).0, [255, 255, 255]);
    for (index, c) in "HI".chars().enumerate() {
        let left = 4 * s + index as u32 * 6 * s;
        for (row, bits) in glyph(c).unwrap().iter().enumerate() {
            for column in 0..5 {
                // The middle of each dot.
                let (x, y) = (left + column * s + s / 2, top + row as u32 * s + s / 2);
                if bits & (0x10 >> column) != 0 {
                    assert!(is_ink(x, y), "{c} dot ({column}, {row})");
                } else {
                    assert!(is_band(x, y), "{c} gap ({column}, {row})");
                }
            }
        }
    }
    assert!(is_band(1000, 1020));
}

#[test]
fn fixed_sine_and_cosine_match_the_standard_ones() {
    for step in -400..=400 {
        let angle = step as f32 * 0.0173;
        let (sin, cos) = sin_cos(angle);
        assert!((sin - angle.sin()).abs() < 2e-6, "sin {angle}");
        assert!((cos - angle.cos()).abs() < 2e-6, "cos {angle}");
    }
}

/// Records what the engine reports.
#[derive(Default)]
struct Recorder {
    progress: Mutex<Vec<u8>>,
    remote_ids: Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl RemoteTracker for Recorder {
    async fn remote_started(&self, remote_id: &str) {
        self.remote_ids.lock().unwrap().push(remote_id.to_string());
    }

    async fn progress(&self, percent: u8) {
        self.progress.lock().unwrap().push(percent);
    }

    async fn wait_for_callback(&self, _max: Duration) {}
}

#[tokio::test]
async fn generate_reports_progress_and_returns_the_render() {
    let mut job = job(12, "an orchard in spring");
    job.format = OutputFormat::Webp;
    job.aspect_ratio = AspectRatio::R9x16;
    let tracker = Recorder::default();
    let images = LocalEngine.generate(&job, &tracker).await.unwrap();
    assert_eq!(
        images,
        vec![GeneratedImage {
            bytes: render(&job).unwrap()
        }]
    );
    assert_eq!(*tracker.progress.lock().unwrap(), vec![10, 100]);
    // Nothing remote to resume.
    assert!(tracker.remote_ids.lock().unwrap().is_empty());

    let mut broken = job.clone();
    broken.references = vec![InputImage {
        bytes: b"GIF89a".to_vec(),
        kind: ImageKind::Png,
        width: 1,
        height: 1,
        url: String::new(),
    }];
    let tracker = Recorder::default();
    let error = LocalEngine.generate(&broken, &tracker).await.unwrap_err();
    assert!(matches!(error, ProviderError::Failed { .. }), "{error:?}");
    assert_eq!(*tracker.progress.lock().unwrap(), vec![10]);
}

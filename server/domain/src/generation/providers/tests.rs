//! The adapters' pure parts: how answers are read, sizes and masks converted, outputs and
//! progress found, reasons cut. (Each adapter against its local peer is in the integration
//! tests, `tests/it/providers.rs`.)

use super::{gemini, http, openai, replicate};
use crate::generation::{AspectRatio, ProviderError};
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use image::{DynamicImage, GenericImageView, ImageFormat, Rgba, RgbaImage};
use serde_json::json;
use std::io::Cursor;

fn encoded(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

#[test]
fn gemini_answers_are_read_by_their_finish_reason() {
    let png = BASE64.encode(encoded(
        DynamicImage::ImageRgb8(image::RgbImage::new(2, 2)),
        ImageFormat::Png,
    ));
    let text_only = json!({ "candidates": [{ "content": { "parts": [{ "text": "Here you go" }] }, "finishReason": "STOP" }] });
    assert!(matches!(
        gemini::read_images(&text_only),
        Err(ProviderError::Failed { .. })
    ));
    let no_image = json!({ "candidates": [{ "finishReason": "NO_IMAGE" }] });
    assert!(matches!(
        gemini::read_images(&no_image),
        Err(ProviderError::Failed { .. })
    ));
    for reason in [
        "SAFETY",
        "IMAGE_SAFETY",
        "PROHIBITED_CONTENT",
        "RECITATION",
        "SPII",
    ] {
        let stopped =
            json!({ "candidates": [{ "content": { "parts": [] }, "finishReason": reason }] });
        assert!(
            matches!(
                gemini::read_images(&stopped),
                Err(ProviderError::Refused { .. })
            ),
            "{reason}"
        );
    }
    let blocked = json!({ "promptFeedback": { "blockReason": "OTHER" } });
    assert!(matches!(
        gemini::read_images(&blocked),
        Err(ProviderError::Refused { .. })
    ));
    let snake = json!({ "candidates": [{ "content": { "parts": [{ "inline_data": { "mime_type": "image/png", "data": png } }] }, "finishReason": "STOP" }] });
    let images = gemini::read_images(&snake).unwrap();
    assert_eq!(
        image::load_from_memory(&images[0].bytes)
            .unwrap()
            .dimensions(),
        (2, 2)
    );
}

#[test]
fn openai_sizes_follow_the_aspect_ratio() {
    let expected = [
        (AspectRatio::Square, "1024x1024"),
        (AspectRatio::R3x2, "1536x1024"),
        (AspectRatio::R16x9, "1536x1024"),
        (AspectRatio::R21x9, "1536x1024"),
        (AspectRatio::R2x3, "1024x1536"),
        (AspectRatio::R9x16, "1024x1536"),
        (AspectRatio::R4x3, "auto"),
        (AspectRatio::R3x4, "auto"),
        (AspectRatio::R4x5, "auto"),
        (AspectRatio::R5x4, "auto"),
    ];
    for (ratio, size) in expected {
        assert_eq!(openai::size(ratio), size, "{ratio:?}");
    }
}

#[test]
fn openai_masks_with_transparency_are_read_by_alpha() {
    // A brush stroke on a transparent canvas: the stroke is what may change.
    let stroke = RgbaImage::from_fn(8, 8, |x, _| {
        if x < 4 {
            Rgba([255, 0, 0, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    let png = encoded(DynamicImage::ImageRgba8(stroke), ImageFormat::Png);
    let converted = openai::openai_mask(&png, 8, 8).unwrap();
    let converted = image::load_from_memory(&converted).unwrap().to_rgba8();
    assert_eq!(converted.get_pixel(1, 3).0[3], 0);
    assert_eq!(converted.get_pixel(6, 3).0[3], 255);
    assert!(openai::openai_mask(b"not an image", 8, 8).is_err());
}

#[test]
fn replicate_outputs_may_be_one_url_a_list_or_data() {
    let one = json!({ "output": "https://replicate.delivery/a.webp" });
    assert_eq!(
        replicate::outputs(&one),
        vec!["https://replicate.delivery/a.webp"]
    );
    let list = json!({ "output": ["https://replicate.delivery/a.png", "https://replicate.delivery/b.png"] });
    assert_eq!(replicate::outputs(&list).len(), 2);
    assert!(replicate::outputs(&json!({ "output": null })).is_empty());

    assert_eq!(
        replicate::data_uri("data:image/png;base64,AAEC")
            .unwrap()
            .unwrap(),
        vec![0, 1, 2]
    );
    assert!(
        replicate::data_uri("data:image/png,plain")
            .unwrap()
            .is_err()
    );
    assert!(replicate::data_uri("https://replicate.delivery/a.png").is_none());

    assert_eq!(
        replicate::progress_from_logs("Using seed: 1\n  0%|     | 0/4\n 75%|███  | 3/4\n"),
        Some(75)
    );
    assert_eq!(replicate::progress_from_logs("loading weights"), None);
}

#[test]
fn reasons_are_short_and_never_carry_the_key() {
    let api = crate::config::ProviderApi {
        api_key: "sk-secret-123".to_string().into(),
        api_url: "http://127.0.0.1:9".into(),
        callback_secret: None,
    };
    let long = format!("rejected sk-secret-123 {}", "é".repeat(1000));
    let reason = http::reason(&long, &api);
    assert!(!reason.contains("sk-secret-123"));
    assert!(reason.chars().count() <= http::REASON_CHARS + 1);
}

//! Each remote adapter against its local peer (see [`testkit::peers`]): images made from the
//! prompt the adapter sent, the request shapes each vendor checks, refusals, failures,
//! retryable errors, wrong keys, resumed remote jobs and signed callbacks.

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::{get, post},
};
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use domain::generation::providers::{
    gemini::Gemini,
    kie::{self, Kie},
    openai::OpenAi,
    replicate::{self, Replicate},
};
use domain::generation::{
    AspectRatio, CallbackRequest, Camera, GeneratedImage, ImageProvider, InputImage, OutputFormat,
    ProviderError, ProviderJob, RemoteTracker, Resolution, provider::CallbackError,
};
use domain::images::ImageKind;
use image::{DynamicImage, GenericImageView, ImageFormat, Rgba, RgbaImage};
use serde_json::{Value, json};
use std::{
    collections::HashMap,
    io::Cursor,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};
use testkit::peers::{self, Peer, prompt_colour};

/// What the Gemini adapter tells the model about a mask sent as the last image, word for
/// word.
const MASK_INSTRUCTION: &str = "The last image is a mask for the first image. \
Change only the part of the first image that lies under the white area of the mask, and keep \
everything under the black area exactly as it is.";

// ---------------------------------------------------------------------------------------
// Helpers

/// A tracker that records what an adapter reports; a wait for a callback is a short sleep.
#[derive(Default)]
struct Recorder {
    remote_ids: Mutex<Vec<String>>,
    progress: Mutex<Vec<u8>>,
}

impl Recorder {
    fn remote_ids(&self) -> Vec<String> {
        self.remote_ids.lock().unwrap().clone()
    }

    fn progress(&self) -> Vec<u8> {
        self.progress.lock().unwrap().clone()
    }
}

#[async_trait::async_trait]
impl RemoteTracker for Recorder {
    async fn remote_started(&self, remote_id: &str) {
        self.remote_ids.lock().unwrap().push(remote_id.to_string());
    }

    async fn progress(&self, percent: u8) {
        self.progress.lock().unwrap().push(percent);
    }

    async fn wait_for_callback(&self, max: Duration) {
        tokio::time::sleep(max.min(Duration::from_millis(50))).await;
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// A job as the worker builds it: the full prompt carries a style direction, so a peer's
/// colour proves which text it received.
fn job(remote_model: &str, prompt: &str) -> ProviderJob {
    ProviderJob {
        task_id: "0195f3a0-task".into(),
        remote_model: remote_model.into(),
        prompt: prompt.into(),
        full_prompt: format!("{prompt}\n\nStyle: loose watercolour on textured paper, soft edges"),
        negative_prompt: None,
        style: Some("watercolor".into()),
        camera: Camera::default(),
        seed: 1234,
        aspect_ratio: AspectRatio::Square,
        resolution: Resolution::K1,
        format: OutputFormat::Png,
        references: Vec::new(),
        mask: None,
        remote_id: None,
        callback_url: None,
    }
}

fn encoded(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

/// A one-colour reference image.
fn reference(width: u32, height: u32, colour: [u8; 3], kind: ImageKind, url: &str) -> InputImage {
    let image = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        width,
        height,
        image::Rgb(colour),
    ));
    let format = match kind {
        ImageKind::Png => ImageFormat::Png,
        ImageKind::Jpeg => ImageFormat::Jpeg,
        ImageKind::Webp => ImageFormat::WebP,
    };
    InputImage {
        bytes: encoded(image, format),
        kind,
        width,
        height,
        url: url.into(),
    }
}

/// An opaque black-and-white mask: white (repaint) left of `white_until`, black right.
fn half_mask(width: u32, height: u32, white_until: u32) -> InputImage {
    let mask = RgbaImage::from_fn(width, height, |x, _| {
        if x < white_until {
            Rgba([255, 255, 255, 255])
        } else {
            Rgba([0, 0, 0, 255])
        }
    });
    InputImage {
        bytes: encoded(DynamicImage::ImageRgba8(mask), ImageFormat::Png),
        kind: ImageKind::Png,
        width,
        height,
        url: "http://127.0.0.1:9/mask.png".into(),
    }
}

/// The one image of an answer, decoded, with its format.
fn single(images: &[GeneratedImage]) -> (DynamicImage, ImageFormat) {
    assert_eq!(images.len(), 1, "one image expected");
    let format = image::guess_format(&images[0].bytes).unwrap();
    (image::load_from_memory(&images[0].bytes).unwrap(), format)
}

fn rgb(image: &DynamicImage, x: u32, y: u32) -> [u8; 3] {
    let p = image.get_pixel(x, y).0;
    [p[0], p[1], p[2]]
}

fn close(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 6)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[track_caller]
fn assert_refused(result: Result<Vec<GeneratedImage>, ProviderError>) {
    assert!(
        matches!(result, Err(ProviderError::Refused { .. })),
        "{result:?}"
    );
}

#[track_caller]
fn assert_failed(result: Result<Vec<GeneratedImage>, ProviderError>) -> String {
    match result {
        Err(ProviderError::Failed { reason }) => reason,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[track_caller]
fn assert_transient(result: Result<Vec<GeneratedImage>, ProviderError>, wanted: Option<Duration>) {
    match result {
        Err(ProviderError::Transient { retry_after, .. }) => assert_eq!(retry_after, wanted),
        other => panic!("expected a transient error, got {other:?}"),
    }
}

/// A base URL where nothing listens.
async fn closed_port() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

/// Serves `files` (name → bytes) at `/{name}`, as our signed image links do.
async fn file_server(files: Vec<(&str, Vec<u8>)>) -> String {
    let files: Arc<HashMap<String, Vec<u8>>> =
        Arc::new(files.into_iter().map(|(n, b)| (n.to_string(), b)).collect());
    let app =
        Router::new()
            .route(
                "/{name}",
                get(
                    |State(files): State<Arc<HashMap<String, Vec<u8>>>>,
                     Path(name): Path<String>| async move {
                        match files.get(&name) {
                            Some(bytes) => bytes.clone().into_response(),
                            None => StatusCode::NOT_FOUND.into_response(),
                        }
                    },
                ),
            )
            .with_state(files);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// Receives callbacks, as our callback route does, and keeps them.
struct Sink {
    url: String,
    received: Arc<Mutex<Vec<CallbackRequest>>>,
}

impl Sink {
    async fn start() -> Sink {
        let received = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route(
                "/callbacks/{task}",
                post(
                    |State(received): State<Arc<Mutex<Vec<CallbackRequest>>>>,
                     headers: HeaderMap,
                     body: Bytes| async move {
                        let headers = headers
                            .iter()
                            .map(|(n, v)| {
                                (
                                    n.as_str().to_string(),
                                    v.to_str().unwrap_or_default().to_string(),
                                )
                            })
                            .collect();
                        received.lock().unwrap().push(CallbackRequest {
                            headers,
                            body: body.to_vec(),
                        });
                        StatusCode::OK
                    },
                ),
            )
            .with_state(received.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}/callbacks/0195f3a0-task",
            listener.local_addr().unwrap()
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        Sink { url, received }
    }

    /// The first callback, waiting up to two seconds for it.
    async fn first(&self) -> CallbackRequest {
        for _ in 0..200 {
            if let Some(first) = self.received.lock().unwrap().first() {
                return first.clone();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("no callback arrived");
    }
}

fn without_header(request: &CallbackRequest, name: &str) -> CallbackRequest {
    CallbackRequest {
        headers: request
            .headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case(name))
            .cloned()
            .collect(),
        body: request.body.clone(),
    }
}

fn with_header(request: &CallbackRequest, name: &str, value: &str) -> CallbackRequest {
    let mut changed = without_header(request, name);
    changed.headers.push((name.to_string(), value.to_string()));
    changed
}

// ---------------------------------------------------------------------------------------
// Gemini

#[tokio::test]
async fn gemini_makes_an_image_from_the_full_prompt() {
    let peer = peers::gemini().await;
    let gemini = Gemini::new(peer.api(), client());
    let mut job = job("gemini-2.5-flash-image", "a lighthouse at dusk");
    job.aspect_ratio = AspectRatio::R16x9;
    let images = gemini.generate(&job, &Recorder::default()).await.unwrap();

    let (image, format) = single(&images);
    assert_eq!(format, ImageFormat::Png);
    assert_eq!(image.dimensions(), (64, 36));
    assert_eq!(rgb(&image, 10, 10), prompt_colour(&job.full_prompt));
    let log = peer.log();
    assert_eq!(log.creates, 1);
    assert_eq!(log.auth_ok, Some(true));
    assert_eq!(
        log.last_path,
        "/v1beta/models/gemini-2.5-flash-image:generateContent"
    );
    assert_eq!(
        log.last_header("x-goog-api-key"),
        Some(peer.api_key.as_str())
    );
    let body = log.last_body.unwrap();
    assert_eq!(
        body["contents"][0]["parts"],
        json!([{ "text": job.full_prompt }])
    );
    let config = &body["generationConfig"];
    assert_eq!(config["responseModalities"], json!(["TEXT", "IMAGE"]));
    assert_eq!(
        config["imageConfig"],
        json!({ "aspectRatio": "16:9" }),
        "Flash takes no imageSize"
    );
}

#[tokio::test]
async fn gemini_pro_sends_references_a_mask_and_the_size() {
    let peer = peers::gemini().await;
    let gemini = Gemini::new(peer.api(), client());
    let mut job = job("gemini-3-pro-image-preview", "swap the sky for an aurora");
    job.resolution = Resolution::K2;
    job.aspect_ratio = AspectRatio::R2x3;
    job.references = vec![
        reference(
            32,
            32,
            [200, 30, 30],
            ImageKind::Png,
            "http://127.0.0.1:9/a.png",
        ),
        reference(
            20,
            10,
            [30, 30, 200],
            ImageKind::Jpeg,
            "http://127.0.0.1:9/b.jpg",
        ),
    ];
    job.mask = Some(half_mask(32, 32, 16));
    let images = gemini.generate(&job, &Recorder::default()).await.unwrap();

    let (image, _) = single(&images);
    assert_eq!(image.dimensions(), (43, 64));
    let body = peer.log().last_body.unwrap();
    let parts = body["contents"][0]["parts"].as_array().unwrap().clone();
    assert_eq!(parts.len(), 5);
    assert_eq!(parts[0]["text"], job.full_prompt.as_str());
    let inline = |i: usize| {
        (
            parts[i]["inline_data"]["mime_type"].clone(),
            parts[i]["inline_data"]["data"].clone(),
        )
    };
    assert_eq!(
        inline(1),
        (
            json!("image/png"),
            json!(BASE64.encode(&job.references[0].bytes))
        )
    );
    assert_eq!(
        inline(2),
        (
            json!("image/jpeg"),
            json!(BASE64.encode(&job.references[1].bytes))
        )
    );
    assert_eq!(
        inline(3).1,
        json!(BASE64.encode(&job.mask.as_ref().unwrap().bytes))
    );
    assert_eq!(parts[4]["text"], MASK_INSTRUCTION);
    assert_eq!(
        body["generationConfig"]["imageConfig"],
        json!({ "aspectRatio": "2:3", "imageSize": "2K" })
    );
}

#[tokio::test]
async fn gemini_refusals_failures_and_retryable_errors() {
    let peer = peers::gemini().await;
    let gemini = Gemini::new(peer.api(), client());
    let tracker = Recorder::default();
    let model = "gemini-2.5-flash-image";

    assert_refused(
        gemini
            .generate(&job(model, "a crime scene [refuse]"), &tracker)
            .await,
    );
    assert_refused(
        gemini
            .generate(&job(model, "a crime scene [refuse-image]"), &tracker)
            .await,
    );
    let reason = assert_failed(
        gemini
            .generate(&job(model, "a diagram [fail]"), &tracker)
            .await,
    );
    assert!(reason.contains("NO_IMAGE"), "{reason}");

    let flaky = job(model, "a kite [flaky]");
    assert_transient(gemini.generate(&flaky, &tracker).await, None);
    assert!(
        gemini.generate(&flaky, &tracker).await.is_ok(),
        "the retry succeeds"
    );

    let limited = job(model, "a kite [ratelimit]");
    assert_transient(
        gemini.generate(&limited, &tracker).await,
        Some(Duration::from_secs(1)),
    );
    assert!(
        gemini.generate(&limited, &tracker).await.is_ok(),
        "the retry succeeds"
    );
}

#[tokio::test]
async fn gemini_wrong_key_unknown_model_and_no_connection() {
    let peer = peers::gemini().await;
    let wrong = "AIzaSyWrong-key-0000";
    let gemini = Gemini::new(peer.api_with_key(wrong), client());
    let reason = assert_failed(
        gemini
            .generate(
                &job("gemini-2.5-flash-image", "a boat"),
                &Recorder::default(),
            )
            .await,
    );
    assert_eq!(peer.log().auth_ok, Some(false));
    assert!(reason.contains("API_KEY_INVALID"), "{reason}");
    assert!(!reason.contains(wrong), "{reason}");

    let gemini = Gemini::new(peer.api(), client());
    let reason = assert_failed(
        gemini
            .generate(&job("gemini-0-nope", "a boat"), &Recorder::default())
            .await,
    );
    assert!(reason.contains("404"), "{reason}");

    let mut api = peer.api();
    api.api_url = closed_port().await;
    let gemini = Gemini::new(api, client());
    assert_transient(
        gemini
            .generate(
                &job("gemini-2.5-flash-image", "a boat"),
                &Recorder::default(),
            )
            .await,
        None,
    );
}

#[tokio::test]
async fn gemini_hang_outlasts_the_callers_timeout() {
    let peer = peers::gemini().await;
    let gemini = Gemini::new(peer.api(), client());
    let job = job("gemini-2.5-flash-image", "a boat [hang]");
    let tracker = Recorder::default();
    let outcome =
        tokio::time::timeout(Duration::from_millis(300), gemini.generate(&job, &tracker)).await;
    assert!(outcome.is_err(), "the call was still waiting");
    assert_eq!(peer.log().creates, 1);
}

// ---------------------------------------------------------------------------------------
// Kie

const KIE_HMAC_KEY: &str = "kie-webhook-hmac-7d1f0c93";

fn kie(peer: &Peer) -> Kie {
    Kie::new(peer.api(), client()).with_poll_interval(Duration::from_millis(20))
}

#[tokio::test]
async fn kie_creates_a_task_waits_and_downloads_the_result() {
    let peer = peers::kie(KIE_HMAC_KEY).await;
    let sink = Sink::start().await;
    let kie = kie(&peer);
    let mut job = job("google/nano-banana", "a tram in the rain");
    job.aspect_ratio = AspectRatio::R3x4;
    job.format = OutputFormat::Jpeg;
    job.callback_url = Some(sink.url.clone());
    let tracker = Recorder::default();
    let images = kie.generate(&job, &tracker).await.unwrap();

    let (image, format) = single(&images);
    assert_eq!(format, ImageFormat::Jpeg);
    assert_eq!(image.dimensions(), (48, 64));
    assert!(close(rgb(&image, 20, 20), prompt_colour(&job.full_prompt)));
    let ids = tracker.remote_ids();
    assert_eq!(ids.len(), 1);
    assert!(!tracker.progress().is_empty(), "the stages were reported");
    let log = peer.log();
    assert_eq!(
        (log.creates, log.auth_ok, log.downloads),
        (1, Some(true), 1)
    );
    assert!(log.polls >= 1);
    assert_eq!(
        log.last_header("authorization"),
        Some(format!("Bearer {}", peer.api_key).as_str())
    );
    assert_eq!(
        log.last_body.unwrap(),
        json!({
            "model": "google/nano-banana",
            "callBackUrl": sink.url,
            "input": { "prompt": job.full_prompt, "output_format": "jpeg", "image_size": "3:4" },
        })
    );
    assert_eq!(peer.job(&ids[0]).unwrap()["state"], "success");

    // The callback the peer sent is verified and names the task.
    let callback = sink.first().await;
    assert_eq!(kie.verify_callback(&callback, now_ms()), Ok(ids[0].clone()));
}

#[tokio::test]
async fn kie_edits_with_reference_urls_it_fetches() {
    let red = reference(24, 24, [220, 20, 20], ImageKind::Png, "");
    let blue = reference(24, 24, [20, 20, 220], ImageKind::Jpeg, "");
    let files = file_server(vec![
        ("red.png", red.bytes.clone()),
        ("blue.jpg", blue.bytes.clone()),
    ])
    .await;
    let peer = peers::kie(KIE_HMAC_KEY).await;
    let mut job = job("google/nano-banana", "put the red ball on the blue table");
    job.aspect_ratio = AspectRatio::R16x9;
    job.references = vec![
        InputImage {
            url: format!("{files}/red.png"),
            ..red
        },
        InputImage {
            url: format!("{files}/blue.jpg"),
            ..blue
        },
    ];
    let images = kie(&peer)
        .generate(&job, &Recorder::default())
        .await
        .unwrap();

    let (image, format) = single(&images);
    assert_eq!((format, image.dimensions()), (ImageFormat::Png, (64, 36)));
    let log = peer.log();
    let urls = vec![format!("{files}/red.png"), format!("{files}/blue.jpg")];
    assert_eq!(
        log.last_body.unwrap(),
        json!({
            "model": "google/nano-banana-edit",
            "input": { "prompt": job.full_prompt, "image_urls": urls, "output_format": "png", "aspect_ratio": "16:9" },
        })
    );
    assert_eq!(
        log.fetched,
        urls.into_iter().map(|u| (u, 200)).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn kie_pro_takes_image_input_resolution_and_jpg() {
    let red = reference(24, 24, [220, 20, 20], ImageKind::Png, "");
    let files = file_server(vec![("red.png", red.bytes.clone())]).await;
    let peer = peers::kie(KIE_HMAC_KEY).await;
    let mut job = job("nano-banana-pro", "the same ball, in bronze");
    job.resolution = Resolution::K4;
    job.format = OutputFormat::Jpeg;
    job.references = vec![InputImage {
        url: format!("{files}/red.png"),
        ..red
    }];
    let images = kie(&peer)
        .generate(&job, &Recorder::default())
        .await
        .unwrap();

    assert_eq!(single(&images).1, ImageFormat::Jpeg);
    assert_eq!(
        peer.log().last_body.unwrap(),
        json!({
            "model": "nano-banana-pro",
            "input": {
                "prompt": job.full_prompt,
                "image_input": [format!("{files}/red.png")],
                "aspect_ratio": "1:1",
                "resolution": "4K",
                "output_format": "jpg",
            },
        })
    );
}

#[tokio::test]
async fn kie_cuts_folded_directions_past_the_flash_limit() {
    let peer = peers::kie(KIE_HMAC_KEY).await;
    let mut job = job("google/nano-banana", "a quiet harbour");
    job.full_prompt = format!(
        "{}\n\nAvoid: {}",
        "a quiet harbour ".repeat(300),
        "fog ".repeat(300)
    );
    assert!(job.full_prompt.chars().count() > 5000);
    kie(&peer)
        .generate(&job, &Recorder::default())
        .await
        .unwrap();
    let sent = peer.log().last_body.unwrap()["input"]["prompt"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(sent.chars().count(), 5000);
    assert!(job.full_prompt.starts_with(&sent));
}

#[tokio::test]
async fn kie_refusals_failures_and_retryable_errors() {
    let peer = peers::kie(KIE_HMAC_KEY).await;
    let kie = kie(&peer);
    let tracker = Recorder::default();
    let model = "google/nano-banana";

    assert_refused(
        kie.generate(&job(model, "a crime scene [refuse]"), &tracker)
            .await,
    );
    let reason = assert_failed(
        kie.generate(&job(model, "a diagram [fail]"), &tracker)
            .await,
    );
    assert!(reason.contains("no image"), "{reason}");

    // Code 500 in an HTTP 200 answer is Kie's way of saying "try again".
    let flaky = job(model, "a kite [flaky]");
    assert_transient(kie.generate(&flaky, &tracker).await, None);
    assert!(
        kie.generate(&flaky, &tracker).await.is_ok(),
        "the retry succeeds"
    );

    let limited = job(model, "a kite [ratelimit]");
    assert_transient(
        kie.generate(&limited, &tracker).await,
        Some(Duration::from_secs(1)),
    );
    assert!(
        kie.generate(&limited, &tracker).await.is_ok(),
        "the retry succeeds"
    );

    // A validation error (code 422, HTTP 200) is final.
    let mut pro = job("nano-banana-pro", "a kite");
    pro.full_prompt = "x".repeat(10_000);
    assert!(
        kie.generate(&pro, &tracker).await.is_ok(),
        "10,000 characters fit Pro"
    );
    let unknown = job("nano-banana-pro-9000", "a kite");
    let reason = assert_failed(kie.generate(&unknown, &tracker).await);
    assert!(reason.contains("code 422"), "{reason}");
}

#[tokio::test]
async fn kie_wrong_key_is_a_failure_without_the_key() {
    let peer = peers::kie(KIE_HMAC_KEY).await;
    let wrong = "kie-wrong-key-0000";
    let kie = Kie::new(peer.api_with_key(wrong), client());
    let reason = assert_failed(
        kie.generate(&job("google/nano-banana", "a boat"), &Recorder::default())
            .await,
    );
    assert_eq!(peer.log().auth_ok, Some(false));
    assert!(
        reason.contains("401") && !reason.contains(wrong),
        "{reason}"
    );
}

#[tokio::test]
async fn kie_reports_the_task_before_it_ends_and_resumes_it() {
    let peer = peers::kie(KIE_HMAC_KEY).await;
    let kie = kie(&peer);

    // A task that never ends: its id is known to the worker while it waits.
    let tracker = Recorder::default();
    let hanging = job("google/nano-banana", "a boat [hang]");
    let outcome =
        tokio::time::timeout(Duration::from_millis(400), kie.generate(&hanging, &tracker)).await;
    assert!(outcome.is_err(), "still waiting");
    let ids = tracker.remote_ids();
    assert_eq!(ids.len(), 1);
    assert_eq!(peer.job(&ids[0]).unwrap()["state"], "generating");
    assert_eq!(tracker.progress().last(), Some(&50));

    // A retry of a task that was created resumes it: no second task.
    let first = Recorder::default();
    let original = job("google/nano-banana", "a lantern");
    let made = kie.generate(&original, &first).await.unwrap();
    let creates = peer.log().creates;
    let resumed_job = ProviderJob {
        remote_id: Some(first.remote_ids()[0].clone()),
        ..original
    };
    let second = Recorder::default();
    let resumed = kie.generate(&resumed_job, &second).await.unwrap();
    assert_eq!(resumed, made);
    assert_eq!(peer.log().creates, creates, "no task was created");
    assert!(second.remote_ids().is_empty());

    // A task Kie no longer knows is a failure, not a new task.
    let lost = ProviderJob {
        remote_id: Some("no-such-task".into()),
        ..job("google/nano-banana", "a lantern")
    };
    assert_failed(kie.generate(&lost, &Recorder::default()).await);
    assert_eq!(peer.log().creates, creates);
}

#[tokio::test]
async fn kie_callbacks_are_verified() {
    let peer = peers::kie(KIE_HMAC_KEY).await;
    let sink = Sink::start().await;
    let kie = kie(&peer);
    let mut job = job("google/nano-banana", "a fox");
    job.callback_url = Some(sink.url.clone());
    let tracker = Recorder::default();
    kie.generate(&job, &tracker).await.unwrap();
    let task_id = tracker.remote_ids()[0].clone();
    let good = sink.first().await;
    let now = now_ms();
    assert_eq!(peer.log().callbacks, vec![(sink.url.clone(), 200)]);
    assert_eq!(kie.verify_callback(&good, now), Ok(task_id.clone()));

    // Another task id in the body is not what was signed.
    let mut body: Value = serde_json::from_slice(&good.body).unwrap();
    body["data"]["taskId"] = json!("someone-elses-task");
    let tampered = CallbackRequest {
        headers: good.headers.clone(),
        body: body.to_string().into_bytes(),
    };
    assert_eq!(
        kie.verify_callback(&tampered, now),
        Err(CallbackError::Signature)
    );
    let signature = good.header(kie::SIGNATURE_HEADER).unwrap();
    let flipped = format!(
        "{}{}",
        if signature.starts_with('A') { "B" } else { "A" },
        &signature[1..]
    );
    let forged = with_header(&good, kie::SIGNATURE_HEADER, &flipped);
    assert_eq!(
        kie.verify_callback(&forged, now),
        Err(CallbackError::Signature)
    );
    for header in [kie::SIGNATURE_HEADER, kie::TIMESTAMP_HEADER] {
        let missing = without_header(&good, header);
        assert_eq!(
            kie.verify_callback(&missing, now),
            Err(CallbackError::Signature),
            "{header}"
        );
    }
    // Replayed six minutes later.
    assert_eq!(
        kie.verify_callback(&good, now + 301_000),
        Err(CallbackError::Stale)
    );
    // Signed with another key.
    let other = Kie::new(
        domain::config::ProviderApi {
            callback_secret: Some("another-key".to_string().into()),
            ..peer.api()
        },
        client(),
    );
    assert_eq!(
        other.verify_callback(&good, now),
        Err(CallbackError::Signature)
    );
    // No key configured: nothing can be verified.
    let unkeyed = Kie::new(
        domain::config::ProviderApi {
            callback_secret: None,
            ..peer.api()
        },
        client(),
    );
    assert_eq!(
        unkeyed.verify_callback(&good, now),
        Err(CallbackError::Signature)
    );

    // The documentation's sample spells the id `task_id`.
    let timestamp = now / 1000;
    let snake = CallbackRequest {
        headers: vec![
            (kie::TIMESTAMP_HEADER.into(), timestamp.to_string()),
            (
                kie::SIGNATURE_HEADER.into(),
                kie::sign("task-77", timestamp, KIE_HMAC_KEY),
            ),
        ],
        body: json!({ "code": 200, "data": { "task_id": "task-77", "state": "success" } })
            .to_string()
            .into_bytes(),
    };
    assert_eq!(kie.verify_callback(&snake, now), Ok("task-77".to_string()));
    let no_id = CallbackRequest {
        body: b"{\"data\":{}}".to_vec(),
        ..snake
    };
    assert_eq!(
        kie.verify_callback(&no_id, now),
        Err(CallbackError::Malformed)
    );
}

// ---------------------------------------------------------------------------------------
// OpenAI

#[tokio::test]
async fn openai_generates_in_the_nearest_size_and_asked_format() {
    let peer = peers::openai().await;
    let openai = OpenAi::new(peer.api(), client());
    let mut job = job("gpt-image-1", "a red fox in snow");
    job.aspect_ratio = AspectRatio::R3x2;
    job.format = OutputFormat::Webp;
    let images = openai.generate(&job, &Recorder::default()).await.unwrap();

    let (image, format) = single(&images);
    assert_eq!((format, image.dimensions()), (ImageFormat::WebP, (64, 42)));
    assert_eq!(rgb(&image, 5, 5), prompt_colour(&job.full_prompt));
    let log = peer.log();
    assert_eq!(
        (log.last_path.as_str(), log.auth_ok),
        ("/v1/images/generations", Some(true))
    );
    assert_eq!(
        log.last_body.unwrap(),
        json!({
            "model": "gpt-image-1",
            "prompt": job.full_prompt,
            "n": 1,
            "size": "1536x1024",
            "quality": "auto",
            "output_format": "webp",
        })
    );
}

#[tokio::test]
async fn openai_edits_with_references_and_a_converted_mask() {
    let peer = peers::openai().await;
    let openai = OpenAi::new(peer.api(), client());
    let green = [20, 180, 60];
    let mut job = job("gpt-image-1", "a hot-air balloon in the sky");
    job.aspect_ratio = AspectRatio::R4x3;
    job.references = vec![
        reference(40, 30, green, ImageKind::Png, "http://127.0.0.1:9/a.png"),
        reference(
            16,
            16,
            [10, 10, 10],
            ImageKind::Jpeg,
            "http://127.0.0.1:9/b.jpg",
        ),
    ];
    // Half the size of the image it applies to: white (repaint) on the left half.
    job.mask = Some(half_mask(20, 15, 10));
    let images = openai.generate(&job, &Recorder::default()).await.unwrap();

    let log = peer.log();
    assert_eq!(log.last_path, "/v1/images/edits");
    let fields = log.last_body.clone().unwrap();
    assert_eq!(fields["prompt"], job.full_prompt.as_str());
    assert_eq!(
        (
            &fields["model"],
            &fields["n"],
            &fields["size"],
            &fields["output_format"]
        ),
        (
            &json!("gpt-image-1"),
            &json!("1"),
            &json!("auto"),
            &json!("png")
        )
    );
    let describe =
        |f: &peers::PeerFile| (f.field.clone(), f.file_name.clone(), f.content_type.clone());
    let images_sent: Vec<_> = log
        .last_files
        .iter()
        .filter(|f| f.field != "mask")
        .collect();
    assert_eq!(
        images_sent.iter().map(|f| describe(f)).collect::<Vec<_>>(),
        vec![
            (
                "image[]".to_string(),
                Some("reference-1.png".to_string()),
                Some("image/png".to_string())
            ),
            (
                "image[]".to_string(),
                Some("reference-2.jpg".to_string()),
                Some("image/jpeg".to_string())
            ),
        ]
    );
    assert_eq!(images_sent[0].bytes, job.references[0].bytes);
    let mask = log.last_files.iter().find(|f| f.field == "mask").unwrap();
    assert_eq!(mask.content_type.as_deref(), Some("image/png"));
    let mask = image::load_from_memory_with_format(&mask.bytes, ImageFormat::Png)
        .unwrap()
        .to_rgba8();
    assert_eq!(mask.dimensions(), (40, 30), "sized to the first reference");
    for y in [0, 14, 29] {
        for x in [0, 10, 17] {
            assert_eq!(
                mask.get_pixel(x, y).0[3],
                0,
                "white became transparent at {x},{y}"
            );
        }
        for x in [23, 30, 39] {
            assert_eq!(
                mask.get_pixel(x, y).0[3],
                255,
                "black became opaque at {x},{y}"
            );
        }
    }
    // The peer repaints where the mask is transparent, and keeps the first image elsewhere.
    let (image, _) = single(&images);
    assert_eq!(image.dimensions(), (64, 48));
    assert_eq!(rgb(&image, 4, 24), prompt_colour(&job.full_prompt));
    assert_eq!(rgb(&image, 60, 24), green);
}

#[tokio::test]
async fn openai_refusals_failures_and_retryable_errors() {
    let peer = peers::openai().await;
    let openai = OpenAi::new(peer.api(), client());
    let tracker = Recorder::default();
    let model = "gpt-image-1";

    assert_refused(
        openai
            .generate(&job(model, "a crime scene [refuse]"), &tracker)
            .await,
    );
    assert_failed(
        openai
            .generate(&job(model, "a diagram [fail]"), &tracker)
            .await,
    );
    let reason = assert_failed(
        openai
            .generate(&job(model, "a diagram [quota]"), &tracker)
            .await,
    );
    assert!(reason.contains("insufficient_quota"), "{reason}");

    let flaky = job(model, "a kite [flaky]");
    assert_transient(openai.generate(&flaky, &tracker).await, None);
    assert!(
        openai.generate(&flaky, &tracker).await.is_ok(),
        "the retry succeeds"
    );

    let limited = job(model, "a kite [ratelimit]");
    assert_transient(
        openai.generate(&limited, &tracker).await,
        Some(Duration::from_secs(1)),
    );
    assert!(
        openai.generate(&limited, &tracker).await.is_ok(),
        "the retry succeeds"
    );
}

#[tokio::test]
async fn openai_wrong_key_is_a_failure_without_the_key() {
    let peer = peers::openai().await;
    // The peer repeats a rejected key in its message; the reason must not.
    let wrong = "sk-proj-wrong-key-0000";
    let openai = OpenAi::new(peer.api_with_key(wrong), client());
    let reason = assert_failed(
        openai
            .generate(&job("gpt-image-1", "a boat"), &Recorder::default())
            .await,
    );
    assert_eq!(peer.log().auth_ok, Some(false));
    assert!(reason.contains("invalid_api_key"), "{reason}");
    assert!(!reason.contains(wrong), "{reason}");
}

// ---------------------------------------------------------------------------------------
// Replicate

/// A webhook secret as Replicate hands it out: `whsec_` and a base64 key.
fn replicate_secret() -> String {
    peers::webhook_secret("replicate test webhook key")
}
const FLUX_VERSION: &str = "5599ed30703defd1d160a25a63321b4dec97101d98b4674bcc56e41f62f35637";

fn replicate(peer: &Peer) -> Replicate {
    Replicate::new(peer.api(), client()).with_poll_interval(Duration::from_millis(20))
}

#[tokio::test]
async fn replicate_runs_an_official_model_and_downloads_its_output() {
    let peer = peers::replicate(&replicate_secret()).await;
    let sink = Sink::start().await;
    let replicate = replicate(&peer);
    let mut job = job("black-forest-labs/flux-schnell", "a paper crane");
    job.aspect_ratio = AspectRatio::R21x9;
    job.format = OutputFormat::Webp;
    job.callback_url = Some(sink.url.clone());
    let tracker = Recorder::default();
    let images = replicate.generate(&job, &tracker).await.unwrap();

    let (image, format) = single(&images);
    assert_eq!((format, image.dimensions()), (ImageFormat::WebP, (64, 27)));
    assert_eq!(rgb(&image, 5, 5), prompt_colour(&job.full_prompt));
    let ids = tracker.remote_ids();
    assert_eq!(ids.len(), 1);
    assert!(
        tracker.progress().contains(&50),
        "progress read from the logs"
    );
    let log = peer.log();
    assert_eq!(
        log.last_path,
        "/v1/models/black-forest-labs/flux-schnell/predictions"
    );
    assert_eq!(
        (log.creates, log.auth_ok, log.downloads),
        (1, Some(true), 1)
    );
    assert_eq!(
        log.last_body.unwrap(),
        json!({
            "input": {
                "prompt": job.full_prompt,
                "aspect_ratio": "21:9",
                "output_format": "webp",
                "seed": 1234,
                "num_outputs": 1,
            },
            "webhook": sink.url,
            "webhook_events_filter": ["completed"],
        })
    );
    // Only the completion was asked for, and it is verified.
    let callback = sink.first().await;
    assert_eq!(
        replicate.verify_callback(&callback, now_ms()),
        Ok(ids[0].clone())
    );
    let delivered: Value = serde_json::from_slice(&callback.body).unwrap();
    assert_eq!(delivered["status"], "succeeded");
    assert_eq!(peer.log().callbacks.len(), 1);
}

#[tokio::test]
async fn replicate_runs_a_version_with_a_reference_as_data_uri() {
    let peer = peers::replicate(&replicate_secret()).await;
    let mut job = job(
        &format!("black-forest-labs/flux-dev:{FLUX_VERSION}"),
        "the same cat, as a statue",
    );
    job.references = vec![reference(
        16,
        16,
        [90, 60, 30],
        ImageKind::Png,
        "http://127.0.0.1:9/cat.png",
    )];
    job.format = OutputFormat::Jpeg;
    let images = replicate(&peer)
        .generate(&job, &Recorder::default())
        .await
        .unwrap();

    assert_eq!(single(&images).1, ImageFormat::Jpeg);
    let log = peer.log();
    assert_eq!(log.last_path, "/v1/predictions");
    let body = log.last_body.unwrap();
    assert_eq!(body["version"], FLUX_VERSION);
    assert_eq!(body["input"]["output_format"], "jpg");
    assert!(body.get("webhook").is_none());
    let uri = body["input"]["image"].as_str().unwrap();
    let data = uri.strip_prefix("data:image/png;base64,").unwrap();
    assert_eq!(BASE64.decode(data).unwrap(), job.references[0].bytes);
}

#[tokio::test]
async fn replicate_refusals_failures_and_retryable_errors() {
    let peer = peers::replicate(&replicate_secret()).await;
    let replicate = replicate(&peer);
    let tracker = Recorder::default();
    let model = "black-forest-labs/flux-schnell";

    assert_refused(
        replicate
            .generate(&job(model, "a crime scene [refuse]"), &tracker)
            .await,
    );
    let reason = assert_failed(
        replicate
            .generate(&job(model, "a diagram [fail]"), &tracker)
            .await,
    );
    assert!(reason.contains("ValueError"), "{reason}");

    let flaky = job(model, "a kite [flaky]");
    assert_transient(replicate.generate(&flaky, &tracker).await, None);
    assert!(
        replicate.generate(&flaky, &tracker).await.is_ok(),
        "the retry succeeds"
    );

    let limited = job(model, "a kite [ratelimit]");
    assert_transient(
        replicate.generate(&limited, &tracker).await,
        Some(Duration::from_secs(1)),
    );
    assert!(
        replicate.generate(&limited, &tracker).await.is_ok(),
        "the retry succeeds"
    );

    let reason = assert_failed(
        replicate
            .generate(&job("nobody/nothing", "a kite"), &tracker)
            .await,
    );
    assert!(reason.contains("404"), "{reason}");
    let reason = assert_failed(
        replicate
            .generate(&job("not-a-model-name", "a kite"), &tracker)
            .await,
    );
    assert!(reason.contains("owner/name"), "{reason}");
}

#[tokio::test]
async fn replicate_wrong_key_is_a_failure_without_the_key() {
    let peer = peers::replicate(&replicate_secret()).await;
    let wrong = "r8_wrong_token_0000";
    let replicate = Replicate::new(peer.api_with_key(wrong), client());
    let reason = assert_failed(
        replicate
            .generate(
                &job("black-forest-labs/flux-schnell", "a boat"),
                &Recorder::default(),
            )
            .await,
    );
    assert_eq!(peer.log().auth_ok, Some(false));
    assert!(
        reason.contains("401") && !reason.contains(wrong),
        "{reason}"
    );
}

#[tokio::test]
async fn replicate_reports_the_prediction_before_it_ends_and_resumes_it() {
    let peer = peers::replicate(&replicate_secret()).await;
    let replicate = replicate(&peer);
    let model = "black-forest-labs/flux-schnell";

    let tracker = Recorder::default();
    let outcome = tokio::time::timeout(
        Duration::from_millis(400),
        replicate.generate(&job(model, "a boat [hang]"), &tracker),
    )
    .await;
    assert!(outcome.is_err(), "still waiting");
    let ids = tracker.remote_ids();
    assert_eq!(ids.len(), 1);
    assert_eq!(peer.job(&ids[0]).unwrap()["status"], "processing");
    assert_eq!(tracker.progress(), vec![50]);

    let first = Recorder::default();
    let original = job(model, "a lantern");
    let made = replicate.generate(&original, &first).await.unwrap();
    let creates = peer.log().creates;
    let resumed_job = ProviderJob {
        remote_id: Some(first.remote_ids()[0].clone()),
        ..original
    };
    let second = Recorder::default();
    assert_eq!(
        replicate.generate(&resumed_job, &second).await.unwrap(),
        made
    );
    assert_eq!(peer.log().creates, creates, "no prediction was created");
    assert!(second.remote_ids().is_empty());
}

#[tokio::test]
async fn replicate_webhooks_are_verified() {
    let peer = peers::replicate(&replicate_secret()).await;
    let sink = Sink::start().await;
    let replicate = replicate(&peer);
    let mut job = job("black-forest-labs/flux-schnell", "a fox");
    job.callback_url = Some(sink.url.clone());
    let tracker = Recorder::default();
    replicate.generate(&job, &tracker).await.unwrap();
    let id = tracker.remote_ids()[0].clone();
    let good = sink.first().await;
    let now = now_ms();
    assert_eq!(replicate.verify_callback(&good, now), Ok(id.clone()));

    // The body is signed: any change breaks it.
    let mut body: Value = serde_json::from_slice(&good.body).unwrap();
    body["id"] = json!("someone-elses-prediction");
    let tampered = CallbackRequest {
        headers: good.headers.clone(),
        body: body.to_string().into_bytes(),
    };
    assert_eq!(
        replicate.verify_callback(&tampered, now),
        Err(CallbackError::Signature)
    );
    let renamed = with_header(&good, replicate::ID_HEADER, "msg_other");
    assert_eq!(
        replicate.verify_callback(&renamed, now),
        Err(CallbackError::Signature)
    );
    for header in [
        replicate::ID_HEADER,
        replicate::TIMESTAMP_HEADER,
        replicate::SIGNATURE_HEADER,
    ] {
        let missing = without_header(&good, header);
        assert_eq!(
            replicate.verify_callback(&missing, now),
            Err(CallbackError::Signature),
            "{header}"
        );
    }
    assert_eq!(
        replicate.verify_callback(&good, now + 301_000),
        Err(CallbackError::Stale)
    );
    assert_eq!(
        replicate.verify_callback(&good, now - 301_000),
        Err(CallbackError::Stale)
    );

    // Several signatures (during a key rotation): any one may match.
    let signature = good
        .header(replicate::SIGNATURE_HEADER)
        .unwrap()
        .to_string();
    let rotated = with_header(
        &good,
        replicate::SIGNATURE_HEADER,
        &format!("v1,bm90IGl0 {signature}"),
    );
    assert_eq!(replicate.verify_callback(&rotated, now), Ok(id.clone()));
    let only_wrong = with_header(
        &good,
        replicate::SIGNATURE_HEADER,
        "v1,bm90IGl0 v2,bm90IGl0",
    );
    assert_eq!(
        replicate.verify_callback(&only_wrong, now),
        Err(CallbackError::Signature)
    );

    let other_secret = Replicate::new(
        domain::config::ProviderApi {
            callback_secret: Some(peers::webhook_secret("other secret key").into()),
            ..peer.api()
        },
        client(),
    );
    assert_eq!(
        other_secret.verify_callback(&good, now),
        Err(CallbackError::Signature)
    );
}

//! Local stand-ins for the four remote image providers, each speaking its vendor's
//! documented protocol closely enough to test an adapter end to end: the vendor's
//! authentication header and error shapes, the request fields it checks, its answers, its
//! asynchronous jobs and its signed callbacks. Built for tests only.
//!
//! A peer serves on a free loopback port. It checks the API key the way its vendor does,
//! validates what it is sent, and answers with real images (PNG, or JPEG/WebP where the
//! vendor offers them), 64 pixels on the long side in the requested aspect ratio, filled
//! with a colour derived from the prompt it received ([`prompt_colour`]), so a test can
//! tell which text reached it. Result files are served by the peer itself under `/files/`.
//!
//! Markers anywhere in the prompt script the answer:
//!
//! | marker | Gemini | Kie | OpenAI | Replicate |
//! | --- | --- | --- | --- | --- |
//! | `[refuse]` | `promptFeedback.blockReason` `PROHIBITED_CONTENT` | task fails with a content-policy message | 400 `moderation_blocked` | prediction fails with "NSFW content detected" |
//! | `[refuse-image]` | candidate stopped with `IMAGE_SAFETY` | — | — | — |
//! | `[fail]` | text only, `finishReason` `NO_IMAGE` | task fails with a non-policy message | 400 `invalid_request_error` | prediction fails with a model error |
//! | `[flaky]` | first call for this prompt: 500 `INTERNAL` | first create: code 500 (HTTP 200) | first call: 500 `server_error` | first create: 500 |
//! | `[ratelimit]` | first call: 429 `RESOURCE_EXHAUSTED`, `Retry-After: 1` | first create: 429, code 429, `Retry-After: 1` | first call: 429 `rate_limit_exceeded`, `Retry-After: 1` | first create: 429 problem, `Retry-After: 1` |
//! | `[quota]` | — | — | 429 `insufficient_quota` | — |
//! | `[hang]` | the request never ends | the task stays `generating` | the request never ends | the prediction stays `processing` at 50 % |
//!
//! Kie and Replicate run jobs in the background: `waiting`/`starting`, then
//! `generating`/`processing` after about 30 ms, then the end after about 100 ms. When the
//! create request named a callback URL, the peer then POSTs the vendor's signed callback
//! there, and records the receiver's answer in [`PeerLog::callbacks`].

mod gemini;
mod kie;
mod openai;
mod replicate;

use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, Uri, header},
    response::{IntoResponse, Response},
    routing::get,
};
use domain::config::ProviderApi;
use image::{DynamicImage, ImageFormat, RgbImage};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    io::Cursor,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

/// The long side of every image a peer makes, in pixels.
pub const IMAGE_SIDE: u32 = 64;

/// A Replicate-style webhook secret for tests (`whsec_` and a base64 key), made from
/// `label` at run time so that no key-like literal sits in the source.
pub fn webhook_secret(label: &str) -> String {
    use base64::Engine;
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(label.as_bytes())
    )
}

/// A peer speaking Google's Gemini API (`x-goog-api-key`).
pub async fn gemini() -> Peer {
    gemini::start().await
}

/// A peer speaking Kie.ai's jobs API; callbacks are signed with `hmac_key`.
pub async fn kie(hmac_key: &str) -> Peer {
    kie::start(hmac_key).await
}

/// A peer speaking OpenAI's Images API.
pub async fn openai() -> Peer {
    openai::start().await
}

/// A peer speaking Replicate's predictions API; webhooks are signed with
/// `webhook_secret` (`whsec_` and a base64 key).
pub async fn replicate(webhook_secret: &str) -> Peer {
    replicate::start(webhook_secret).await
}

/// A running peer. Clones share its state.
#[derive(Clone)]
pub struct Peer {
    /// The base URL, as `ProviderApi::api_url` takes it (no trailing slash).
    pub url: String,
    /// The one key the peer accepts.
    pub api_key: String,
    /// The secret callbacks are signed with (Kie's HMAC key, Replicate's `whsec_` secret).
    pub callback_secret: Option<String>,
    state: Shared,
}

impl Peer {
    /// The API settings that reach this peer with its right key.
    pub fn api(&self) -> ProviderApi {
        self.api_with_key(&self.api_key)
    }

    /// The API settings that reach this peer with `key`.
    pub fn api_with_key(&self, key: &str) -> ProviderApi {
        ProviderApi {
            api_key: key.to_string().into(),
            api_url: self.url.clone(),
            callback_secret: self.callback_secret.clone().map(Into::into),
        }
    }

    /// What the peer has seen so far.
    pub fn log(&self) -> PeerLog {
        self.state.log.lock().expect("peer log").clone()
    }

    /// A remote job's record as the peer holds it (Kie's `data`, Replicate's prediction).
    pub fn job(&self, id: &str) -> Option<Value> {
        self.state.jobs.lock().expect("peer jobs").get(id).cloned()
    }
}

/// What a peer has seen.
#[derive(Clone, Debug, Default)]
pub struct PeerLog {
    /// Calls to the endpoint that makes images or creates a remote job, whatever their
    /// answer.
    pub creates: u32,
    /// Reads of a remote job's state (Kie's `recordInfo`, Replicate's prediction).
    pub polls: u32,
    /// Result files served from `/files/`.
    pub downloads: u32,
    /// Whether the last request carried the right key, the way the vendor expects it.
    pub auth_ok: Option<bool>,
    /// The last create request's path.
    pub last_path: String,
    /// The last create request's headers, names lower-case.
    pub last_headers: Vec<(String, String)>,
    /// The last create request's body: its JSON, or for multipart its text fields.
    pub last_body: Option<Value>,
    /// The files of the last multipart request.
    pub last_files: Vec<PeerFile>,
    /// Input image URLs the peer fetched, with the HTTP status it got (0: no answer).
    pub fetched: Vec<(String, u16)>,
    /// Callbacks delivered: the URL and the receiver's HTTP status (0: no answer).
    pub callbacks: Vec<(String, u16)>,
}

impl PeerLog {
    pub fn last_header(&self, name: &str) -> Option<&str> {
        self.last_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A file part of a multipart request.
#[derive(Clone, Debug)]
pub struct PeerFile {
    pub field: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// The colour of every image a peer makes for `prompt`.
pub fn prompt_colour(prompt: &str) -> [u8; 3] {
    let digest = Sha256::digest(prompt.as_bytes());
    [digest[0], digest[1], digest[2]]
}

struct PeerState {
    url: String,
    api_key: String,
    callback_secret: Option<String>,
    http: reqwest::Client,
    log: Mutex<PeerLog>,
    /// File name → (content type, bytes).
    files: Mutex<HashMap<String, (&'static str, Vec<u8>)>>,
    /// Marker and prompt → calls so far, for the once-only markers.
    calls: Mutex<HashMap<String, u32>>,
    jobs: Mutex<HashMap<String, Value>>,
    next_id: AtomicU64,
}

type Shared = Arc<PeerState>;

/// Binds a free loopback port and serves `routes` (plus `/files/`) on it.
async fn serve(api_key: &str, callback_secret: Option<&str>, routes: Router<Shared>) -> Peer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free loopback port");
    let url = format!("http://{}", listener.local_addr().expect("bound address"));
    let state = Arc::new(PeerState {
        url: url.clone(),
        api_key: api_key.to_string(),
        callback_secret: callback_secret.map(str::to_string),
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("an HTTP client"),
        log: Mutex::default(),
        files: Mutex::default(),
        calls: Mutex::default(),
        jobs: Mutex::default(),
        next_id: AtomicU64::new(1),
    });
    let app = routes
        .route("/files/{name}", get(file))
        .with_state(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Peer {
        url,
        api_key: api_key.to_string(),
        callback_secret: callback_secret.map(str::to_string),
        state,
    }
}

async fn file(State(state): State<Shared>, Path(name): Path<String>) -> Response {
    let found = state.files.lock().expect("peer files").get(&name).cloned();
    match found {
        Some((content_type, bytes)) => {
            state.log.lock().expect("peer log").downloads += 1;
            ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

impl PeerState {
    /// Counts a create request and keeps its headers and body.
    fn record_create(&self, uri: &Uri, headers: &HeaderMap, body: Option<Value>) {
        let mut log = self.log.lock().expect("peer log");
        log.creates += 1;
        log.last_path = uri.path().to_string();
        log.last_headers = headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        log.last_body = body;
        log.last_files.clear();
    }

    fn record_poll(&self) {
        self.log.lock().expect("peer log").polls += 1;
    }

    fn authorized(&self, ok: bool) {
        self.log.lock().expect("peer log").auth_ok = Some(ok);
    }

    /// Whether this is the first call carrying `marker` with this `prompt`.
    fn first_call(&self, marker: &str, prompt: &str) -> bool {
        let mut calls = self.calls.lock().expect("peer calls");
        let count = calls.entry(format!("{marker}\n{prompt}")).or_default();
        *count += 1;
        *count == 1
    }

    /// A fresh id: `prefix` and 24 hex digits.
    fn new_id(&self, prefix: &str) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let digest = Sha256::digest(format!("{}:{n}:{}", self.url, now_ms()).as_bytes());
        format!("{prefix}{}", hex::encode(&digest[..12]))
    }

    /// Keeps `bytes` as a result file and returns its URL.
    fn store(&self, bytes: Vec<u8>, format: ImageFormat) -> String {
        let (extension, content_type) = match format {
            ImageFormat::Jpeg => ("jpg", "image/jpeg"),
            ImageFormat::WebP => ("webp", "image/webp"),
            _ => ("png", "image/png"),
        };
        let name = format!("{}.{extension}", self.new_id("result-"));
        self.files
            .lock()
            .expect("peer files")
            .insert(name.clone(), (content_type, bytes));
        format!("{}/files/{name}", self.url)
    }

    fn update_job(&self, id: &str, change: impl FnOnce(&mut Value)) -> Option<Value> {
        let mut jobs = self.jobs.lock().expect("peer jobs");
        let job = jobs.get_mut(id)?;
        change(job);
        Some(job.clone())
    }

    /// Fetches an input image by URL, as vendors that take URLs do, and records it.
    async fn fetch(&self, url: &str) -> Result<DynamicImage, String> {
        let answer = match self.http.get(url).send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                (status, response.bytes().await.ok())
            }
            Err(_) => (0, None),
        };
        self.log
            .lock()
            .expect("peer log")
            .fetched
            .push((url.to_string(), answer.0));
        match answer {
            (200, Some(bytes)) => {
                image::load_from_memory(&bytes).map_err(|e| format!("{url} is not an image: {e}"))
            }
            (status, _) => Err(format!("{url} could not be fetched (HTTP {status})")),
        }
    }

    /// POSTs a callback and records the receiver's status.
    async fn deliver(&self, url: &str, headers: Vec<(&'static str, String)>, body: Vec<u8>) {
        let mut request = self
            .http
            .post(url)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let status = match request.send().await {
            Ok(response) => response.status().as_u16(),
            Err(_) => 0,
        };
        self.log
            .lock()
            .expect("peer log")
            .callbacks
            .push((url.to_string(), status));
    }
}

/// The value of `Authorization: Bearer …`.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

fn has(prompt: &str, marker: &str) -> bool {
    prompt.contains(marker)
}

/// Adds `Retry-After: 1`.
fn retry_after_one(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
    response
}

/// Waits "forever": far longer than any test or worker timeout.
async fn hang() {
    tokio::time::sleep(Duration::from_secs(3600)).await;
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// The aspect ratios the Nano Banana models accept.
const RATIOS: &[&str] = &[
    "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9",
];

/// The size of an image of `ratio` (`"16:9"`) with the long side [`IMAGE_SIDE`].
fn dimensions(ratio: &str) -> (u32, u32) {
    let parsed = ratio
        .split_once(':')
        .and_then(|(w, h)| Some((w.parse::<u32>().ok()?, h.parse::<u32>().ok()?)))
        .filter(|(w, h)| *w > 0 && *h > 0);
    let Some((w, h)) = parsed else {
        return (IMAGE_SIDE, IMAGE_SIDE);
    };
    let short = |small: u32, large: u32| ((IMAGE_SIDE * small + large / 2) / large).max(1);
    if w >= h {
        (IMAGE_SIDE, short(h, w))
    } else {
        (short(w, h), IMAGE_SIDE)
    }
}

/// An image of one colour, encoded.
fn solid(colour: [u8; 3], (width, height): (u32, u32), format: ImageFormat) -> Vec<u8> {
    encode(
        DynamicImage::ImageRgb8(RgbImage::from_pixel(width, height, image::Rgb(colour))),
        format,
    )
}

fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let image = match format {
        ImageFormat::Jpeg => DynamicImage::ImageRgb8(image.to_rgb8()),
        _ => image,
    };
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .expect("encoding a small image");
    bytes
}

//! OpenAI's Images API: `POST /v1/images/generations` (JSON) and `POST /v1/images/edits`
//! (multipart, with an optional mask whose transparent pixels mark the area to edit).

use super::{
    IMAGE_SIDE, Peer, PeerFile, Shared, bearer, encode, hang, has, prompt_colour, retry_after_one,
    serve, solid,
};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{Multipart, State},
    http::{HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::post,
};
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use image::{DynamicImage, GenericImageView, ImageFormat, Rgba, RgbaImage, imageops::FilterType};
use serde_json::{Map, Value, json};

const API_KEY: &str = "sk-proj-peer-7Hc2Lq9Zr4Tx0Vb6";
const MODELS: &[&str] = &["gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5"];
const SIZES: &[&str] = &["1024x1024", "1536x1024", "1024x1536", "auto"];
const IMAGE_TYPES: &[&str] = &["image/png", "image/jpeg", "image/webp"];
/// Most images one edit takes.
const MAX_IMAGES: usize = 16;

pub(super) async fn start() -> Peer {
    let routes = Router::new()
        .route("/v1/images/generations", post(generations))
        .route("/v1/images/edits", post(edits));
    serve(API_KEY, None, routes).await
}

fn error(
    status: StatusCode,
    kind: &str,
    code: Option<&str>,
    param: Option<&str>,
    message: &str,
) -> Response {
    let body = json!({
        "error": { "message": message, "type": kind, "param": param, "code": code }
    });
    (status, Json(body)).into_response()
}

fn invalid(param: &str, message: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "invalid_request_error",
        Some("invalid_value"),
        Some(param),
        message,
    )
}

/// The vendor's answer to a missing or wrong key, if it is.
fn check_key(state: &Shared, headers: &HeaderMap) -> Option<Response> {
    match bearer(headers) {
        Some(key) if key == state.api_key => {
            state.authorized(true);
            None
        }
        None => {
            state.authorized(false);
            Some(error(
                StatusCode::UNAUTHORIZED,
                "invalid_request_error",
                None,
                None,
                "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            ))
        }
        // OpenAI masks the key it repeats; this peer repeats it whole, as a careless
        // service might, to prove the adapter never passes it on.
        Some(key) => {
            state.authorized(false);
            Some(error(
                StatusCode::UNAUTHORIZED,
                "invalid_request_error",
                Some("invalid_api_key"),
                None,
                &format!(
                    "Incorrect API key provided: {key}. You can find your API key at https://platform.openai.com/account/api-keys."
                ),
            ))
        }
    }
}

/// The fields both endpoints take.
struct Params {
    prompt: String,
    n: u32,
    size: String,
    format: ImageFormat,
    format_name: String,
}

fn params(field: impl Fn(&str) -> Option<String>) -> Result<Params, Box<Response>> {
    let model = field("model").unwrap_or_else(|| "dall-e-2".into());
    if !MODELS.contains(&model.as_str()) {
        return Err(Box::new(error(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            Some("model_not_found"),
            Some("model"),
            &format!("The model `{model}` does not exist or you do not have access to it."),
        )));
    }
    let prompt = field("prompt")
        .filter(|p| !p.is_empty())
        .ok_or_else(|| Box::new(invalid("prompt", "Missing required parameter: 'prompt'.")))?;
    if prompt.chars().count() > 32000 {
        return Err(Box::new(invalid(
            "prompt",
            "Invalid 'prompt': string too long. Expected a string with maximum length 32000.",
        )));
    }
    let n = match field("n") {
        None => 1,
        Some(n) => n
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=10).contains(n))
            .ok_or_else(|| {
                Box::new(invalid(
                    "n",
                    &format!("Invalid 'n': {n}. Expected a value from 1 to 10."),
                ))
            })?,
    };
    let size = field("size").unwrap_or_else(|| "auto".into());
    if !SIZES.contains(&size.as_str()) {
        return Err(Box::new(invalid(
            "size",
            &format!(
                "Invalid value: '{size}'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'."
            ),
        )));
    }
    if let Some(quality) = field("quality")
        && !["low", "medium", "high", "auto"].contains(&quality.as_str())
    {
        return Err(Box::new(invalid(
            "quality",
            &format!(
                "Invalid value: '{quality}'. Supported values are: 'low', 'medium', 'high', and 'auto'."
            ),
        )));
    }
    let format_name = field("output_format").unwrap_or_else(|| "png".into());
    let format = match format_name.as_str() {
        "png" => ImageFormat::Png,
        "jpeg" => ImageFormat::Jpeg,
        "webp" => ImageFormat::WebP,
        other => {
            return Err(Box::new(invalid(
                "output_format",
                &format!(
                    "Invalid value: '{other}'. Supported values are: 'png', 'jpeg', and 'webp'."
                ),
            )));
        }
    };
    Ok(Params {
        prompt,
        n,
        size,
        format,
        format_name,
    })
}

async fn generations(
    State(state): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: Option<Value> = serde_json::from_slice(&body).ok();
    state.record_create(&uri, &headers, request.clone());
    if let Some(denied) = check_key(&state, &headers) {
        return denied;
    }
    let Some(request) = request.filter(Value::is_object) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            None,
            None,
            "We could not parse the JSON body of your request.",
        );
    };
    let field = |name: &str| match request.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    let params = match params(field) {
        Ok(params) => params,
        Err(response) => return *response,
    };
    answer(&state, &params, None).await
}

async fn edits(
    State(state): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    state.record_create(&uri, &headers, None);
    if let Some(denied) = check_key(&state, &headers) {
        return denied;
    }
    let mut fields = Map::new();
    let mut files = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(part)) => {
                let name = part.name().unwrap_or_default().to_string();
                let file_name = part.file_name().map(str::to_string);
                let content_type = part.content_type().map(str::to_string);
                let Ok(bytes) = part.bytes().await else {
                    return invalid(&name, "The multipart body could not be read.");
                };
                if file_name.is_some() {
                    files.push(PeerFile {
                        field: name,
                        file_name,
                        content_type,
                        bytes: bytes.to_vec(),
                    });
                } else {
                    fields.insert(name, json!(String::from_utf8_lossy(&bytes)));
                }
            }
            Ok(None) => break,
            Err(_) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request_error",
                    None,
                    None,
                    "The request body is not valid multipart/form-data.",
                );
            }
        }
    }
    {
        let mut log = state.log.lock().expect("peer log");
        log.last_body = Some(Value::Object(fields.clone()));
        log.last_files = files.clone();
    }
    for name in ["image", "image[]", "mask"] {
        if fields.contains_key(name) {
            return invalid(
                name,
                &format!("Invalid type for '{name}': expected a file, but got a string instead."),
            );
        }
    }
    let field = |name: &str| fields.get(name).and_then(Value::as_str).map(str::to_string);
    let params = match params(field) {
        Ok(params) => params,
        Err(response) => return *response,
    };
    let mut images = Vec::new();
    for file in files
        .iter()
        .filter(|f| f.field == "image" || f.field == "image[]")
    {
        let content_type = file.content_type.clone().unwrap_or_default();
        if !IMAGE_TYPES.contains(&content_type.as_str()) {
            return invalid(
                "image",
                &format!(
                    "Invalid file 'image': unsupported mimetype ('{content_type}'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'."
                ),
            );
        }
        match image::load_from_memory(&file.bytes) {
            Ok(image) => images.push(image),
            Err(_) => {
                return invalid(
                    "image",
                    &format!(
                        "Invalid image file or mode for image {}, please check your image file.",
                        images.len() + 1
                    ),
                );
            }
        }
    }
    if images.is_empty() {
        return invalid("image", "Missing required parameter: 'image'.");
    }
    if images.len() > MAX_IMAGES {
        return invalid("image", &format!("Too many images: at most {MAX_IMAGES}."));
    }
    let mask = match files.iter().find(|f| f.field == "mask") {
        None => None,
        Some(file) => {
            let decoded = image::load_from_memory_with_format(&file.bytes, ImageFormat::Png);
            let Ok(mask) = decoded else {
                return invalid(
                    "mask",
                    "Invalid mask image format - the mask must be a PNG file.",
                );
            };
            if !mask.color().has_alpha() {
                return invalid(
                    "mask",
                    "Invalid input image - format must be in ['RGBA', 'LA'], got a mask without an alpha channel.",
                );
            }
            if mask.dimensions() != images[0].dimensions() {
                return invalid(
                    "mask",
                    "Invalid mask image format - mask size does not match image size",
                );
            }
            Some(mask.to_rgba8())
        }
    };
    answer(&state, &params, Some((&images[0], mask.as_ref()))).await
}

/// The answer for a valid request: the markers' outcome, or the images.
async fn answer(
    state: &Shared,
    params: &Params,
    edit: Option<(&DynamicImage, Option<&RgbaImage>)>,
) -> Response {
    let prompt = &params.prompt;
    if has(prompt, "[hang]") {
        hang().await;
    }
    if has(prompt, "[refuse]") {
        return error(
            StatusCode::BAD_REQUEST,
            "image_generation_user_error",
            Some("moderation_blocked"),
            None,
            "Your request was rejected as a result of our safety system. Your request may contain content that is not allowed by our safety system.",
        );
    }
    if has(prompt, "[fail]") {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            None,
            None,
            "Invalid request: the image could not be produced for this input.",
        );
    }
    if has(prompt, "[quota]") {
        return error(
            StatusCode::TOO_MANY_REQUESTS,
            "insufficient_quota",
            Some("insufficient_quota"),
            None,
            "You exceeded your current quota, please check your plan and billing details.",
        );
    }
    if has(prompt, "[ratelimit]") && state.first_call("[ratelimit]", prompt) {
        return retry_after_one(error(
            StatusCode::TOO_MANY_REQUESTS,
            "requests",
            Some("rate_limit_exceeded"),
            None,
            "Rate limit reached for gpt-image-1 on images per minute (IPM): Limit 5, Used 5, Requested 1. Please try again in 1s.",
        ));
    }
    if has(prompt, "[flaky]") && state.first_call("[flaky]", prompt) {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            None,
            None,
            "The server had an error while processing your request. Sorry about that!",
        );
    }
    let colour = prompt_colour(prompt);
    let dimensions = match (params.size.as_str(), edit) {
        ("1536x1024", _) => (IMAGE_SIDE, IMAGE_SIDE * 2 / 3),
        ("1024x1536", _) => (IMAGE_SIDE * 2 / 3, IMAGE_SIDE),
        ("auto", Some((first, _))) => {
            let (w, h) = first.dimensions();
            if w >= h {
                (IMAGE_SIDE, (IMAGE_SIDE * h / w).max(1))
            } else {
                ((IMAGE_SIDE * w / h).max(1), IMAGE_SIDE)
            }
        }
        _ => (IMAGE_SIDE, IMAGE_SIDE),
    };
    let bytes = match edit {
        // The first image, repainted where the mask is transparent.
        Some((first, Some(mask))) => {
            let (w, h) = dimensions;
            let base = first.resize_exact(w, h, FilterType::Triangle).to_rgba8();
            let mask = image::imageops::resize(mask, w, h, FilterType::Nearest);
            let out = RgbaImage::from_fn(w, h, |x, y| {
                if mask.get_pixel(x, y).0[3] == 0 {
                    Rgba([colour[0], colour[1], colour[2], 255])
                } else {
                    *base.get_pixel(x, y)
                }
            });
            encode(DynamicImage::ImageRgba8(out), params.format)
        }
        _ => solid(colour, dimensions, params.format),
    };
    let data: Vec<Value> = (0..params.n)
        .map(|_| json!({ "b64_json": BASE64.encode(&bytes) }))
        .collect();
    Json(json!({
        "created": super::now_ms() / 1000,
        "data": data,
        "background": "opaque",
        "output_format": params.format_name,
        "quality": "medium",
        "size": params.size,
        "usage": {
            "input_tokens": prompt.len() / 4 + 1,
            "output_tokens": 1056,
            "total_tokens": prompt.len() / 4 + 1057,
            "input_tokens_details": { "image_tokens": 0, "text_tokens": prompt.len() / 4 + 1 },
        },
    }))
    .into_response()
}

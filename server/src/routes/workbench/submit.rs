//! The workbench over HTTP: uploads, submits (JSON for the hydrated page, multipart for the
//! plain form), the live task stream, cancel, and the providers' signed callbacks.
//!
//! Every route works for accounts and guests. A guest is known by the signed `guest`
//! cookie, made on their first upload or submit; every task and upload route checks that
//! the object belongs to whoever asks.

use crate::auth::{AuthState, FormContext, Refusal, see_other};
use app::{
    api::workbench::ssr::{guest_of, task_view},
    components::forms::localize_with_args,
    i18n::Locale,
    model::{ApiError, SubmitView, TaskView, UploadView},
};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, Multipart, Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{
        IntoResponse, Response,
        sse::{Event as SseEvent, KeepAlive, Sse},
    },
    routing::{get, post},
};
use domain::{
    AppState,
    generation::{
        AspectRatio, Camera, GenerationRequest, OutputFormat, ProviderKind, RequestError,
        Resolution,
        events::Event,
        guests,
        provider::CallbackRequest,
        tasks::{self, Cancelled, Owner, SubmitError, TaskRecord},
        uploads::{self, Purpose, UploadError},
    },
    images::ImageError,
    privacy,
    ratelimit::limits,
};
use serde::Deserialize;
use std::{collections::HashMap, convert::Infallible, time::Duration};

/// A multipart request carries at most a few images: the references, a mask and the form.
const MAX_FORM_BODY: usize = 64 * 1024 * 1024;
/// One upload. Files over the upload limit (10 MB) are refused, but a body up to this size
/// is read to its end first, so the client, still sending, receives the refusal instead of
/// a reset connection.
const MAX_UPLOAD_BODY: usize = 64 * 1024 * 1024;
/// The longest text field of a form.
const MAX_TEXT_FIELD: usize = 64 * 1024;
/// Provider callbacks are small JSON documents.
const MAX_CALLBACK_BODY: usize = 1024 * 1024;
/// How many of a person's tasks the stream re-sends after it missed events.
const RESYNC_TASKS: i64 = 24;
/// How often the stream polls the database while cross-process events are unavailable.
const FALLBACK_POLL: Duration = Duration::from_secs(2);

/// The workbench's routes, with the session (and the anti-forgery guard).
pub fn routes(state: AuthState) -> Router {
    let mut router = Router::new()
        .route(
            "/api/uploads",
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
        )
        .route("/api/generations", post(submit_json))
        .route("/api/tasks/events", get(events))
        .route("/api/tasks/{id}/cancel", post(cancel_json));
    for locale in Locale::ALL {
        router = router
            .route(
                &locale.path("/workbench"),
                post(submit_form).layer(DefaultBodyLimit::max(MAX_FORM_BODY)),
            )
            .route(
                &locale.path("/workbench/tasks/{id}/cancel"),
                post(cancel_form),
            );
    }
    router.with_state(state)
}

/// Providers' callbacks: outside the session and the anti-forgery guard (they are signed).
pub fn callback_routes(state: AppState) -> Router {
    Router::new()
        .route("/callbacks/{provider}", post(callback))
        .layer(DefaultBodyLimit::max(MAX_CALLBACK_BODY))
        .with_state(state)
}

/// Who is asking: the signed-in account, else the guest of the signed cookie (unless that
/// guest has since moved to an account).
async fn owner_of(ctx: &FormContext) -> Result<Option<Owner>, Refusal> {
    if let Some(user) = ctx.user().await? {
        return Ok(Some(Owner::User(user.id)));
    }
    let Some(guest) = guest_of(&ctx.state, ctx.headers()) else {
        return Ok(None);
    };
    let migrated = guests::migrated_to(&ctx.state.db, &guest)
        .await
        .map_err(internal)?;
    Ok(match migrated {
        Some(Some(_)) => None,
        _ => Some(Owner::Guest(guest)),
    })
}

/// [`owner_of`], making a new guest (and its cookie) for a first-time visitor. The cookie
/// to set, if any, comes back with the owner.
async fn owner_or_new_guest(ctx: &FormContext) -> Result<(Owner, Option<HeaderValue>), Refusal> {
    if let Some(owner) = owner_of(ctx).await? {
        return Ok((owner, None));
    }
    ctx.limit(&[(format!("guest:ip:{}", ctx.client.ip), limits::GUEST_IP)])
        .await?;
    let id = domain::new_id();
    let config = &ctx.state.config;
    guests::ensure(
        &ctx.state.db,
        &id,
        config.generation.guest_trial_credits,
        domain::now_ms(),
    )
    .await
    .map_err(internal)?;
    let max_age = guests::retention_ms() / 1000;
    let secure = if config.is_https() { "; Secure" } else { "" };
    let cookie = format!(
        "{}={}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
        privacy::GUEST_COOKIE,
        guests::cookie_value(&config.secret_key, &id)
    );
    let header = HeaderValue::from_str(&cookie).map_err(internal)?;
    Ok((Owner::Guest(id), Some(header)))
}

fn internal(e: impl std::fmt::Display) -> Refusal {
    tracing::error!(error = %e, "workbench operation failed");
    Refusal::new(
        "generation-error-internal",
        StatusCode::INTERNAL_SERVER_ERROR,
    )
}

fn owner_key(owner: &Owner) -> String {
    match owner {
        Owner::User(id) => format!("user:{id}"),
        Owner::Guest(id) => format!("guest:{id}"),
    }
}

/// A JSON error answer in `locale`.
fn api_error(locale: Locale, refusal: &Refusal) -> Response {
    let code = refusal
        .key
        .strip_prefix("generation-error-")
        .or_else(|| refusal.key.strip_prefix("auth-error-"))
        .unwrap_or(refusal.key)
        .to_string();
    let number = |name: &str| {
        refusal
            .args
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse().ok())
    };
    let body = ApiError {
        error: code,
        message: localize_with_args(locale, refusal.key, &refusal.args),
        required: number("required"),
        available: number("available"),
    };
    let mut response = (refusal.status, Json(body)).into_response();
    if let Some(seconds) = refusal.retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

fn with_cookie(mut response: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

fn locale_of(tag: Option<&str>) -> Locale {
    tag.and_then(Locale::from_tag).unwrap_or(Locale::En)
}

fn upload_refusal(error: &UploadError) -> Refusal {
    let (key, status) = match error {
        UploadError::Image(ImageError::TooLarge { .. }) => {
            let mut r = Refusal::new("generation-error-too-large", StatusCode::PAYLOAD_TOO_LARGE);
            let mb = uploads::limits().max_bytes / (1024 * 1024);
            r.args.push(("max_mb".into(), mb.to_string()));
            return r;
        }
        UploadError::Image(ImageError::TooManyPixels { .. }) => (
            "generation-error-too-many-pixels",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        UploadError::Image(ImageError::SideTooLong { .. }) => (
            "generation-error-side-too-long",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        UploadError::Image(ImageError::UnsupportedFormat) => (
            "generation-error-unsupported-format",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        UploadError::Image(ImageError::Corrupt) => {
            ("generation-error-corrupt", StatusCode::UNPROCESSABLE_ENTITY)
        }
        UploadError::FileName => ("generation-error-file-name", StatusCode::BAD_REQUEST),
        UploadError::Empty => ("generation-error-no-file", StatusCode::BAD_REQUEST),
        UploadError::Flagged => ("generation-error-flagged", StatusCode::UNPROCESSABLE_ENTITY),
        UploadError::CheckUnavailable => (
            "generation-error-check-unavailable",
            StatusCode::SERVICE_UNAVAILABLE,
        ),
        UploadError::Storage(_) | UploadError::Db(_) => return internal(error),
    };
    Refusal::new(key, status)
}

fn submit_refusal(error: &SubmitError) -> Refusal {
    let shortfall = |key: &'static str, required: i64, available: i64| {
        let mut r = Refusal::new(key, StatusCode::PAYMENT_REQUIRED);
        r.args.push(("required".into(), required.to_string()));
        r.args.push(("available".into(), available.to_string()));
        r
    };
    match error {
        SubmitError::Request(e) => request_refusal(e),
        SubmitError::Blocked => {
            Refusal::new("generation-error-blocked", StatusCode::UNPROCESSABLE_ENTITY)
        }
        SubmitError::UnknownUpload => Refusal::new(
            "generation-error-unknown-upload",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        SubmitError::Insufficient {
            required,
            available,
        } => shortfall(
            "generation-error-insufficient-credits",
            *required,
            *available,
        ),
        SubmitError::TrialExhausted {
            required,
            available,
        } => shortfall("generation-error-trial-exhausted", *required, *available),
        SubmitError::Task(e) => internal(e),
    }
}

fn request_refusal(error: &RequestError) -> Refusal {
    let key = match error {
        RequestError::UnknownModel => "generation-error-unknown-model",
        RequestError::EmptyPrompt => "generation-error-empty-prompt",
        RequestError::PromptTooLong { .. } => "generation-error-prompt-too-long",
        RequestError::NegativeTooLong { .. } => "generation-error-negative-too-long",
        RequestError::UnknownStyle => "generation-error-unknown-style",
        RequestError::Quantity { .. } => "generation-error-quantity",
        RequestError::Resolution => "generation-error-resolution",
        RequestError::AspectRatio => "generation-error-aspect-ratio",
        RequestError::Format => "generation-error-format",
        RequestError::TooManyReferences { .. } => "generation-error-too-many-references",
        RequestError::MaskUnsupported => "generation-error-mask-unsupported",
        RequestError::MaskWithoutReference => "generation-error-mask-without-reference",
        RequestError::Camera => "generation-error-camera",
    };
    let mut refusal = Refusal::new(key, StatusCode::UNPROCESSABLE_ENTITY);
    match error {
        RequestError::PromptTooLong { max } | RequestError::NegativeTooLong { max } => {
            refusal.args.push(("max".into(), max.to_string()))
        }
        RequestError::Quantity { max } | RequestError::TooManyReferences { max } => {
            refusal.args.push(("max".into(), max.to_string()))
        }
        _ => {}
    }
    refusal
}

// ---------------------------------------------------------------------------------------
// Uploads

/// `POST /api/uploads`: one image (`file`), its `purpose`, the page's `locale`.
async fn upload(ctx: FormContext, multipart: Multipart) -> Response {
    let mut locale = Locale::En;
    let result: Result<(UploadView, Option<HeaderValue>), Refusal> = async {
        let form = read_multipart(multipart, &["file"]).await?;
        locale = locale_of(form.text("locale"));
        let purpose = Purpose::parse(form.text("purpose").unwrap_or("reference"))
            .ok_or_else(|| Refusal::new("generation-error-purpose", StatusCode::BAD_REQUEST))?;
        let Some(file) = form.files.first() else {
            return Err(Refusal::new(
                "generation-error-no-file",
                StatusCode::BAD_REQUEST,
            ));
        };
        let (owner, cookie) = owner_or_new_guest(&ctx).await?;
        ctx.limit(&[(
            format!("upload:{}", owner_key(&owner)),
            limits::UPLOAD_OWNER,
        )])
        .await?;
        let record = store_upload(&ctx.state, &owner, purpose, file).await?;
        Ok((upload_view(&ctx.state, &record), cookie))
    }
    .await;
    match result {
        Ok((view, cookie)) => {
            with_cookie((StatusCode::CREATED, Json(view)).into_response(), cookie)
        }
        Err(refusal) => api_error(locale, &refusal),
    }
}

async fn store_upload(
    state: &AppState,
    owner: &Owner,
    purpose: Purpose,
    file: &FilePart,
) -> Result<uploads::UploadRecord, Refusal> {
    uploads::store(
        &state.db,
        &state.storage,
        &state.image_check,
        owner,
        purpose,
        file.name.as_deref(),
        &file.bytes,
        domain::now_ms(),
    )
    .await
    .map_err(|e| upload_refusal(&e))
}

fn upload_view(state: &AppState, record: &uploads::UploadRecord) -> UploadView {
    UploadView {
        id: record.id.clone(),
        url: state.storage.signed_path(
            &record.key,
            app::api::workbench::ssr::RESULT_LINK_LIFETIME,
            domain::now_ms(),
        ),
        width: record.width,
        height: record.height,
    }
}

struct FilePart {
    field: String,
    name: Option<String>,
    bytes: Bytes,
}

#[derive(Default)]
struct MultipartForm {
    fields: Vec<(String, String)>,
    files: Vec<FilePart>,
}

impl MultipartForm {
    fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Reads a multipart body: `file_fields` as files (empty file inputs skipped), everything
/// else as text. A file over the upload limit makes the whole request "too large", but
/// only once the body has been read (and discarded) to its end, so the refusal reaches a
/// client still sending; a body over the route's limit is "too large" at once.
async fn read_multipart(
    mut multipart: Multipart,
    file_fields: &[&str],
) -> Result<MultipartForm, Refusal> {
    let too_large = || {
        let mut r = Refusal::new("generation-error-too-large", StatusCode::PAYLOAD_TOO_LARGE);
        let mb = uploads::limits().max_bytes / (1024 * 1024);
        r.args.push(("max_mb".into(), mb.to_string()));
        r
    };
    let malformed = || Refusal::new("generation-error-malformed", StatusCode::BAD_REQUEST);
    let mut form = MultipartForm::default();
    let mut oversized = false;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(malformed()),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let cap = if file_fields.contains(&name.as_str()) {
            uploads::limits().max_bytes
        } else {
            MAX_TEXT_FIELD
        };
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if !oversized && bytes.len() + chunk.len() <= cap {
                        bytes.extend_from_slice(&chunk);
                    } else {
                        oversized = true;
                        bytes.clear();
                    }
                }
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
                Err(_) => return Err(malformed()),
            }
        }
        if oversized {
            continue;
        }
        let bytes = Bytes::from(bytes);
        if file_fields.contains(&name.as_str()) {
            if !bytes.is_empty() {
                form.files.push(FilePart {
                    field: name,
                    name: file_name,
                    bytes,
                });
            }
        } else {
            let text = String::from_utf8(bytes.to_vec()).map_err(|_| malformed())?;
            form.fields.push((name, text));
        }
    }
    if oversized {
        return Err(too_large());
    }
    Ok(form)
}

// ---------------------------------------------------------------------------------------
// Submits

#[derive(Deserialize, Default)]
pub struct SubmitBody {
    #[serde(default)]
    model: String,
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    negative_prompt: Option<String>,
    #[serde(default)]
    style: Option<String>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    aspect_ratio: String,
    #[serde(default)]
    resolution: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    quantity: Option<u8>,
    #[serde(default)]
    camera_angle: Option<String>,
    #[serde(default)]
    camera_lens: Option<String>,
    #[serde(default)]
    camera_lighting: Option<String>,
    #[serde(default)]
    character_consistency: bool,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    mask: Option<String>,
    #[serde(default)]
    locale: Option<String>,
}

impl SubmitBody {
    /// The request as the domain takes it; unparsable choices are the matching errors.
    fn request(self, state: &AppState) -> Result<GenerationRequest, RequestError> {
        let catalog = &state.config.generation.catalog;
        let model = if self.model.is_empty() {
            catalog
                .default_model()
                .map(|m| m.id.clone())
                .unwrap_or_default()
        } else {
            self.model
        };
        let pick = |s: Option<String>| s.filter(|s| !s.is_empty() && s != "none");
        Ok(GenerationRequest {
            model_id: model,
            prompt: self.prompt,
            negative_prompt: self.negative_prompt,
            style: pick(self.style),
            seed: self
                .seed
                .unwrap_or_else(domain::generation::request::random_seed),
            aspect_ratio: if self.aspect_ratio.is_empty() {
                AspectRatio::Square
            } else {
                AspectRatio::parse(&self.aspect_ratio).ok_or(RequestError::AspectRatio)?
            },
            resolution: if self.resolution.is_empty() {
                Resolution::K1
            } else {
                Resolution::parse(&self.resolution).ok_or(RequestError::Resolution)?
            },
            format: if self.format.is_empty() {
                OutputFormat::Png
            } else {
                OutputFormat::parse(&self.format).ok_or(RequestError::Format)?
            },
            quantity: self.quantity.unwrap_or(1),
            camera: Camera {
                angle: pick(self.camera_angle),
                lens: pick(self.camera_lens),
                lighting: pick(self.camera_lighting),
            },
            character_consistency: self.character_consistency,
            references: self.references,
            mask: pick(self.mask),
        })
    }
}

async fn submit(ctx: &FormContext, owner: &Owner, body: SubmitBody) -> Result<SubmitView, Refusal> {
    ctx.limit(&[(
        format!("generate:{}", owner_key(owner)),
        limits::GENERATE_OWNER,
    )])
    .await?;
    let request = body.request(&ctx.state).map_err(|e| request_refusal(&e))?;
    let state = &ctx.state;
    let submitted = tasks::submit(
        &state.db,
        &state.config.generation,
        &state.events,
        owner,
        request,
        domain::now_ms(),
    )
    .await
    .map_err(|e| submit_refusal(&e))?;
    let mut views = Vec::new();
    for id in &submitted.task_ids {
        if let Some(task) = tasks::get(&state.db, id).await.map_err(internal)? {
            views.push(task_view(state, &task));
        }
    }
    Ok(SubmitView {
        batch_id: submitted.batch_id,
        tasks: views,
    })
}

/// `POST /api/generations`: the hydrated page's submit.
async fn submit_json(ctx: FormContext, Json(body): Json<SubmitBody>) -> Response {
    let locale = locale_of(body.locale.as_deref());
    let result = async {
        let (owner, cookie) = owner_or_new_guest(&ctx).await?;
        Ok::<_, Refusal>((submit(&ctx, &owner, body).await?, cookie))
    }
    .await;
    match result {
        Ok((view, cookie)) => {
            with_cookie((StatusCode::ACCEPTED, Json(view)).into_response(), cookie)
        }
        Err(refusal) => api_error(locale, &refusal),
    }
}

/// `POST /workbench`: the plain form, with files instead of upload ids.
async fn submit_form(ctx: FormContext, multipart: Multipart) -> Response {
    let mut fields: Vec<(String, String)> = Vec::new();
    let result: Result<Option<HeaderValue>, Refusal> = async {
        let form = read_multipart(multipart, &["reference_files", "mask_file"]).await?;
        fields = form
            .fields
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "prompt" | "negative_prompt" | "model"))
            .cloned()
            .collect();
        let (owner, cookie) = owner_or_new_guest(&ctx).await?;
        ctx.limit(&[(
            format!("upload:{}", owner_key(&owner)),
            limits::UPLOAD_OWNER,
        )])
        .await?;
        let mut references = form.all("reference");
        let mut mask = form.text("mask").map(str::to_string);
        for file in &form.files {
            let purpose = if file.field == "mask_file" {
                Purpose::Mask
            } else {
                Purpose::Reference
            };
            let record = store_upload(&ctx.state, &owner, purpose, file).await?;
            match purpose {
                Purpose::Mask => mask = Some(record.id),
                Purpose::Reference => references.push(record.id),
            }
        }
        let number = |name: &str| form.text(name).and_then(|v| v.trim().parse().ok());
        let body = SubmitBody {
            model: form.text("model").unwrap_or_default().to_string(),
            prompt: form.text("prompt").unwrap_or_default().to_string(),
            negative_prompt: form.text("negative_prompt").map(str::to_string),
            style: form.text("style").map(str::to_string),
            seed: number("seed"),
            aspect_ratio: form.text("aspect_ratio").unwrap_or_default().to_string(),
            resolution: form.text("resolution").unwrap_or_default().to_string(),
            format: form.text("format").unwrap_or_default().to_string(),
            quantity: form.text("quantity").and_then(|v| v.trim().parse().ok()),
            camera_angle: form.text("camera_angle").map(str::to_string),
            camera_lens: form.text("camera_lens").map(str::to_string),
            camera_lighting: form.text("camera_lighting").map(str::to_string),
            character_consistency: form.text("character_consistency").is_some(),
            references,
            mask,
            locale: None,
        };
        submit(&ctx, &owner, body).await?;
        Ok(cookie)
    }
    .await;
    match result {
        Ok(cookie) => with_cookie(see_other(&ctx.path("/workbench")), cookie),
        Err(refusal) => {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            ctx.refuse("workbench", refusal, &fields).await
        }
    }
}

// ---------------------------------------------------------------------------------------
// Cancel

async fn cancel(ctx: &FormContext, id: &str) -> Result<TaskView, Refusal> {
    let not_found = || Refusal::new("generation-error-not-found", StatusCode::NOT_FOUND);
    let owner = owner_of(ctx).await?.ok_or_else(not_found)?;
    let state = &ctx.state;
    match tasks::cancel(&state.db, &state.events, &owner, id, domain::now_ms())
        .await
        .map_err(internal)?
    {
        Cancelled::Done(task) => Ok(task_view(state, &task)),
        Cancelled::NotFound => Err(not_found()),
        Cancelled::TooLate(_) => Err(Refusal::new(
            "generation-error-too-late",
            StatusCode::CONFLICT,
        )),
    }
}

#[derive(Deserialize, Default)]
pub struct LocaleQuery {
    #[serde(default)]
    locale: Option<String>,
}

/// `POST /api/tasks/{id}/cancel`.
async fn cancel_json(
    ctx: FormContext,
    Path(id): Path<String>,
    body: Option<Json<LocaleQuery>>,
) -> Response {
    let locale = locale_of(body.as_ref().and_then(|b| b.locale.as_deref()));
    match cancel(&ctx, &id).await {
        Ok(view) => Json(view).into_response(),
        Err(refusal) => api_error(locale, &refusal),
    }
}

/// `POST /workbench/tasks/{id}/cancel`: the plain form's cancel button.
async fn cancel_form(ctx: FormContext, Path(id): Path<String>) -> Response {
    match cancel(&ctx, &id).await {
        Ok(_) => see_other(&ctx.path("/workbench")),
        Err(refusal) => ctx.refuse("workbench", refusal, &[]).await,
    }
}

// ---------------------------------------------------------------------------------------
// The live stream

/// `GET /api/tasks/events`: the person's task updates as Server-Sent Events. On connect it
/// sends the unfinished tasks; then every change, from whichever process made it. Should
/// events be missed (a lagging reader, the PostgreSQL listener down) it re-reads the
/// person's recent tasks and sends what changed.
async fn events(ctx: FormContext) -> Response {
    let owner = match owner_of(&ctx).await {
        Ok(Some(owner)) => owner,
        // Nobody yet: nothing to stream (204 tells EventSource not to reconnect).
        Ok(None) => return StatusCode::NO_CONTENT.into_response(),
        Err(refusal) => return api_error(ctx.locale, &refusal),
    };
    let state = ctx.state.clone();
    let (tx, rx) = tokio::sync::mpsc::channel::<SseEvent>(32);
    tokio::spawn(async move {
        let mut bus = state.events.subscribe();
        let mut sent: HashMap<String, (String, Option<u8>, usize)> = HashMap::new();
        let send_changed = async |tasks: Vec<TaskRecord>,
                                  sent: &mut HashMap<_, _>,
                                  tx: &tokio::sync::mpsc::Sender<SseEvent>|
               -> bool {
            for task in tasks {
                let fingerprint = (
                    task.status.as_str().to_string(),
                    task.progress,
                    task.outputs.len(),
                );
                if sent.get(&task.id) == Some(&fingerprint) {
                    continue;
                }
                sent.insert(task.id.clone(), fingerprint);
                if tx.send(task_event(&state, &task)).await.is_err() {
                    return false;
                }
            }
            true
        };
        let Ok(active) = tasks::active(&state.db, &owner).await else {
            return;
        };
        let mut initial = Vec::new();
        for task in active {
            if let Ok(Some(task)) = tasks::get(&state.db, &task.id).await {
                initial.push(task);
            }
        }
        if !send_changed(initial, &mut sent, &tx).await {
            return;
        }
        loop {
            let next = if state.events.healthy() {
                tokio::select! {
                    event = bus.recv() => Some(event),
                    _ = tx.closed() => return,
                }
            } else {
                tokio::select! {
                    event = bus.recv() => Some(event),
                    _ = tokio::time::sleep(FALLBACK_POLL) => None,
                    _ = tx.closed() => return,
                }
            };
            let tasks = match next {
                Some(Ok(Event::Changed {
                    task_id,
                    user_id,
                    guest_id,
                })) => {
                    if !owner.owns(user_id.as_deref(), guest_id.as_deref()) {
                        continue;
                    }
                    match tasks::get(&state.db, &task_id).await {
                        Ok(Some(task))
                            if owner.owns(task.user_id.as_deref(), task.guest_id.as_deref()) =>
                        {
                            vec![task]
                        }
                        _ => continue,
                    }
                }
                Some(Err(tokio::sync::broadcast::error::RecvError::Closed)) => return,
                // Missed events (a lagging reader, a reconnected listener), or polling
                // while the shared bus is down.
                Some(Ok(Event::Resync))
                | Some(Err(tokio::sync::broadcast::error::RecvError::Lagged(_)))
                | None => match tasks::recent(&state.db, &owner, RESYNC_TASKS).await {
                    Ok(tasks) => tasks,
                    Err(_) => continue,
                },
                Some(Ok(_)) => continue,
            };
            if !send_changed(tasks, &mut sent, &tx).await {
                return;
            }
        }
    });
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|event| (Ok::<_, Infallible>(event), rx))
    });
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    // Proxies must not buffer the stream.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

fn task_event(state: &AppState, task: &TaskRecord) -> SseEvent {
    let view = task_view(state, task);
    SseEvent::default()
        .event("task")
        .json_data(view)
        .unwrap_or_else(|_| SseEvent::default().comment("unserializable task"))
}

// ---------------------------------------------------------------------------------------
// Provider callbacks

/// `POST /callbacks/{provider}`: a provider says a job finished. The signature is checked;
/// then the worker waiting on that job (in any process) is woken to re-read the job from
/// the provider itself. The body's claims are never applied directly.
async fn callback(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(kind) = ProviderKind::parse(&provider).filter(|k| *k != ProviderKind::Local) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(adapter) = state.providers.get(kind) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let request = CallbackRequest {
        headers: headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect(),
        body: body.to_vec(),
    };
    match adapter.verify_callback(&request, domain::now_ms()) {
        Ok(remote_id) => {
            tracing::info!(provider = %provider, "provider callback verified");
            state
                .events
                .publish(
                    &state.db,
                    Event::Callback {
                        provider: kind.as_str().to_string(),
                        remote_id,
                    },
                )
                .await;
            StatusCode::OK.into_response()
        }
        Err(error) => {
            tracing::info!(provider = %provider, %error, "provider callback refused");
            (StatusCode::BAD_REQUEST, error.to_string()).into_response()
        }
    }
}

/// Moves the request's guest uploads and history to `user_id` (at sign-up and sign-in).
pub async fn adopt_guest(state: &AppState, headers: &HeaderMap, user_id: &str) {
    let Some(guest) = guest_of(state, headers) else {
        return;
    };
    match guests::migrate(&state.db, &guest, user_id, domain::now_ms()).await {
        Ok(moved) if moved.tasks + moved.uploads > 0 => {
            tracing::info!(
                uploads = moved.uploads,
                tasks = moved.tasks,
                "guest work moved to the account"
            );
        }
        Ok(_) => {}
        Err(error) => tracing::error!(%error, "could not move guest work to the account"),
    }
}

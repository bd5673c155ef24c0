//! Submits: `POST /api/generations` (the hydrated page's JSON, [`GenerationInput`]) and
//! `POST /workbench` (the plain form, with files instead of upload ids).

use super::{
    INTERNAL, locale_of,
    multipart::{MultipartForm, read_multipart},
    owner::{owner_key, owner_or_new_guest},
    uploads::store_upload,
};
use crate::http::{FormContext, HttpError, MaybeUser, response::with_cookie, see_other};
use app::{
    api::workbench::ssr::task_view,
    model::{GenerationInput, SubmitView},
};
use axum::{
    Json,
    extract::Multipart,
    http::{HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use domain::{
    AppState,
    generation::{
        AspectRatio, Camera, GenerationRequest, OutputFormat, RequestError, Resolution,
        tasks::{self, Owner},
        uploads::Purpose,
    },
    ratelimit::limits,
};

/// The request as the domain takes it; unparsable choices are the matching errors.
fn generation_request(
    input: GenerationInput,
    state: &AppState,
) -> Result<GenerationRequest, RequestError> {
    let catalog = &state.config.generation.catalog;
    let model = if input.model.is_empty() {
        catalog
            .default_model()
            .map(|m| m.id.clone())
            .unwrap_or_default()
    } else {
        input.model
    };
    let pick = |s: Option<String>| s.filter(|s| !s.is_empty() && s != "none");
    Ok(GenerationRequest {
        model_id: model,
        prompt: input.prompt,
        negative_prompt: input.negative_prompt,
        style: pick(input.style),
        seed: input
            .seed
            .unwrap_or_else(domain::generation::request::random_seed),
        aspect_ratio: if input.aspect_ratio.is_empty() {
            AspectRatio::Square
        } else {
            AspectRatio::parse(&input.aspect_ratio).ok_or(RequestError::AspectRatio)?
        },
        resolution: if input.resolution.is_empty() {
            Resolution::K1
        } else {
            Resolution::parse(&input.resolution).ok_or(RequestError::Resolution)?
        },
        format: if input.format.is_empty() {
            OutputFormat::Png
        } else {
            OutputFormat::parse(&input.format).ok_or(RequestError::Format)?
        },
        quantity: input.quantity.unwrap_or(1),
        camera: Camera {
            angle: pick(input.camera_angle),
            lens: pick(input.camera_lens),
            lighting: pick(input.camera_lighting),
        },
        character_consistency: input.character_consistency,
        references: input.references,
        mask: pick(input.mask),
    })
}

async fn submit(
    ctx: &FormContext,
    owner: &Owner,
    input: GenerationInput,
) -> Result<SubmitView, HttpError> {
    ctx.limit(&[(
        format!("generate:{}", owner_key(owner)),
        limits::GENERATE_OWNER,
    )])
    .await?;
    let request = generation_request(input, &ctx.state).map_err(HttpError::domain)?;
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
    .map_err(HttpError::domain)?;
    let mut views = Vec::new();
    for id in &submitted.task_ids {
        let task = tasks::get(&state.db, id)
            .await
            .map_err(|e| HttpError::internal_as(INTERNAL, e))?;
        if let Some(task) = task {
            views.push(task_view(state, &task));
        }
    }
    Ok(SubmitView {
        batch_id: submitted.batch_id,
        tasks: views,
    })
}

/// `POST /api/generations`: the hydrated page's submit.
pub async fn submit_json(
    ctx: FormContext,
    user: Result<MaybeUser, HttpError>,
    Json(input): Json<GenerationInput>,
) -> Response {
    let locale = locale_of(input.locale.as_deref());
    let result = async {
        let (owner, cookie) = owner_or_new_guest(&ctx, user?.0).await?;
        Ok::<_, HttpError>((submit(&ctx, &owner, input).await?, cookie))
    }
    .await;
    match result {
        Ok((view, cookie)) => {
            with_cookie((StatusCode::ACCEPTED, Json(view)).into_response(), cookie)
        }
        Err(error) => error.json(locale),
    }
}

/// `POST /workbench`: the plain form, with files instead of upload ids.
pub async fn submit_form(
    ctx: FormContext,
    user: Result<MaybeUser, HttpError>,
    multipart: Multipart,
) -> Response {
    let mut fields: Vec<(String, String)> = Vec::new();
    let result: Result<Option<HeaderValue>, HttpError> = async {
        let form = read_multipart(multipart, &["reference_files", "mask_file"]).await?;
        fields = form
            .fields
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "prompt" | "negative_prompt" | "model"))
            .cloned()
            .collect();
        // Counted before anything is decoded or a guest is made: no more files than the
        // chosen model takes, and one mask.
        files_fit_the_model(&ctx.state, &form)?;
        let (owner, cookie) = owner_or_new_guest(&ctx, user?.0).await?;
        // Every file counts against the upload limit, as it would one by one.
        let upload_key = format!("upload:{}", owner_key(&owner));
        let per_file: Vec<_> = form
            .files
            .iter()
            .map(|_| (upload_key.clone(), limits::UPLOAD_OWNER))
            .collect();
        ctx.limit(&per_file).await?;
        let mut stored = Vec::new();
        let submitted = async {
            let input = form_input(&ctx, &owner, &form, &mut stored).await?;
            submit(&ctx, &owner, input).await
        }
        .await;
        if let Err(error) = submitted {
            // A refused request leaves nothing stored.
            if let Err(e) =
                domain::generation::uploads::discard(&ctx.state.db, &ctx.state.storage, &stored)
                    .await
            {
                tracing::error!(error = %e, "could not discard a refused request's uploads");
            }
            return Err(error);
        }
        Ok(cookie)
    }
    .await;
    match result {
        Ok(cookie) => with_cookie(see_other(&ctx.path("/workbench")), cookie),
        Err(error) => {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            ctx.refuse("workbench", error, &fields).await
        }
    }
}

/// Whether the form's files fit the chosen model (its reference limit, one mask), checked
/// before any of them is decoded.
fn files_fit_the_model(state: &AppState, form: &MultipartForm) -> Result<(), HttpError> {
    let catalog = &state.config.generation.catalog;
    let model = form
        .text("model")
        .and_then(|id| catalog.get(id))
        .or_else(|| catalog.default_model());
    let max = model.map_or(0, |m| m.max_references);
    let masks = form.files.iter().filter(|f| f.field == "mask_file").count();
    let references = form.files.len() - masks + form.all("reference").len();
    if references > usize::from(max) {
        return Err(HttpError::domain(RequestError::TooManyReferences { max }));
    }
    if masks + usize::from(form.text("mask").is_some()) > 1 {
        return Err(HttpError::new(
            "generation-error-malformed",
            StatusCode::BAD_REQUEST,
        ));
    }
    Ok(())
}

/// The plain form as the JSON submit would have sent it: its files stored as uploads of
/// `owner` (their ids added to `stored` as they are), and their ids in place of the files.
async fn form_input(
    ctx: &FormContext,
    owner: &Owner,
    form: &MultipartForm,
    stored: &mut Vec<String>,
) -> Result<GenerationInput, HttpError> {
    let mut references = form.all("reference");
    let mut mask = form.text("mask").map(str::to_string);
    for file in &form.files {
        let purpose = if file.field == "mask_file" {
            Purpose::Mask
        } else {
            Purpose::Reference
        };
        let record = store_upload(&ctx.state, owner, purpose, file).await?;
        stored.push(record.id.clone());
        match purpose {
            Purpose::Mask => mask = Some(record.id),
            Purpose::Reference => references.push(record.id),
        }
    }
    let text = |name: &str| form.text(name).map(str::to_string);
    Ok(GenerationInput {
        model: text("model").unwrap_or_default(),
        prompt: text("prompt").unwrap_or_default(),
        negative_prompt: text("negative_prompt"),
        style: text("style"),
        seed: form.text("seed").and_then(|v| v.trim().parse().ok()),
        aspect_ratio: text("aspect_ratio").unwrap_or_default(),
        resolution: text("resolution").unwrap_or_default(),
        format: text("format").unwrap_or_default(),
        quantity: form.text("quantity").and_then(|v| v.trim().parse().ok()),
        camera_angle: text("camera_angle"),
        camera_lens: text("camera_lens"),
        camera_lighting: text("camera_lighting"),
        character_consistency: form.text("character_consistency").is_some(),
        references,
        mask,
        locale: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::generation::request;

    /// The page holds its fields to the limits the server enforces.
    #[test]
    fn the_pages_limits_are_the_domains() {
        assert_eq!(app::model::MAX_PROMPT_CHARS, request::MAX_PROMPT_CHARS);
        assert_eq!(app::model::MAX_NEGATIVE_CHARS, request::MAX_NEGATIVE_CHARS);
        assert_eq!(app::model::MAX_QUANTITY, request::MAX_QUANTITY);
    }

    /// The body the page sends, and the smallest one the endpoint takes.
    #[test]
    fn the_json_body_reads_as_before() {
        let empty: GenerationInput = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, GenerationInput::default());
        let full: GenerationInput = serde_json::from_str(
            r#"{"model":"local","prompt":"a cat","negative_prompt":null,"style":"photo",
                "seed":7,"aspect_ratio":"16:9","resolution":"2K","format":"webp","quantity":2,
                "camera_angle":null,"camera_lens":"wide","camera_lighting":null,
                "character_consistency":true,"references":["u1"],"mask":null,"locale":"zh-CN",
                "unknown":1}"#,
        )
        .unwrap();
        assert_eq!(full.quantity, Some(2));
        assert_eq!(full.seed, Some(7));
        assert_eq!(full.locale.as_deref(), Some("zh-CN"));
        assert_eq!(full.references, vec!["u1".to_string()]);
        let null_quantity: GenerationInput =
            serde_json::from_str(r#"{"quantity":null,"seed":null}"#).unwrap();
        assert_eq!(null_quantity.quantity, None);
    }
}

//! `POST /api/uploads`: a reference image or a mask, stored for a later submit.

use super::{
    locale_of,
    multipart::{FilePart, read_multipart},
    owner::{owner_key, owner_or_new_guest},
};
use crate::http::{FormContext, HttpError, MaybeUser, response::with_cookie};
use app::{i18n::Locale, model::UploadView};
use axum::{
    Json,
    extract::Multipart,
    http::{HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use domain::{
    AppState,
    generation::{
        tasks::Owner,
        uploads::{self, Purpose},
    },
    ratelimit::limits,
};

/// `POST /api/uploads`: one image (`file`), its `purpose`, the page's `locale`.
pub async fn upload(
    ctx: FormContext,
    user: Result<MaybeUser, HttpError>,
    multipart: Multipart,
) -> Response {
    let mut locale = Locale::En;
    let result: Result<(UploadView, Option<HeaderValue>), HttpError> = async {
        let form = read_multipart(multipart, &["file"]).await?;
        locale = locale_of(form.text("locale"));
        let purpose = Purpose::parse(form.text("purpose").unwrap_or("reference"))
            .ok_or_else(|| HttpError::new("generation-error-purpose", StatusCode::BAD_REQUEST))?;
        let Some(file) = form.files.first() else {
            return Err(HttpError::new(
                "generation-error-no-file",
                StatusCode::BAD_REQUEST,
            ));
        };
        let (owner, cookie) = owner_or_new_guest(&ctx, user?.0).await?;
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
        Err(error) => error.json(locale),
    }
}

/// Checks and stores one uploaded file of `owner`.
pub async fn store_upload(
    state: &AppState,
    owner: &Owner,
    purpose: Purpose,
    file: &FilePart,
) -> Result<uploads::UploadRecord, HttpError> {
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
    .map_err(HttpError::domain)
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

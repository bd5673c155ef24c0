//! `/settings/profile/avatar`: the picture beside the person's name, uploaded or removed.

use crate::http::{CurrentUser, FormContext, HttpError};
use axum::{extract::Multipart, http::StatusCode, response::Response};
use domain::{
    accounts,
    images::{self, ImageError, UploadLimits},
    storage::StorageKey,
};

/// Avatars: small files, modest dimensions.
const AVATAR_LIMITS: UploadLimits = UploadLimits {
    max_bytes: 5 * 1024 * 1024,
    max_pixels: 25_000_000,
    max_side: 8192,
};

/// An avatar's image refused: the avatar's own messages (the workbench has others).
fn image_error(e: ImageError) -> HttpError {
    match e {
        ImageError::TooLarge { max_bytes } => {
            HttpError::new("avatar-error-too-large", StatusCode::PAYLOAD_TOO_LARGE)
                .with_arg("max_mb", max_bytes / (1024 * 1024))
        }
        ImageError::TooManyPixels { .. } | ImageError::SideTooLong { .. } => {
            HttpError::new("avatar-error-pixels", StatusCode::UNPROCESSABLE_ENTITY)
        }
        ImageError::UnsupportedFormat => {
            HttpError::new("avatar-error-format", StatusCode::UNPROCESSABLE_ENTITY)
        }
        ImageError::Corrupt => {
            HttpError::new("avatar-error-corrupt", StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Reads the avatar form: the file, or `remove=1`. Stops reading past the size limit.
async fn read_avatar_form(mut multipart: Multipart) -> Result<Option<Vec<u8>>, HttpError> {
    let mut file = None;
    let mut remove = false;
    let bad = || HttpError::new("avatar-error-corrupt", StatusCode::UNPROCESSABLE_ENTITY);
    while let Some(mut field) = multipart.next_field().await.map_err(|_| bad())? {
        match field.name() {
            Some("avatar") => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| bad())? {
                    if bytes.len() + chunk.len() > AVATAR_LIMITS.max_bytes {
                        return Err(image_error(ImageError::TooLarge {
                            max_bytes: AVATAR_LIMITS.max_bytes,
                        }));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if !bytes.is_empty() {
                    file = Some(bytes);
                }
            }
            Some("remove") => remove = field.text().await.map_err(|_| bad())? == "1",
            _ => {}
        }
    }
    match (file, remove) {
        (_, true) => Ok(None),
        (Some(bytes), false) => Ok(Some(bytes)),
        (None, false) => Err(image_error(ImageError::UnsupportedFormat)),
    }
}

pub async fn avatar(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    multipart: Multipart,
) -> Response {
    let result: Result<&'static str, HttpError> = async {
        let upload = read_avatar_form(multipart).await?;
        let new_key = match upload {
            Some(bytes) => {
                let clean = images::avatar_blocking(bytes, AVATAR_LIMITS)
                    .await
                    .map_err(image_error)?;
                let key = StorageKey::parse(format!(
                    "avatars/{}/{}.{}",
                    user.id,
                    domain::new_id(),
                    clean.kind.extension()
                ))
                .map_err(internal)?;
                ctx.state
                    .storage
                    .put(&key, clean.bytes, clean.kind.content_type())
                    .await
                    .map_err(internal)?;
                Some(key)
            }
            None => None,
        };
        let previous = accounts::set_avatar(
            &ctx.state,
            &user.id,
            new_key.as_ref().map(|k| k.as_ref()),
            Some(&ctx.client.ip),
        )
        .await
        .map_err(HttpError::domain)?;
        if let Some(previous) = previous.and_then(|p| StorageKey::parse(p).ok())
            && let Err(e) = ctx.state.storage.delete(&previous).await
        {
            tracing::warn!(error = %e, "could not delete the previous avatar");
        }
        Ok(if new_key.is_some() {
            "auth-notice-avatar-saved"
        } else {
            "auth-notice-avatar-removed"
        })
    }
    .await;
    match result {
        Ok(notice) => ctx.done(&ctx.path("/settings/profile"), notice).await,
        Err(error) => ctx.refuse("avatar", error, &[]).await,
    }
}

fn internal(e: impl std::fmt::Display) -> HttpError {
    HttpError::internal(format_args!("storage failed: {e}"))
}

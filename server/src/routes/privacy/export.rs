//! A download of one's data: asking for it on `/settings/privacy`, and fetching it through
//! the emailed link. The rules are in `domain::privacy::export`.

use super::{EXPORT_FORM, settings_page};
use crate::http::{CurrentUser, FormContext, HttpError};
use axum::{
    body::Body,
    extract::{Path, Query},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use domain::privacy::export::{self, ExportError};
use serde::Deserialize;

/// `POST /settings/privacy/export`: queues a download of everything we hold on the person;
/// the link follows by email.
pub async fn request_export(ctx: FormContext, CurrentUser(user): CurrentUser) -> Response {
    match export::request(&ctx.state, &user.id, domain::now_ms()).await {
        Ok(_) => {
            ctx.done(&settings_page(&ctx), "privacy-export-notice-requested")
                .await
        }
        Err(error) => {
            ctx.refuse_at(
                &settings_page(&ctx),
                EXPORT_FORM,
                HttpError::domain(error),
                &[],
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct DownloadQuery {
    token: Option<String>,
}

/// `GET /settings/privacy/exports/{id}?token=`: the ZIP, for its owner holding the emailed
/// token. Anyone else, and a wrong or missing token, get the same 404.
pub async fn download(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<DownloadQuery>,
) -> Response {
    let Some(token) = query.token.filter(|t| !t.trim().is_empty()) else {
        return HttpError::not_found().into_response();
    };
    match export::open_download(&ctx.state, &user.id, &id, &token, domain::now_ms()).await {
        Ok(download) => {
            let disposition = format!("attachment; filename=\"{}\"", download.file_name);
            let mut response = Body::from(download.bytes).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            );
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            // Personal data: never kept by a shared cache or the browser's.
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            response
        }
        Err(ExportError::NotFound) => HttpError::not_found().into_response(),
        Err(error) => {
            ctx.refuse_at(
                &settings_page(&ctx),
                EXPORT_FORM,
                HttpError::domain(error),
                &[],
            )
            .await
        }
    }
}

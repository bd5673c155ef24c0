//! Self-service privacy over HTTP: asking for a download of one's data, fetching it through
//! the emailed link, and deleting one's account. The rules are in `domain::privacy::export`
//! and `domain::privacy::deletion`; the forms are on the app's /settings/privacy page. Also
//! the background worker that builds the downloads.

use crate::auth::{AuthState, FormContext, Refusal};
use app::i18n::Locale;
use axum::{
    Form, Router,
    body::Body,
    extract::{Path, Query},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use domain::{
    AppState,
    accounts::sessions::keys,
    privacy::{
        deletion::{self, DeletionError, Reauth},
        export::{self, ExportError},
    },
};
use secrecy::SecretString;
use serde::Deserialize;
use std::time::Duration;

/// The forms' names in flash messages, as the settings page shows their errors.
const EXPORT_FORM: &str = "privacy-export";
const DELETE_FORM: &str = "privacy-delete";

/// How often the export worker looks for work besides being woken by a request (which only
/// wakes the process that took it; other instances find the work here).
const EXPORT_POLL: Duration = Duration::from_secs(5);

/// The form targets and the download, on the settings paths in every locale.
pub fn routes(state: AuthState) -> Router {
    let mut router = Router::new();
    for locale in Locale::ALL {
        let p = |page: &str| locale.path(page);
        router = router
            .route(&p("/settings/privacy/export"), post(request_export))
            .route(&p("/settings/privacy/exports/{id}"), get(download))
            .route(&p("/settings/privacy/delete"), post(delete_account));
    }
    router.with_state(state)
}

/// Builds requested exports in the background: at once when someone in this process asks,
/// and every few seconds for requests taken by other instances and for retries.
pub fn spawn_export_worker(state: AppState) {
    tokio::spawn(async move {
        loop {
            match export::run_pending(&state, domain::now_ms()).await {
                Ok(0) => {}
                Ok(ready) => tracing::info!(ready, "data exports ready"),
                Err(error) => tracing::warn!(%error, "the data export job failed; will retry"),
            }
            tokio::select! {
                () = tokio::time::sleep(EXPORT_POLL) => {}
                () = export::requested() => {}
            }
        }
    });
}

/// The settings page, where both forms live and show their errors.
fn settings_page(ctx: &FormContext) -> String {
    ctx.path("/settings/privacy")
}

fn export_refusal(error: ExportError) -> Refusal {
    match error {
        ExportError::Limited {
            retry_after_seconds,
        } => {
            let hours = retry_after_seconds.div_ceil(3600).max(1);
            Refusal {
                key: "privacy-export-error-limited",
                args: vec![
                    ("max".into(), export::REQUESTS_PER_WINDOW.to_string()),
                    ("count".into(), hours.to_string()),
                ],
                status: StatusCode::TOO_MANY_REQUESTS,
                retry_after: Some(retry_after_seconds),
            }
        }
        ExportError::Expired => Refusal::new(error.message_key(), StatusCode::GONE),
        ExportError::NotFound => Refusal::new(error.message_key(), StatusCode::NOT_FOUND),
        other => {
            tracing::error!(error = %other, "data export request failed");
            Refusal::new(other.message_key(), StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

/// `POST /settings/privacy/export`: queues a download of everything we hold on the person;
/// the link follows by email.
async fn request_export(ctx: FormContext) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    match export::request(&ctx.state, &user.id, domain::now_ms()).await {
        Ok(_) => {
            ctx.done(&settings_page(&ctx), "privacy-export-notice-requested")
                .await
        }
        Err(error) => {
            ctx.refuse_at(
                &settings_page(&ctx),
                EXPORT_FORM,
                export_refusal(error),
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
async fn download(
    ctx: FormContext,
    Path(id): Path<String>,
    Query(query): Query<DownloadQuery>,
) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let Some(token) = query.token.filter(|t| !t.trim().is_empty()) else {
        return crate::AppError::NotFound.into_response();
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
        Err(ExportError::NotFound) => crate::AppError::NotFound.into_response(),
        Err(error) => {
            ctx.refuse_at(
                &settings_page(&ctx),
                EXPORT_FORM,
                export_refusal(error),
                &[],
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    password: Option<String>,
    #[serde(default)]
    confirm_email: String,
    code: Option<String>,
}

fn deletion_refusal(error: DeletionError) -> Refusal {
    let status = match &error {
        DeletionError::WrongPassword | DeletionError::TwoFactorCode => StatusCode::UNAUTHORIZED,
        DeletionError::EmailMismatch => StatusCode::UNPROCESSABLE_ENTITY,
        DeletionError::SignInTooOld => StatusCode::FORBIDDEN,
        DeletionError::NotFound => StatusCode::GONE,
        DeletionError::Limited {
            retry_after_seconds,
        } => {
            return Refusal {
                key: error.message_key(),
                args: vec![(
                    "minutes".into(),
                    retry_after_seconds.div_ceil(60).max(1).to_string(),
                )],
                status: StatusCode::TOO_MANY_REQUESTS,
                retry_after: Some(*retry_after_seconds),
            };
        }
        DeletionError::Internal(cause) => {
            tracing::error!(error = %cause, "account deletion failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    Refusal::new(error.message_key(), status)
}

/// `POST /settings/privacy/delete`: deletes the signed-in account once the person proved
/// it is theirs (see [`Reauth`]). This browser's session goes with all the others, and the
/// sign-in page (where a signed-out person lands, and which shows notices) says it is done.
async fn delete_account(ctx: FormContext, Form(form): Form<DeleteForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let signed_in_at = ctx
        .session
        .get::<i64>(keys::SIGNED_IN_AT)
        .await
        .ok()
        .flatten();
    let reauth = Reauth {
        password: form.password.clone().map(SecretString::from),
        confirm_email: form.confirm_email.clone(),
        signed_in_at,
        two_factor_code: form.code.clone(),
    };
    let deleted = deletion::delete_account(
        &ctx.state,
        &user.id,
        reauth,
        domain::now_ms(),
        Some(&ctx.client.ip),
    )
    .await;
    match deleted {
        Ok(()) => {
            // Its record is already gone with the person's other sessions; this browser
            // forgets it too, and the notice travels in a fresh, anonymous session under a
            // new id (never the old cookie's).
            let ended = async {
                ctx.session.flush().await?;
                ctx.session.cycle_id().await
            };
            if let Err(error) = ended.await {
                tracing::warn!(%error, "could not end the session of a deleted account");
            }
            ctx.done(&ctx.path("/sign-in"), "privacy-delete-notice-done")
                .await
        }
        Err(error) => {
            // The typed address is kept; the password and code are not.
            let fields = [("confirm_email", form.confirm_email.as_str())];
            ctx.refuse_at(
                &settings_page(&ctx),
                DELETE_FORM,
                deletion_refusal(error),
                &fields,
            )
            .await
        }
    }
}

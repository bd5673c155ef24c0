//! The browser's side of the workbench's JSON endpoints: uploads, submits, cancels, and the
//! live stream of the person's tasks. Same-origin requests with the session cookie; the
//! CSRF guard accepts them by the browser's `Sec-Fetch-Site` header. Every error comes back
//! as a message in the page's language: the server's own (`ApiError.message`) where it
//! answered, ours where it could not be reached.

use crate::i18n::Locale;
use crate::model::{ApiError, SubmitView, TaskView, UploadView};
use gloo_net::http::{Request, Response};
use serde::Serialize;
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{EventSource, FormData, MessageEvent, RequestCredentials};

/// Why a submit did not start.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// Not enough credits: what it needs and what there is.
    Shortfall { required: i64, available: i64 },
    /// Anything else, as a message to show.
    Message(String),
}

fn network_error(locale: Locale) -> String {
    locale.t("workbench-error-network")
}

fn unexpected(locale: Locale) -> String {
    locale.t("workbench-error-unexpected")
}

/// The error an answer carries, or a generic one when its body is not an [`ApiError`].
async fn api_error(response: Response, locale: Locale) -> ApiError {
    response
        .json::<ApiError>()
        .await
        .unwrap_or_else(|_| ApiError {
            error: "unexpected".into(),
            message: unexpected(locale),
            required: None,
            available: None,
        })
}

/// Uploads an image as a reference or a mask (`purpose`).
pub async fn upload(
    file: &web_sys::Blob,
    name: &str,
    purpose: &str,
    locale: Locale,
) -> Result<UploadView, String> {
    let form = FormData::new().map_err(|_| unexpected(locale))?;
    form.append_with_blob_and_filename("file", file, name)
        .and_then(|()| form.append_with_str("purpose", purpose))
        .and_then(|()| form.append_with_str("locale", locale.tag()))
        .map_err(|_| unexpected(locale))?;
    let response = Request::post("/api/uploads")
        .credentials(RequestCredentials::SameOrigin)
        .body(form)
        .map_err(|_| unexpected(locale))?
        .send()
        .await
        .map_err(|_| network_error(locale))?;
    if response.ok() {
        response
            .json::<UploadView>()
            .await
            .map_err(|_| unexpected(locale))
    } else {
        Err(api_error(response, locale).await.message)
    }
}

/// Starts a generation. `body` is the JSON the endpoint takes.
pub async fn submit<B: Serialize>(body: &B, locale: Locale) -> Result<SubmitView, Refusal> {
    let response = Request::post("/api/generations")
        .credentials(RequestCredentials::SameOrigin)
        .json(body)
        .map_err(|_| Refusal::Message(unexpected(locale)))?
        .send()
        .await
        .map_err(|_| Refusal::Message(network_error(locale)))?;
    if response.ok() {
        return response
            .json::<SubmitView>()
            .await
            .map_err(|_| Refusal::Message(unexpected(locale)));
    }
    let status = response.status();
    let error = api_error(response, locale).await;
    match (status, error.required, error.available) {
        (402, Some(required), Some(available)) => Err(Refusal::Shortfall {
            required,
            available,
        }),
        _ => Err(Refusal::Message(error.message)),
    }
}

/// Cancels a queued task; a task that already started cannot be (409).
pub async fn cancel(task_id: &str, locale: Locale) -> Result<TaskView, String> {
    let response = Request::post(&format!("/api/tasks/{task_id}/cancel"))
        .credentials(RequestCredentials::SameOrigin)
        .send()
        .await
        .map_err(|_| network_error(locale))?;
    if response.ok() {
        response
            .json::<TaskView>()
            .await
            .map_err(|_| unexpected(locale))
    } else {
        Err(api_error(response, locale).await.message)
    }
}

/// The live stream of the person's tasks (`/api/tasks/events`): every `task` event is one
/// task as it now stands. The browser reconnects by itself after a drop, and the server
/// sends the unfinished tasks again on each connect. Dropping this closes the stream.
pub struct TaskEvents {
    source: EventSource,
    _listener: Closure<dyn FnMut(MessageEvent)>,
}

impl TaskEvents {
    pub fn open(on_task: impl Fn(TaskView) + 'static) -> Option<TaskEvents> {
        let source = EventSource::new("/api/tasks/events").ok()?;
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let task = event
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str::<TaskView>(&text).ok());
            if let Some(task) = task {
                on_task(task);
            }
        });
        source
            .add_event_listener_with_callback("task", listener.as_ref().unchecked_ref())
            .ok()?;
        Some(TaskEvents {
            source,
            _listener: listener,
        })
    }
}

impl TaskEvents {
    /// Whether the browser has given up on the stream (it answered 204, or failed for good).
    pub fn is_closed(&self) -> bool {
        self.source.ready_state() == EventSource::CLOSED
    }
}

impl Drop for TaskEvents {
    fn drop(&mut self) {
        self.source.close();
    }
}

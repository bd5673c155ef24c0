//! `GET /api/tasks/events`: the person's task updates as Server-Sent Events. On connect it
//! sends the unfinished tasks; then every change, from whichever process made it. Should
//! events be missed (a lagging reader, the PostgreSQL listener down) it re-reads the
//! person's recent tasks and sends what changed.

use super::owner::owner_of;
use crate::http::{FormContext, HttpError, MaybeUser};
use app::api::workbench::ssr::task_view;
use axum::{
    http::{HeaderValue, StatusCode},
    response::{
        IntoResponse, Response,
        sse::{Event as SseEvent, KeepAlive, Sse},
    },
};
use domain::{
    AppState,
    generation::{
        events::Event,
        tasks::{self, Owner, TaskRecord},
    },
};
use std::{collections::HashMap, convert::Infallible, time::Duration};
use tokio::sync::{broadcast::error::RecvError, mpsc};

/// How many of a person's tasks the stream re-sends after it missed events.
const RESYNC_TASKS: i64 = 24;
/// How often the stream polls the database while cross-process events are unavailable.
const FALLBACK_POLL: Duration = Duration::from_secs(2);

pub async fn events(ctx: FormContext, user: Result<MaybeUser, HttpError>) -> Response {
    let owner = match async { owner_of(&ctx, user?.0).await }.await {
        Ok(Some(owner)) => owner,
        // Nobody yet: nothing to stream (204 tells EventSource not to reconnect).
        Ok(None) => return StatusCode::NO_CONTENT.into_response(),
        Err(error) => return error.json(ctx.locale),
    };
    let (tx, rx) = mpsc::channel::<SseEvent>(32);
    let stream = TaskStream {
        state: ctx.state.clone(),
        owner,
        tx,
        sent: HashMap::new(),
    };
    tokio::spawn(stream.run());
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

/// One person's stream: what it sent of each task, and where it sends.
struct TaskStream {
    state: AppState,
    owner: Owner,
    tx: mpsc::Sender<SseEvent>,
    /// Per task: status, progress and number of outputs last sent.
    sent: HashMap<String, (String, Option<u8>, usize)>,
}

impl TaskStream {
    /// Sends the unfinished tasks, then every change until the client leaves.
    async fn run(mut self) {
        let state = self.state.clone();
        let mut bus = state.events.subscribe();
        let Ok(active) = tasks::active(&state.db, &self.owner).await else {
            return;
        };
        let mut initial = Vec::new();
        for task in active {
            if let Ok(Some(task)) = tasks::get(&state.db, &task.id).await {
                initial.push(task);
            }
        }
        if !self.send_changed(initial).await {
            return;
        }
        loop {
            let next = if state.events.healthy() {
                tokio::select! {
                    event = bus.recv() => Some(event),
                    _ = self.tx.closed() => return,
                }
            } else {
                tokio::select! {
                    event = bus.recv() => Some(event),
                    _ = tokio::time::sleep(FALLBACK_POLL) => None,
                    _ = self.tx.closed() => return,
                }
            };
            let tasks = match self.tasks_of(next).await {
                Next::Send(tasks) => tasks,
                Next::Skip => continue,
                Next::Stop => return,
            };
            if !self.send_changed(tasks).await {
                return;
            }
        }
    }

    /// The tasks to look at after an event (`None`: the poll while the bus is down).
    async fn tasks_of(&self, event: Option<Result<Event, RecvError>>) -> Next {
        let state = &self.state;
        let owner = &self.owner;
        match event {
            Some(Ok(Event::Changed {
                task_id,
                user_id,
                guest_id,
            })) => {
                if !owner.owns(user_id.as_deref(), guest_id.as_deref()) {
                    return Next::Skip;
                }
                match tasks::get(&state.db, &task_id).await {
                    Ok(Some(task))
                        if owner.owns(task.user_id.as_deref(), task.guest_id.as_deref()) =>
                    {
                        Next::Send(vec![task])
                    }
                    _ => Next::Skip,
                }
            }
            Some(Err(RecvError::Closed)) => Next::Stop,
            // Missed events (a lagging reader, a reconnected listener), or polling while
            // the shared bus is down.
            Some(Ok(Event::Resync)) | Some(Err(RecvError::Lagged(_))) | None => {
                match tasks::recent(&state.db, owner, RESYNC_TASKS).await {
                    Ok(tasks) => Next::Send(tasks),
                    Err(_) => Next::Skip,
                }
            }
            Some(Ok(_)) => Next::Skip,
        }
    }

    /// Sends the tasks that changed since last sent; false once the client has left.
    async fn send_changed(&mut self, tasks: Vec<TaskRecord>) -> bool {
        for task in tasks {
            let fingerprint = (
                task.status.as_str().to_string(),
                task.progress,
                task.outputs.len(),
            );
            if self.sent.get(&task.id) == Some(&fingerprint) {
                continue;
            }
            self.sent.insert(task.id.clone(), fingerprint);
            if self.tx.send(task_event(&self.state, &task)).await.is_err() {
                return false;
            }
        }
        true
    }
}

/// What the stream does after an event.
enum Next {
    Send(Vec<TaskRecord>),
    Skip,
    Stop,
}

fn task_event(state: &AppState, task: &TaskRecord) -> SseEvent {
    let view = task_view(state, task);
    SseEvent::default()
        .event("task")
        .json_data(view)
        .unwrap_or_else(|_| SseEvent::default().comment("unserializable task"))
}

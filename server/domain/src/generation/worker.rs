//! The worker pool inside each server process. A worker claims a task with a lease, keeps
//! the lease alive while the provider works, copies the images into our storage with a
//! WebP thumbnail, passes them through the image check, and records the outcome — which
//! settles the task's credits in the same transaction (see [`super::tasks`]).

use super::{
    ModelSpec, ProviderKind,
    events::Event,
    moderation::ImageVerdict,
    provider::{
        GeneratedImage, ImageProvider, InputImage, ProviderError, ProviderJob, RemoteTracker,
    },
    tasks::{self, NewOutput, TaskRecord},
    uploads,
};
use crate::{
    AppState,
    db::Db,
    images::{self, CleanImage, ImageKind, UploadLimits},
    storage::StorageKey,
};
use std::{
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::sync::{Notify, broadcast, watch};

/// How long links to input images handed to providers stay valid.
const INPUT_LINK_LIFETIME: Duration = Duration::from_secs(3600);

/// Limits for images coming back from providers: up to 4K on the long side.
fn output_limits() -> UploadLimits {
    UploadLimits {
        max_bytes: 64 * 1024 * 1024,
        max_pixels: 4096 * 4096 + 1,
        max_side: 8192,
    }
}

/// A running pool. Dropping it leaves the workers running; call [`WorkerPool::shutdown`].
pub struct WorkerPool {
    stop: watch::Sender<bool>,
    handles: Vec<tokio::task::JoinHandle<()>>,
}

impl WorkerPool {
    /// Starts `count` workers on `state`.
    pub fn spawn(state: &AppState, count: usize) -> WorkerPool {
        let (stop, stopped) = watch::channel(false);
        let instance = crate::new_id();
        let handles = (0..count)
            .map(|n| {
                let state = state.clone();
                let stopped = stopped.clone();
                let name = format!("{instance}/{n}");
                tokio::spawn(async move { run_worker(state, name, stopped).await })
            })
            .collect();
        WorkerPool { stop, handles }
    }

    /// Asks every worker to stop after its current task and waits up to `grace`; workers
    /// still busy then are stopped where they are (their leases lapse and another process
    /// takes the tasks up).
    pub async fn shutdown(self, grace: Duration) {
        let _ = self.stop.send(true);
        let abort: Vec<_> = self.handles.iter().map(|h| h.abort_handle()).collect();
        if tokio::time::timeout(grace, futures::future::join_all(self.handles))
            .await
            .is_err()
        {
            abort.iter().for_each(|h| h.abort());
        }
    }

    /// Stops every worker at once, mid-task, as a crash would: nothing is cleaned up.
    pub fn kill(self) {
        self.handles.iter().for_each(|h| h.abort());
    }
}

async fn run_worker(state: AppState, name: String, mut stopped: watch::Receiver<bool>) {
    let mut events = state.events.subscribe();
    let idle_poll = state
        .config
        .generation
        .retry_base
        .clamp(Duration::from_millis(50), Duration::from_secs(1));
    while !*stopped.borrow() {
        match work_one(&state, &name).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(error) => tracing::error!(%error, "task worker error"),
        }
        // Nothing due: wait for new work anywhere, a retry coming due, a lapsed lease, or
        // the stop signal.
        tokio::select! {
            _ = wait_for_queued(&mut events) => {}
            _ = tokio::time::sleep(idle_poll) => {}
            _ = stopped.changed() => {}
        }
    }
}

async fn wait_for_queued(events: &mut broadcast::Receiver<Event>) {
    loop {
        match events.recv().await {
            Ok(Event::Queued) | Err(broadcast::error::RecvError::Lagged(_)) => return,
            Ok(_) => continue,
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
        }
    }
}

/// Claims and runs one due task as worker `name`. False when nothing was due.
pub async fn work_one(state: &AppState, name: &str) -> Result<bool, tasks::TaskError> {
    let config = &state.config.generation;
    let Some(task) = tasks::claim(&state.db, name, config.lease, crate::now_ms()).await? else {
        return Ok(false);
    };
    state
        .events
        .publish(
            &state.db,
            Event::Changed {
                task_id: task.id.clone(),
                user_id: task.user_id.clone(),
                guest_id: task.guest_id.clone(),
            },
        )
        .await;
    run(state, name, task).await?;
    Ok(true)
}

/// Runs one claimed attempt: calls the provider while the lease is kept alive, then
/// records what came of it.
async fn run(state: &AppState, worker: &str, task: TaskRecord) -> Result<(), tasks::TaskError> {
    let config = &state.config.generation;
    let db = &state.db;
    let Some((kind, provider, job)) = prepare(state, worker, &task).await? else {
        return Ok(());
    };
    let tracker = Tracker {
        state: state.clone(),
        task: task.clone(),
        worker: worker.to_string(),
        provider: kind.as_str(),
        remote_id: Mutex::new(task.remote_id.clone()),
        events: tokio::sync::Mutex::new(state.events.subscribe()),
        last_progress: Mutex::new(task.progress),
    };
    // The lease is renewed at a third of its length; losing it stops this attempt.
    let lost = Arc::new(Notify::new());
    let heartbeat = keep_lease(db, &lost, &task.id, worker, config.lease);
    let outcome = tokio::select! {
        result = tokio::time::timeout(config.timeout, provider.generate(&job, &tracker)) => Some(result),
        _ = lost.notified() => None,
    };
    drop(heartbeat);
    let now = crate::now_ms();
    match outcome {
        None => {
            tracing::warn!(task = %task.id, "lease lost; another worker has the task");
        }
        Some(Err(_elapsed)) => {
            let error = ProviderError::transient(tasks::TIMEOUT);
            tasks::fail(db, &state.events, config, &task, worker, &error, now).await?;
        }
        Some(Ok(Err(error))) => {
            tracing::info!(task = %task.id, %error, "provider call did not succeed");
            tasks::fail(db, &state.events, config, &task, worker, &error, now).await?;
        }
        Some(Ok(Ok(images))) => {
            store_results(state, worker, &task, job.format.kind(), images).await?
        }
    }
    Ok(())
}

/// The provider and job for a claimed task; `None` when the task cannot run at all (out
/// of attempts, its model or provider gone, its inputs unreadable), which ends it.
async fn prepare(
    state: &AppState,
    worker: &str,
    task: &TaskRecord,
) -> Result<Option<(ProviderKind, Arc<dyn ImageProvider>, ProviderJob)>, tasks::TaskError> {
    let abandon = |code: &'static str, detail: String| async move {
        let now = crate::now_ms();
        tasks::abandon(&state.db, &state.events, task, worker, code, &detail, now).await
    };
    if task.attempts > task.max_attempts {
        // Its last attempt's worker stopped without ending it.
        abandon("timeout", "lease lapsed on the last attempt".into()).await?;
        return Ok(None);
    }
    let kind = ProviderKind::parse(&task.provider);
    let model = state.config.generation.catalog.get(&task.model_id);
    let (Some(kind), Some(model)) = (kind, model) else {
        abandon("unavailable", "model no longer offered".into()).await?;
        return Ok(None);
    };
    let Some(provider) = state.providers.get(kind) else {
        abandon("unavailable", "provider not configured".into()).await?;
        return Ok(None);
    };
    match job_for(state, task, model, kind).await {
        Ok(job) => Ok(Some((kind, provider, job))),
        Err(detail) => {
            abandon("unavailable", detail).await?;
            Ok(None)
        }
    }
}

/// Renews the lease of `task_id` at a third of its length until dropped; tells `lost` when
/// the lease is gone. Aborted when the attempt ends, however it ends (even if the worker
/// itself is stopped mid-task, so a dead worker's lease really lapses).
fn keep_lease(
    db: &Db,
    lost: &Arc<Notify>,
    task_id: &str,
    worker: &str,
    lease: Duration,
) -> AbortOnDrop {
    let (db, lost, id, worker) = (
        db.clone(),
        lost.clone(),
        task_id.to_string(),
        worker.to_string(),
    );
    AbortOnDrop(tokio::spawn(async move {
        loop {
            tokio::time::sleep(lease / 3).await;
            match tasks::heartbeat(&db, &id, &worker, lease, crate::now_ms()).await {
                Ok(true) => {}
                Ok(false) => {
                    lost.notify_one();
                    return;
                }
                Err(error) => tracing::warn!(%error, "lease renewal failed"),
            }
        }
    }))
}

/// Builds the provider's job from the task: its request, and its inputs read from storage.
async fn job_for(
    state: &AppState,
    task: &TaskRecord,
    model: &ModelSpec,
    kind: ProviderKind,
) -> Result<ProviderJob, String> {
    let params = &task.params;
    let mut references = Vec::new();
    for id in &params.references {
        references.push(input_image(state, id).await?);
    }
    let mask = match &params.mask {
        Some(id) => Some(input_image(state, id).await?),
        None => None,
    };
    let catalog = &state.config.generation.catalog;
    let style_prompt = params
        .style
        .as_deref()
        .and_then(|s| catalog.style_prompt(s));
    let callback_url = match kind {
        ProviderKind::Kie | ProviderKind::Replicate => Some(format!(
            "{}/callbacks/{}",
            state.config.public_url,
            kind.as_str()
        )),
        _ => None,
    };
    Ok(ProviderJob {
        task_id: task.id.clone(),
        remote_model: model.remote_model.clone(),
        prompt: params.prompt.clone(),
        full_prompt: params.provider_prompt(style_prompt),
        negative_prompt: params.negative_prompt.clone(),
        style: params.style.clone(),
        camera: params.camera.clone(),
        seed: params.seed,
        aspect_ratio: params.aspect_ratio,
        resolution: params.resolution,
        format: params.format,
        references,
        mask,
        remote_id: task.remote_id.clone(),
        callback_url,
    })
}

async fn input_image(state: &AppState, upload_id: &str) -> Result<InputImage, String> {
    let upload = uploads::get(&state.db, upload_id)
        .await
        .map_err(|e| format!("reading upload: {e}"))?
        .ok_or_else(|| format!("upload {upload_id} is gone"))?;
    let file = state
        .storage
        .get(&upload.key)
        .await
        .map_err(|e| format!("reading upload file: {e}"))?
        .ok_or_else(|| format!("upload file {upload_id} is gone"))?;
    let kind = match upload.content_type.as_str() {
        "image/jpeg" => ImageKind::Jpeg,
        "image/webp" => ImageKind::Webp,
        _ => ImageKind::Png,
    };
    let path = state
        .storage
        .signed_path(&upload.key, INPUT_LINK_LIFETIME, crate::now_ms());
    Ok(InputImage {
        bytes: file.bytes,
        kind,
        width: upload.width,
        height: upload.height,
        url: format!("{}{path}", state.config.public_url),
    })
}

/// Converts, checks and stores a provider's images, then records the success (capturing
/// the credits). A flagged image refuses the task instead; files stored for an attempt
/// that can no longer record its outcome are removed.
async fn store_results(
    state: &AppState,
    worker: &str,
    task: &TaskRecord,
    format: ImageKind,
    images: Vec<GeneratedImage>,
) -> Result<(), tasks::TaskError> {
    let config = &state.config.generation;
    let db = &state.db;
    if images.is_empty() {
        let error = ProviderError::failed("the provider returned no image");
        let now = crate::now_ms();
        tasks::fail(db, &state.events, config, task, worker, &error, now).await?;
        return Ok(());
    }
    let attempt = Attempt {
        state,
        worker,
        task,
    };
    let mut outputs = Vec::new();
    let mut stored: Vec<StorageKey> = Vec::new();
    // Storage or the image check being down is worth a retry; a broken image is not.
    let outcome = attempt
        .store_all(images, format, &mut outputs, &mut stored)
        .await;
    let now = crate::now_ms();
    let recorded = match outcome {
        Ok(true) => tasks::complete(db, &state.events, task, worker, &outputs, now).await?,
        Ok(false) => false,
        Err(error) => {
            tasks::fail(db, &state.events, config, task, worker, &error, now).await?;
            false
        }
    };
    if !recorded {
        for key in stored {
            if let Err(error) = state.storage.delete(&key).await {
                tracing::warn!(%error, "could not remove an unrecorded result");
            }
        }
    }
    Ok(())
}

/// The attempt whose results are being stored.
struct Attempt<'a> {
    state: &'a AppState,
    worker: &'a str,
    task: &'a TaskRecord,
}

impl Attempt<'_> {
    /// Converts, checks and stores each image, noting every stored key in `stored`. False
    /// when one was flagged (the task is then refused).
    async fn store_all(
        &self,
        images: Vec<GeneratedImage>,
        format: ImageKind,
        outputs: &mut Vec<NewOutput>,
        stored: &mut Vec<StorageKey>,
    ) -> Result<bool, ProviderError> {
        for (position, image) in images.into_iter().enumerate() {
            let converted = images::convert_blocking(image.bytes, output_limits(), format)
                .await
                .map_err(|e| {
                    ProviderError::failed(format!("unreadable image from the provider: {e}"))
                })?;
            let thumb = images::thumbnail_blocking(converted.bytes.clone(), output_limits())
                .await
                .map_err(|e| ProviderError::failed(format!("thumbnail: {e}")))?;
            let Some(converted) = self.check(position, converted).await? else {
                return Ok(false);
            };
            outputs.push(self.store(position, converted, thumb, stored).await?);
        }
        Ok(true)
    }

    /// Passes an image through the image check: back when clean; `None` when flagged, after
    /// keeping it in quarantine and refusing the task.
    async fn check(
        &self,
        position: usize,
        converted: CleanImage,
    ) -> Result<Option<CleanImage>, ProviderError> {
        let (state, task) = (self.state, self.task);
        let content_type = converted.kind.content_type();
        let reason = match state
            .image_check
            .check(&converted.bytes, content_type)
            .await
        {
            Ok(ImageVerdict::Clean) => return Ok(Some(converted)),
            Ok(ImageVerdict::Flagged(reason)) => reason,
            Err(error) => {
                return Err(ProviderError::transient(format!("image check: {error}")));
            }
        };
        let quarantine = key(format!(
            "moderation/{}-{position}.{}",
            task.id,
            converted.kind.extension()
        ))?;
        state
            .storage
            .put(&quarantine, converted.bytes, content_type)
            .await
            .map_err(|e| ProviderError::transient(e.to_string()))?;
        let now = crate::now_ms();
        tasks::refuse_output(
            &state.db,
            &state.events,
            task,
            self.worker,
            &reason,
            &quarantine,
            now,
        )
        .await
        .map_err(|e| ProviderError::transient(e.to_string()))?;
        Ok(None)
    }

    /// Stores an image and its thumbnail as result `position`.
    async fn store(
        &self,
        position: usize,
        converted: CleanImage,
        thumb: CleanImage,
        stored: &mut Vec<StorageKey>,
    ) -> Result<NewOutput, ProviderError> {
        let (state, task) = (self.state, self.task);
        let main_key = key(format!(
            "results/{}/{position}.{}",
            task.id,
            converted.kind.extension()
        ))?;
        let thumb_key = key(format!("results/{}/{position}.thumb.webp", task.id))?;
        let bytes = converted.bytes.len() as i64;
        state
            .storage
            .put(&main_key, converted.bytes, converted.kind.content_type())
            .await
            .map_err(|e| ProviderError::transient(e.to_string()))?;
        stored.push(main_key.clone());
        state
            .storage
            .put(&thumb_key, thumb.bytes, thumb.kind.content_type())
            .await
            .map_err(|e| ProviderError::transient(e.to_string()))?;
        stored.push(thumb_key.clone());
        Ok(NewOutput {
            key: main_key,
            thumb_key,
            content_type: converted.kind.content_type().to_string(),
            width: converted.width,
            height: converted.height,
            bytes,
        })
    }
}

/// Aborts a spawned task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn key(path: String) -> Result<StorageKey, ProviderError> {
    StorageKey::parse(path).map_err(|e| ProviderError::failed(e.to_string()))
}

/// What a provider adapter sees of its worker.
struct Tracker {
    state: AppState,
    task: TaskRecord,
    worker: String,
    provider: &'static str,
    remote_id: Mutex<Option<String>>,
    events: tokio::sync::Mutex<broadcast::Receiver<Event>>,
    last_progress: Mutex<Option<u8>>,
}

impl Tracker {
    async fn changed(&self) {
        self.state
            .events
            .publish(
                &self.state.db,
                Event::Changed {
                    task_id: self.task.id.clone(),
                    user_id: self.task.user_id.clone(),
                    guest_id: self.task.guest_id.clone(),
                },
            )
            .await;
    }
}

#[async_trait::async_trait]
impl RemoteTracker for Tracker {
    async fn remote_started(&self, remote_id: &str) {
        *self.remote_id.lock().expect("remote id lock") = Some(remote_id.to_string());
        if let Err(error) =
            tasks::set_remote_id(&self.state.db, &self.task.id, &self.worker, remote_id).await
        {
            tracing::warn!(%error, "could not record the provider's job id");
        }
    }

    async fn progress(&self, percent: u8) {
        {
            let mut last = self.last_progress.lock().expect("progress lock");
            if *last == Some(percent) {
                return;
            }
            *last = Some(percent);
        }
        match tasks::set_progress(&self.state.db, &self.task.id, &self.worker, percent).await {
            Ok(true) => self.changed().await,
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "could not record progress"),
        }
    }

    async fn wait_for_callback(&self, max: Duration) {
        let Some(remote_id) = self.remote_id.lock().expect("remote id lock").clone() else {
            tokio::time::sleep(max).await;
            return;
        };
        let mut events = self.events.lock().await;
        let wait = async {
            loop {
                match events.recv().await {
                    Ok(Event::Callback {
                        provider,
                        remote_id: id,
                    }) if provider == self.provider && id == remote_id => {
                        return;
                    }
                    // Callbacks may have been missed: read the job again now.
                    Ok(Event::Resync) | Err(broadcast::error::RecvError::Lagged(_)) => return,
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
                }
            }
        };
        let _ = tokio::time::timeout(max, wait).await;
    }
}

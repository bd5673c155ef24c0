//! Task queue benchmarks with the worker pool of one server process.
//!
//! ```sh
//! cargo run --release -p domain --example task_bench -- [sqlite|postgres://…] [workers]
//! ```
//!
//! 1. **Overhead**: one task at a time on an idle queue, the time from the start of the
//!    submit (validate, price, reserve, insert, publish) to the moment the worker calls the
//!    provider (claimed, inputs read, job built). Percentiles over 300 tasks.
//! 2. **Throughput with the offline engine**: 200 tasks queued at once (1K PNG), the time
//!    until every one has succeeded (render, convert, thumbnail, store, capture).
//! 3. **Queue throughput**: the same with a provider that answers at once with a small
//!    image, so the figure is the queue, the database, storage and settlement alone.

use domain::{
    AppState,
    credits::{self, Grant, IdempotencyKey, LotSource},
    db::Db,
    generation::{
        AspectRatio, Camera, GeneratedImage, GenerationRequest, ImageProvider, OutputFormat,
        ProviderError, ProviderJob, ProviderKind, RemoteTracker, Resolution,
        engine::LocalEngine,
        tasks::{self, Owner, TaskStatus},
        worker::WorkerPool,
    },
};
use figment::providers::Serialized;
use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// Records when each task reached its provider, then lets the wrapped provider work.
struct Stopwatch {
    inner: Arc<dyn ImageProvider>,
    called: Mutex<Vec<(String, Instant)>>,
}

#[async_trait::async_trait]
impl ImageProvider for Stopwatch {
    async fn generate(
        &self,
        job: &ProviderJob,
        tracker: &dyn RemoteTracker,
    ) -> Result<Vec<GeneratedImage>, ProviderError> {
        self.called
            .lock()
            .unwrap()
            .push((job.task_id.clone(), Instant::now()));
        self.inner.generate(job, tracker).await
    }
}

/// Answers at once with a 64 × 64 PNG.
struct Instant64(Vec<u8>);

#[async_trait::async_trait]
impl ImageProvider for Instant64 {
    async fn generate(
        &self,
        _job: &ProviderJob,
        _tracker: &dyn RemoteTracker,
    ) -> Result<Vec<GeneratedImage>, ProviderError> {
        Ok(vec![GeneratedImage {
            bytes: self.0.clone(),
        }])
    }
}

fn request(prompt: String, quantity: u8) -> GenerationRequest {
    GenerationRequest {
        model_id: "offline".into(),
        prompt,
        negative_prompt: None,
        style: None,
        seed: 1,
        aspect_ratio: AspectRatio::Square,
        resolution: Resolution::K1,
        format: OutputFormat::Png,
        quantity,
        camera: Camera::default(),
        character_consistency: false,
        references: vec![],
        mask: None,
    }
}

async fn database(target: &str, dir: &std::path::Path) -> Db {
    let url = if target == "sqlite" {
        format!("sqlite://{}?mode=rwc", dir.join("bench.db").display())
    } else {
        let admin = Db::connect(target, 1).await.expect("connect");
        let name = format!("bn_bench_{}", domain::new_id().replace('-', ""));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(admin.pool())
            .await
            .expect("create database");
        admin.close().await;
        let mut url = url::Url::parse(target).expect("a URL");
        url.set_path(&name);
        url.to_string()
    };
    let db = Db::connect(&url, 16).await.expect("connect");
    db.migrate().await.expect("migrate");
    db
}

async fn wait_all(state: &AppState, owner: &Owner, n: usize) {
    loop {
        let done = tasks::recent(&state.db, owner, n as i64)
            .await
            .unwrap()
            .iter()
            .filter(|t| t.status == TaskStatus::Succeeded)
            .count();
        if done >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target = args
        .first()
        .map(String::as_str)
        .unwrap_or("sqlite")
        .to_string();
    let workers: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(4);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = database(&target, dir.path()).await;
    let backend = db.backend().name();
    let (mut state, _files) = testkit::state_with(db.clone(), |f| {
        f.merge(Serialized::default("generation_workers", 0))
            .merge(Serialized::default("task_retry_base_ms", 1000))
    });
    let user = testkit::insert_user(&db, "bench@example.com").await;
    let key = IdempotencyKey::new("bench:grant").unwrap();
    credits::grant(
        &db,
        Grant::new(&user, LotSource::Purchase, 1_000_000, None, &key),
    )
    .await
    .unwrap();
    let owner = Owner::User(user);
    let submit = |state: AppState, request: GenerationRequest| {
        let owner = owner.clone();
        async move {
            tasks::submit(
                &state.db,
                &state.config.generation,
                &state.events,
                &owner,
                request,
                domain::now_ms(),
            )
            .await
            .expect("submit")
        }
    };

    // 1. Overhead, one task at a time.
    let stopwatch = Arc::new(Stopwatch {
        inner: Arc::new(LocalEngine),
        called: Mutex::new(Vec::new()),
    });
    state.providers = state
        .providers
        .clone()
        .with(ProviderKind::Local, stopwatch.clone());
    let pool = WorkerPool::spawn(&state, workers);
    let rounds = 300;
    let mut overheads = Vec::with_capacity(rounds);
    for n in 0..rounds {
        let started = Instant::now();
        let submitted = submit(state.clone(), request(format!("overhead {n}"), 1)).await;
        let id = &submitted.task_ids[0];
        let reached = loop {
            let found = stopwatch
                .called
                .lock()
                .unwrap()
                .iter()
                .find(|(t, _)| t == id)
                .map(|(_, at)| *at);
            if let Some(at) = found {
                break at;
            }
            tokio::time::sleep(Duration::from_micros(200)).await;
        };
        overheads.push(reached - started);
        wait_all(&state, &owner, n + 1).await;
    }
    overheads.sort();
    println!(
        "{backend}, {workers} workers: submit → provider call over {rounds} tasks: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&overheads, 0.50).as_secs_f64() * 1000.0,
        percentile(&overheads, 0.90).as_secs_f64() * 1000.0,
        percentile(&overheads, 0.99).as_secs_f64() * 1000.0,
        overheads.last().unwrap().as_secs_f64() * 1000.0,
    );

    // 2. Throughput with the offline engine.
    let burst = 200;
    let before = rounds;
    let started = Instant::now();
    for n in 0..burst / 4 {
        submit(state.clone(), request(format!("burst {n}"), 4)).await;
    }
    wait_all(&state, &owner, before + burst).await;
    let elapsed = started.elapsed();
    println!(
        "{backend}, {workers} workers: offline engine, {burst} tasks (1K PNG + WebP thumbnail) in {:.2} s: {:.1} tasks/s",
        elapsed.as_secs_f64(),
        burst as f64 / elapsed.as_secs_f64()
    );
    pool.shutdown(Duration::from_secs(10)).await;

    // 3. Queue throughput with an instant provider.
    let mut png = Vec::new();
    image::RgbImage::from_pixel(64, 64, image::Rgb([200, 180, 40]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    state.providers = state
        .providers
        .clone()
        .with(ProviderKind::Local, Arc::new(Instant64(png)));
    let pool = WorkerPool::spawn(&state, workers);
    let queue = 1000;
    let before = before + burst;
    let started = Instant::now();
    for n in 0..queue / 4 {
        submit(state.clone(), request(format!("queue {n}"), 4)).await;
    }
    wait_all(&state, &owner, before + queue).await;
    let elapsed = started.elapsed();
    println!(
        "{backend}, {workers} workers: instant provider, {queue} tasks (submit, claim, store, thumbnail, capture) in {:.2} s: {:.1} tasks/s",
        elapsed.as_secs_f64(),
        queue as f64 / elapsed.as_secs_f64()
    );
    pool.shutdown(Duration::from_secs(10)).await;
}

//! The image-check hook against a local image-check service, on both databases: flagged
//! uploads and results are refused, kept for review and cost nothing; an unavailable check
//! refuses uploads and retries results.

use crate::{
    credits::{self, Grant, IdempotencyKey, LotSource},
    db::Db,
    generation::{
        AspectRatio, Camera, GenerationRequest, OutputFormat, Resolution,
        moderation::open_flags,
        tasks::{self, Owner, TaskStatus},
        uploads::{self, Purpose, UploadError},
        worker,
    },
    testing::{insert_user, state_with},
};
use axum::{Json, Router, http::StatusCode, routing::post};
use figment::providers::Serialized;
use serde_json::json;
use std::sync::{
    Arc,
    atomic::{AtomicU8, AtomicUsize, Ordering},
};
use testkit::db_test;

const PASS: u8 = 0;
const FLAG: u8 = 1;
const DOWN: u8 = 2;

/// An image-check service: answers as `mode` says, and counts the images it was sent
/// (checking each really is an image).
async fn image_check(mode: Arc<AtomicU8>, seen: Arc<AtomicUsize>) -> String {
    let router = Router::new().route(
        "/check",
        post(move |body: axum::body::Bytes| async move {
            assert!(image::guess_format(&body).is_ok(), "an image is sent");
            seen.fetch_add(1, Ordering::SeqCst);
            match mode.load(Ordering::SeqCst) {
                PASS => (StatusCode::OK, Json(json!({"flagged": false}))),
                FLAG => (
                    StatusCode::OK,
                    Json(json!({"flagged": true, "categories": ["violence", "gore"]})),
                ),
                _ => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Json(json!({"error": "down"})),
                ),
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}/check")
}

fn png() -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(16, 16, image::Rgb([90, 90, 200]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

db_test!(
    flagged_images_are_refused_kept_and_free,
    |db: Db| async move {
        let mode = Arc::new(AtomicU8::new(FLAG));
        let seen = Arc::new(AtomicUsize::new(0));
        let url = image_check(mode.clone(), seen.clone()).await;
        let (state, _dir) = state_with(db.clone(), |f| {
            f.merge(Serialized::default("generation_workers", 0))
                .merge(Serialized::default("task_retry_base_ms", 10))
                .merge(Serialized::default("task_max_attempts", 2))
                .merge(Serialized::default("moderation_image_check_url", url))
        });
        let user = insert_user(&db, "checked@example.com").await;
        let key = IdempotencyKey::new("test:checked").unwrap();
        credits::grant(&db, Grant::new(&user, LotSource::Purchase, 10, None, &key))
            .await
            .unwrap();
        let owner = Owner::User(user.clone());
        let upload = |owner: Owner| {
            let state = state.clone();
            async move {
                uploads::store(
                    &state.db,
                    &state.storage,
                    &state.image_check,
                    &owner,
                    Purpose::Reference,
                    Some("photo.png"),
                    &png(),
                    crate::now_ms(),
                )
                .await
            }
        };

        // A flagged upload: refused, not stored for the person, kept for review.
        let refused = upload(owner.clone()).await.unwrap_err();
        assert!(matches!(refused, UploadError::Flagged), "{refused:?}");
        let flags = open_flags(&db, 10).await.unwrap();
        assert_eq!(flags.len(), 1);
        assert_eq!(
            (flags[0].subject.as_str(), flags[0].source.as_str()),
            ("upload", "image_check")
        );
        assert_eq!(flags[0].reason, "violence,gore");
        let kept = flags[0]
            .storage_key
            .clone()
            .expect("the image is kept for review");
        let kept = crate::storage::StorageKey::parse(kept).unwrap();
        assert!(state.storage.get(&kept).await.unwrap().is_some());
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM uploads")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(stored, 0);

        // The check is down: uploads are refused (never let through unchecked).
        mode.store(DOWN, Ordering::SeqCst);
        let down = upload(owner.clone()).await.unwrap_err();
        assert!(matches!(down, UploadError::CheckUnavailable), "{down:?}");

        // A flagged result: the task is refused, its credit released, the image kept.
        mode.store(FLAG, Ordering::SeqCst);
        let request = GenerationRequest {
            model_id: "offline".into(),
            prompt: "a quiet harbour".into(),
            negative_prompt: None,
            style: None,
            seed: 3,
            aspect_ratio: AspectRatio::Square,
            resolution: Resolution::K1,
            format: OutputFormat::Png,
            quantity: 1,
            camera: Camera::default(),
            character_consistency: false,
            references: vec![],
            mask: None,
        };
        let config = &state.config.generation;
        let submitted = tasks::submit(
            &db,
            config,
            &state.events,
            &owner,
            request.clone(),
            crate::now_ms(),
        )
        .await
        .unwrap();
        assert!(worker::work_one(&state, "w").await.unwrap());
        let task = tasks::get(&db, &submitted.task_ids[0])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(task.status, TaskStatus::Refused);
        assert_eq!(task.error_code.as_deref(), Some("refused-output"));
        assert!(task.outputs.is_empty());
        let status = credits::reservation_status(&db, task.reservation_id.as_deref().unwrap())
            .await
            .unwrap();
        assert_eq!(status, "released");
        let flags = open_flags(&db, 10).await.unwrap();
        let output_flag = flags.iter().find(|f| f.subject == "output").unwrap();
        assert_eq!(output_flag.subject_id, task.id);
        assert_eq!(output_flag.excerpt.as_deref(), Some("a quiet harbour"));
        assert!(
            output_flag
                .storage_key
                .as_deref()
                .unwrap()
                .starts_with("moderation/")
        );

        // The check is down while a result waits: retried, then failed and released.
        mode.store(DOWN, Ordering::SeqCst);
        let submitted = tasks::submit(&db, config, &state.events, &owner, request, crate::now_ms())
            .await
            .unwrap();
        let id = &submitted.task_ids[0];
        assert!(worker::work_one(&state, "w").await.unwrap());
        assert_eq!(
            tasks::get(&db, id).await.unwrap().unwrap().status,
            TaskStatus::Queued
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert!(worker::work_one(&state, "w").await.unwrap());
        let task = tasks::get(&db, id).await.unwrap().unwrap();
        assert_eq!((task.status, task.attempts), (TaskStatus::Failed, 2));
        let balance = credits::balance(&db, &user, crate::now_ms()).await.unwrap();
        assert_eq!(
            (balance.available, balance.held),
            (10, 0),
            "nothing was charged"
        );
        assert!(seen.load(Ordering::SeqCst) >= 5);
    }
);

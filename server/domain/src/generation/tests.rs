//! The queue on both databases: submit, claim, leases, settlement, cancel, guests,
//! moderation, with the offline engine and real storage.

use super::{
    tasks::{self, Cancelled, Owner, SubmitError, TaskStatus},
    uploads, worker, *,
};
use crate::{
    AppState,
    credits::{self, Grant, IdempotencyKey, LotSource},
    db::Db,
    testing::{insert_user, state_with},
};
use figment::providers::Serialized;
use std::time::Duration;
use testkit::db_test;

fn fast(figment: figment::Figment) -> figment::Figment {
    figment
        .merge(Serialized::default("generation_workers", 0))
        .merge(Serialized::default("task_retry_base_ms", 20))
        .merge(Serialized::default("task_lease_seconds", 30))
}

fn request(prompt: &str, quantity: u8) -> GenerationRequest {
    GenerationRequest {
        model_id: "offline".into(),
        prompt: prompt.into(),
        negative_prompt: None,
        style: None,
        seed: 7,
        aspect_ratio: AspectRatio::R16x9,
        resolution: Resolution::K1,
        format: OutputFormat::Png,
        quantity,
        camera: Camera::default(),
        character_consistency: false,
        references: vec![],
        mask: None,
    }
}

async fn funded_user(state: &AppState, credits_amount: i64) -> String {
    let user = insert_user(&state.db, &format!("{}@example.com", crate::new_id())).await;
    if credits_amount > 0 {
        let key = IdempotencyKey::new(format!("test:{user}:grant")).unwrap();
        credits::grant(
            &state.db,
            Grant::new(&user, LotSource::Purchase, credits_amount, None, &key),
        )
        .await
        .unwrap();
    }
    user
}

async fn submit(
    state: &AppState,
    owner: &Owner,
    request: GenerationRequest,
) -> Result<tasks::Submission, SubmitError> {
    tasks::submit(
        &state.db,
        &state.config.generation,
        &state.events,
        owner,
        request,
        crate::now_ms(),
    )
    .await
}

async fn status_of(db: &Db, id: &str) -> TaskStatus {
    tasks::get(db, id).await.unwrap().unwrap().status
}

async fn reservation_status(db: &Db, task_id: &str) -> String {
    let task = tasks::get(db, task_id).await.unwrap().unwrap();
    credits::reservation_status(db, task.reservation_id.as_deref().unwrap())
        .await
        .unwrap()
}

async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(db.pool())
        .await
        .unwrap()
}

db_test!(offline_batch_succeeds_and_captures, |db: Db| async move {
    let (state, _dir) = state_with(db.clone(), fast);
    let user = funded_user(&state, 10).await;
    let owner = Owner::User(user.clone());
    let submitted = submit(&state, &owner, request("a lighthouse at dusk", 2))
        .await
        .unwrap();
    assert_eq!(submitted.cost, 2);
    assert_eq!(submitted.task_ids.len(), 2);
    let balance = credits::balance(&db, &user, crate::now_ms()).await.unwrap();
    assert_eq!((balance.available, balance.held), (8, 2));

    assert!(worker::work_one(&state, "w1").await.unwrap());
    assert!(worker::work_one(&state, "w1").await.unwrap());
    assert!(
        !worker::work_one(&state, "w1").await.unwrap(),
        "nothing left"
    );

    let tasks = tasks::recent(&db, &owner, 10).await.unwrap();
    assert_eq!(tasks.len(), 2);
    let mut seeds = Vec::new();
    for task in &tasks {
        assert_eq!(task.status, TaskStatus::Succeeded);
        assert_eq!(task.batch_id, submitted.batch_id);
        assert_eq!(task.outputs.len(), 1);
        seeds.push(task.params.seed);
        let output = &task.outputs[0];
        assert_eq!((output.width, output.height), (1024, 576));
        let file = state.storage.get(&output.key).await.unwrap().unwrap();
        assert_eq!(
            image::guess_format(&file.bytes).unwrap(),
            image::ImageFormat::Png
        );
        let thumb = state.storage.get(&output.thumb_key).await.unwrap().unwrap();
        assert_eq!(
            image::guess_format(&thumb.bytes).unwrap(),
            image::ImageFormat::WebP
        );
        assert_eq!(reservation_status(&db, &task.id).await, "captured");
    }
    seeds.sort();
    assert_eq!(seeds, vec![7, 8], "each image of a batch has its own seed");
    let balance = credits::balance(&db, &user, crate::now_ms()).await.unwrap();
    assert_eq!((balance.available, balance.held), (8, 0));
});

db_test!(shortfall_queues_nothing, |db: Db| async move {
    let (state, _dir) = state_with(db.clone(), fast);
    let user = funded_user(&state, 1).await;
    let error = submit(&state, &Owner::User(user.clone()), request("two please", 2))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            SubmitError::Insufficient {
                required: 2,
                available: 1
            }
        ),
        "{error:?}"
    );
    assert_eq!(count(&db, "tasks").await, 0);
    assert_eq!(count(&db, "credit_reservations").await, 0);
    let balance = credits::balance(&db, &user, crate::now_ms()).await.unwrap();
    assert_eq!((balance.available, balance.held), (1, 0));
});

db_test!(
    invalid_requests_are_refused_before_queueing,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), fast);
        let owner = Owner::User(funded_user(&state, 10).await);
        let cases: Vec<(GenerationRequest, &str)> = vec![
            (
                GenerationRequest {
                    prompt: "   ".into(),
                    ..request("x", 1)
                },
                "empty-prompt",
            ),
            (request("x", 5), "quantity"),
            (
                GenerationRequest {
                    model_id: "nope".into(),
                    ..request("x", 1)
                },
                "unknown-model",
            ),
            (
                GenerationRequest {
                    style: Some("glitter".into()),
                    ..request("x", 1)
                },
                "unknown-style",
            ),
            (
                GenerationRequest {
                    mask: Some("m".into()),
                    ..request("x", 1)
                },
                "mask-without-reference",
            ),
            (
                GenerationRequest {
                    prompt: "x".repeat(request::MAX_PROMPT_CHARS + 1),
                    ..request("x", 1)
                },
                "prompt-too-long",
            ),
        ];
        for (bad, code) in cases {
            match submit(&state, &owner, bad).await {
                Err(SubmitError::Request(e)) => assert_eq!(e.code(), code),
                other => panic!("expected {code}, got {other:?}"),
            }
        }
        assert_eq!(count(&db, "tasks").await, 0);
    }
);

db_test!(guest_trial_is_held_and_given_back, |db: Db| async move {
    let (state, _dir) = state_with(db.clone(), fast);
    let guest = crate::new_id();
    let owner = Owner::Guest(guest.clone());
    let first = submit(&state, &owner, request("guest one", 2))
        .await
        .unwrap();
    let error = submit(&state, &owner, request("guest two", 2))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            SubmitError::TrialExhausted {
                required: 2,
                available: 1
            }
        ),
        "{error:?}"
    );
    let trial = guests::trial(&db, &guest, 3).await.unwrap();
    assert_eq!(trial.remaining, 1);

    // Cancelling a queued task gives its trial credit back, once.
    let cancelled = tasks::cancel(
        &db,
        &state.events,
        &owner,
        &first.task_ids[0],
        crate::now_ms(),
    )
    .await
    .unwrap();
    assert!(matches!(cancelled, Cancelled::Done(ref t) if t.status == TaskStatus::Cancelled));
    let again = tasks::cancel(
        &db,
        &state.events,
        &owner,
        &first.task_ids[0],
        crate::now_ms(),
    )
    .await
    .unwrap();
    assert!(matches!(again, Cancelled::TooLate(_)));
    assert_eq!(guests::trial(&db, &guest, 3).await.unwrap().remaining, 2);

    // Someone else cannot see or cancel it.
    let stranger = Owner::Guest(crate::new_id());
    let theirs = tasks::cancel(
        &db,
        &state.events,
        &stranger,
        &first.task_ids[1],
        crate::now_ms(),
    )
    .await
    .unwrap();
    assert_eq!(theirs, Cancelled::NotFound);
    assert!(tasks::recent(&db, &stranger, 10).await.unwrap().is_empty());
});

db_test!(guest_history_moves_to_the_account, |db: Db| async move {
    let (state, _dir) = state_with(db.clone(), fast);
    let guest = crate::new_id();
    let owner = Owner::Guest(guest.clone());
    let png = {
        let mut bytes = Vec::new();
        image::RgbImage::from_pixel(40, 30, image::Rgb([200, 30, 30]))
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        bytes
    };
    let upload = uploads::store(
        &db,
        &state.storage,
        &state.image_check,
        &owner,
        uploads::Purpose::Reference,
        Some("red.png"),
        &png,
        crate::now_ms(),
    )
    .await
    .unwrap();
    let submitted = submit(
        &state,
        &owner,
        GenerationRequest {
            references: vec![upload.id.clone()],
            ..request("make it blue", 1)
        },
    )
    .await
    .unwrap();
    assert!(worker::work_one(&state, "w").await.unwrap());

    let user = funded_user(&state, 0).await;
    let account = Owner::User(user.clone());
    let moved = guests::migrate(&db, &guest, &user, crate::now_ms())
        .await
        .unwrap();
    assert_eq!(
        moved,
        guests::Migrated {
            uploads: 1,
            tasks: 1
        }
    );
    let theirs = tasks::recent(&db, &account, 10).await.unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].id, submitted.task_ids[0]);
    assert_eq!(theirs[0].status, TaskStatus::Succeeded);
    assert!(
        tasks::recent(&db, &owner, 10).await.unwrap().is_empty(),
        "the guest keeps nothing"
    );
    assert!(
        uploads::get_owned(&db, &account, &upload.id)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        uploads::get_owned(&db, &owner, &upload.id)
            .await
            .unwrap()
            .is_none()
    );
    let expires: Option<i64> = sqlx::query_scalar("SELECT expires_at FROM uploads WHERE id = $1")
        .bind(&upload.id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(expires, None, "moved uploads no longer expire");
    // Moving twice moves nothing.
    let again = guests::migrate(&db, &guest, &user, crate::now_ms())
        .await
        .unwrap();
    assert_eq!(again, guests::Migrated::default());
});

db_test!(
    a_lapsed_lease_is_taken_up_and_settled_once,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), fast);
        let user = funded_user(&state, 5).await;
        let owner = Owner::User(user.clone());
        let submitted = submit(&state, &owner, request("crash test", 1))
            .await
            .unwrap();
        let now = crate::now_ms();
        // Worker A claims with a lease that lapses at once, then "crashes".
        let a = tasks::claim(&db, "a", Duration::from_millis(1), now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a.attempts, 1);
        assert!(
            tasks::claim(&db, "b", Duration::from_secs(30), now)
                .await
                .unwrap()
                .is_none(),
            "leased"
        );
        let b = tasks::claim(&db, "b", Duration::from_secs(30), now + 5)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(b.id, submitted.task_ids[0]);
        assert_eq!(b.attempts, 2);
        // A wakes up late: it holds nothing any more, so it records nothing.
        assert!(
            !tasks::heartbeat(&db, &a.id, "a", Duration::from_secs(30), now + 6)
                .await
                .unwrap()
        );
        assert!(
            !tasks::complete(&db, &state.events, &a, "a", &[], now + 6)
                .await
                .unwrap()
        );
        let failed = tasks::fail(
            &db,
            &state.events,
            &state.config.generation,
            &a,
            "a",
            &ProviderError::failed("late"),
            now + 6,
        )
        .await
        .unwrap();
        assert_eq!(failed, None);
        assert!(
            tasks::complete(&db, &state.events, &b, "b", &[], now + 7)
                .await
                .unwrap()
        );
        assert_eq!(status_of(&db, &b.id).await, TaskStatus::Succeeded);
        assert_eq!(reservation_status(&db, &b.id).await, "captured");
        let balance = credits::balance(&db, &user, crate::now_ms()).await.unwrap();
        assert_eq!((balance.available, balance.held), (4, 0));
    }
);

db_test!(
    last_attempt_lapsing_fails_and_releases,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), |f| {
            fast(f).merge(Serialized::default("task_max_attempts", 1))
        });
        let user = funded_user(&state, 5).await;
        let submitted = submit(&state, &Owner::User(user.clone()), request("one shot", 1))
            .await
            .unwrap();
        let now = crate::now_ms();
        tasks::claim(&db, "gone", Duration::from_millis(1), now)
            .await
            .unwrap()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
        // The next worker finds the lapsed last attempt and ends it.
        assert!(worker::work_one(&state, "next").await.unwrap());
        let task = tasks::get(&db, &submitted.task_ids[0])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(task.status, TaskStatus::Failed);
        assert_eq!(task.error_code.as_deref(), Some("timeout"));
        assert_eq!(reservation_status(&db, &task.id).await, "released");
        let balance = credits::balance(&db, &user, crate::now_ms()).await.unwrap();
        assert_eq!((balance.available, balance.held), (5, 0));
    }
);

db_test!(blocked_prompts_are_flagged_and_free, |db: Db| async move {
    let (state, _dir) = state_with(db.clone(), |f| {
        fast(f).merge(Serialized::default(
            "moderation_blocklist",
            vec!["forbidden"],
        ))
    });
    let user = funded_user(&state, 5).await;
    let owner = Owner::User(user.clone());
    let error = submit(&state, &owner, request("A FORBIDDEN picture", 1))
        .await
        .unwrap_err();
    assert!(matches!(error, SubmitError::Blocked), "{error:?}");
    // Word boundaries: a word merely containing the term passes.
    submit(&state, &owner, request("the unforbiddenness of it", 1))
        .await
        .unwrap();
    let flags = moderation::open_flags(&db, 10).await.unwrap();
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].source, "blocklist");
    assert_eq!(flags[0].reason, "forbidden");
    assert_eq!(flags[0].user_id.as_deref(), Some(user.as_str()));
    assert_eq!(flags[0].excerpt.as_deref(), Some("A FORBIDDEN picture"));
    assert_eq!(count(&db, "tasks").await, 1);
    let balance = credits::balance(&db, &user, crate::now_ms()).await.unwrap();
    assert_eq!((balance.available, balance.held), (4, 1));
});

db_test!(uploads_belong_to_their_owner, |db: Db| async move {
    let (state, _dir) = state_with(db.clone(), fast);
    let png = {
        let mut bytes = Vec::new();
        image::RgbImage::from_pixel(8, 8, image::Rgb([1, 2, 3]))
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        bytes
    };
    let alice = Owner::Guest(crate::new_id());
    let upload = uploads::store(
        &db,
        &state.storage,
        &state.image_check,
        &alice,
        uploads::Purpose::Reference,
        None,
        &png,
        crate::now_ms(),
    )
    .await
    .unwrap();
    let bob = Owner::User(funded_user(&state, 5).await);
    let error = submit(
        &state,
        &bob,
        GenerationRequest {
            references: vec![upload.id.clone()],
            ..request("steal it", 1)
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(error, SubmitError::UnknownUpload), "{error:?}");
    // A reference cannot pose as a mask either.
    let error = submit(
        &state,
        &alice,
        GenerationRequest {
            references: vec![upload.id.clone()],
            mask: Some(upload.id.clone()),
            ..request("mask mix-up", 1)
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(error, SubmitError::UnknownUpload), "{error:?}");
    assert_eq!(count(&db, "tasks").await, 0);
});

db_test!(bad_uploads_leave_nothing, |db: Db| async move {
    let (state, dir) = state_with(db.clone(), fast);
    let owner = Owner::Guest(crate::new_id());
    let store = |bytes: Vec<u8>, name: &'static str| {
        let state = state.clone();
        let owner = owner.clone();
        async move {
            uploads::store(
                &state.db,
                &state.storage,
                &state.image_check,
                &owner,
                uploads::Purpose::Reference,
                Some(name),
                &bytes,
                crate::now_ms(),
            )
            .await
        }
    };
    let text = store(b"just some text, honestly".to_vec(), "photo.png")
        .await
        .unwrap_err();
    assert!(
        matches!(
            text,
            uploads::UploadError::Image(crate::images::ImageError::UnsupportedFormat)
        ),
        "{text:?}"
    );
    let big = store(vec![0u8; 30 * 1024 * 1024], "big.png")
        .await
        .unwrap_err();
    assert!(
        matches!(
            big,
            uploads::UploadError::Image(crate::images::ImageError::TooLarge { .. })
        ),
        "{big:?}"
    );
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    jpeg.extend_from_slice(b"JFIF\0garbage that is not a JPEG at all");
    let corrupt = store(jpeg, "broken.jpg").await.unwrap_err();
    assert!(
        matches!(corrupt, uploads::UploadError::Image(_)),
        "{corrupt:?}"
    );
    let traversal = store(vec![1, 2, 3], "../../etc/passwd.png")
        .await
        .unwrap_err();
    assert!(
        matches!(traversal, uploads::UploadError::FileName),
        "{traversal:?}"
    );
    assert_eq!(count(&db, "uploads").await, 0);
    let files = walk(&dir.path().join("files"));
    assert!(files.is_empty(), "nothing stored: {files:?}");
});

db_test!(
    a_stopped_worker_s_task_is_finished_by_another,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), |f| {
            fast(f).merge(Serialized::default("task_lease_seconds", 1))
        });
        let user = funded_user(&state, 10).await;
        let big = GenerationRequest {
            resolution: Resolution::K4,
            aspect_ratio: AspectRatio::Square,
            ..request("a large mural", 1)
        };
        let submitted = submit(&state, &Owner::User(user.clone()), big)
            .await
            .unwrap();
        let id = submitted.task_ids[0].clone();
        let first = worker::WorkerPool::spawn(&state, 1);
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while status_of(&db, &id).await != TaskStatus::Running {
            assert!(std::time::Instant::now() < deadline, "never started");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // Stopped mid-render, as a crash would stop it: no cleanup, no lease renewal.
        first.kill();
        let second = worker::WorkerPool::spawn(&state, 1);
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        while !status_of(&db, &id).await.is_terminal() {
            assert!(std::time::Instant::now() < deadline, "never finished");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        second.shutdown(Duration::from_secs(5)).await;
        let task = tasks::get(&db, &id).await.unwrap().unwrap();
        assert_eq!(task.status, TaskStatus::Succeeded);
        assert_eq!(task.attempts, 2, "taken up again after the lease lapsed");
        assert_eq!(task.outputs.len(), 1);
        assert_eq!(
            (task.outputs[0].width, task.outputs[0].height),
            (4096, 4096)
        );
        assert_eq!(reservation_status(&db, &id).await, "captured");
        let balance = credits::balance(&db, &user, crate::now_ms()).await.unwrap();
        assert_eq!((balance.available, balance.held), (8, 0));
    }
);

fn walk(path: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(path) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| {
            let p = e.path();
            if p.is_dir() { walk(&p) } else { vec![p] }
        })
        .collect()
}

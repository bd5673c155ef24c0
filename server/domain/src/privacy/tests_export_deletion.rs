//! Self-service export and deletion on both databases, with two people who have data in
//! every category: the export holds all of one person's and nothing of the other's; the
//! download needs its owner and token and expires; deletion signs out, empties and locks
//! the account; the purge leaves no trace of the person anywhere in the schema while the
//! payment records live on under the pseudonym.

use super::{
    DataCategory,
    deletion::{self, DeletionError, Reauth},
    export::{self, ExportError, ExportStatus},
    pseudonym,
};
use crate::{
    AppState, accounts, billing, credits,
    db::{Backend, Db},
    email::{Message, outbox_latest_to},
    generation::{
        AspectRatio, Camera, GenerationRequest, OutputFormat, Resolution, guests,
        moderation::{self, NewFlag, Source, Subject},
        tasks::{self, Owner},
        uploads, worker,
    },
    ratelimit,
    storage::StorageKey,
    testing::{insert_user, state_with, token_in},
};
use figment::providers::Serialized;
use secrecy::SecretString;
use std::collections::BTreeMap;
use testkit::db_test;

const DAY: i64 = 24 * 3600 * 1000;
const PASSWORD: &str = "purple banana skyline";

fn quiet(figment: figment::Figment) -> figment::Figment {
    figment.merge(Serialized::default("generation_workers", 0))
}

fn png(rgb: [u8; 3]) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(40, 30, image::Rgb(rgb))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

fn request(prompt: &str, references: Vec<String>) -> GenerationRequest {
    GenerationRequest {
        model_id: "offline".into(),
        prompt: prompt.into(),
        negative_prompt: None,
        style: None,
        seed: 11,
        aspect_ratio: AspectRatio::R16x9,
        resolution: Resolution::K1,
        format: OutputFormat::Png,
        quantity: 1,
        camera: Camera::default(),
        character_consistency: false,
        references,
        mask: None,
    }
}

/// Someone with data in every category, and what a test needs to look for it.
struct Person {
    id: String,
    email: String,
    name: String,
    prompt: String,
    guest_id: String,
    ip: String,
    /// Every stored file of theirs.
    files: Vec<StorageKey>,
    /// Things that must never leave the database in an export.
    secrets: Vec<String>,
    /// The task still queued when the data was seeded (credits held for it).
    queued_task: String,
}

async fn run(state: &AppState, sql: &str, binds: &[&str]) {
    let mut query = sqlx::query(sql);
    for b in binds {
        query = query.bind(b.to_string());
    }
    query.execute(state.db.pool()).await.unwrap();
}

/// A person with a password and data in every table that can hold theirs.
async fn seed(state: &AppState, name: &str, email: &str, prompt: &str, n: u8) -> Person {
    let db = &state.db;
    let now = crate::now_ms();
    let id = crate::new_id();
    let hash = accounts::hash_password(SecretString::from(PASSWORD))
        .await
        .unwrap();
    let hash = secrecy::ExposeSecret::expose_secret(&hash).to_string();
    let totp_secret = format!("JBSWY3DPEHPK3PX{}", (b'A' + n) as char);
    sqlx::query(
        "INSERT INTO users (id, email, email_verified_at, password_hash, display_name, locale, \
         company_name, region, phone, bio, role, terms_version, terms_accepted_at, \
         age_confirmed_at, totp_secret, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'en', $6, 'Wonderland', '+44 20 7946 095' || $7, $8, 'user', \
         $9, $3, $3, $10, $3, $3)",
    )
    .bind(&id)
    .bind(email)
    .bind(now)
    .bind(&hash)
    .bind(name)
    .bind(format!("{name} Studio"))
    .bind(n.to_string())
    .bind(format!("I am {name}."))
    .bind(super::TERMS_VERSION)
    .bind(&totp_secret)
    .execute(db.pool())
    .await
    .unwrap();
    let mut files = Vec::new();

    // Account: avatar, provider identity, recovery code, a link, sessions, counters.
    let avatar = StorageKey::parse(format!("avatars/{id}/{}.png", crate::new_id())).unwrap();
    state
        .storage
        .put(&avatar, png([n, 1, 1]), "image/png")
        .await
        .unwrap();
    run(
        state,
        "UPDATE users SET avatar_key = $1 WHERE id = $2",
        &[avatar.as_str(), &id],
    )
    .await;
    files.push(avatar);
    run(
        state,
        "INSERT INTO oauth_identities (provider, subject, user_id, email, created_at) \
         VALUES ('github', $1, $2, $3, 0)",
        &[&format!("gh-{n}-{}", &id[..8]), &id, email],
    )
    .await;
    let recovery = format!("recovery-hash-{}", crate::new_id());
    run(
        state,
        "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)",
        &[&id, &recovery],
    )
    .await;
    accounts::issue_token(state, &id, accounts::TokenPurpose::VerifyEmail, Some(email))
        .await
        .unwrap();
    let ip = format!("203.0.113.{}", 10 + n);
    let session_id = format!("session-{}", crate::new_id());
    let data = serde_json::json!({ "auth.user_id": id, "auth.signed_in_at": now }).to_string();
    sqlx::query(
        "INSERT INTO sessions (id, handle, user_id, data, expires_at, created_at, last_seen_at, \
         user_agent, ip, location) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, 'Berlin, DE')",
    )
    .bind(&session_id)
    .bind(crate::new_id())
    .bind(&id)
    .bind(data)
    .bind(now + 7 * DAY)
    .bind(now)
    .bind(format!("Mozilla/5.0 (X11; Linux x86_64) Firefox/121.{n}"))
    .bind(&ip)
    .execute(db.pool())
    .await
    .unwrap();
    // Waiting for a two-factor code: the record names the account only in its data.
    let pending_session = format!("session-{}", crate::new_id());
    sqlx::query(
        "INSERT INTO sessions (id, handle, user_id, data, expires_at, created_at, last_seen_at) \
         VALUES ($1, $2, NULL, $3, $4, $5, $5)",
    )
    .bind(&pending_session)
    .bind(crate::new_id())
    .bind(serde_json::json!({ "auth.pending_two_factor": id }).to_string())
    .bind(now + DAY)
    .bind(now)
    .execute(db.pool())
    .await
    .unwrap();
    let limit = ratelimit::Limit::new(100, 60);
    ratelimit::hit(db, &format!("two-factor:{id}"), limit, now)
        .await
        .unwrap();
    ratelimit::hit(db, &ratelimit::account_key("sign-in", email), limit, now)
        .await
        .unwrap();
    crate::audit::record(
        db.pool(),
        Some(&id),
        Some(&id),
        "profile.updated",
        serde_json::json!({ "fields": ["bio"] }),
        Some(&ip),
    )
    .await
    .unwrap();
    state
        .mailer
        .send_message(
            email,
            &Message::PasswordChanged { name: name.into() },
            "en",
            &format!("password-changed/{id}/{now}"),
        )
        .await
        .unwrap();

    // Payments: bonus, a package, a plan, billing details, a dispute with a note.
    let catalog = &state.config.billing.catalog;
    billing::grant_signup_bonus(db, &state.config.secret_key, catalog, &id, email)
        .await
        .unwrap();
    for product in ["starter", "pro-monthly"] {
        let order =
            billing::create_order(db, catalog, &id, product, billing::Currency::Usd, "local")
                .await
                .unwrap();
        billing::complete_local_checkout(db, catalog, &order, billing::LocalOutcome::Pay)
            .await
            .unwrap();
        if product == "starter" {
            let dispute = crate::new_id();
            run(
                state,
                "INSERT INTO disputes (id, order_id, provider, provider_dispute_id, status, reason, \
                 amount, currency, created_at) VALUES ($1, $2, 'local', $3, 'open', 'fraudulent', \
                 990, 'usd', 0)",
                &[&dispute, &order.id, &format!("dp_{}", crate::new_id())],
            )
            .await;
            run(
                state,
                "INSERT INTO dispute_notes (id, dispute_id, author_id, body, created_at) \
                 VALUES ($1, $2, NULL, $3, 0)",
                &[
                    &crate::new_id(),
                    &dispute,
                    &format!("{name} <{email}> says the card was theirs."),
                ],
            )
            .await;
        }
    }
    billing::save_billing_profile(
        db,
        &id,
        &billing::BillingProfile {
            name: name.into(),
            company: format!("{name} Studio"),
            address: "1 Orchard Lane".into(),
            tax_id: format!("GB12345678{n}"),
        },
    )
    .await
    .unwrap();
    billing::referral_code(db, &id).await.unwrap();

    // Content: a guest's upload moved to the account, an upload of theirs, a finished
    // generation, one still queued, a flagged prompt with its kept image.
    let guest_id = crate::new_id();
    guests::ensure(db, &guest_id, 3, now).await.unwrap();
    let guest_upload = uploads::store(
        db,
        &state.storage,
        &state.image_check,
        &Owner::Guest(guest_id.clone()),
        uploads::Purpose::Reference,
        Some("guest.png"),
        &png([n, 2, 2]),
        now,
    )
    .await
    .unwrap();
    let owner = Owner::User(id.clone());
    let upload = uploads::store(
        db,
        &state.storage,
        &state.image_check,
        &owner,
        uploads::Purpose::Reference,
        Some("mine.png"),
        &png([n, 3, 3]),
        now,
    )
    .await
    .unwrap();
    files.push(guest_upload.key.clone());
    files.push(upload.key.clone());
    let config = &state.config.generation;
    tasks::submit(
        db,
        config,
        &state.events,
        &owner,
        request(prompt, vec![upload.id.clone()]),
        now,
    )
    .await
    .unwrap();
    assert!(worker::work_one(state, "seeder").await.unwrap());
    // Due far ahead, so no worker takes it while the test runs.
    let queued = tasks::submit(
        db,
        config,
        &state.events,
        &owner,
        request(&format!("{prompt}, once more"), vec![]),
        now + 30 * DAY,
    )
    .await
    .unwrap();
    tasks::submit(
        db,
        config,
        &state.events,
        &Owner::Guest(guest_id.clone()),
        request(&format!("{prompt}, as a guest"), vec![]),
        now + 30 * DAY,
    )
    .await
    .unwrap();
    guests::migrate(db, &guest_id, &id, now).await.unwrap();
    for task in tasks::recent(db, &owner, 10).await.unwrap() {
        for output in task.outputs {
            files.push(output.key);
            files.push(output.thumb_key);
        }
    }
    let kept = StorageKey::parse(format!("moderation/{}.png", crate::new_id())).unwrap();
    state
        .storage
        .put(&kept, png([n, 4, 4]), "image/png")
        .await
        .unwrap();
    moderation::record(
        db,
        &NewFlag {
            subject: Subject::Prompt,
            subject_id: &crate::new_id(),
            user_id: Some(&id),
            guest_id: None,
            source: Source::Blocklist,
            reason: "forbidden",
            excerpt: Some(&format!("{prompt}, forbidden")),
            storage_key: Some(kept.as_str()),
        },
        now,
    )
    .await
    .unwrap();
    files.push(kept);

    // Consent, analytics, preferences, a rights request, notices.
    let visitor = format!("visitor-{}", crate::new_id());
    run(
        state,
        "INSERT INTO consent_records (id, user_id, visitor_id, functional, analytics, marketing, \
         source, policy_version, created_at) VALUES ($1, $2, $3, 1, 1, 0, 'banner', '2026-11-22', 0)",
        &[&crate::new_id(), &id, &visitor],
    )
    .await;
    run(
        state,
        "INSERT INTO analytics_events (id, visitor_id, user_id, name, path, created_at) \
         VALUES ($1, $2, $3, 'page_view', '/workbench', 0)",
        &[&crate::new_id(), &visitor, &id],
    )
    .await;
    run(
        state,
        "INSERT INTO privacy_preferences (user_id, marketing_opt_in_at, updated_at) \
         VALUES ($1, 5, 5)",
        &[&id],
    )
    .await;
    run(
        state,
        "INSERT INTO privacy_requests (id, user_id, email, kind, details, locale, status, \
         status_token_hash, resolution, created_at) \
         VALUES ($1, $2, $3, 'correct', $4, 'en', 'completed', $5, $6, 0)",
        &[
            &crate::new_id(),
            &id,
            email,
            &format!("Please spell my name {name}."),
            &crate::new_id(),
            &format!("Corrected for {name} ({email})."),
        ],
    )
    .await;
    run(
        state,
        "INSERT INTO policy_notices (doc, version, user_id, sent_at) VALUES ('privacy', '2027-01-01', $1, 0)",
        &[&id],
    )
    .await;
    let incident = crate::new_id();
    run(
        state,
        "INSERT INTO breach_incidents (id, summary, categories, detected_at, created_at) \
         VALUES ($1, 'A backup was readable.', '[\"account\"]', 0, 0)",
        &[&incident],
    )
    .await;
    run(
        state,
        "INSERT INTO breach_notices (incident_id, user_id, notified_at) VALUES ($1, $2, 0)",
        &[&incident, &id],
    )
    .await;

    Person {
        id,
        email: email.into(),
        name: name.into(),
        prompt: prompt.into(),
        guest_id,
        ip,
        files,
        secrets: vec![hash, totp_secret, recovery, session_id, pending_session],
        queued_task: queued.task_ids[0].clone(),
    }
}

/// Two people who know each other: each referred the other, and each once acted on the
/// other's account (as staff would).
async fn two_people(state: &AppState) -> (Person, Person) {
    let ada = seed(
        state,
        "Zephyrine Quillfeather",
        "zephyrine.q@example.com",
        "a lighthouse made of marmalade",
        1,
    )
    .await;
    let bart = seed(
        state,
        "Bartholomew Nightjar",
        "bart.nightjar@example.org",
        "a saxophone-playing walrus",
        2,
    )
    .await;
    for (referred, referrer) in [(&ada, &bart), (&bart, &ada)] {
        run(
            state,
            "INSERT INTO referrals (referred_user_id, referrer_user_id, created_at) VALUES ($1, $2, 0)",
            &[&referred.id, &referrer.id],
        )
        .await;
        crate::audit::record(
            state.db.pool(),
            Some(&referrer.id),
            Some(&referred.id),
            "role.changed",
            serde_json::json!({ "role": "user" }),
            Some(&referrer.ip),
        )
        .await
        .unwrap();
    }
    (ada, bart)
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        files.insert(file.name().to_string(), content);
    }
    files
}

/// Runs the export job for `user_id` and returns the export's id and the emailed token.
async fn exported(state: &AppState, user_id: &str, email: &str, now: i64) -> (String, String) {
    let id = export::request(state, user_id, now).await.unwrap();
    assert_eq!(export::run_pending(state, now).await.unwrap(), 1);
    let mail = outbox_latest_to(&state.db, email).await.unwrap().unwrap();
    assert_eq!(mail.kind, "data_export_ready");
    let link = format!("http://banana.test/settings/privacy/exports/{id}?token=");
    assert!(mail.text.contains(&link), "{}", mail.text);
    (id, token_in(&mail.text))
}

db_test!(
    an_export_holds_every_category_and_nothing_of_anyone_else,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), quiet);
        let (ada, bart) = two_people(&state).await;
        let now = crate::now_ms();
        let id = export::request(&state, &ada.id, now).await.unwrap();
        // Asking again while it is being made returns the same export.
        assert_eq!(export::request(&state, &ada.id, now).await.unwrap(), id);
        let listed = export::list(&db, &ada.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].status, ExportStatus::Queued);
        assert_eq!(export::run_pending(&state, now).await.unwrap(), 1);
        assert_eq!(export::run_pending(&state, now).await.unwrap(), 0);
        let mail = outbox_latest_to(&db, &ada.email).await.unwrap().unwrap();
        assert!(
            mail.text.contains(&format!(
                "http://banana.test/settings/privacy/exports/{id}?token="
            )),
            "{}",
            mail.text
        );
        let token = token_in(&mail.text);
        let download = export::open_download(&state, &ada.id, &id, &token, now)
            .await
            .unwrap();
        assert!(download.file_name.ends_with(".zip"));
        let listed = export::list(&db, &ada.id).await.unwrap();
        assert_eq!(listed[0].status, ExportStatus::Ready);
        assert_eq!(listed[0].size_bytes, Some(download.bytes.len() as i64));
        assert_eq!(listed[0].expires_at, Some(now + 7 * DAY));
        assert!(export::list(&db, &bart.id).await.unwrap().is_empty());

        let files = unzip(&download.bytes);
        let mut text = String::new();
        for category in DataCategory::ALL {
            let name = format!("{}.json", category.id());
            let document: serde_json::Value = serde_json::from_slice(
                files
                    .get(&name)
                    .unwrap_or_else(|| panic!("{name} is missing")),
            )
            .unwrap();
            assert_eq!(document["category"], category.id());
            let rule = crate::privacy::rule(category);
            assert_eq!(
                document["purposes"].as_array().unwrap().len(),
                rule.purposes.len()
            );
            assert!(!document["legal_bases"].as_array().unwrap().is_empty());
            assert!(document["retention"]["rule"].is_string());
            let records = document["records"].as_object().unwrap();
            // Every category holds something of hers.
            let filled = records.values().any(|v| match v {
                serde_json::Value::Array(items) => !items.is_empty(),
                serde_json::Value::Object(map) => !map.is_empty(),
                serde_json::Value::Null => false,
                _ => true,
            });
            assert!(filled, "{name} has no records: {document}");
            text.push_str(&String::from_utf8(files[&name].clone()).unwrap());
        }
        let account: serde_json::Value = serde_json::from_slice(&files["account.json"]).unwrap();
        assert_eq!(account["records"]["profile"]["email"], ada.email.as_str());
        assert_eq!(account["records"]["profile"]["has_password"], true);
        let uploads: serde_json::Value =
            serde_json::from_slice(&files["uploads-prompts.json"]).unwrap();
        assert_eq!(
            uploads["records"]["uploads"].as_array().unwrap().len(),
            2,
            "her own upload and the one she made as a guest"
        );
        assert!(text.contains(&ada.prompt) && text.contains(&ada.ip));
        assert!(
            text.contains(&ada.guest_id),
            "the guest that became her account"
        );
        let logs: serde_json::Value =
            serde_json::from_slice(&files["logs-analytics.json"]).unwrap();
        let actors: Vec<&str> = logs["records"]["account_activity"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["actor"].as_str().unwrap())
            .collect();
        assert!(actors.contains(&"you") && actors.contains(&"staff"));

        // Her images: avatar, two uploads, the generated image.
        let images: Vec<&String> = files.keys().filter(|k| k.starts_with("images/")).collect();
        assert!(files.contains_key("images/avatar.png"), "{images:?}");
        assert_eq!(
            images
                .iter()
                .filter(|k| k.starts_with("images/uploads/"))
                .count(),
            2
        );
        assert_eq!(
            images
                .iter()
                .filter(|k| k.starts_with("images/generated/"))
                .count(),
            1
        );
        let her_upload = state.storage.get(&ada.files[2]).await.unwrap().unwrap();
        assert!(files.values().any(|bytes| *bytes == her_upload.bytes));

        // Nothing of Bart's: no id, address, name, prompt, guest, ip, or picture.
        for needle in [
            &bart.id,
            &bart.email,
            &bart.name,
            &bart.prompt,
            &bart.guest_id,
            &bart.ip,
        ] {
            assert!(!text.contains(needle.as_str()), "Bart's {needle} leaked");
        }
        for key in &bart.files {
            let theirs = state.storage.get(key).await.unwrap().unwrap();
            assert!(
                files.values().all(|bytes| *bytes != theirs.bytes),
                "Bart's {key} is in Ada's export"
            );
        }
        // No secrets of hers either.
        for secret in &ada.secrets {
            assert!(!text.contains(secret.as_str()), "a secret leaked: {secret}");
        }
        assert!(!text.contains("password_hash") && !text.contains("totp_secret"));
    }
);

db_test!(
    a_download_needs_its_owner_and_token_and_expires,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), quiet);
        let ada = insert_user(&db, "ada@example.com").await;
        let bob = insert_user(&db, "bob@example.com").await;
        let now = crate::now_ms();
        let (id, token) = exported(&state, &ada, "ada@example.com", now).await;
        let not_found = |r: Result<export::Download, ExportError>| {
            assert!(matches!(r, Err(ExportError::NotFound)), "{r:?}")
        };
        not_found(export::open_download(&state, &bob, &id, &token, now).await);
        not_found(export::open_download(&state, &ada, &id, "0123abcd", now).await);
        not_found(export::open_download(&state, &ada, &id, "", now).await);
        not_found(export::open_download(&state, &ada, &crate::new_id(), &token, now).await);
        export::open_download(&state, &ada, &id, &token, now + 7 * DAY - 1)
            .await
            .unwrap();
        let expired = export::open_download(&state, &ada, &id, &token, now + 7 * DAY).await;
        assert!(matches!(expired, Err(ExportError::Expired)), "{expired:?}");

        let key = StorageKey::parse(format!("exports/{id}.zip")).unwrap();
        assert!(state.storage.get(&key).await.unwrap().is_some());
        assert_eq!(
            export::expire_due(&state, now + 7 * DAY - 1, false)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            export::expire_due(&state, now + 7 * DAY, true)
                .await
                .unwrap(),
            1
        );
        assert!(state.storage.get(&key).await.unwrap().is_some(), "dry run");
        // Two sweepers at once: the export is counted once.
        let (a, b) = tokio::join!(
            export::expire_due(&state, now + 7 * DAY, false),
            export::expire_due(&state, now + 7 * DAY, false)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        assert!(state.storage.get(&key).await.unwrap().is_none());
        assert!(export::list(&db, &ada).await.unwrap().is_empty());
        assert_eq!(
            export::expire_due(&state, now + 8 * DAY, false)
                .await
                .unwrap(),
            0
        );
    }
);

db_test!(exports_are_limited_per_day, |db: Db| async move {
    let (state, _dir) = state_with(db.clone(), quiet);
    let ada = insert_user(&db, "ada@example.com").await;
    let now = crate::now_ms();
    for i in 0..3 {
        export::request(&state, &ada, now + i).await.unwrap();
        export::run_pending(&state, now + i).await.unwrap();
    }
    match export::request(&state, &ada, now + 3).await {
        Err(ExportError::Limited {
            retry_after_seconds,
        }) => assert_eq!(retry_after_seconds, 86_400),
        other => panic!("expected a limit, got {other:?}"),
    }
    // A day after the first, one more is allowed.
    export::request(&state, &ada, now + DAY + 1).await.unwrap();
});

db_test!(
    a_failing_export_is_retried_then_marked_failed,
    |db: Db| async move {
        // Nothing listens on port 1: every email fails, so every attempt fails.
        let (state, _dir) = state_with(db.clone(), |f| {
            quiet(f)
                .merge(Serialized::default("email_transport", "smtp"))
                .merge(Serialized::default("smtp_url", "smtp://127.0.0.1:1"))
        });
        let ada = insert_user(&db, "ada@example.com").await;
        let now = crate::now_ms();
        let id = export::request(&state, &ada, now).await.unwrap();
        let status = || async {
            sqlx::query_as::<_, (String, i64)>(
                "SELECT status, attempts FROM data_exports WHERE id = $1",
            )
            .bind(&id)
            .fetch_one(db.pool())
            .await
            .unwrap()
        };
        assert_eq!(export::run_pending(&state, now).await.unwrap(), 0);
        assert_eq!(status().await, ("queued".into(), 1));
        // It waits before the next attempt.
        export::run_pending(&state, now + 59_000).await.unwrap();
        assert_eq!(status().await, ("queued".into(), 1));
        export::run_pending(&state, now + 61_000).await.unwrap();
        assert_eq!(status().await, ("queued".into(), 2));
        export::run_pending(&state, now + 61_000 + 241_000)
            .await
            .unwrap();
        assert_eq!(status().await, ("failed".into(), 3));
        // Nothing half-made stays behind, and the person may ask again.
        let key = StorageKey::parse(format!("exports/{id}.zip")).unwrap();
        assert!(state.storage.get(&key).await.unwrap().is_none());
        let again = export::request(&state, &ada, now + 400_000).await.unwrap();
        assert_ne!(again, id);
    }
);

db_test!(a_lapsed_export_lease_is_taken_over, |db: Db| async move {
    let (state, _dir) = state_with(db.clone(), quiet);
    let ada = insert_user(&db, "ada@example.com").await;
    let now = crate::now_ms();
    let id = export::request(&state, &ada, now).await.unwrap();
    // A worker took it and stopped: it holds a lease until now + 10 s.
    sqlx::query(
        "UPDATE data_exports SET status = 'running', attempts = 1, lease_until = $2 \
             WHERE id = $1",
    )
    .bind(&id)
    .bind(now + 10_000)
    .execute(db.pool())
    .await
    .unwrap();
    assert_eq!(export::run_pending(&state, now).await.unwrap(), 0);
    assert_eq!(export::run_pending(&state, now + 10_001).await.unwrap(), 1);
    assert_eq!(
        export::list(&db, &ada).await.unwrap()[0].status,
        ExportStatus::Ready
    );
});

fn with_password(email: &str, password: &str) -> Reauth {
    Reauth {
        password: Some(SecretString::from(password)),
        confirm_email: email.to_uppercase(),
        signed_in_at: None,
        two_factor_code: None,
    }
}

async fn count(db: &Db, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// Rows of the person's content and ways in.
async fn footprint(db: &Db, id: &str) -> Vec<i64> {
    let mut counts = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1",
        "SELECT COUNT(*) FROM uploads WHERE user_id = $1",
        "SELECT COUNT(*) FROM tasks WHERE user_id = $1",
        "SELECT COUNT(*) FROM task_outputs o JOIN tasks t ON t.id = o.task_id WHERE t.user_id = $1",
        "SELECT COUNT(*) FROM moderation_flags WHERE user_id = $1",
        "SELECT COUNT(*) FROM oauth_identities WHERE user_id = $1",
        "SELECT COUNT(*) FROM auth_tokens WHERE user_id = $1",
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1",
        "SELECT COUNT(*) FROM data_exports WHERE user_id = $1",
        "SELECT COUNT(*) FROM users WHERE id = $1 AND deleted_at IS NOT NULL",
    ] {
        counts.push(count(db, sql, id).await);
    }
    counts
}

db_test!(a_wrong_password_deletes_nothing, |db: Db| async move {
    let (state, _dir) = state_with(db.clone(), quiet);
    let (ada, bart) = two_people(&state).await;
    let before = footprint(&db, &ada.id).await;
    assert!(before.iter().take(8).all(|n| *n > 0), "{before:?}");
    let now = crate::now_ms();
    // The right password with someone else's address is refused too.
    let mut wrong_address = with_password(&ada.email, PASSWORD);
    wrong_address.confirm_email = bart.email.clone();
    let refused = deletion::delete_account(&state, &ada.id, wrong_address, now, None).await;
    assert!(
        matches!(refused, Err(DeletionError::EmailMismatch)),
        "{refused:?}"
    );
    for reauth in [
        with_password(&ada.email, "not the password"),
        with_password(&ada.email, ""),
    ] {
        let refused = deletion::delete_account(&state, &ada.id, reauth, now, None).await;
        assert!(
            matches!(refused, Err(DeletionError::WrongPassword)),
            "{refused:?}"
        );
    }
    assert_eq!(footprint(&db, &ada.id).await, before);
    for key in &ada.files {
        assert!(state.storage.get(key).await.unwrap().is_some(), "{key}");
    }
    accounts::authenticate(&state, &ada.email, SecretString::from(PASSWORD))
        .await
        .unwrap();
    // The form cannot be used to guess: five tries per quarter hour.
    for _ in 0..2 {
        let _ = deletion::delete_account(
            &state,
            &ada.id,
            with_password(&ada.email, "guess"),
            now,
            None,
        )
        .await;
    }
    let limited = deletion::delete_account(
        &state,
        &ada.id,
        with_password(&ada.email, PASSWORD),
        now,
        None,
    )
    .await;
    assert!(
        matches!(limited, Err(DeletionError::Limited { .. })),
        "{limited:?}"
    );
    assert_eq!(footprint(&db, &ada.id).await, before);
});

db_test!(
    deleting_signs_out_empties_and_locks_the_account,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), quiet);
        let (ada, bart) = two_people(&state).await;
        let now = crate::now_ms();
        exported(&state, &ada.id, &ada.email, now).await;
        let bart_before = footprint(&db, &bart.id).await;
        let queued = tasks::get(&db, &ada.queued_task).await.unwrap().unwrap();
        let reservation = queued.reservation_id.unwrap();
        assert_eq!(
            credits::reservation_status(&db, &reservation)
                .await
                .unwrap(),
            "held"
        );

        deletion::delete_account(
            &state,
            &ada.id,
            with_password(&ada.email, PASSWORD),
            now,
            Some("203.0.113.11"),
        )
        .await
        .unwrap();

        // Signed out everywhere, content and ways in gone, the account marked.
        assert_eq!(
            footprint(&db, &ada.id).await,
            vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM sessions WHERE data LIKE '%' || $1 || '%'",
                &ada.id
            )
            .await,
            0,
            "the session waiting for a code is gone too"
        );
        for key in &ada.files {
            assert!(state.storage.get(key).await.unwrap().is_none(), "{key}");
        }
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM storage_deletions WHERE storage_key <> $1",
                ""
            )
            .await,
            0
        );
        // Credits held for queued work came back; the subscription ends with its period.
        assert_eq!(
            credits::reservation_status(&db, &reservation)
                .await
                .unwrap(),
            "released"
        );
        assert_eq!(credits::balance(&db, &ada.id, now).await.unwrap().held, 0);
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM subscriptions WHERE user_id = $1 AND cancel_at_period_end = 0",
                &ada.id
            )
            .await,
            0
        );
        let (deleted_at, purge_after, hash, totp): (i64, i64, Option<String>, Option<String>) =
            sqlx::query_as(
                "SELECT deleted_at, purge_after, password_hash, totp_secret FROM users WHERE id = $1",
            )
            .bind(&ada.id)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!((deleted_at, purge_after), (now, now + 90 * DAY));
        assert!(hash.is_none() && totp.is_none());
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM privacy_preferences WHERE user_id = $1 \
                 AND marketing_opt_in_at IS NULL AND marketing_opt_out_at IS NOT NULL",
                &ada.id
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE subject_id = $1 AND action = 'account.deleted'",
                &ada.id
            )
            .await,
            1
        );
        let mail = outbox_latest_to(&db, &ada.email).await.unwrap().unwrap();
        assert_eq!(mail.kind, "account_deleted");

        // Nobody signs in to it: not with the password, not through a provider, and
        // deleting again finds nothing.
        let refused =
            accounts::authenticate(&state, &ada.email, SecretString::from(PASSWORD)).await;
        assert!(
            matches!(refused, Err(accounts::AccountError::InvalidCredentials)),
            "{refused:?}"
        );
        assert!(accounts::find_user(&db, &ada.id).await.unwrap().is_none());
        let profile = accounts::oauth::ProviderProfile {
            provider: accounts::oauth::Provider::Github,
            subject: "gh-new".into(),
            email: Some(ada.email.clone()),
            email_verified: true,
            name: None,
        };
        let oauth = accounts::oauth::resolve(&state, profile, None).await;
        assert!(
            matches!(oauth, Err(accounts::AccountError::InvalidCredentials)),
            "{oauth:?}"
        );
        let again = deletion::delete_account(
            &state,
            &ada.id,
            with_password(&ada.email, PASSWORD),
            now,
            None,
        )
        .await;
        assert!(matches!(again, Err(DeletionError::NotFound)), "{again:?}");

        // Bart is untouched.
        assert_eq!(footprint(&db, &bart.id).await, bart_before);
        for key in &bart.files {
            assert!(state.storage.get(key).await.unwrap().is_some(), "{key}");
        }
    }
);

db_test!(
    an_account_without_password_confirms_with_its_address_and_a_fresh_sign_in,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), quiet);
        let id = insert_user(&db, "oauth.only@example.com").await;
        let now = crate::now_ms();
        let reauth = |email: &str, signed_in_at: Option<i64>| Reauth {
            password: None,
            confirm_email: email.into(),
            signed_in_at,
            two_factor_code: None,
        };
        let wrong = deletion::delete_account(
            &state,
            &id,
            reauth("someone@example.com", Some(now)),
            now,
            None,
        )
        .await;
        assert!(
            matches!(wrong, Err(DeletionError::EmailMismatch)),
            "{wrong:?}"
        );
        let stale = deletion::delete_account(
            &state,
            &id,
            reauth("oauth.only@example.com", Some(now - 16 * 60_000)),
            now,
            None,
        )
        .await;
        assert!(
            matches!(stale, Err(DeletionError::SignInTooOld)),
            "{stale:?}"
        );
        let unknown = deletion::delete_account(
            &state,
            &id,
            reauth("oauth.only@example.com", None),
            now,
            None,
        )
        .await;
        assert!(matches!(unknown, Err(DeletionError::SignInTooOld)));
        assert!(accounts::find_user(&db, &id).await.unwrap().is_some());
        deletion::delete_account(
            &state,
            &id,
            reauth(" OAuth.Only@example.com ", Some(now - 14 * 60_000)),
            now,
            None,
        )
        .await
        .unwrap();
        assert!(accounts::find_user(&db, &id).await.unwrap().is_none());
    }
);

/// Every value of every column of every table, as text.
async fn every_value(db: &Db) -> Vec<(String, String, String)> {
    let tables: Vec<String> = match db.backend() {
        Backend::Sqlite => sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        ),
        Backend::Postgres => sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        ),
    }
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert!(tables.len() >= 30, "{tables:?}");
    let mut values = Vec::new();
    for table in tables {
        // The migrations' own bookkeeping: their SQL, never anyone's data.
        if table == "_sqlx_migrations" {
            continue;
        }
        let columns: Vec<String> = match db.backend() {
            Backend::Sqlite => sqlx::query_scalar("SELECT name FROM pragma_table_info($1)"),
            Backend::Postgres => sqlx::query_scalar(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
            ),
        }
        .bind(&table)
        .fetch_all(db.pool())
        .await
        .unwrap();
        for column in columns {
            let cells: Vec<Option<String>> = sqlx::query_scalar(&format!(
                "SELECT CAST(\"{column}\" AS TEXT) FROM \"{table}\""
            ))
            .fetch_all(db.pool())
            .await
            .unwrap();
            for cell in cells.into_iter().flatten() {
                values.push((table.clone(), column.clone(), cell));
            }
        }
    }
    values
}

fn traces<'a>(
    values: &'a [(String, String, String)],
    person: &Person,
) -> Vec<&'a (String, String, String)> {
    values
        .iter()
        .filter(|(_, _, v)| {
            let lower = v.to_lowercase();
            v.contains(&person.id)
                || lower.contains(&person.email.to_lowercase())
                || lower.contains(&person.name.to_lowercase())
        })
        .collect()
}

/// What the pseudonymized payment records of a person add up to.
async fn ledger(db: &Db, user_id: &str) -> (i64, i64, i64, i64, i64) {
    let orders = count(
        db,
        "SELECT COUNT(*) FROM orders WHERE user_id = $1",
        user_id,
    )
    .await;
    let lots = count(
        db,
        "SELECT COUNT(*) FROM credit_lots WHERE user_id = $1",
        user_id,
    )
    .await;
    let entries = count(
        db,
        "SELECT COUNT(*) FROM ledger_entries WHERE user_id = $1",
        user_id,
    )
    .await;
    let sum = count(
        db,
        "SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM ledger_entries WHERE user_id = $1",
        user_id,
    )
    .await;
    let balance = count(
        db,
        "SELECT ledger_balance FROM credit_accounts WHERE user_id = $1",
        user_id,
    )
    .await;
    (orders, lots, entries, sum, balance)
}

db_test!(
    after_ninety_days_the_purge_leaves_no_trace_but_the_pseudonymous_ledger,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), quiet);
        let (ada, bart) = two_people(&state).await;
        let now = crate::now_ms();
        exported(&state, &ada.id, &ada.email, now).await;
        let bart_ledger = ledger(&db, &bart.id).await;
        deletion::delete_account(
            &state,
            &ada.id,
            with_password(&ada.email, PASSWORD),
            now,
            None,
        )
        .await
        .unwrap();
        let before = ledger(&db, &ada.id).await;
        assert!(
            before.0 == 2 && before.1 >= 3 && before.2 >= 5,
            "{before:?}"
        );
        assert_eq!(before.3, before.4, "the ledger sums to the balance");
        // After the deletion the profile is still there, for disputes.
        assert!(!traces(&every_value(&db).await, &ada).is_empty());

        assert_eq!(
            deletion::purge_due(&state, now + 90 * DAY - 1, false)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            deletion::purge_due(&state, now + 90 * DAY, true)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            deletion::purge_due(&state, now + 90 * DAY, false)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            deletion::purge_due(&state, now + 90 * DAY + 1, false)
                .await
                .unwrap(),
            0,
            "purged once"
        );

        let values = every_value(&db).await;
        let left = traces(&values, &ada);
        assert!(left.is_empty(), "traces of the purged person: {left:#?}");

        // The payment records stay, under the pseudonym, and still add up.
        let alias = pseudonym(&state, &ada.id);
        let after = ledger(&db, &alias).await;
        assert_eq!(after, before);
        let (remaining, debt): (i64, i64) = (
            count(
                &db,
                "SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM credit_lots \
                 WHERE user_id = $1 \
                 AND frozen = 0",
                &alias,
            )
            .await,
            count(
                &db,
                "SELECT debt FROM credit_accounts WHERE user_id = $1",
                &alias,
            )
            .await,
        );
        assert_eq!(remaining - debt, after.4);
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'account.purged' AND subject_id = $1",
                &alias
            )
            .await,
            1
        );
        assert!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE subject_id = $1",
                &alias
            )
            .await
                > 2,
            "her history stays under the pseudonym"
        );

        // Bart's account and records are untouched.
        assert!(accounts::find_user(&db, &bart.id).await.unwrap().is_some());
        assert_eq!(ledger(&db, &bart.id).await, bart_ledger);
        assert!(!traces(&values, &bart).is_empty());
        for key in &bart.files {
            assert!(state.storage.get(key).await.unwrap().is_some(), "{key}");
        }
    }
);

db_test!(
    concurrent_purges_purge_each_account_once,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), quiet);
        let now = crate::now_ms();
        let mut ids = Vec::new();
        for i in 0..3 {
            let email = format!("gone{i}@example.com");
            let id = insert_user(&db, &email).await;
            deletion::delete_account(
                &state,
                &id,
                Reauth {
                    password: None,
                    confirm_email: email,
                    signed_in_at: Some(now),
                    two_factor_code: None,
                },
                now,
                None,
            )
            .await
            .unwrap();
            ids.push(id);
        }
        let later = now + 91 * DAY;
        let (a, b) = tokio::join!(
            deletion::purge_due(&state, later, false),
            deletion::purge_due(&state, later, false)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 3);
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE action = $1",
                "account.purged"
            )
            .await,
            3
        );
        for id in &ids {
            assert_eq!(
                count(&db, "SELECT COUNT(*) FROM users WHERE id = $1", id).await,
                0
            );
        }
        assert_eq!(deletion::purge_due(&state, later, false).await.unwrap(), 0);
    }
);

/// What a local payment provider peer was asked: path, credential header, body.
type Seen = std::sync::Arc<std::sync::Mutex<Vec<(String, String, String)>>>;

/// A peer speaking the two providers' subscription endpoints: Stripe's update
/// (`POST /v1/subscriptions/{id}`, form body, bearer key) and Creem's cancel
/// (`POST /v1/subscriptions/{id}/cancel`, JSON body, `x-api-key`).
async fn provider_peer(seen: Seen) -> String {
    use axum::{
        extract::{Path, State},
        http::HeaderMap,
        routing::post,
    };
    async fn record(
        State(seen): State<Seen>,
        Path(path): Path<String>,
        headers: HeaderMap,
        body: String,
    ) -> axum::Json<serde_json::Value> {
        let credential = headers
            .get("authorization")
            .or_else(|| headers.get("x-api-key"))
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        seen.lock()
            .unwrap()
            .push((format!("/v1/subscriptions/{path}"), credential, body));
        axum::Json(serde_json::json!({ "id": path, "status": "active" }))
    }
    let router = axum::Router::new()
        .route("/v1/subscriptions/{*path}", post(record))
        .with_state(seen);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

db_test!(
    a_deleted_accounts_subscriptions_end_at_their_providers,
    |db: Db| async move {
        let seen = Seen::default();
        let url = provider_peer(seen.clone()).await;
        let stripe_key = format!("{}-{}", "stripe", "peer-credential");
        let creem_key = format!("{}-{}", "creem", "peer-credential");
        let (state, _dir) = state_with(db.clone(), |f| {
            quiet(f)
                .merge(Serialized::default("stripe_secret_key", &stripe_key))
                .merge(Serialized::default(
                    "stripe_webhook_secret",
                    "stripe-peer-signing",
                ))
                .merge(Serialized::default("stripe_api_url", &url))
                .merge(Serialized::default("creem_api_key", &creem_key))
                .merge(Serialized::default(
                    "creem_webhook_secret",
                    "creem-peer-signing",
                ))
                .merge(Serialized::default("creem_api_url", &url))
        });
        let email = "subscriber@example.com";
        let id = insert_user(&db, email).await;
        for (provider, subscription, status) in [
            ("stripe", "sub_stripe_live", "active"),
            ("creem", "sub_creem_live", "active"),
            ("local", "local_sub_live", "active"),
            ("stripe", "sub_stripe_over", "cancelled"),
        ] {
            run(
                &state,
                "INSERT INTO subscriptions (id, user_id, provider, provider_subscription_id, \
                 plan_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, 'pro-monthly', $5, 0, 0)",
                &[&crate::new_id(), &id, provider, subscription, status],
            )
            .await;
        }
        let now = crate::now_ms();
        deletion::delete_account(
            &state,
            &id,
            Reauth {
                password: None,
                confirm_email: email.into(),
                signed_in_at: Some(now),
                two_factor_code: None,
            },
            now,
            None,
        )
        .await
        .unwrap();
        let mut calls = seen.lock().unwrap().clone();
        calls.sort();
        assert_eq!(calls.len(), 2, "{calls:?}");
        assert_eq!(calls[0].0, "/v1/subscriptions/sub_creem_live/cancel");
        assert_eq!(calls[0].1, creem_key);
        let body: serde_json::Value = serde_json::from_str(&calls[0].2).unwrap();
        assert_eq!(body["mode"], "scheduled");
        assert_eq!(calls[1].0, "/v1/subscriptions/sub_stripe_live");
        assert_eq!(calls[1].1, format!("Bearer {stripe_key}"));
        assert_eq!(calls[1].2, "cancel_at_period_end=true");
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM subscriptions WHERE user_id = $1 \
                 AND status = 'active' AND cancel_at_period_end = 1",
                &id
            )
            .await,
            3
        );
    }
);

db_test!(
    an_account_with_two_factor_also_gives_a_code,
    |db: Db| async move {
        let (state, _dir) = state_with(db.clone(), quiet);
        let email = "admin@example.com";
        let id = insert_user(&db, email).await;
        let secret = crate::totp::TotpSecret::generate();
        sqlx::query(
            "UPDATE users SET role = 'admin', totp_secret = $1, totp_enabled_at = 1 WHERE id = $2",
        )
        .bind(secret.to_base32())
        .bind(&id)
        .execute(db.pool())
        .await
        .unwrap();
        let now = crate::now_ms();
        let reauth = |code: Option<String>| Reauth {
            password: None,
            confirm_email: email.into(),
            signed_in_at: Some(now),
            two_factor_code: code,
        };
        for code in [None, Some("abcdef".to_string())] {
            let refused = deletion::delete_account(&state, &id, reauth(code), now, None).await;
            assert!(
                matches!(refused, Err(DeletionError::TwoFactorCode)),
                "{refused:?}"
            );
        }
        assert!(accounts::find_user(&db, &id).await.unwrap().is_some());
        let code = secret.code_at(crate::now_ms() / 1000);
        deletion::delete_account(&state, &id, reauth(Some(code)), now, None)
            .await
            .unwrap();
        assert!(accounts::find_user(&db, &id).await.unwrap().is_none());
    }
);

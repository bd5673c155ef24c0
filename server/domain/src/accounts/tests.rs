use super::*;
use crate::{
    AppState, audit,
    email::outbox_latest_to,
    now_ms,
    testing::{state_for, token_in},
};
use secrecy::SecretString;
use testkit::db_test;
use tower_sessions_core::{SessionStore, session::Record};

fn form(email: &str, password: &str) -> NewAccount {
    NewAccount {
        email: email.into(),
        password: SecretString::from(password),
        display_name: "Ada".into(),
        locale: "en".into(),
        age_confirmed: true,
        terms_accepted: true,
    }
}

async fn latest_token(state: &AppState, to: &str) -> String {
    let mail = outbox_latest_to(&state.db, to)
        .await
        .expect("outbox readable")
        .expect("an email was sent");
    token_in(&mail.text)
}

async fn signed_up(state: &AppState, email: &str, password: &str) -> User {
    match sign_up(state, form(email, password)).await.unwrap() {
        SignUp::Created(user) => *user,
        other => panic!("expected a new account, got {other:?}"),
    }
}

db_test!(
    sign_up_stores_a_hash_and_sends_a_verification_link,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        let user = signed_up(&state, " Ada@Example.com ", "purple banana skyline").await;
        assert_eq!(user.email, "ada@example.com");
        assert!(!user.email_verified);
        assert_eq!(user.role, Role::User);
        let (hash, terms): (String, String) =
            sqlx::query_as("SELECT password_hash, terms_version FROM users WHERE id = $1")
                .bind(user.id.clone())
                .fetch_one(state.db.pool())
                .await
                .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains("purple"));
        assert_eq!(terms, crate::privacy::TERMS_VERSION);

        let mail = outbox_latest_to(&state.db, "ada@example.com")
            .await
            .unwrap()
            .unwrap();
        assert!(mail.text.contains("http://banana.test/verify-email?token="));
        let token = token_in(&mail.text);
        let verified = verify_email(&state, &token).await.unwrap();
        assert!(verified.email_verified);
        // Single use.
        assert!(matches!(
            verify_email(&state, &token).await,
            Err(AccountError::TokenUsed)
        ));
        assert!(matches!(
            verify_email(&state, "deadbeef").await,
            Err(AccountError::TokenInvalid)
        ));
    }
);

db_test!(
    sign_up_never_reveals_a_registered_address,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        signed_up(&state, "ada@example.com", "purple banana skyline").await;
        let again = sign_up(&state, form("ADA@example.com", "another fine phrase"))
            .await
            .unwrap();
        assert!(matches!(again, SignUp::AlreadyRegistered));
        let mail = outbox_latest_to(&state.db, "ada@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(mail.kind, "account_exists");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(state.db.pool())
            .await
            .unwrap();
        assert_eq!(count, 1);
    }
);

db_test!(sign_up_checks_age_terms_and_password, |db: Db| async move {
    let (state, _dir) = state_for(db);
    let mut f = form("a@example.com", "purple banana skyline");
    f.age_confirmed = false;
    assert!(matches!(
        sign_up(&state, f).await,
        Err(AccountError::AgeNotConfirmed)
    ));
    let mut f = form("a@example.com", "purple banana skyline");
    f.terms_accepted = false;
    assert!(matches!(
        sign_up(&state, f).await,
        Err(AccountError::TermsNotAccepted)
    ));
    assert!(matches!(
        sign_up(&state, form("a@example.com", "password1")).await,
        Err(AccountError::Password(PasswordError::TooCommon))
    ));
    assert!(matches!(
        sign_up(&state, form("a@example.com", "short")).await,
        Err(AccountError::Password(PasswordError::TooShort))
    ));
    assert!(matches!(
        sign_up(&state, form("not-an-email", "purple banana skyline")).await,
        Err(AccountError::Profile(ProfileError::Email))
    ));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(state.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing half-stored");
});

db_test!(
    wrong_password_and_unknown_email_fail_alike,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        signed_up(&state, "ada@example.com", "purple banana skyline").await;
        let ok = authenticate(
            &state,
            "ADA@example.com",
            SecretString::from("purple banana skyline"),
        )
        .await
        .unwrap();
        assert_eq!(ok.email, "ada@example.com");
        let wrong = authenticate(
            &state,
            "ada@example.com",
            SecretString::from("nope nope nope"),
        )
        .await
        .unwrap_err();
        let unknown = authenticate(
            &state,
            "bob@example.com",
            SecretString::from("nope nope nope"),
        )
        .await
        .unwrap_err();
        assert_eq!(wrong.message_key(), unknown.message_key());
        assert_eq!(wrong.to_string(), unknown.to_string());
    }
);

db_test!(expired_links_are_refused, |db: Db| async move {
    let (state, _dir) = state_for(db);
    let user = signed_up(&state, "ada@example.com", "purple banana skyline").await;
    let token = latest_token(&state, "ada@example.com").await;
    sqlx::query("UPDATE auth_tokens SET expires_at = $1 WHERE user_id = $2")
        .bind(now_ms() - 1)
        .bind(user.id.clone())
        .execute(state.db.pool())
        .await
        .unwrap();
    assert!(matches!(
        verify_email(&state, &token).await,
        Err(AccountError::TokenExpired)
    ));
    // A verification link cannot be used as a reset link.
    request_password_reset(&state, "ada@example.com")
        .await
        .unwrap();
    let reset = latest_token(&state, "ada@example.com").await;
    assert!(matches!(
        verify_email(&state, &reset).await,
        Err(AccountError::TokenInvalid)
    ));
});

db_test!(resending_verification_has_a_cooldown, |db: Db| async move {
    let (state, _dir) = state_for(db);
    let user = signed_up(&state, "ada@example.com", "purple banana skyline").await;
    match send_verification(&state, &user).await {
        Err(AccountError::Cooldown { seconds }) => assert!((55..=60).contains(&seconds)),
        other => panic!("expected a cooldown, got {other:?}"),
    }
    sqlx::query("UPDATE auth_tokens SET created_at = created_at - 61000")
        .execute(state.db.pool())
        .await
        .unwrap();
    send_verification(&state, &user).await.unwrap();
});

async fn session_for(state: &AppState, user_id: &str) -> Record {
    let store = sessions::DbSessionStore::new(state.db.clone());
    let mut data = std::collections::HashMap::new();
    data.insert(
        sessions::keys::USER_ID.to_string(),
        serde_json::json!(user_id),
    );
    data.insert(
        sessions::keys::DEVICE.to_string(),
        serde_json::json!({ "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "ip": "203.0.113.9", "location": "203.0.113.x" }),
    );
    let mut record = Record {
        id: Default::default(),
        data,
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    store.create(&mut record).await.unwrap();
    record
}

db_test!(
    reset_sets_the_password_and_ends_every_session,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        let user = signed_up(&state, "ada@example.com", "purple banana skyline").await;
        let store = sessions::DbSessionStore::new(state.db.clone());
        let session = session_for(&state, &user.id).await;
        assert!(store.load(&session.id).await.unwrap().is_some());

        // Unknown addresses are answered the same and get nothing.
        request_password_reset(&state, "nobody@example.com")
            .await
            .unwrap();
        assert!(
            outbox_latest_to(&state.db, "nobody@example.com")
                .await
                .unwrap()
                .is_none()
        );

        request_password_reset(&state, "ada@example.com")
            .await
            .unwrap();
        let token = latest_token(&state, "ada@example.com").await;
        // A weak password does not spend the link.
        assert!(matches!(
            reset_password(&state, &token, SecretString::from("qwerty123")).await,
            Err(AccountError::Password(PasswordError::TooCommon))
        ));
        let user = reset_password(&state, &token, SecretString::from("orange river lantern"))
            .await
            .unwrap();
        assert!(user.email_verified, "the link proved the address");
        assert!(
            store.load(&session.id).await.unwrap().is_none(),
            "session revoked"
        );
        assert!(matches!(
            reset_password(&state, &token, SecretString::from("orange river lantern 2")).await,
            Err(AccountError::TokenUsed)
        ));
        authenticate(
            &state,
            "ada@example.com",
            SecretString::from("orange river lantern"),
        )
        .await
        .unwrap();
        assert!(
            authenticate(
                &state,
                "ada@example.com",
                SecretString::from("purple banana skyline")
            )
            .await
            .is_err()
        );
    }
);

db_test!(reset_links_expire_after_an_hour, |db: Db| async move {
    let (state, _dir) = state_for(db);
    signed_up(&state, "ada@example.com", "purple banana skyline").await;
    request_password_reset(&state, "ada@example.com")
        .await
        .unwrap();
    let (created, expires): (i64, i64) = sqlx::query_as(
        "SELECT created_at, expires_at FROM auth_tokens WHERE purpose = 'reset-password'",
    )
    .fetch_one(state.db.pool())
    .await
    .unwrap();
    assert_eq!(expires - created, 3_600_000);
});

db_test!(
    changing_the_password_ends_the_other_sessions,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        let user = signed_up(&state, "ada@example.com", "purple banana skyline").await;
        let store = sessions::DbSessionStore::new(state.db.clone());
        let mine = session_for(&state, &user.id).await;
        let other = session_for(&state, &user.id).await;
        assert!(matches!(
            change_password(
                &state,
                &user.id,
                Some(SecretString::from("wrong guess here")),
                SecretString::from("orange river lantern"),
                Some(&mine.id.to_string()),
            )
            .await,
            Err(AccountError::WrongCurrentPassword)
        ));
        change_password(
            &state,
            &user.id,
            Some(SecretString::from("purple banana skyline")),
            SecretString::from("orange river lantern"),
            Some(&mine.id.to_string()),
        )
        .await
        .unwrap();
        assert!(store.load(&mine.id).await.unwrap().is_some());
        assert!(store.load(&other.id).await.unwrap().is_none());
        let mail = outbox_latest_to(&state.db, "ada@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(mail.kind, "password_changed");
    }
);

db_test!(
    changing_the_email_needs_the_new_address_confirmed,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        let user = signed_up(&state, "ada@example.com", "purple banana skyline").await;
        signed_up(&state, "taken@example.com", "purple banana skyline").await;
        request_email_change(
            &state,
            &user.id,
            "new@example.com",
            Some(SecretString::from("purple banana skyline")),
        )
        .await
        .unwrap();
        // Nothing changes until the link is opened.
        assert_eq!(
            find_user(&state.db, &user.id).await.unwrap().unwrap().email,
            "ada@example.com"
        );
        let token = latest_token(&state, "new@example.com").await;
        let changed = confirm_email_change(&state, &token).await.unwrap();
        assert_eq!(changed.email, "new@example.com");
        assert!(changed.email_verified);
        let notice = outbox_latest_to(&state.db, "ada@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(notice.kind, "email_changed");
        // A taken address gets no mail and the same answer.
        request_email_change(
            &state,
            &user.id,
            "taken@example.com",
            Some(SecretString::from("purple banana skyline")),
        )
        .await
        .unwrap();
        let to_taken = outbox_latest_to(&state.db, "taken@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(to_taken.kind, "verify_email");
    }
);

db_test!(
    profile_changes_are_validated_and_audited,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        let user = signed_up(&state, "ada@example.com", "purple banana skyline").await;
        let mut change = ProfileChange {
            display_name: "Ada L.".into(),
            locale: "zh-CN".into(),
            theme: "dark".into(),
            company_name: "Analytical Engines Ltd".into(),
            region: "London".into(),
            phone: "+44 20 7946 0958".into(),
            bio: "Poetical science.".into(),
        };
        let updated = update_profile(&state, &user.id, change.clone(), Some("203.0.113.9"))
            .await
            .unwrap();
        assert_eq!(updated.phone.as_deref(), Some("+442079460958"));
        assert_eq!(updated.locale, "zh-CN");
        assert_eq!(updated.theme.as_deref(), Some("dark"));
        let entries = audit::for_subject(&state.db, &user.id, 10).await.unwrap();
        let entry = entries
            .iter()
            .find(|e| e.action == "profile.updated")
            .unwrap();
        assert!(entry.detail.contains("phone") && !entry.detail.contains("7946"));
        change.phone = "020 7946 0958".into();
        assert!(matches!(
            update_profile(&state, &user.id, change.clone(), None).await,
            Err(AccountError::Profile(ProfileError::Phone))
        ));
        change.phone = String::new();
        change.bio = "b".repeat(501);
        assert!(matches!(
            update_profile(&state, &user.id, change, None).await,
            Err(AccountError::Profile(ProfileError::Bio))
        ));
        let kept = find_user(&state.db, &user.id).await.unwrap().unwrap();
        assert_eq!(
            kept.phone.as_deref(),
            Some("+442079460958"),
            "nothing half-stored"
        );
    }
);

db_test!(
    devices_are_listed_and_revoked_by_their_owner_only,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        let ada = signed_up(&state, "ada@example.com", "purple banana skyline").await;
        let bob = signed_up(&state, "bob@example.com", "purple banana skyline").await;
        let store = sessions::DbSessionStore::new(state.db.clone());
        let first = session_for(&state, &ada.id).await;
        let second = session_for(&state, &ada.id).await;
        let devices = sessions::list_devices(&state.db, &ada.id, Some(&first.id.to_string()))
            .await
            .unwrap();
        assert_eq!(devices.len(), 2);
        assert_eq!(devices.iter().filter(|d| d.current).count(), 1);
        assert_eq!(devices[0].browser, "Firefox");
        assert_eq!(devices[0].os, "Linux");
        let target = devices.iter().find(|d| !d.current).unwrap().handle.clone();
        // Bob cannot end Ada's session.
        assert!(
            !sessions::revoke_device(&state.db, &bob.id, &target)
                .await
                .unwrap()
        );
        assert!(store.load(&second.id).await.unwrap().is_some());
        assert!(
            sessions::revoke_device(&state.db, &ada.id, &target)
                .await
                .unwrap()
        );
        assert!(store.load(&second.id).await.unwrap().is_none());
        assert!(store.load(&first.id).await.unwrap().is_some());
        sessions::revoke_all(&state.db, &ada.id).await.unwrap();
        assert!(store.load(&first.id).await.unwrap().is_none());
    }
);

db_test!(
    expired_sessions_are_not_loaded_and_are_swept,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        let ada = signed_up(&state, "ada@example.com", "purple banana skyline").await;
        let store = sessions::DbSessionStore::new(state.db.clone());
        let record = session_for(&state, &ada.id).await;
        sqlx::query("UPDATE sessions SET expires_at = $1")
            .bind(now_ms() - 1)
            .execute(state.db.pool())
            .await
            .unwrap();
        assert!(store.load(&record.id).await.unwrap().is_none());
        assert_eq!(
            sessions::delete_expired(&state.db, now_ms()).await.unwrap(),
            1
        );
    }
);

db_test!(
    the_last_way_to_sign_in_cannot_be_unlinked,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        let profile = oauth::ProviderProfile {
            provider: oauth::Provider::Github,
            subject: "4242".into(),
            email: Some("grace@example.com".into()),
            email_verified: true,
            name: Some("Grace".into()),
        };
        let outcome = oauth::resolve(&state, profile.clone(), None).await.unwrap();
        let oauth::OAuthOutcome::NeedsSignUp(profile) = outcome else {
            panic!("a new person needs to sign up")
        };
        let grace = oauth::create_account(&state, &profile, "Grace", "en")
            .await
            .unwrap();
        assert!(grace.email_verified && !grace.has_password);
        assert!(matches!(
            oauth::unlink(&state, &grace.id, oauth::Provider::Github).await,
            Err(AccountError::LastSignInMethod)
        ));
        // Signing in again finds the same account.
        match oauth::resolve(&state, profile.clone(), None).await.unwrap() {
            oauth::OAuthOutcome::SignedIn(user) => assert_eq!(user.id, grace.id),
            other => panic!("{other:?}"),
        }
        change_password(
            &state,
            &grace.id,
            None,
            SecretString::from("orange river lantern"),
            None,
        )
        .await
        .unwrap();
        oauth::unlink(&state, &grace.id, oauth::Provider::Github)
            .await
            .unwrap();
        assert!(
            oauth::identities(&state, &grace.id)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

db_test!(
    a_verified_provider_email_links_and_evicts_a_squatter,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        // Someone registered the address without proving it.
        let squatter = signed_up(&state, "grace@example.com", "purple banana skyline").await;
        let _session = session_for(&state, &squatter.id).await;
        let profile = oauth::ProviderProfile {
            provider: oauth::Provider::Google,
            subject: "g-1".into(),
            email: Some("grace@example.com".into()),
            email_verified: true,
            name: None,
        };
        let user = match oauth::resolve(&state, profile, None).await.unwrap() {
            oauth::OAuthOutcome::SignedIn(user) => user,
            other => panic!("{other:?}"),
        };
        assert_eq!(user.id, squatter.id);
        assert!(user.email_verified && !user.has_password);
        let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(state.db.pool())
            .await
            .unwrap();
        assert_eq!(sessions, 0);
        // An unverified provider email neither links nor creates.
        let unverified = oauth::ProviderProfile {
            provider: oauth::Provider::Github,
            subject: "7".into(),
            email: Some("grace@example.com".into()),
            email_verified: false,
            name: None,
        };
        assert!(matches!(
            oauth::resolve(&state, unverified, None).await,
            Err(AccountError::ProviderEmailUnverified)
        ));
    }
);

db_test!(
    admins_enrol_two_factor_and_codes_are_single_use,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        let (admin, link) = create_admin(&state, "root@example.com").await.unwrap();
        assert_eq!(admin.role, Role::Admin);
        let link = link.expect("a new admin gets an invitation");
        let token = token_in(&link);
        reset_password(&state, &token, SecretString::from("orange river lantern"))
            .await
            .unwrap();
        let enrolment = two_factor::begin_enrolment(&state, &admin).await.unwrap();
        assert!(enrolment.qr_svg.contains("<svg"));
        assert!(enrolment.otpauth_uri.starts_with("otpauth://totp/"));
        let secret = crate::totp::TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
        let now = now_ms() / 1000;
        assert!(matches!(
            two_factor::confirm_enrolment(&state, &admin.id, &secret.code_at(now + 3600)).await,
            Err(AccountError::InvalidTwoFactorCode)
        ));
        let codes = two_factor::confirm_enrolment(&state, &admin.id, &secret.code_at(now))
            .await
            .unwrap();
        assert_eq!(codes.len(), two_factor::RECOVERY_CODES);
        let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM recovery_codes")
            .fetch_all(state.db.pool())
            .await
            .unwrap();
        assert!(
            stored.iter().all(|h| !codes.contains(h)),
            "only hashes are kept"
        );
        // The code used for enrolment cannot be replayed; the next step's can be used once.
        assert!(
            two_factor::verify(&state, &admin.id, &secret.code_at(now))
                .await
                .is_err()
        );
        let next = secret.code_at(now + 30);
        two_factor::verify(&state, &admin.id, &next).await.unwrap();
        assert!(two_factor::verify(&state, &admin.id, &next).await.is_err());
        // A recovery code works once.
        two_factor::verify(&state, &admin.id, &codes[0])
            .await
            .unwrap();
        assert!(
            two_factor::verify(&state, &admin.id, &codes[0])
                .await
                .is_err()
        );
        assert_eq!(
            two_factor::recovery_codes_left(&state, &admin.id)
                .await
                .unwrap(),
            9
        );
        // Promoting an existing account does not create a second one.
        let (again, none) = create_admin(&state, "ROOT@example.com").await.unwrap();
        assert_eq!(again.id, admin.id);
        assert!(none.is_none());
    }
);

db_test!(
    a_passwordless_account_needs_a_fresh_sign_in_to_change_email_or_password,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        let store = std::sync::Arc::new(sessions::DbSessionStore::new(state.db.clone()));
        let session_signed_in_at = |at: i64| {
            let store = store.clone();
            async move {
                let mut data = std::collections::HashMap::new();
                data.insert(
                    sessions::keys::SIGNED_IN_AT.to_string(),
                    serde_json::json!(at),
                );
                let mut record = Record {
                    id: Default::default(),
                    data,
                    expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
                };
                store.create(&mut record).await.unwrap();
                tower_sessions_core::Session::new(Some(record.id), store, None)
            }
        };
        let now = now_ms();
        // Signed in with a provider only: no password to prove ownership with.
        let id = crate::testing::insert_user(&state.db, "provider-only@example.com").await;
        let provider_only = find_user(&state.db, &id).await.unwrap().unwrap();
        assert!(!provider_only.has_password);
        let fresh = session_signed_in_at(now - 60_000).await;
        sessions::require_fresh_sign_in(&fresh, &provider_only, now)
            .await
            .unwrap();
        let stale = session_signed_in_at(now - sessions::FRESH_SIGN_IN_MS - 1).await;
        assert!(matches!(
            sessions::require_fresh_sign_in(&stale, &provider_only, now).await,
            Err(AccountError::ReauthenticationRequired)
        ));
        // With a password, its check is the proof: any session may ask.
        let with_password = signed_up(&state, "pw@example.com", "purple banana skyline").await;
        sessions::require_fresh_sign_in(&stale, &with_password, now)
            .await
            .unwrap();
    }
);

db_test!(
    a_second_factor_counts_only_for_the_account_that_gave_it,
    |db: Db| async move {
        let (state, _dir) = state_for(db);
        let store = std::sync::Arc::new(sessions::DbSessionStore::new(state.db.clone()));
        let session = tower_sessions_core::Session::new(None, store, None);
        sessions::record_second_factor(&session, "admin-a")
            .await
            .unwrap();
        assert!(sessions::second_factor_given(&session, "admin-a").await);
        assert!(!sessions::second_factor_given(&session, "admin-b").await);
        // Someone else signs in on the same browser: the mark is gone for everyone.
        sessions::begin(&session, "admin-b", sessions::DeviceInfo::default())
            .await
            .unwrap();
        assert!(!sessions::second_factor_given(&session, "admin-b").await);
        assert!(!sessions::second_factor_given(&session, "admin-a").await);
    }
);

//! The dashboard over HTTP, on both databases: signing in lands on it, visitors are sent to
//! sign in, and it shows the person's balance, tasks under way, latest results and each
//! notice while its condition holds — never anything of another person.

use crate::support;
use testkit::{TestDatabase, db_test};

use domain::{
    AppState,
    billing::{Currency, OrderRef, PaymentEvent, apply_event, create_order},
    credits::{self, Grant, IdempotencyKey, LotSource},
    generation::{
        AspectRatio, Camera, GenerationRequest, OutputFormat, Resolution,
        tasks::{self, Owner},
        worker,
    },
    privacy::{
        export,
        policy::{self, Doc},
        requests::{self, NewRequest},
    },
};
use figment::providers::Serialized;
use reqwest::{StatusCode, header};
use std::time::{Duration, Instant};
use support::{Browser, PASSWORD, TestApp, en, escape, verified_account};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// No worker runs the queue (the test moves tasks itself) and no welcome bonus.
fn still(figment: figment::Figment) -> figment::Figment {
    figment
        .merge(Serialized::default("generation_workers", 0))
        .merge(Serialized::default("signup_bonus_credits", 0))
}

async fn sign_in(browser: &Browser, email: &str) -> reqwest::Response {
    browser.get("/sign-in").await;
    browser
        .post("/sign-in", &[("email", email), ("password", PASSWORD)])
        .await
}

async fn user_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// The dashboard's HTML for `browser`.
async fn dashboard(browser: &Browser) -> String {
    let response = browser.get("/dashboard").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

/// An account signed in in the returned browser, with its id.
async fn person(app: &TestApp, email: &str) -> (Browser, String) {
    let browser = Browser::new(app);
    verified_account(app, &browser, email).await;
    (browser, user_id(app, email).await)
}

/// Queues one image for `user`; returns the task's id.
async fn submit(state: &AppState, user: &str, prompt: &str) -> String {
    let request = GenerationRequest {
        model_id: "offline".into(),
        prompt: prompt.into(),
        negative_prompt: None,
        style: None,
        seed: 11,
        aspect_ratio: AspectRatio::Square,
        resolution: Resolution::K1,
        format: OutputFormat::Png,
        quantity: 1,
        camera: Camera::default(),
        character_consistency: false,
        references: vec![],
        mask: None,
    };
    let owner = Owner::User(user.to_owned());
    let submitted = tasks::submit(
        &state.db,
        &state.config.generation,
        &state.events,
        &owner,
        request,
        domain::now_ms(),
    )
    .await
    .unwrap();
    submitted.task_ids[0].clone()
}

async fn grant(app: &TestApp, user: &str, amount: i64, expires_at: Option<i64>) {
    let key = IdempotencyKey::new(format!("test:{user}:{amount}")).unwrap();
    credits::grant(
        &app.db,
        Grant::new(user, LotSource::Purchase, amount, expires_at, &key),
    )
    .await
    .unwrap();
}

/// An order of `user` whose payment failed; returns its number.
async fn failed_order(state: &AppState, user: &str, event: &str) -> String {
    let catalog = state.config.billing.catalog.clone();
    let order = create_order(&state.db, &catalog, user, "starter", Currency::Usd, "local")
        .await
        .unwrap();
    let failed = PaymentEvent::CheckoutFailed {
        order: OrderRef::Id(order.id.clone()),
    };
    apply_event(
        &state.db,
        &catalog,
        "local",
        event,
        "test",
        &failed,
        domain::now_ms(),
    )
    .await
    .unwrap();
    order.number
}

/// Builds `user`'s export (the server's own export worker may take it first).
async fn ready_export(state: &AppState, user: &str) {
    export::request(state, user, domain::now_ms())
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        export::run_pending(state, domain::now_ms()).await.unwrap();
        let exports = export::list(&state.db, user).await.unwrap();
        if exports[0].status == export::ExportStatus::Ready {
            return;
        }
        assert!(Instant::now() < deadline, "the export was not built");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The kinds of the notices on a page, in order.
fn notices(page: &str) -> Vec<&str> {
    page.split("data-notice=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// The HTML of the page's notice of `kind`.
fn notice<'a>(page: &'a str, kind: &str) -> &'a str {
    let start = page
        .find(&format!("data-notice=\"{kind}\""))
        .unwrap_or_else(|| panic!("no {kind} notice in {page}"));
    let end = start + page[start..].find("</li>").unwrap();
    &page[start..end]
}

db_test!(
    signing_in_lands_on_the_dashboard,
    |app: TestApp| async move {
        // Visitors are sent to sign in, in their language.
        let visitor = Browser::new(&app);
        for (page, sign_in_page) in [
            ("/dashboard", "/sign-in"),
            ("/zh-CN/dashboard", "/zh-CN/sign-in"),
        ] {
            let response = visitor.get(page).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{page}");
            assert_eq!(response.headers()[header::LOCATION], sign_in_page);
        }

        // Confirming the address signs in and lands here (`verified_account` checks it).
        let browser = Browser::new(&app);
        verified_account(&app, &browser, "ada@example.com").await;
        let page = dashboard(&browser).await;
        assert!(page.contains(&escape(
            &app::i18n::Locale::En.t_args("dashboard-heading", &[("name", "Ada".into())])
        )));
        let zh = browser.get("/zh-CN/dashboard").await.text().await.unwrap();
        assert!(
            zh.contains("你好，Ada") && zh.contains("lang=\"zh-CN\""),
            "{zh}"
        );

        // A signed-in person who opens the sign-in page goes on to the dashboard.
        for (page, home) in [
            ("/sign-in", "/dashboard"),
            ("/zh-CN/sign-in", "/zh-CN/dashboard"),
            ("/sign-up", "/dashboard"),
        ] {
            let response = browser.get(page).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{page}");
            assert_eq!(response.headers()[header::LOCATION], home, "{page}");
        }

        // Signing in with the password lands here too…
        browser.post("/sign-out", &[]).await;
        let response = sign_in(&browser, "ada@example.com").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/dashboard");
        let (status, _, page) = browser.follow(response).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(r#"data-testid="dashboard-balance""#));

        // …unless the person was turned away from a page: then back to it.
        browser.post("/sign-out", &[]).await;
        let turned_away = browser.get("/settings/billing").await;
        assert_eq!(turned_away.headers()[header::LOCATION], "/sign-in");
        let response = sign_in(&browser, "ada@example.com").await;
        assert_eq!(response.headers()[header::LOCATION], "/settings/billing");
    }
);

db_test!(the_dashboard_shows_the_persons_own_credits_and_work);
async fn the_dashboard_shows_the_persons_own_credits_and_work(database: &TestDatabase) {
    let app = support::spawn_app_with(database, still).await;
    let state = AppState::new((*app.config).clone(), app.db.clone()).unwrap();
    let (ada, ada_id) = person(&app, "ada@example.com").await;
    let (bob, bob_id) = person(&app, "bob@example.com").await;

    // Nothing yet: an empty balance, nothing under way, no results.
    let page = dashboard(&ada).await;
    assert!(
        page.contains(r#"data-testid="dashboard-balance">0<"#),
        "{page}"
    );
    assert!(page.contains(&en("dashboard-running-empty")));
    assert!(page.contains(&en("dashboard-latest-empty")));
    assert!(!page.contains(r#"data-testid="dashboard-expiring""#));

    let now = domain::now_ms();
    grant(&app, &ada_id, 10, Some(now + 5 * DAY_MS)).await;
    grant(&app, &ada_id, 7, None).await;
    grant(&app, &bob_id, 5, None).await;
    let done = submit(&state, &ada_id, "a lighthouse at dusk").await;
    assert!(worker::work_one(&state, "w1").await.unwrap());
    let running = submit(&state, &ada_id, "a harbour at dawn").await;
    let claimed = tasks::claim(&app.db, "w2", Duration::from_secs(60), domain::now_ms())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.id, running);
    assert!(
        tasks::set_progress(&app.db, &running, "w2", 55)
            .await
            .unwrap()
    );
    let bobs_done = submit(&state, &bob_id, "a hidden garden of roses").await;
    assert!(worker::work_one(&state, "w1").await.unwrap());
    let queued = submit(&state, &ada_id, "a market at noon").await;
    let bobs_queued = submit(&state, &bob_id, "a quiet library at night").await;

    let page = dashboard(&ada).await;
    let total = credits::balance(&app.db, &ada_id, domain::now_ms())
        .await
        .unwrap()
        .total();
    assert_eq!(total, 14, "17 granted, 1 spent, 2 held");
    assert!(
        page.contains(r#"data-testid="dashboard-balance">14<"#),
        "{page}"
    );
    // Spending takes the soonest-expiring credits first: 7 of the 10 are left.
    let expiring =
        app::i18n::Locale::En.t_args("dashboard-expiring-soon", &[("credits", 7i64.into())]);
    assert!(page.contains(&expiring), "{page}");
    // Under way: the running task with its progress, the queued one waiting.
    assert!(page.contains(&format!(
        r#"data-task-id="{running}" data-status="running""#
    )));
    assert!(page.contains(r#"<progress max="100" value="55""#), "{page}");
    assert!(page.contains(&format!(r#"data-task-id="{queued}" data-status="queued""#)));
    assert!(page.contains("a harbour at dawn") && page.contains("a market at noon"));
    // The finished one among the results, its thumbnail leading to the workbench.
    assert!(
        page.contains(&format!(r##"href="/workbench#task-{done}""##)),
        "{page}"
    );
    assert!(page.contains(r#"<img src="/files/results/"#), "{page}");
    // Nothing of Bob's.
    for theirs in [
        bobs_done.as_str(),
        bobs_queued.as_str(),
        "a hidden garden of roses",
        "a quiet library at night",
    ] {
        assert!(!page.contains(theirs), "Ada sees Bob's {theirs}");
    }
    let page = dashboard(&bob).await;
    assert!(page.contains(&format!(r##"href="/workbench#task-{bobs_done}""##)));
    for ours in [
        done.as_str(),
        running.as_str(),
        queued.as_str(),
        "a harbour at dawn",
    ] {
        assert!(!page.contains(ours), "Bob sees Ada's {ours}");
    }

    // The thumbnail is served to its owner.
    let page = dashboard(&ada).await;
    let src = page
        .split(r#"<img src=""#)
        .find(|rest| rest.starts_with("/files/results/"))
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    assert!(src.contains(".thumb."), "{src}");
    assert_eq!(ada.get(&src).await.status(), StatusCode::OK);
}

db_test!(each_notice_shows_while_its_condition_holds);
async fn each_notice_shows_while_its_condition_holds(database: &TestDatabase) {
    let app = support::spawn_app_with(database, still).await;
    let state = AppState::new((*app.config).clone(), app.db.clone()).unwrap();
    let (ada, ada_id) = person(&app, "ada@example.com").await;
    let (bob, bob_id) = person(&app, "bob@example.com").await;
    assert!(notices(&dashboard(&ada).await).is_empty());

    // A material policy change, until dismissed.
    let version = "2099-01-01";
    let effective = policy::day_start_ms(version).unwrap();
    let snapshot = [("en".to_string(), "{}".to_string())];
    policy::publish(
        &state,
        Doc::Privacy,
        version,
        effective,
        true,
        &snapshot,
        domain::now_ms(),
    )
    .await
    .unwrap();
    let page = dashboard(&ada).await;
    assert_eq!(notices(&page), ["policy"]);
    let shown = notice(&page, "policy");
    assert!(shown.contains("2099-01-01"), "{shown}");
    assert!(shown.contains(&format!(
        r#"<a href="/privacy">{}</a>"#,
        en("dashboard-notice-policy-action")
    )));
    let zh = ada.get("/zh-CN/dashboard").await.text().await.unwrap();
    let shown = notice(&zh, "policy");
    assert!(
        shown.contains(r#"<a href="/zh-CN/privacy">查看变更内容</a>"#),
        "{shown}"
    );
    policy::dismiss_notice(&app.db, &ada_id, &format!("privacy:{version}"))
        .await
        .unwrap();
    policy::dismiss_notice(&app.db, &bob_id, &format!("privacy:{version}"))
        .await
        .unwrap();
    assert!(notices(&dashboard(&ada).await).is_empty());

    // A failed payment, with its order and the way to try again; Bob's is his own.
    let number = failed_order(&state, &ada_id, "evt_ada_failed").await;
    let bobs_number = failed_order(&state, &bob_id, "evt_bob_failed").await;
    let page = dashboard(&ada).await;
    assert_eq!(notices(&page), ["payment"]);
    assert!(
        page.contains(&number) && !page.contains(&bobs_number),
        "{page}"
    );
    assert!(notice(&page, "payment").contains(r#"<a href="/pricing">"#));

    // A data export ready to download.
    ready_export(&state, &ada_id).await;
    let page = dashboard(&ada).await;
    assert_eq!(notices(&page), ["payment", "export"]);
    let shown = notice(&page, "export");
    assert!(shown.contains(r##"<a href="/settings/privacy#privacy-export-heading">"##));

    // A rights request, once answered.
    let sent = requests::submit(
        &state,
        NewRequest {
            kind: "access".into(),
            email: "ada@example.com".into(),
            details: String::new(),
            locale: "en".into(),
            signed_in_user: Some(ada_id.clone()),
            ip: Some("203.0.113.7".into()),
        },
        domain::now_ms(),
    )
    .await
    .unwrap();
    assert_eq!(notices(&dashboard(&ada).await), ["payment", "export"]);
    requests::complete(
        &state,
        &sent.id,
        "Sent by email.",
        &bob_id,
        domain::now_ms(),
    )
    .await
    .unwrap();
    let page = dashboard(&ada).await;
    assert_eq!(notices(&page), ["payment", "export", "request"]);
    let shown = notice(&page, "request");
    assert!(shown.contains(&format!(r#"<a href="/privacy/requests/{}">"#, sent.id)));
    assert!(shown.contains(&escape(
        &app::i18n::Locale::En.t("privacy-request-kind-access")
    )));

    // Bob sees his failed payment only, and the request's page stays Ada's.
    let page = dashboard(&bob).await;
    assert_eq!(notices(&page), ["payment"]);
    assert!(page.contains(&bobs_number) && !page.contains(&number));
    assert!(!page.contains(&sent.id));
}

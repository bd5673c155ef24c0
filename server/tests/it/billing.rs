//! Billing over HTTP: checkout through Stripe, Creem and the local checkout, the providers'
//! webhooks signed with their real schemes and delivered as providers deliver them
//! (repeated, out of order, stale, forged), refunds, the billing forms and referrals.

use crate::support;
use testkit::{TestDatabase, db_test};

use axum::{Json, Router, http::HeaderMap, routing::post};
use domain::{billing, credits};
use figment::providers::Serialized;
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use support::{Browser, TestApp, input_value, verified_account};

const STRIPE_SECRET: &str = "whsec_test_secret";
const CREEM_SECRET: &str = "creem_webhook_secret";

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

type Forms = Arc<Mutex<Vec<String>>>;

/// A Stripe API that creates Checkout Sessions (and remembers each request's form body).
async fn stripe_peer(forms: Forms) -> String {
    let router = Router::new().route(
        "/v1/checkout/sessions",
        post(move |headers: HeaderMap, body: String| async move {
            assert_eq!(headers["authorization"], "Bearer sk_test_http");
            forms.lock().unwrap().push(body.clone());
            let mode = if body.contains("mode=subscription") {
                "subscription"
            } else {
                "payment"
            };
            let n = forms.lock().unwrap().len();
            Json(json!({
                "id": format!("cs_test_{n}"), "object": "checkout.session", "livemode": false,
                "created": 1_800_000_000, "expires_at": 1_800_086_400, "mode": mode,
                "payment_status": "unpaid", "status": "open",
                "url": format!("https://checkout.stripe.com/c/pay/cs_test_{n}"),
                "automatic_tax": {"enabled": false, "liability": null, "status": null},
                "custom_fields": [], "custom_text": {"after_submit": null,
                    "shipping_address": null, "submit": null, "terms_of_service_acceptance": null},
                "payment_method_types": ["card"], "shipping_options": [], "metadata": {}
            }))
        }),
    );
    serve(router).await
}

async fn creem_peer(bodies: Forms) -> String {
    let router = Router::new().route(
        "/v1/checkouts",
        post(move |headers: HeaderMap, Json(body): Json<Value>| async move {
            assert_eq!(headers["x-api-key"], "creem_test_http");
            bodies.lock().unwrap().push(body.to_string());
            Json(json!({"id": "ch_http_1", "object": "checkout", "status": "pending",
                "request_id": body["request_id"], "checkout_url": "https://checkout.creem.io/ch_http_1"}))
        }),
    );
    serve(router).await
}

async fn spawn_with_payments(database: &TestDatabase, provider: &str) -> (TestApp, Forms) {
    let forms: Forms = Default::default();
    let stripe = stripe_peer(forms.clone()).await;
    let creem = creem_peer(forms.clone()).await;
    let provider = provider.to_string();
    let app = support::spawn_app_with(database, move |figment| {
        figment
            .merge(Serialized::default("payment_provider", provider))
            .merge(Serialized::default("stripe_secret_key", "sk_test_http"))
            .merge(Serialized::default("stripe_webhook_secret", STRIPE_SECRET))
            .merge(Serialized::default("stripe_api_url", stripe))
            .merge(Serialized::default("creem_api_key", "creem_test_http"))
            .merge(Serialized::default("creem_webhook_secret", CREEM_SECRET))
            .merge(Serialized::default("creem_api_url", creem))
            .merge(Serialized::default(
                "credit_packages",
                json!([{"id": "starter", "credits": 100, "usd": 990, "cny": 6990,
                        "validity_days": 365, "creem_product_id": "prod_starter"}]),
            ))
            .merge(Serialized::default(
                "subscription_plans",
                json!([{"id": "pro-monthly", "interval": "month", "credits": 800, "usd": 1990,
                        "cny": 13900, "creem_product_id": "prod_pro"}]),
            ))
    })
    .await;
    (app, forms)
}

async fn user_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn balance(app: &TestApp, user: &str) -> i64 {
    credits::balance(&app.db, user, domain::now_ms())
        .await
        .unwrap()
        .total()
}

async fn checkout(browser: &Browser, product: &str, currency: &str) -> reqwest::Response {
    browser.get("/pricing").await;
    browser
        .post(
            "/checkout",
            &[
                ("product", product),
                ("currency", currency),
                ("amount", "1"),
            ],
        )
        .await
}

async fn order_of(app: &TestApp, user: &str, product: &str) -> billing::Order {
    billing::orders_of(&app.db, user, 50)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.product_id == product)
        .unwrap()
}

fn stripe_event(id: &str, kind: &str, object: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": id, "object": "event", "api_version": "2023-10-16", "type": kind,
        "created": domain::now_ms() / 1000, "livemode": false, "pending_webhooks": 1,
        "data": {"object": object}
    }))
    .unwrap()
}

async fn deliver_stripe(app: &TestApp, body: &[u8], signature: Option<String>) -> StatusCode {
    let mut request = app
        .client
        .post(app.url("/webhooks/stripe"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header("Stripe-Signature", signature);
    }
    answer(request.send().await.unwrap(), body).await
}

/// The status of a webhook answer; a 409 says why on stderr (shown when a test fails).
async fn answer(response: reqwest::Response, body: &[u8]) -> StatusCode {
    let status = response.status();
    if status == StatusCode::CONFLICT {
        let event: Value = serde_json::from_slice(body).unwrap_or_default();
        eprintln!(
            "409 for {}: {}",
            event["id"],
            response.text().await.unwrap_or_default()
        );
    }
    status
}

fn signed(body: &[u8]) -> Option<String> {
    Some(billing::stripe::sign(
        body,
        STRIPE_SECRET,
        domain::now_ms() / 1000,
    ))
}

/// Delivers every event three times, newest first; events answered 409 (about a payment
/// not recorded yet) come again in the next round, as the provider's retries would.
async fn deliver_all(
    app: &TestApp,
    events: &[Vec<u8>],
    send: impl AsyncFn(&TestApp, &[u8]) -> StatusCode,
) {
    let mut pending: Vec<&Vec<u8>> = events.iter().rev().collect();
    for _round in 0..4 {
        let mut again = Vec::new();
        for body in pending {
            let mut answers = Vec::new();
            for _ in 0..3 {
                answers.push(send(app, body).await);
            }
            assert!(
                answers
                    .iter()
                    .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
                "{answers:?}"
            );
            if answers.contains(&StatusCode::CONFLICT) {
                again.push(body);
            }
        }
        pending = again;
    }
    assert!(pending.is_empty(), "every event is applied in the end");
}

async fn stripe_webhooks_grant_exactly_once(database: &TestDatabase) {
    let (app, forms) = spawn_with_payments(database, "stripe").await;
    let browser = Browser::new(&app);
    verified_account(&app, &browser, "buyer@example.com").await;
    let user = user_id(&app, "buyer@example.com").await;
    let bonus = balance(&app, &user).await;
    assert_eq!(bonus, 20, "the signup bonus came with the verified address");

    // Checkout for a package: to Stripe, at the catalog's price (the form's amount ignored).
    let response = checkout(&browser, "starter", "cny").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[header::LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("https://checkout.stripe.com/c/pay/cs_test_"),
        "{location}"
    );
    let sent = forms.lock().unwrap()[0].clone();
    assert!(
        sent.contains("unit_amount%5D=6990") || sent.contains("unit_amount]=6990"),
        "{sent}"
    );
    let package = order_of(&app, &user, "starter").await;
    assert_eq!((package.amount, package.currency.as_str()), (6990, "cny"));
    let response = checkout(&browser, "pro-monthly", "usd").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let plan = order_of(&app, &user, "pro-monthly").await;

    let now = domain::now_ms() / 1000;
    let metadata = json!({"order_id": plan.id, "user_id": user, "plan_id": "pro-monthly"});
    let events = vec![
        stripe_event(
            "evt_1",
            "checkout.session.completed",
            json!({
            "id": package.provider_session_id, "object": "checkout.session", "mode": "payment",
            "payment_status": "paid", "status": "complete", "client_reference_id": package.id,
            "metadata": {"order_id": package.id}, "customer": "cus_http", "payment_intent": "pi_http",
            "amount_total": 6990, "currency": "cny"}),
        ),
        stripe_event(
            "evt_2",
            "checkout.session.completed",
            json!({
            "id": plan.provider_session_id, "object": "checkout.session", "mode": "subscription",
            "payment_status": "paid", "status": "complete", "client_reference_id": plan.id,
            "metadata": {"order_id": plan.id}, "customer": "cus_http", "subscription": "sub_http"}),
        ),
        stripe_event(
            "evt_3",
            "invoice.paid",
            json!({
            "id": "in_http_1", "object": "invoice", "subscription": "sub_http", "customer": "cus_http",
            "billing_reason": "subscription_create", "amount_paid": 1990, "currency": "usd",
            "subscription_details": {"metadata": metadata},
            "lines": {"data": [{"period": {"start": now, "end": now + 30 * 86400}}]}}),
        ),
        stripe_event(
            "evt_4",
            "customer.subscription.updated",
            json!({
            "id": "sub_http", "object": "subscription", "status": "active", "customer": "cus_http",
            "cancel_at_period_end": false, "metadata": metadata,
            "items": {"data": [{"current_period_start": now, "current_period_end": now + 30 * 86400}]}}),
        ),
        stripe_event(
            "evt_5",
            "invoice.paid",
            json!({
            "id": "in_http_2", "object": "invoice", "customer": "cus_http",
            "billing_reason": "subscription_cycle", "amount_paid": 1990, "currency": "usd",
            "parent": {"subscription_details": {"subscription": "sub_http", "metadata": metadata}},
            "lines": {"data": [{"period": {"start": now + 30 * 86400, "end": now + 60 * 86400}}]}}),
        ),
    ];

    // Stale (301 s old), forged, unsigned, and unsigned-but-for-another-body: 400, nothing.
    let stale = Some(billing::stripe::sign(&events[0], STRIPE_SECRET, now - 301));
    assert_eq!(
        deliver_stripe(&app, &events[0], stale).await,
        StatusCode::BAD_REQUEST
    );
    let forged = Some(billing::stripe::sign(&events[0], "whsec_attacker", now));
    assert_eq!(
        deliver_stripe(&app, &events[0], forged).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        deliver_stripe(&app, &events[0], None).await,
        StatusCode::BAD_REQUEST
    );
    let other = Some(billing::stripe::sign(&events[1], STRIPE_SECRET, now));
    assert_eq!(
        deliver_stripe(&app, &events[0], other).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(balance(&app, &user).await, bonus);
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_events")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(recorded, 0, "refused deliveries leave no trace");

    deliver_all(&app, &events, async |app, body| {
        deliver_stripe(app, body, signed(body)).await
    })
    .await;
    assert_eq!(balance(&app, &user).await, bonus + 100 + 800 + 800);
    let package = order_of(&app, &user, "starter").await;
    assert_eq!(package.status, "paid");
    let subscriptions = billing::subscriptions_of(&app.db, &user).await.unwrap();
    assert_eq!(subscriptions.len(), 1);
    assert_eq!(
        subscriptions[0].current_period_end,
        Some((now + 60 * 86400) * 1000)
    );

    // A refund, delivered three times: the package's credits go, once.
    let refund = stripe_event(
        "evt_6",
        "charge.refunded",
        json!({
        "id": "ch_http", "object": "charge", "payment_intent": "pi_http", "amount": 6990,
        "amount_refunded": 6990, "refunded": true, "metadata": {"order_id": package.id}}),
    );
    deliver_all(&app, &[refund], async |app, body| {
        deliver_stripe(app, body, signed(body)).await
    })
    .await;
    assert_eq!(balance(&app, &user).await, bonus + 800 + 800);
    assert_eq!(order_of(&app, &user, "starter").await.status, "refunded");
    let total = credits::ledger_total(&app.db, &user).await.unwrap();
    assert_eq!(total, balance(&app, &user).await);
    // A refunded renewal: its charge names the invoice; that period's credits go.
    let refund = stripe_event(
        "evt_7",
        "charge.refunded",
        json!({
        "id": "ch_http_2", "object": "charge", "payment_intent": "pi_http_2",
        "invoice": "in_http_2", "amount": 1990, "amount_refunded": 1990, "metadata": {}}),
    );
    deliver_all(&app, &[refund], async |app, body| {
        deliver_stripe(app, body, signed(body)).await
    })
    .await;
    assert_eq!(balance(&app, &user).await, bonus + 800);

    // Another provider's path is not configured here: 404.
    let response = app
        .client
        .post(app.url("/webhooks/paypal"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    app.stop().await.unwrap();
}
db_test!(stripe_webhooks_grant_exactly_once);

fn creem_event(id: &str, kind: &str, created_at: i64, object: Value) -> Vec<u8> {
    serde_json::to_vec(
        &json!({"id": id, "eventType": kind, "created_at": created_at, "object": object}),
    )
    .unwrap()
}

async fn deliver_creem(app: &TestApp, body: &[u8], signature: Option<String>) -> StatusCode {
    let mut request = app
        .client
        .post(app.url("/webhooks/creem"))
        .body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header("creem-signature", signature);
    }
    answer(request.send().await.unwrap(), body).await
}

async fn creem_webhooks_grant_exactly_once(database: &TestDatabase) {
    let (app, forms) = spawn_with_payments(database, "creem").await;
    let browser = Browser::new(&app);
    verified_account(&app, &browser, "creem@example.com").await;
    let user = user_id(&app, "creem@example.com").await;
    let bonus = balance(&app, &user).await;
    let response = checkout(&browser, "starter", "usd").await;
    assert_eq!(
        response.headers()[header::LOCATION],
        "https://checkout.creem.io/ch_http_1"
    );
    let sent: Value = serde_json::from_str(&forms.lock().unwrap()[0]).unwrap();
    assert_eq!(sent["product_id"], "prod_starter");
    let package = order_of(&app, &user, "starter").await;
    assert_eq!(sent["request_id"], Value::String(package.id.clone()));
    checkout(&browser, "pro-monthly", "usd").await;
    let plan = order_of(&app, &user, "pro-monthly").await;

    let now = domain::now_ms();
    let iso = |ms: i64| {
        time::OffsetDateTime::from_unix_timestamp(ms / 1000)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let month = 30 * 86_400_000;
    let metadata = json!({"order_id": plan.id, "user_id": user, "plan_id": "pro-monthly"});
    let events = vec![
        creem_event(
            "evt_c1",
            "checkout.completed",
            now,
            json!({
            "id": "ch_http_1", "object": "checkout", "request_id": package.id,
            "order": {"id": "ord_http_1", "amount": 990, "currency": "USD", "status": "paid"},
            "product": {"id": "prod_starter"}, "customer": {"id": "cust_http"},
            "metadata": {"order_id": package.id}}),
        ),
        creem_event(
            "evt_c2",
            "checkout.completed",
            now,
            json!({
            "id": "ch_http_2", "object": "checkout", "request_id": plan.id,
            "order": {"id": "ord_http_2", "amount": 1990, "currency": "USD", "status": "paid"},
            "subscription": {"id": "sub_creem"}, "customer": {"id": "cust_http"},
            "metadata": metadata}),
        ),
        creem_event(
            "evt_c3",
            "subscription.paid",
            now,
            json!({
            "id": "sub_creem", "object": "subscription", "status": "active",
            "customer": {"id": "cust_http"}, "product": {"id": "prod_pro", "price": 1990, "currency": "USD"},
            "last_transaction_id": "tran_1",
            "current_period_start_date": iso(now), "current_period_end_date": iso(now + month),
            "metadata": metadata}),
        ),
        creem_event(
            "evt_c4",
            "subscription.update",
            now,
            json!({
            "id": "sub_creem", "object": "subscription", "status": "active",
            "current_period_start_date": iso(now), "current_period_end_date": iso(now + month),
            "metadata": metadata}),
        ),
    ];
    let sign = |body: &[u8]| Some(billing::creem::sign(body, CREEM_SECRET));
    // Forged: 400, nothing changes.
    let forged = Some(billing::creem::sign(&events[0], "not-the-secret"));
    assert_eq!(
        deliver_creem(&app, &events[0], forged).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        deliver_creem(&app, &events[0], None).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(balance(&app, &user).await, bonus);
    // Creem retries a failed delivery for hours: a genuine event an hour old still pays
    // the order, and its later copies (below, with the rest) change nothing.
    let late = creem_event(
        "evt_c1",
        "checkout.completed",
        now - 3_600_000,
        json!({
        "id": "ch_http_1", "request_id": package.id,
        "order": {"id": "ord_http_1", "status": "paid"}}),
    );
    assert_eq!(
        deliver_creem(&app, &late, sign(&late)).await,
        StatusCode::OK
    );
    assert_eq!(balance(&app, &user).await, bonus + 100);

    deliver_all(&app, &events, async |app, body| {
        deliver_creem(app, body, Some(billing::creem::sign(body, CREEM_SECRET))).await
    })
    .await;
    assert_eq!(balance(&app, &user).await, bonus + 100 + 800);
    // A partial refund of the package: half its credits.
    let refund = creem_event(
        "evt_c5",
        "refund.created",
        domain::now_ms(),
        json!({
        "id": "ref_1", "object": "refund", "refund_amount": 495, "refund_currency": "USD",
        "order": {"id": "ord_http_1", "amount": 990}, "checkout": {"id": "ch_http_1"}}),
    );
    deliver_all(&app, &[refund], async |app, body| {
        deliver_creem(app, body, Some(billing::creem::sign(body, CREEM_SECRET))).await
    })
    .await;
    assert_eq!(balance(&app, &user).await, bonus + 50 + 800);
    app.stop().await.unwrap();
}
db_test!(creem_webhooks_grant_exactly_once);

db_test!(
    the_local_checkout_pays_fails_and_cancels,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        verified_account(&app, &browser, "local@example.com").await;
        let user = user_id(&app, "local@example.com").await;
        let start = balance(&app, &user).await;

        // Signed out: sent to sign in, nothing created.
        let stranger = Browser::new(&app);
        let response = checkout(&stranger, "starter", "usd").await;
        assert_eq!(response.headers()[header::LOCATION], "/sign-in");

        let response = checkout(&browser, "starter", "usd").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        let path = location
            .trim_start_matches(&app.config.public_url)
            .to_string();
        assert!(path.starts_with("/checkout/local/BN-"), "{path}");
        let number = path.rsplit('/').next().unwrap().to_string();
        let page = browser.get(&path).await;
        assert_eq!(page.status(), StatusCode::OK);
        // Someone else cannot pay, fail or see this order.
        verified_account(&app, &stranger, "other@example.com").await;
        let response = stranger.post(&path, &[("outcome", "pay")]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let response = browser.post(&path, &[("outcome", "pay")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[header::LOCATION],
            format!("/checkout/success?order={number}").as_str()
        );
        assert_eq!(balance(&app, &user).await, start + 100);
        // Paying twice grants once.
        browser.post(&path, &[("outcome", "pay")]).await;
        assert_eq!(balance(&app, &user).await, start + 100);

        // A failed payment grants nothing; a cancelled one neither.
        let response = checkout(&browser, "studio", "usd").await;
        let failing = response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .trim_start_matches(&app.config.public_url)
            .to_string();
        browser.post(&failing, &[("outcome", "fail")]).await;
        let response = checkout(&browser, "creator", "cny").await;
        let cancelling = response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .trim_start_matches(&app.config.public_url)
            .to_string();
        let response = browser.post(&cancelling, &[("outcome", "cancel")]).await;
        assert!(
            response.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .starts_with("/checkout/cancel?order=BN-")
        );
        assert_eq!(balance(&app, &user).await, start + 100);
        let statuses: Vec<String> = billing::orders_of(&app.db, &user, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.status)
            .collect();
        assert_eq!(statuses, ["cancelled", "failed", "paid"]);

        // A subscription: the period's credits, expiring at the period's end.
        let response = checkout(&browser, "pro-monthly", "usd").await;
        let subscribe = response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .trim_start_matches(&app.config.public_url)
            .to_string();
        browser.post(&subscribe, &[("outcome", "pay")]).await;
        assert_eq!(balance(&app, &user).await, start + 100 + 800);
        let subs = billing::subscriptions_of(&app.db, &user).await.unwrap();
        let lots = credits::lots(&app.db, &user, false).await.unwrap();
        assert!(
            lots.iter()
                .any(|l| l.amount == 800 && l.expires_at == subs[0].current_period_end)
        );
        // Cancelling it is the owner's alone.
        let cancel = format!("/settings/billing/subscriptions/{}/cancel", subs[0].id);
        assert_eq!(
            stranger.post(&cancel, &[]).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            browser.post(&cancel, &[]).await.status(),
            StatusCode::SEE_OTHER
        );
        assert!(billing::subscriptions_of(&app.db, &user).await.unwrap()[0].cancel_at_period_end);

        // An unknown product: the pricing page again, 422, nothing created.
        let before = billing::orders_of(&app.db, &user, 50).await.unwrap().len();
        let response = checkout(&browser, "free-lunch", "usd").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            billing::orders_of(&app.db, &user, 50).await.unwrap().len(),
            before
        );
        // Webhooks of unconfigured providers do not exist here.
        let response = app
            .client
            .post(app.url("/webhooks/stripe"))
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
);

db_test!(
    billing_details_are_validated_and_kept,
    |app: TestApp| async move {
        let browser = Browser::new(&app);
        verified_account(&app, &browser, "invoice@example.com").await;
        let user = user_id(&app, "invoice@example.com").await;
        let page = browser.get("/settings/billing").await;
        assert_eq!(page.status(), StatusCode::OK);
        let long = "x".repeat(41);
        let response = browser
            .post(
                "/settings/billing/profile",
                &[
                    ("name", "Ada"),
                    ("company", "Banana Ltd"),
                    ("address", "1 Road"),
                    ("tax_id", &long),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert_eq!(
            input_value(&html, "company").as_deref(),
            Some("Banana Ltd"),
            "typed values come back"
        );
        assert_eq!(
            billing::billing_profile(&app.db, &user).await.unwrap(),
            Default::default()
        );
        let response = browser
            .post(
                "/settings/billing/profile",
                &[
                    ("name", " Ada "),
                    ("company", "Banana Ltd"),
                    ("address", "1 Road\nTown"),
                    ("tax_id", "GB123"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let saved = billing::billing_profile(&app.db, &user).await.unwrap();
        assert_eq!(
            (saved.name.as_str(), saved.tax_id.as_str()),
            ("Ada", "GB123")
        );
        // Signed out: no billing page.
        let stranger = Browser::new(&app);
        let response = stranger.get("/settings/billing").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
);

db_test!(
    referrals_reward_both_at_the_first_purchase,
    |app: TestApp| async move {
        let referrer = Browser::new(&app);
        verified_account(&app, &referrer, "referrer@example.com").await;
        let referrer_id = user_id(&app, "referrer@example.com").await;
        let code = billing::referral_code(&app.db, &referrer_id).await.unwrap();
        let friend = Browser::new(&app);
        let response = friend.get(&format!("/r/{code}")).await;
        assert_eq!(response.headers()[header::LOCATION], "/sign-up");
        verified_account(&app, &friend, "friend@example.com").await;
        let friend_id = user_id(&app, "friend@example.com").await;
        let before = (
            balance(&app, &referrer_id).await,
            balance(&app, &friend_id).await,
        );
        for _ in 0..2 {
            let response = checkout(&friend, "starter", "usd").await;
            let path = response.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .trim_start_matches(&app.config.public_url)
                .to_string();
            friend.post(&path, &[("outcome", "pay")]).await;
        }
        assert_eq!(balance(&app, &referrer_id).await, before.0 + 100);
        assert_eq!(balance(&app, &friend_id).await, before.1 + 200 + 50);
        // Following one's own link changes nothing.
        let own = Browser::new(&app);
        own.get(&format!("/r/{code}")).await;
        verified_account(&app, &own, "referrer+2@example.com").await;
        let own_id = user_id(&app, "referrer+2@example.com").await;
        let referred: Option<String> = sqlx::query_scalar(
            "SELECT referrer_user_id FROM referrals WHERE referred_user_id = $1",
        )
        .bind(&own_id)
        .fetch_optional(app.db.pool())
        .await
        .unwrap();
        assert_eq!(referred, None, "an obvious self-referral is refused");
    }
);

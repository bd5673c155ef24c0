//! The soak's scripted people (run by `scripts/soak`, which passes goose's options: host,
//! users, rate, run time, report files). Each person signs up with an email address and a
//! password and confirms the address through the dev outbox; then, over and over, browses,
//! generates with the offline engine while following the task stream, and buys credits
//! through the local checkout. Every form carries the token it was served with, as a
//! browser without `Sec-Fetch-Site` would; each person comes from an address of their
//! own (`X-Forwarded-For`, honoured only because the server trusts this machine as its
//! proxy), so per-address limits count people, not the load generator.
//!
//! `SOAK_SUMMARY=<file>` writes the figures `scripts/soak` reports (JSON).

mod page;
mod summary;

use goose::prelude::*;
use reqwest::{
    RequestBuilder,
    header::{self, HeaderMap, HeaderValue},
    redirect,
};
use std::time::{Duration, Instant};

/// A password the server accepts: long enough and on no common-password list.
const PASSWORD: &str = "purple banana skyline";
/// The longest a person waits for their image before calling the task lost.
const TASK_DEADLINE: Duration = Duration::from_secs(180);
/// Legal pages and settings pages a person looks at, one of each per round.
const LEGAL: [&str; 3] = ["/privacy", "/terms", "/cookies"];
const SETTINGS: [&str; 4] = [
    "/settings/profile",
    "/settings/billing",
    "/settings/security",
    "/settings/privacy",
];

/// What a scripted person remembers between transactions.
#[derive(Clone)]
struct Person {
    /// Their number in this run, which also picks their address.
    number: usize,
    email: String,
    signed_in: bool,
    /// Sign-ups tried (a failed one is retried with a fresh address).
    attempts: u32,
    /// Rounds done: picks the legal and settings page of the next one.
    rounds: usize,
}

type Step<T> = Result<T, Box<TransactionError>>;

#[tokio::main]
async fn main() -> Result<(), GooseError> {
    let metrics = GooseAttack::initialize()?
        .register_scenario(
            scenario!("studio user")
                // Time a person takes between one thing and the next.
                .set_wait_time(Duration::from_secs(1), Duration::from_secs(4))?
                .register_transaction(transaction!(arrive).set_on_start().set_name("sign up"))
                .register_transaction(transaction!(browse).set_sequence(1).set_name("browse"))
                .register_transaction(transaction!(generate).set_sequence(2).set_name("generate"))
                .register_transaction(transaction!(buy).set_sequence(3).set_name("buy credits")),
        )
        // Sign-ups happen while people arrive: keep their figures.
        .set_default(GooseDefault::NoResetMetrics, true)?
        .execute()
        .await?;
    if let Some(path) = std::env::var_os("SOAK_SUMMARY") {
        summary::write(&metrics, std::path::Path::new(&path)).map_err(GooseError::Io)?;
    }
    Ok(())
}

/// A client of this person's own: cookies, their address, no automatic redirects (each
/// hop is a request of its own in the figures), compression as browsers ask for it.
async fn arrive(user: &mut GooseUser) -> TransactionResult {
    let number = user.weighted_users_index;
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-forwarded-for",
        HeaderValue::from_str(&address(number)).expect("an address is a header value"),
    );
    headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en"));
    let builder = reqwest::Client::builder()
        .default_headers(headers)
        .user_agent("banana-nano-soak/0.1")
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .gzip(true)
        .brotli(true)
        .timeout(Duration::from_secs(60));
    user.set_client_builder(builder).await?;
    user.set_session_data(Person {
        number,
        email: String::new(),
        signed_in: false,
        attempts: 0,
        rounds: 0,
    });
    sign_up(user).await
}

/// Person `n`'s address: one of 198.18.0.0/15, the range set aside for benchmarks.
fn address(n: usize) -> String {
    format!("198.18.{}.{}", n / 250, n % 250 + 1)
}

fn person(user: &GooseUser) -> &Person {
    user.get_session_data_unchecked::<Person>()
}

fn person_mut(user: &mut GooseUser) -> &mut Person {
    user.get_session_data_unchecked_mut::<Person>()
}

/// What came back: the status, the `Location` of a redirect and the body.
struct Reply {
    location: Option<String>,
    body: String,
}

/// Sends a request, recorded under `name` (with its method, which goose adds); anything
/// but `expect` fails the step.
async fn send(
    user: &mut GooseUser,
    method: &str,
    name: &str,
    request: RequestBuilder,
    expect: u16,
) -> Step<Reply> {
    let goose = GooseRequest::builder()
        .name(name)
        .set_request_builder(request)
        .expect_status_code(expect)
        .build();
    let response = user.request(goose).await?.response?;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(page::path_of);
    let body = response.text().await?;
    if status != expect {
        if location
            .as_deref()
            .is_some_and(|l| l.starts_with("/sign-in"))
        {
            person_mut(user).signed_in = false;
        }
        return Err(format!("{method} {name}: {status} instead of {expect}").into());
    }
    Ok(Reply { location, body })
}

async fn get(user: &mut GooseUser, path: &str, name: &str) -> Step<Reply> {
    let request = user.get_request_builder(&GooseMethod::Get, path)?;
    send(user, "GET", name, request, 200).await
}

/// Posts a form, as the page's own form would: a redirect is the answer.
async fn post_form(
    user: &mut GooseUser,
    path: &str,
    name: &str,
    form: &[(&str, &str)],
) -> Step<Reply> {
    let request = user
        .get_request_builder(&GooseMethod::Post, path)?
        .form(form);
    send(user, "POST", name, request, 303).await
}

fn csrf(html: &str, page: &str) -> Step<String> {
    page::field(html, "csrf_token").ok_or_else(|| format!("{page}: no form token").into())
}

/// Sign-up with email and password, then the verification link from the outbox, which
/// signs the person in.
async fn sign_up(user: &mut GooseUser) -> TransactionResult {
    let email = {
        let me = person_mut(user);
        me.attempts += 1;
        me.email = format!(
            "soak-{}-{}-{}@example.com",
            std::process::id(),
            me.number,
            me.attempts
        );
        me.email.clone()
    };
    let form = get(user, "/sign-up", "/sign-up").await?;
    let token = csrf(&form.body, "/sign-up")?;
    let name = format!("Soak person {}", person(user).number);
    let sent = post_form(
        user,
        "/sign-up",
        "/sign-up",
        &[
            ("csrf_token", &token),
            ("email", &email),
            ("display_name", &name),
            ("password", PASSWORD),
            ("age_confirmed", "on"),
            ("terms_accepted", "on"),
        ],
    )
    .await?;
    if sent.location.as_deref() != Some("/verify-email") {
        return Err(format!("sign-up refused (to {:?})", sent.location).into());
    }
    get(user, "/verify-email", "/verify-email (check your inbox)").await?;

    // The newest emails come first; ours was stored before the answer above.
    let outbox = get(user, "/dev/mail", "/dev/mail").await?;
    let mail = page::link_after(&outbox.body, &format!(">{email}<"), "/dev/mail/")
        .ok_or("no verification email in the outbox")?;
    let mail = get(user, &mail, "/dev/mail/{id}").await?;
    let link = page::link_containing(&mail.body, "/verify-email?token=")
        .ok_or("no verification link in the email")?;
    let confirm = get(user, &page::path_of(&link), "/verify-email?token={token}").await?;
    let token = csrf(&confirm.body, "/verify-email")?;
    let link_token = page::field(&confirm.body, "token").ok_or("no token on the confirm page")?;
    let change = page::field(&confirm.body, "change").unwrap_or_default();
    let done = post_form(
        user,
        "/verify-email",
        "/verify-email",
        &[
            ("csrf_token", &token),
            ("token", &link_token),
            ("change", &change),
        ],
    )
    .await?;
    if done.location.as_deref() != Some("/dashboard") {
        return Err(format!("verification refused (to {:?})", done.location).into());
    }
    get(user, "/dashboard", "/dashboard").await?;
    person_mut(user).signed_in = true;
    Ok(())
}

/// A person signed out by a failure signs up again, as a new person.
async fn signed_in(user: &mut GooseUser) -> TransactionResult {
    if person(user).signed_in {
        Ok(())
    } else {
        sign_up(user).await
    }
}

/// The landing page, pricing, a legal page, the dashboard and a settings page.
async fn browse(user: &mut GooseUser) -> TransactionResult {
    signed_in(user).await?;
    let round = person(user).rounds;
    person_mut(user).rounds += 1;
    get(user, "/", "/").await?;
    get(user, "/pricing", "/pricing").await?;
    let legal = LEGAL[round % LEGAL.len()];
    get(user, legal, legal).await?;
    get(user, "/dashboard", "/dashboard").await?;
    let settings = SETTINGS[round % SETTINGS.len()];
    get(user, settings, settings).await?;
    Ok(())
}

/// The workbench: with the task stream open (as the page keeps it), one image from the
/// offline engine, followed until it is done; then its thumbnail.
async fn generate(user: &mut GooseUser) -> TransactionResult {
    signed_in(user).await?;
    let page = get(user, "/workbench", "/workbench").await?;
    let token = csrf(&page.body, "/workbench")?;

    let stream = user
        .get_request_builder(&GooseMethod::Get, "/api/tasks/events")?
        .header(header::ACCEPT, "text/event-stream")
        .timeout(TASK_DEADLINE + Duration::from_secs(10));
    let goose = GooseRequest::builder()
        .name("/api/tasks/events")
        .set_request_builder(stream)
        .build();
    let mut stream = user.request(goose).await?.response?;
    if !stream.status().is_success() {
        return Err(format!("task stream: {}", stream.status()).into());
    }

    let number = person(user).number;
    let round = person(user).rounds;
    let input = serde_json::json!({
        "model": "offline",
        "prompt": format!("a banana on a desk, soak person {number}, round {round}"),
        "seed": (number as u64) << 32 | round as u64,
        "locale": "en",
    });
    let submit = user
        .get_request_builder(&GooseMethod::Post, "/api/generations")?
        .header("x-csrf-token", token)
        .json(&input);
    let submitted = send(user, "POST", "/api/generations", submit, 202).await?;
    let submitted: serde_json::Value =
        serde_json::from_str(&submitted.body).map_err(|e| format!("submit answer: {e}"))?;
    let task = submitted["tasks"][0]["id"]
        .as_str()
        .ok_or("submit answer without a task")?
        .to_string();

    let started = Instant::now();
    let mut buffer = String::new();
    let finished = loop {
        let left = TASK_DEADLINE.saturating_sub(started.elapsed());
        let chunk = match tokio::time::timeout(left, stream.chunk()).await {
            Err(_) => return Err("task stream: no end within the deadline".into()),
            Ok(Err(e)) => return Err(format!("task stream: {e}").into()),
            Ok(Ok(None)) => return Err("task stream closed before the task ended".into()),
            Ok(Ok(Some(chunk))) => chunk,
        };
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        if let Some(view) = finished_task(&mut buffer, &task) {
            break view;
        }
    };
    drop(stream);
    if finished["status"] != "succeeded" {
        return Err(format!("task ended {}", finished["status"]).into());
    }
    let thumb = finished["outputs"][0]["thumb_url"]
        .as_str()
        .ok_or("a finished task without an output")?
        .to_string();
    get(user, &page::path_of(&thumb), "/files/{thumbnail}").await?;
    Ok(())
}

/// Takes whole events off the front of `buffer`; the task's view once it has ended.
fn finished_task(buffer: &mut String, task: &str) -> Option<serde_json::Value> {
    while let Some(end) = buffer.find("\n\n") {
        let event: String = buffer.drain(..end + 2).collect();
        let data: String = event
            .lines()
            .filter_map(|line| line.strip_prefix("data:"))
            .map(str::trim_start)
            .collect();
        let Ok(view) = serde_json::from_str::<serde_json::Value>(&data) else {
            continue;
        };
        let done = !matches!(view["status"].as_str(), Some("queued" | "running"));
        if view["id"] == task && done {
            return Some(view);
        }
    }
    None
}

/// Pricing, a package through the local checkout's pay button, the order page, and the
/// billing settings with the new credits.
async fn buy(user: &mut GooseUser) -> TransactionResult {
    signed_in(user).await?;
    let pricing = get(user, "/pricing", "/pricing").await?;
    let token = csrf(&pricing.body, "/pricing")?;
    let started = post_form(
        user,
        "/checkout",
        "/checkout",
        &[
            ("csrf_token", &token),
            ("product", "starter"),
            ("currency", "usd"),
        ],
    )
    .await?;
    let checkout = started
        .location
        .filter(|l| l.starts_with("/checkout/local/"))
        .ok_or("checkout did not go to the local checkout")?;
    let page = get(user, &checkout, "/checkout/local/{number}").await?;
    let token = csrf(&page.body, "/checkout/local")?;
    let paid = post_form(
        user,
        &checkout,
        "/checkout/local/{number}",
        &[("csrf_token", &token), ("outcome", "pay")],
    )
    .await?;
    let success = paid
        .location
        .filter(|l| l.starts_with("/checkout/success"))
        .ok_or("payment did not end on the success page")?;
    get(user, &success, "/checkout/success?order={number}").await?;
    get(user, "/settings/billing", "/settings/billing").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_end_of_a_task_in_the_stream() {
        let mut buffer = String::from(
            "event: task\ndata: {\"id\":\"t1\",\"status\":\"running\"}\n\n\
             : keep-alive\n\nevent: task\ndata: {\"id\":\"t1\",\"status\":\"succ",
        );
        assert!(finished_task(&mut buffer, "t1").is_none());
        buffer.push_str("eeded\",\"outputs\":[]}\n\n");
        let view = finished_task(&mut buffer, "t1").unwrap();
        assert_eq!(view["status"], "succeeded");
    }

    #[test]
    fn every_person_has_an_address_of_their_own() {
        assert_eq!(address(0), "198.18.0.1");
        assert_eq!(address(249), "198.18.0.250");
        assert_eq!(address(250), "198.18.1.1");
    }
}

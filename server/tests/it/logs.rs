//! The logs of a full run — sign-up, verification, sign-in (wrong and right), reset, change
//! of password, admin invitation and two-factor enrolment and sign-in — at debug level,
//! hold no password, no link token, no session or form token and no TOTP secret or code.

use reqwest::{StatusCode, header};
use std::process::{Command, Stdio};
use testkit::KillOnDrop;

const PASSWORDS: [&str; 4] = [
    "purple banana skyline",
    "wrong horse battery staple",
    "orange river lantern",
    "violet marble harbour",
];

/// A client that behaves like a browser on our pages.
fn browser() -> reqwest::Client {
    let mut headers = header::HeaderMap::new();
    headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .unwrap()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` in {text}"))
        + start.len();
    &text[from..from + text[from..].find(end).unwrap()]
}

/// The plain-text body of the newest email to `to` in the dev outbox.
async fn mail_to(client: &reqwest::Client, base: &str, to: &str) -> String {
    let list = client
        .get(format!("{base}/dev/mail"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let row = list.split("<tr>").find(|r| r.contains(to)).unwrap();
    let href = between(row, "href=\"", "\"");
    let page = client
        .get(format!("{base}{href}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    between(&page, "<pre class=\"dev-mail-text\">", "</pre>").replace("&amp;", "&")
}

#[tokio::test]
async fn a_full_run_logs_no_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let base = format!("http://{addr}");
    let env = |command: &mut Command| {
        command
            .current_dir(dir.path())
            .env_clear()
            .env("BANANA_ADDR", &addr)
            .env("BANANA_LOG_FORMAT", "json")
            .env("BANANA_LOG_LEVEL", "debug")
            .env("BANANA_SITE_ROOT", dir.path().join("site"));
    };
    let mut serve = Command::new(env!("CARGO_BIN_EXE_server"));
    env(&mut serve);
    // Logs go to files: a pipe nobody reads while the server runs would fill and stall it.
    let log_path = dir.path().join("server.log");
    let log_file = std::fs::File::create(&log_path).unwrap();
    let child = KillOnDrop::new(
        serve
            .arg("serve")
            .stdout(Stdio::from(log_file.try_clone().unwrap()))
            .stderr(Stdio::from(log_file))
            .spawn()
            .unwrap(),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(std::time::Instant::now() < deadline, "server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut secrets: Vec<String> = PASSWORDS.iter().map(|p| p.to_string()).collect();
    let post = |client: &reqwest::Client, path: &str, form: &[(&str, &str)]| {
        client.post(format!("{base}{path}")).form(form).send()
    };

    // Sign up, verify, sign out, a wrong and a right sign-in.
    let ada = browser();
    let page = ada
        .get(format!("{base}/sign-up"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    secrets.push(between(&page, "name=\"csrf_token\" value=\"", "\"").to_string());
    let response = post(
        &ada,
        "/sign-up",
        &[
            ("display_name", "Ada"),
            ("email", "ada@example.com"),
            ("password", PASSWORDS[0]),
            ("age_confirmed", "on"),
            ("terms_accepted", "on"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let token = testkit::token_in(&mail_to(&ada, &base, "ada@example.com").await);
    secrets.push(token.clone());
    post(&ada, "/verify-email", &[("token", &token), ("change", "")])
        .await
        .unwrap();
    post(&ada, "/sign-out", &[]).await.unwrap();
    ada.get(format!("{base}/sign-in")).send().await.unwrap();
    let wrong = post(
        &ada,
        "/sign-in",
        &[("email", "ada@example.com"), ("password", PASSWORDS[1])],
    )
    .await
    .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    post(
        &ada,
        "/sign-in",
        &[("email", "ada@example.com"), ("password", PASSWORDS[0])],
    )
    .await
    .unwrap();
    let response = ada
        .get(format!("{base}/settings/security"))
        .send()
        .await
        .unwrap();
    for cookie in response.headers().get_all(header::SET_COOKIE) {
        secrets.push(between(cookie.to_str().unwrap(), "=", ";").to_string());
    }
    let change = post(
        &ada,
        "/settings/security/password",
        &[
            ("current_password", PASSWORDS[0]),
            ("new_password", PASSWORDS[2]),
        ],
    )
    .await
    .unwrap();
    assert_eq!(change.status(), StatusCode::SEE_OTHER);

    // Reset by email link.
    let other = browser();
    other
        .get(format!("{base}/forgot-password"))
        .send()
        .await
        .unwrap();
    post(&other, "/forgot-password", &[("email", "ada@example.com")])
        .await
        .unwrap();
    let reset = testkit::token_in(&mail_to(&other, &base, "ada@example.com").await);
    secrets.push(reset.clone());
    let done = post(
        &other,
        "/reset-password",
        &[("token", &reset), ("password", PASSWORDS[3])],
    )
    .await
    .unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);

    // An admin: invitation from the command line, password, two-factor enrolment and a
    // two-factor sign-in.
    let mut create = Command::new(env!("CARGO_BIN_EXE_server"));
    env(&mut create);
    let created = create
        .args(["create-admin", "--email", "root@example.com"])
        .output()
        .unwrap();
    assert!(created.status.success(), "{created:?}");
    let printed = String::from_utf8_lossy(&created.stdout).to_string();
    let invite = testkit::token_in(&printed);
    secrets.push(invite.clone());
    let root = browser();
    root.get(format!("{base}/reset-password?token={invite}"))
        .send()
        .await
        .unwrap();
    post(
        &root,
        "/reset-password",
        &[("token", &invite), ("password", PASSWORDS[2])],
    )
    .await
    .unwrap();
    root.get(format!("{base}/sign-in")).send().await.unwrap();
    post(
        &root,
        "/sign-in",
        &[("email", "root@example.com"), ("password", PASSWORDS[2])],
    )
    .await
    .unwrap();
    let page = root
        .get(format!("{base}/admin/two-factor"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let secret_text = between(&page, "secret=", "&").to_string();
    secrets.push(secret_text.clone());
    let secret = domain::totp::TotpSecret::from_base32(&secret_text).unwrap();
    let now = domain::now_ms() / 1000;
    let code = secret.code_at(now);
    let enrolled = post(&root, "/admin/two-factor", &[("code", &code)])
        .await
        .unwrap();
    assert_eq!(enrolled.status(), StatusCode::OK);
    let page = enrolled.text().await.unwrap();
    let main = between(&page, "<main", "</main>");
    let codes: Vec<String> = main
        .split("<li><code>")
        .skip(1)
        .map(|c| c.split("</code>").next().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    secrets.extend(codes);
    post(&root, "/sign-out", &[]).await.unwrap();
    root.get(format!("{base}/sign-in")).send().await.unwrap();
    post(
        &root,
        "/sign-in",
        &[("email", "root@example.com"), ("password", PASSWORDS[2])],
    )
    .await
    .unwrap();
    let next = secret.code_at(now + 30);
    let signed_in = post(&root, "/sign-in/two-factor", &[("code", &next)])
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        root.get(format!("{base}/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
    // The CLI prints the invitation link on stdout for the operator, by design; its log
    // lines (stderr) are checked like the server's.
    let logs = format!(
        "{}{}",
        std::fs::read_to_string(&log_path).unwrap(),
        String::from_utf8_lossy(&created.stderr),
    );
    assert!(
        logs.lines().count() > 50,
        "debug logs were captured: {logs}"
    );
    assert!(logs.contains("\"request\""), "request spans are logged");
    for secret in &secrets {
        assert!(secret.len() >= 6, "a real value: {secret}");
        assert!(
            !logs.contains(secret.as_str()),
            "the logs contain a secret ({}…)",
            &secret[..4]
        );
    }
    // TOTP codes are short; look for them as values, not substrings of ids.
    for code in [code, next] {
        assert!(
            !logs.contains(&format!("\"{code}\"")),
            "a TOTP code in the logs"
        );
        assert!(
            !logs.contains(&format!("code={code}")),
            "a TOTP code in the logs"
        );
    }
}

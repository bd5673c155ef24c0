//! The binary refuses bad configuration with one clear line and a non-zero exit, never a
//! panic; `--help` explains configuration; `migrate` migrates.

use std::process::{Command, Output};
use testkit::KillOnDrop;

fn server(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command.current_dir(dir).args(args).env_clear();
    if let Ok(path) = std::env::var("PATH") {
        command.env("PATH", path);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run server")
}

/// Exactly one line on stderr, starting with `error:`, exit code 2.
fn assert_refused(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn unknown_key_in_config_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "mode = \"dev\"\nlisten = \"0.0.0.0:80\"\n",
    )
    .unwrap();
    assert_refused(&server(dir.path(), &["serve"], &[]), "unknown key `listen`");
}

#[test]
fn unparseable_database_url() {
    let dir = tempfile::tempdir().unwrap();
    let output = server(
        dir.path(),
        &["serve"],
        &[("DATABASE_URL", "postgres//user:hunter2@host")],
    );
    assert_refused(&output, "DATABASE_URL");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("hunter2"));
}

#[test]
fn unwritable_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), "").unwrap();
    assert_refused(
        &server(dir.path(), &["serve"], &[("BANANA_DATA_DIR", "file/data")]),
        "data directory file/data",
    );
}

#[test]
fn port_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = server(
        dir.path(),
        &["serve"],
        &[("BANANA_ADDR", &addr), ("BANANA_LOG_LEVEL", "off")],
    );
    assert_refused(&output, &format!("cannot listen on {addr}"));
}

#[test]
fn production_names_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let output = server(dir.path(), &["serve"], &[("BANANA_MODE", "production")]);
    assert_refused(&output, "BANANA_SECRET_KEY is not set");
}

#[test]
fn missing_config_file_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    assert_refused(
        &server(dir.path(), &["--config", "nope.toml"], &[]),
        "nope.toml does not exist",
    );
}

#[test]
fn help_explains_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let output = server(dir.path(), &["--help"], &[]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "serve",
        "migrate",
        "config.toml",
        "BANANA_",
        "DATABASE_URL",
        "production",
    ] {
        assert!(help.contains(needle), "--help mentions {needle}");
    }
}

#[test]
fn migrate_creates_the_embedded_database() {
    let dir = tempfile::tempdir().unwrap();
    let output = server(dir.path(), &["migrate"], &[("BANANA_LOG_LEVEL", "off")]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).starts_with("sqlite database is at migration ")
    );
    assert!(dir.path().join("data").join("banana.db").exists());
    assert!(dir.path().join("data").join("secrets.toml").exists());
    // Twice is fine.
    assert!(
        server(dir.path(), &["migrate"], &[("BANANA_LOG_LEVEL", "off")])
            .status
            .success()
    );
}

/// SIGTERM stops a serving process cleanly: exit code 0, and it logged that it stopped.
#[test]
fn sigterm_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = KillOnDrop::new(
        Command::new(env!("CARGO_BIN_EXE_server"))
            .current_dir(dir.path())
            .env_clear()
            .env("BANANA_ADDR", &addr)
            .env("BANANA_LOG_FORMAT", "json")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(std::time::Instant::now() < deadline, "server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "exit: {:?}", output.status);
    let logs = String::from_utf8_lossy(&output.stdout);
    // JSON logs: one object per line, ending with the stop.
    let last: serde_json::Value = serde_json::from_str(logs.lines().last().unwrap()).unwrap();
    assert_eq!(
        last["fields"]["message"]
            .as_str()
            .or(last["message"].as_str()),
        Some("stopped"),
        "{logs}"
    );
}

//! The command line: `serve` (the default), `migrate`, `create-admin` and `sweep`.

use crate::{Application, telemetry};
use anyhow::Context;
use clap::{Parser, Subcommand};
use domain::{
    config::{self, Config},
    db::Db,
};
use secrecy::ExposeSecret;
use std::path::PathBuf;

const CONFIG_HELP: &str = "\
Configuration, lowest precedence first:
  1. built-in defaults — enough to run: SQLite and files under ./data, dev mode,
     secrets generated on first run into ./data/secrets.toml (mode 0600);
  2. config.toml in the working directory (or the file given with --config);
  3. the environment: BANANA_<KEY> for each key, plus DATABASE_URL.

Keys (see .env.example for every one with its default):
  mode                    dev | production (production refuses dev-only settings)
  addr                    listen address, e.g. 127.0.0.1:3000
  public_url              the origin people use, e.g. https://banana.example
  data_dir                where the SQLite database, secrets and files live
  DATABASE_URL            sqlite://… or postgres://… (default: SQLite in data_dir)
  db_max_connections      pool size
  log_format, log_level   text | json; a tracing filter such as info,sqlx=warn
  site_root               the built site (WASM bundle, stylesheet, images)
  secret_key              signs cookies and tokens (required in production)
  shutdown_grace_seconds  time in-flight requests get after SIGTERM or ctrl-c";

/// banana nano — an AI image studio.
#[derive(Parser, Debug)]
#[command(name = "server", version, about, after_long_help = CONFIG_HELP, after_help = "Run `server --help` for configuration.")]
pub struct Cli {
    /// A TOML configuration file (default: ./config.toml when present).
    #[arg(long, global = true, env = "BANANA_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Apply migrations and serve the site and API (the default).
    Serve,
    /// Apply database migrations, then exit.
    Migrate,
    /// Make the account with this email an admin, creating it if needed. A new account gets
    /// an invitation link (printed and emailed) to set its password. Admins must enrol
    /// two-factor sign-in before any admin page opens.
    CreateAdmin {
        /// The admin's email address.
        #[arg(long)]
        email: String,
    },
    /// Apply every retention rule of the privacy registry once (the server also does this
    /// hourly), print what each affected, then exit.
    Sweep {
        /// Change nothing; report what a run would affect.
        #[arg(long)]
        dry_run: bool,
        /// Sweep as of this time instead of now (RFC 3339, e.g. 2027-01-31T00:00:00Z).
        #[arg(long, value_name = "TIME", value_parser = parse_time)]
        now: Option<i64>,
    },
}

/// An RFC 3339 time as unix milliseconds.
fn parse_time(text: &str) -> Result<i64, String> {
    let time = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|_| format!("`{text}` is not an RFC 3339 time like 2027-01-31T00:00:00Z"))?;
    i64::try_from(time.unix_timestamp_nanos() / 1_000_000).map_err(|_| "out of range".into())
}

fn load_config(file: Option<PathBuf>) -> anyhow::Result<Config> {
    if let Some(path) = &file
        && !path.is_file()
    {
        anyhow::bail!("configuration file {} does not exist", path.display());
    }
    Ok(Config::load(config::sources(file))?)
}

pub async fn serve(file: Option<PathBuf>) -> anyhow::Result<()> {
    let config = load_config(file)?;
    telemetry::init(&config)?;
    let stop = crate::shutdown_signal();
    let application = Application::build(config).await?;
    application.run_until_stopped(stop).await
}

pub async fn create_admin(file: Option<PathBuf>, email: &str) -> anyhow::Result<()> {
    let config = load_config(file)?;
    telemetry::init(&config)?;
    let db = Db::connect(config.database_url.expose_secret(), 2).await?;
    db.migrate().await?;
    let state = domain::AppState::new(config, db.clone())?;
    let (user, invitation) = domain::accounts::create_admin(&state, email)
        .await
        .map_err(|e| anyhow::anyhow!("cannot create the admin: {e}"))?;
    match invitation {
        Some(link) => println!(
            "created admin {} — set a password within 24 hours at:\n{link}",
            user.email
        ),
        None => println!("{} is now an admin", user.email),
    }
    db.close().await;
    Ok(())
}

/// Runs the retention sweeper once and prints its report as a table.
pub async fn sweep(file: Option<PathBuf>, dry_run: bool, now: Option<i64>) -> anyhow::Result<()> {
    let config = load_config(file)?;
    telemetry::init(&config)?;
    let db = Db::connect(config.database_url.expose_secret(), 2).await?;
    db.migrate().await?;
    let state = domain::AppState::new(config, db.clone())?;
    let report = domain::privacy::sweep::run(&state, now.unwrap_or_else(domain::now_ms), dry_run)
        .await
        .context("the retention sweep did not finish")?;
    let width = report
        .rules
        .iter()
        .map(|(rule, _)| rule.len())
        .max()
        .unwrap_or(0)
        .max("total".len());
    println!("{:<width$}  {:>9}", "rule", "affected");
    for (rule, affected) in &report.rules {
        println!("{rule:<width$}  {affected:>9}");
    }
    println!("{:<width$}  {:>9}", "total", report.total());
    if dry_run {
        println!("dry run: nothing was changed");
    }
    db.close().await;
    Ok(())
}

pub async fn migrate(file: Option<PathBuf>) -> anyhow::Result<()> {
    let config = load_config(file)?;
    telemetry::init(&config)?;
    let db = Db::connect(config.database_url.expose_secret(), 1).await?;
    db.migrate().await?;
    let version = db
        .schema_version()
        .await?
        .context("no migrations applied")?;
    println!("{} database is at migration {version}", db.backend().name());
    db.close().await;
    Ok(())
}

//! `server`: the banana nano binary. See `server --help`.

use clap::Parser;
use server::cli::{Cli, Command};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::cli::serve(cli.config).await,
        Command::Migrate => server::cli::migrate(cli.config).await,
        Command::CreateAdmin { email } => server::cli::create_admin(cli.config, &email).await,
        Command::Sweep { dry_run, now } => server::cli::sweep(cli.config, dry_run, now).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, for the operator; no backtrace, no panic.
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

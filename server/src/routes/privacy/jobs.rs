//! The privacy centre's work beside the server: the export builder, the hourly retention
//! sweeper, and the notices of material policy changes (resumed at every start).

use domain::{
    AppState,
    privacy::{export, sweep},
};
use std::time::Duration;

/// How often the export worker looks for work besides being woken by a request (which only
/// wakes the process that took it; other instances find the work here).
const EXPORT_POLL: Duration = Duration::from_secs(5);

/// Starts the export builder, the retention sweeper and the policy change notices.
pub fn spawn_background(state: AppState) {
    spawn_export_worker(state.clone());
    spawn_sweeper(state.clone());
    tokio::spawn(async move {
        match domain::privacy::policy::send_material_notices(&state, domain::now_ms()).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "sent policy change notices"),
            Err(e) => tracing::warn!(error = %e, "could not send policy change notices"),
        }
    });
}

/// Builds requested exports in the background: at once when someone in this process asks,
/// and every few seconds for requests taken by other instances and for retries.
fn spawn_export_worker(state: AppState) {
    tokio::spawn(async move {
        loop {
            match export::run_pending(&state, domain::now_ms()).await {
                Ok(0) => {}
                Ok(ready) => tracing::info!(ready, "data exports ready"),
                Err(error) => tracing::warn!(%error, "the data export job failed; will retry"),
            }
            tokio::select! {
                () = tokio::time::sleep(EXPORT_POLL) => {}
                () = export::requested() => {}
            }
        }
    });
}

/// Applies the retention rules every hour, beside the server. Several instances may run it
/// at once: the sweeper counts only what it changed itself.
fn spawn_sweeper(state: AppState) {
    tokio::spawn(async move {
        // A minute after start, so starting (and the tests that start many servers) stays
        // quick; then every hour.
        let first = tokio::time::Instant::now() + Duration::from_secs(60);
        let mut every = tokio::time::interval_at(first, Duration::from_secs(3600));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match sweep::run(&state, domain::now_ms(), false).await {
                Ok(report) if report.total() > 0 => {
                    let counts: Vec<String> = report
                        .rules
                        .iter()
                        .filter(|(_, n)| *n > 0)
                        .map(|(rule, n)| format!("{rule}={n}"))
                        .collect();
                    tracing::info!(affected = %counts.join(" "), "retention sweep");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "retention sweep incomplete"),
            }
        }
    });
}

//! Housekeeping beside the server: expired sessions, stale rate-limit counters, credits
//! past their expiry, and guests gone for the guest retention period.

use domain::{AppState, accounts::sessions, ratelimit};
use std::time::Duration;

/// Runs the housekeeping every few minutes.
pub fn spawn_cleanup(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(300));
        loop {
            every.tick().await;
            clean_up(&state, domain::now_ms()).await;
        }
    });
}

async fn clean_up(state: &AppState, now: i64) {
    match sessions::delete_expired(&state.db, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(sessions = n, "deleted expired sessions"),
        Err(e) => tracing::warn!(error = %e, "could not delete expired sessions"),
    }
    if let Err(e) = ratelimit::sweep(&state.db, now).await {
        tracing::warn!(error = %e, "could not sweep rate limits");
    }
    // Credits past their expiry leave the balance with an expire entry each.
    match domain::credits::expire_due(&state.db, now, 5_000).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(lots = n, "expired credit lots"),
        Err(e) => tracing::warn!(error = %e, "could not expire credits"),
    }
    // Guests not seen for the guest retention period, and never moved to an account, lose
    // their uploads and results.
    match domain::generation::guests::purge_expired(&state.db, &state.storage, now).await {
        Ok(p) if p.guests > 0 => tracing::info!(
            guests = p.guests,
            uploads = p.uploads,
            tasks = p.tasks,
            files = p.files,
            "purged expired guest data"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not purge guest data"),
    }
}

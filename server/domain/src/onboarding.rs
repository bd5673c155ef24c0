//! What happens when a person arrives in their account (a sign-up or a sign-in): the
//! referral they came with is recorded, and the work they did as a guest moves to the
//! account. One operation, so every way in does the same.

use crate::{AppState, billing, generation::guests};

/// Who arrived, and what they bring from before they had a session of their own.
#[derive(Clone, Copy, Debug)]
pub struct Arrival<'a> {
    pub user_id: &'a str,
    /// The guest of the browser's signed guest cookie, if any.
    pub guest_id: Option<&'a str>,
    /// The referral code the visitor arrived with (new accounts only).
    pub referral_code: Option<&'a str>,
}

/// Records the referral, then moves the guest's uploads and history to the account.
/// Neither may stop a sign-in: failures are logged.
pub async fn arrive(state: &AppState, arrival: Arrival<'_>) {
    if let Some(code) = arrival.referral_code {
        match billing::attribute_referral(&state.db, arrival.user_id, code).await {
            Ok(outcome) => tracing::info!(?outcome, "referral"),
            Err(e) => tracing::warn!(error = %e, "could not record a referral"),
        }
    }
    let Some(guest) = arrival.guest_id else {
        return;
    };
    match guests::migrate(&state.db, guest, arrival.user_id, crate::now_ms()).await {
        Ok(moved) if moved.tasks + moved.uploads > 0 => {
            tracing::info!(
                uploads = moved.uploads,
                tasks = moved.tasks,
                "guest work moved to the account"
            );
        }
        Ok(_) => {}
        Err(error) => tracing::error!(%error, "could not move guest work to the account"),
    }
}

//! Ending a deleted account's subscriptions at the payment provider.

use crate::AppState;
use secrecy::ExposeSecret;
use serde_json::json;

/// Asks the payment provider to end a subscription at the end of its period, so a deleted
/// account is never charged again. Best-effort: the deletion is done whatever the provider
/// says; a failure is logged for the operator, and the local record already says it ends.
pub(super) async fn cancel_at_provider(state: &AppState, provider: &str, subscription_id: &str) {
    let billing = &state.config.billing;
    let request = match provider {
        "stripe" => billing.stripe.as_ref().map(|stripe| {
            state
                .http
                .post(format!(
                    "{}/v1/subscriptions/{subscription_id}",
                    stripe.api_url.trim_end_matches('/')
                ))
                .bearer_auth(stripe.secret_key.expose_secret())
                .form(&[("cancel_at_period_end", "true")])
        }),
        "creem" => billing.creem.as_ref().map(|creem| {
            state
                .http
                .post(format!(
                    "{}/v1/subscriptions/{subscription_id}/cancel",
                    creem.api_url.trim_end_matches('/')
                ))
                .header("x-api-key", creem.api_key.expose_secret())
                .json(&json!({ "mode": "scheduled" }))
        }),
        // The local checkout renews nothing by itself: the record is all there is.
        _ => return,
    };
    let Some(request) = request else {
        tracing::error!(
            provider,
            "a deleted account's subscription is with a provider that is no longer configured; \
             cancel it in the provider's dashboard"
        );
        return;
    };
    match request.send().await {
        Ok(response) if response.status().is_success() => {
            tracing::info!(provider, "subscription of a deleted account set to end");
        }
        Ok(response) => tracing::error!(
            provider,
            status = response.status().as_u16(),
            "the provider refused to end a deleted account's subscription; cancel it in the \
             provider's dashboard"
        ),
        Err(error) => tracing::error!(
            provider,
            timeout = error.is_timeout(),
            "the provider could not be reached to end a deleted account's subscription; \
             cancel it in the provider's dashboard"
        ),
    }
}

//! Marketing email: news and offers, sent only to people who opted in, are not restricting
//! or objecting to processing, and still have an account. Every one carries a one-click
//! unsubscribe (RFC 8058 headers and a visible link) and a link to the preference centre.
//!
//! The unsubscribe token is the person's id with a keyed hash of it, so a link can be
//! checked without storing anything, works for as long as the person exists, and cannot be
//! made for someone else without the server's secret.

use super::preferences;
use crate::{AppState, email::Message};
use sqlx::Row;
use subtle::ConstantTimeEq;

/// Where one-click unsubscribes arrive (`POST`) and the confirmation page lives (`GET`).
pub const UNSUBSCRIBE_PATH: &str = "/unsubscribe";

/// Where a person manages their email and privacy choices.
pub const PREFERENCES_PATH: &str = "/settings/privacy";

/// The purpose under which unsubscribe tokens are keyed.
const TOKEN_PURPOSE: &str = "unsubscribe";

/// Hex characters of the keyed hash in a token: 128 bits.
const TOKEN_MAC_LEN: usize = 32;

/// One mailing, as the operator wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Campaign {
    /// Stable for the mailing (e.g. `2027-spring-styles`): a person gets each campaign once.
    /// 1–64 of `A-Z a-z 0-9 - _`.
    pub id: String,
    /// One line of plain text.
    pub subject: String,
    /// Plain text; a blank line starts a new paragraph. Escaped when rendered.
    pub body: String,
}

impl Campaign {
    fn check(&self) -> Result<(), MarketingError> {
        let id_ok = (1..=64).contains(&self.id.len())
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
        if !id_ok {
            return Err(MarketingError::InvalidCampaign(
                "the id must be 1–64 letters, digits, - or _",
            ));
        }
        if self.subject.trim().is_empty() || self.subject.chars().count() > 200 {
            return Err(MarketingError::InvalidCampaign(
                "the subject must be 1–200 characters",
            ));
        }
        if self.body.trim().is_empty() || self.body.len() > 100_000 {
            return Err(MarketingError::InvalidCampaign(
                "the body must be between 1 character and 100 kB",
            ));
        }
        Ok(())
    }
}

/// What happened for one person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    Skipped(SkipReason),
}

/// Why a person did not get a marketing email.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// No such account.
    Unknown,
    /// The account is deleted (and waiting to be purged).
    Deleted,
    /// Never opted in, or unsubscribed.
    NotOptedIn,
    /// Processing is restricted or objected to.
    Limited,
    /// The address was never confirmed: consent from an unconfirmed address proves nothing.
    Unverified,
}

#[derive(Debug, thiserror::Error)]
pub enum MarketingError {
    #[error("campaign: {0}")]
    InvalidCampaign(&'static str),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Email(#[from] crate::email::EmailError),
}

/// A person's unsubscribe token: `<id>.<keyed hash>`.
pub fn unsubscribe_token(state: &AppState, user_id: &str) -> String {
    format!("{user_id}.{}", mac(state, user_id))
}

fn mac(state: &AppState, user_id: &str) -> String {
    let mut hash = super::keyed_hash(state, TOKEN_PURPOSE, user_id);
    hash.truncate(TOKEN_MAC_LEN);
    hash
}

/// The person a token names, if the token is ours.
pub fn verify_token(state: &AppState, token: &str) -> Option<String> {
    let (user_id, given) = token.trim().rsplit_once('.')?;
    if user_id.is_empty() || user_id.len() > 64 || given.len() != TOKEN_MAC_LEN {
        return None;
    }
    let expected = mac(state, user_id);
    bool::from(expected.as_bytes().ct_eq(given.as_bytes())).then(|| user_id.to_string())
}

/// The one-click unsubscribe address of a person: what `List-Unsubscribe` names and mail
/// clients POST to, and where the visible link leads (a confirmation page on GET).
pub fn unsubscribe_link(state: &AppState, user_id: &str) -> String {
    format!(
        "{}{UNSUBSCRIBE_PATH}?token={}",
        state.config.public_url.trim_end_matches('/'),
        unsubscribe_token(state, user_id)
    )
}

/// The person marketing email would go to, with their choices.
struct Recipient {
    email: String,
    name: String,
    locale: String,
    deleted: bool,
    verified: bool,
    restricted: bool,
    objected: bool,
    /// When they opted in, if they are opted in.
    opted_in_at: Option<i64>,
}

async fn recipient(state: &AppState, user_id: &str) -> Result<Option<Recipient>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.email, u.display_name, u.locale, u.deleted_at, u.email_verified_at, \
         p.restricted_at, p.objected_at, p.marketing_opt_in_at \
         FROM users u LEFT JOIN privacy_preferences p ON p.user_id = u.id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(state.db.pool())
    .await?;
    Ok(row.map(|row| Recipient {
        email: row.get(0),
        name: row.get(1),
        locale: row.get(2),
        deleted: row.get::<Option<i64>, _>(3).is_some(),
        verified: row.get::<Option<i64>, _>(4).is_some(),
        restricted: row.get::<Option<i64>, _>(5).is_some(),
        objected: row.get::<Option<i64>, _>(6).is_some(),
        opted_in_at: row.get(7),
    }))
}

/// The path prefix of a person's language (`/zh-CN`), for links into the site.
fn locale_prefix(locale: &str) -> &'static str {
    if locale.to_ascii_lowercase().starts_with("zh") {
        "/zh-CN"
    } else {
        ""
    }
}

/// Sends `campaign` to `user_id` if they may get it at `now_ms` (consent given later does
/// not count). The idempotency key is the pair (campaign, person), so sending again never
/// sends twice where the transport can deduplicate (the outbox, Resend).
pub async fn send(
    state: &AppState,
    user_id: &str,
    campaign: &Campaign,
    now_ms: i64,
) -> Result<Delivery, MarketingError> {
    campaign.check()?;
    let Some(person) = recipient(state, user_id).await? else {
        return Ok(Delivery::Skipped(SkipReason::Unknown));
    };
    if person.deleted {
        return Ok(Delivery::Skipped(SkipReason::Deleted));
    }
    if person.opted_in_at.is_none_or(|at| at > now_ms) {
        return Ok(Delivery::Skipped(SkipReason::NotOptedIn));
    }
    if person.restricted || person.objected {
        return Ok(Delivery::Skipped(SkipReason::Limited));
    }
    if !person.verified {
        return Ok(Delivery::Skipped(SkipReason::Unverified));
    }
    let message = Message::Marketing {
        name: person.name,
        subject: campaign.subject.clone(),
        body: campaign.body.clone(),
        unsubscribe: unsubscribe_link(state, user_id),
        preferences: format!(
            "{}{}{PREFERENCES_PATH}",
            state.config.public_url.trim_end_matches('/'),
            locale_prefix(&person.locale)
        ),
    };
    state
        .mailer
        .send_message(
            &person.email,
            &message,
            &person.locale,
            &idempotency_key(&campaign.id, user_id),
        )
        .await?;
    Ok(Delivery::Sent)
}

/// One key per (campaign, person).
pub fn idempotency_key(campaign_id: &str, user_id: &str) -> String {
    format!("marketing/{campaign_id}/{user_id}")
}

/// What sending a campaign to everyone did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CampaignReport {
    pub sent: u64,
    pub skipped: u64,
    /// Emails the transport refused or could not take; running the campaign again retries
    /// them (and only them, where the transport deduplicates).
    pub failed: u64,
}

/// Sends `campaign` to everyone opted in. Each person is checked again just before their
/// email, so an unsubscribe during a long run is honoured.
pub async fn send_campaign(
    state: &AppState,
    campaign: &Campaign,
    now_ms: i64,
) -> Result<CampaignReport, MarketingError> {
    campaign.check()?;
    let mut report = CampaignReport::default();
    let mut after = String::new();
    loop {
        // Keyset pages by id: people who opt in meanwhile with a smaller id wait for the
        // next campaign, nobody is visited twice.
        let batch: Vec<String> = sqlx::query_scalar(
            "SELECT p.user_id FROM privacy_preferences p JOIN users u ON u.id = p.user_id \
             WHERE p.marketing_opt_in_at IS NOT NULL AND p.restricted_at IS NULL \
             AND p.objected_at IS NULL AND u.deleted_at IS NULL AND p.user_id > $1 \
             ORDER BY p.user_id LIMIT 200",
        )
        .bind(&after)
        .fetch_all(state.db.pool())
        .await?;
        let Some(last) = batch.last() else { break };
        after = last.clone();
        for user_id in &batch {
            match send(state, user_id, campaign, now_ms).await {
                Ok(Delivery::Sent) => report.sent += 1,
                Ok(Delivery::Skipped(_)) => report.skipped += 1,
                Err(MarketingError::Email(e)) => {
                    tracing::warn!(user = %user_id, campaign = %campaign.id, error = %e, "marketing email not sent");
                    report.failed += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
    crate::audit::record(
        state.db.pool(),
        None,
        None,
        "marketing.campaign_sent",
        serde_json::json!({
            "campaign": campaign.id,
            "sent": report.sent,
            "skipped": report.skipped,
            "failed": report.failed,
        }),
        None,
    )
    .await?;
    Ok(report)
}

/// What an unsubscribe did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsubscribed {
    pub user_id: String,
    /// False when the person was not subscribed (a repeated click): nothing changed.
    pub changed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum UnsubscribeError {
    /// Not a token of ours, or the person no longer exists.
    #[error("unknown unsubscribe link")]
    InvalidToken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Stops marketing email for the person `token` names. Repeating it is harmless.
pub async fn unsubscribe(
    state: &AppState,
    token: &str,
    now_ms: i64,
) -> Result<Unsubscribed, UnsubscribeError> {
    let user_id = verify_token(state, token).ok_or(UnsubscribeError::InvalidToken)?;
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1")
        .bind(&user_id)
        .fetch_optional(state.db.pool())
        .await?;
    if exists.is_none() {
        // A purged person gets no email anyway; there is no choice left to record.
        return Err(UnsubscribeError::InvalidToken);
    }
    let before = preferences::get(&state.db, &user_id).await?;
    preferences::set_marketing(state, &user_id, false, "unsubscribe", now_ms).await?;
    Ok(Unsubscribed {
        user_id,
        changed: before.marketing,
    })
}

/// The language a person reads in (`en`, `zh-CN`), for the page an unsubscribe link opens.
pub async fn locale_of_token(state: &AppState, token: &str) -> Option<String> {
    let user_id = verify_token(state, token)?;
    sqlx::query_scalar("SELECT locale FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(state.db.pool())
        .await
        .ok()
        .flatten()
}

//! What the consent banner and the privacy settings page receive.

use serde::{Deserialize, Serialize};

/// The consent choice in force for this browser.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    /// No choice yet: the banner asks.
    pub undecided: bool,
    /// The browser sends the Global Privacy Control signal, which we treat as "reject all".
    pub gpc: bool,
    pub analytics: bool,
    pub marketing: bool,
}

/// A material change to a legal document the signed-in person has not dismissed yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyNoticeView {
    /// `privacy`, `terms`, `cookies` or `subprocessors`.
    pub doc: String,
    pub version: String,
    pub effective_at: i64,
    /// Goes back in the dismiss form.
    pub key: String,
}

/// One data export of the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportView {
    /// `queued`, `running`, `ready` or `failed`.
    pub status: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub size_bytes: Option<i64>,
}

/// One rights request of the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLine {
    pub id: String,
    /// `access`, `correct`, `delete`, `restrict`, `object` or `port`.
    pub kind: String,
    /// `unverified`, `open`, `extended`, `completed` or `refused`.
    pub status: String,
    pub created_at: i64,
    pub due_at: Option<i64>,
}

/// One recorded consent choice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentLine {
    pub analytics: bool,
    pub marketing: bool,
    /// `banner`, `settings`, `gpc` or `withdraw`.
    pub source: String,
    pub policy_version: String,
    pub created_at: i64,
}

/// Everything on /settings/privacy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyOverview {
    pub consent: ConsentView,
    pub history: Vec<ConsentLine>,
    pub exports: Vec<ExportView>,
    /// An export is queued or being built: another cannot be asked for yet.
    pub export_pending: bool,
    pub restricted: bool,
    pub objected: bool,
    pub marketing: bool,
    pub requests: Vec<RequestLine>,
    /// Deleting asks for the password (else the typed address and a recent sign-in).
    pub has_password: bool,
    pub two_factor: bool,
    /// How many days a deleted account's profile is held before it is purged.
    pub hold_days: u64,
    /// How many days a download link works.
    pub export_days: u64,
}

/// A rights request as its status page shows it. Kinds and statuses are ids the page
/// names in its own language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrivacyRequestView {
    pub id: String,
    /// `access`, `correct`, `delete`, `restrict`, `object` or `port`.
    pub kind: String,
    /// `unverified`, `open`, `extended`, `completed` or `refused`.
    pub status: String,
    /// What the sender wrote, as they wrote it.
    pub details: String,
    pub created_at: i64,
    pub verified_at: Option<i64>,
    pub due_at: Option<i64>,
    pub extended_at: Option<i64>,
    pub extension_reason: Option<String>,
    pub resolution: Option<String>,
    pub closed_at: Option<i64>,
}

/// What a confirmation link is for, or why it cannot be used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RequestLinkView {
    /// The request to confirm; `verified` when the link was followed before.
    Request {
        id: String,
        kind: String,
        created_at: i64,
        verified: bool,
    },
    /// The link is unknown or expired: the message to show.
    Refused { key: String },
}

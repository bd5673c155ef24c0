//! Support tickets as their person sees them: the list in the settings, one thread, and
//! what a visitor's confirmation link is for.

use serde::{Deserialize, Serialize};

/// One line of the person's list of tickets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupportTicketSummary {
    pub id: String,
    /// `account`, `billing`, `generation`, `privacy` or `other`.
    pub topic: String,
    /// `open`, `answered` or `closed`.
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The start of the first message.
    pub preview: String,
}

/// A screenshot of a message: a signed, expiring link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupportScreenshot {
    pub url: String,
    pub width: i64,
    pub height: i64,
}

/// One message of a thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupportMessageView {
    /// `person` or `staff`.
    pub author: String,
    pub body: String,
    pub created_at: i64,
    pub screenshots: Vec<SupportScreenshot>,
}

/// A ticket and its thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupportThreadView {
    pub id: String,
    pub topic: String,
    pub status: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub messages: Vec<SupportMessageView>,
}

/// What a confirmation link is for, or why it cannot be used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SupportLinkView {
    Ticket {
        topic: String,
        created_at: i64,
        /// Already confirmed: the page offers nothing more to do.
        confirmed: bool,
    },
    /// The link is unknown or expired: the message key that says so.
    Refused { key: String },
}

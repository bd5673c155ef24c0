//! Moderation: a configurable prompt blocklist, an image-check hook for uploads and results,
//! and the flags they raise, kept for the admin review queue. Whatever is flagged, the
//! person is told plainly and pays nothing.
//!
//! The image check speaks a small HTTP protocol so any classifier can sit behind it: we
//! `POST` the image bytes to `moderation_image_check_url` with the image's
//! `Content-Type`, and the service answers `200 {"flagged": bool, "categories": [..]}`.

use crate::db::Db;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

/// The first blocklisted term found in any of `texts`, matched case-insensitively on word
/// boundaries (so "class" does not match "ass").
pub fn blocked_term<'a>(blocklist: &'a [String], texts: &[&str]) -> Option<&'a str> {
    let texts: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
    blocklist
        .iter()
        .find(|term| texts.iter().any(|text| contains_word(text, term)))
        .map(|t| t.as_str())
}

fn contains_word(text: &str, term: &str) -> bool {
    if term.is_empty() {
        return false;
    }
    let is_word = |c: char| c.is_alphanumeric();
    let mut start = 0;
    while let Some(found) = text[start..].find(term) {
        let at = start + found;
        let end = at + term.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        // Scripts written without spaces (Chinese, Japanese) match anywhere.
        let boundary_ok = |c: Option<char>| match c {
            None => true,
            Some(c) => !is_word(c) || !c.is_ascii() || !term.is_ascii(),
        };
        if boundary_ok(before) && boundary_ok(after) {
            return true;
        }
        start = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// What the image check said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageVerdict {
    Clean,
    /// Flagged, with the service's categories joined by commas.
    Flagged(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ImageCheckError {
    #[error("image check unreachable: {0}")]
    Unreachable(String),
    #[error("image check answered {0}")]
    Status(u16),
    #[error("image check answer malformed")]
    Malformed,
}

#[derive(Deserialize)]
struct CheckAnswer {
    flagged: bool,
    #[serde(default)]
    categories: Vec<String>,
}

/// The image-check hook; with no service configured every image passes.
#[derive(Clone, Debug)]
pub struct ImageCheck {
    url: Option<String>,
    http: reqwest::Client,
}

impl ImageCheck {
    pub fn new(url: Option<String>, http: reqwest::Client) -> ImageCheck {
        ImageCheck { url, http }
    }

    pub fn enabled(&self) -> bool {
        self.url.is_some()
    }

    pub async fn check(
        &self,
        bytes: &[u8],
        content_type: &str,
    ) -> Result<ImageVerdict, ImageCheckError> {
        let Some(url) = &self.url else {
            return Ok(ImageVerdict::Clean);
        };
        let response = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(bytes.to_vec())
            .send()
            .await
            .map_err(|e| ImageCheckError::Unreachable(e.without_url().to_string()))?;
        if !response.status().is_success() {
            return Err(ImageCheckError::Status(response.status().as_u16()));
        }
        let answer: CheckAnswer = response
            .json()
            .await
            .map_err(|_| ImageCheckError::Malformed)?;
        Ok(if answer.flagged {
            let categories = if answer.categories.is_empty() {
                "flagged".to_string()
            } else {
                answer.categories.join(",")
            };
            ImageVerdict::Flagged(categories)
        } else {
            ImageVerdict::Clean
        })
    }
}

/// What was flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    Prompt,
    Upload,
    Output,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Prompt => "prompt",
            Subject::Upload => "upload",
            Subject::Output => "output",
        }
    }
}

/// Who flagged it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Blocklist,
    Provider,
    ImageCheck,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Blocklist => "blocklist",
            Source::Provider => "provider",
            Source::ImageCheck => "image_check",
        }
    }
}

/// A flag to record.
#[derive(Clone, Debug)]
pub struct NewFlag<'a> {
    pub subject: Subject,
    pub subject_id: &'a str,
    pub user_id: Option<&'a str>,
    pub guest_id: Option<&'a str>,
    pub source: Source,
    pub reason: &'a str,
    /// The prompt, for prompt flags and provider refusals.
    pub excerpt: Option<&'a str>,
    /// The flagged image, kept for review.
    pub storage_key: Option<&'a str>,
}

/// Records a flag (inside the caller's transaction). Returns its id.
pub async fn record_in(
    conn: &mut AnyConnection,
    flag: &NewFlag<'_>,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = crate::new_id();
    let excerpt = flag
        .excerpt
        .map(|e| e.chars().take(2000).collect::<String>());
    let reason: String = flag.reason.chars().take(500).collect();
    sqlx::query(
        "INSERT INTO moderation_flags \
         (id, subject, subject_id, user_id, guest_id, source, reason, excerpt, storage_key, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10)",
    )
    .bind(&id)
    .bind(flag.subject.as_str())
    .bind(flag.subject_id)
    .bind(flag.user_id)
    .bind(flag.guest_id)
    .bind(flag.source.as_str())
    .bind(reason)
    .bind(excerpt)
    .bind(flag.storage_key)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Records a flag in its own transaction.
pub async fn record(db: &Db, flag: &NewFlag<'_>, now: i64) -> Result<String, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let id = record_in(tx.conn(), flag, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// A flag as the review queue lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlagRecord {
    pub id: String,
    pub subject: String,
    pub subject_id: String,
    pub user_id: Option<String>,
    pub guest_id: Option<String>,
    pub source: String,
    pub reason: String,
    pub excerpt: Option<String>,
    pub storage_key: Option<String>,
    pub status: String,
    pub created_at: i64,
}

/// Open flags, oldest first: the review queue.
pub async fn open_flags(db: &Db, limit: i64) -> Result<Vec<FlagRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, subject, subject_id, user_id, guest_id, source, reason, excerpt, storage_key, \
         status, created_at FROM moderation_flags WHERE status = 'open' \
         ORDER BY created_at, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| FlagRecord {
            id: row.get(0),
            subject: row.get(1),
            subject_id: row.get(2),
            user_id: row.get(3),
            guest_id: row.get(4),
            source: row.get(5),
            reason: row.get(6),
            excerpt: row.get(7),
            storage_key: row.get(8),
            status: row.get(9),
            created_at: row.get(10),
        })
        .collect())
}

#[cfg(test)]
mod tests;

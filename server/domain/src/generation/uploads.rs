//! Reference images and masks people upload. Each is checked by content (PNG, JPEG or WebP
//! only), by size, and by pixel count before any decoding; decoded, stripped of EXIF and
//! re-encoded; passed through the image check; and only then stored, under a key we make
//! (never the file's name). A refused upload leaves nothing behind.

use super::{
    moderation::{self, ImageCheck, ImageVerdict, NewFlag, Source, Subject},
    tasks::Owner,
};
use crate::{
    db::Db,
    images::{self, CleanImage, ImageError, ImageKind, UploadLimits},
    storage::{Storage, StorageKey},
};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// What an upload is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Reference,
    Mask,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Reference => "reference",
            Purpose::Mask => "mask",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        match s {
            "reference" => Some(Purpose::Reference),
            "mask" => Some(Purpose::Mask),
            _ => None,
        }
    }
}

/// Why an upload is refused. Each is something the person can act on.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error("the file name is not acceptable")]
    FileName,
    #[error("the file is empty")]
    Empty,
    #[error("the image was flagged by moderation")]
    Flagged,
    #[error("the image check is unavailable")]
    CheckUnavailable,
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Removes uploads that a refused request stored (nothing refers to them yet): their
/// records and their objects, so a refusal leaves nothing behind.
pub async fn discard(db: &Db, storage: &Storage, ids: &[String]) -> Result<(), UploadError> {
    for id in ids {
        let key: Option<String> =
            sqlx::query_scalar("DELETE FROM uploads WHERE id = $1 RETURNING storage_key")
                .bind(id)
                .fetch_optional(db.pool())
                .await?;
        if let Some(key) = key {
            storage.delete(&StorageKey::parse(key)?).await?;
        }
    }
    Ok(())
}

/// A stored upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadRecord {
    pub id: String,
    pub user_id: Option<String>,
    pub guest_id: Option<String>,
    pub purpose: String,
    pub key: StorageKey,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
    pub bytes: i64,
    pub created_at: i64,
}

/// The limits uploads are held to: 10 MB, 40 megapixels, 8,192 px a side.
pub fn limits() -> UploadLimits {
    UploadLimits::default()
}

/// Refuses file names that try to be paths or carry control characters. The name is never
/// used for storage; a name like `../../etc/passwd` still says the client is up to
/// something, so nothing from that request is kept.
pub fn check_file_name(name: &str) -> Result<(), UploadError> {
    let bad = name.len() > 255
        || name.contains("..")
        || name.contains('/')
        || name.contains('\\')
        || name.chars().any(|c| c.is_control());
    if bad {
        Err(UploadError::FileName)
    } else {
        Ok(())
    }
}

/// Checks, cleans, moderates and stores one upload for `owner`.
#[allow(clippy::too_many_arguments)]
pub async fn store(
    db: &Db,
    storage: &Storage,
    check: &ImageCheck,
    owner: &Owner,
    purpose: Purpose,
    file_name: Option<&str>,
    bytes: &[u8],
    now: i64,
) -> Result<UploadRecord, UploadError> {
    if let Some(name) = file_name {
        check_file_name(name)?;
    }
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    let limits = limits();
    let info = images::inspect(bytes, &limits)?;
    // Masks are always PNG (lossless edges); photos keep their format.
    let output = match purpose {
        Purpose::Mask => ImageKind::Png,
        Purpose::Reference => info.format,
    };
    let clean = images::sanitize_blocking(bytes.to_vec(), limits, output).await?;
    let id = crate::new_id();
    let key = StorageKey::parse(format!("uploads/{id}.{}", clean.kind.extension()))?;
    let (user_id, guest_id) = owner.columns();
    moderate(db, storage, check, owner, &id, &clean, now).await?;
    storage
        .put(&key, clean.bytes.clone(), clean.kind.content_type())
        .await?;
    let expires_at = guest_id.map(|_| now + super::guests::retention_ms());
    let sha = hex::encode(Sha256::digest(&clean.bytes));
    let inserted = sqlx::query(
        "INSERT INTO uploads (id, user_id, guest_id, purpose, storage_key, content_type, width, \
         height, bytes, sha256, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(guest_id)
    .bind(purpose.as_str())
    .bind(key.as_str())
    .bind(clean.kind.content_type())
    .bind(i64::from(clean.width))
    .bind(i64::from(clean.height))
    .bind(clean.bytes.len() as i64)
    .bind(&sha)
    .bind(now)
    .bind(expires_at)
    .execute(db.pool())
    .await;
    if let Err(error) = inserted {
        // Nothing half-stored: the file goes when its row could not be written.
        let _ = storage.delete(&key).await;
        return Err(error.into());
    }
    Ok(UploadRecord {
        id,
        user_id: user_id.map(str::to_string),
        guest_id: guest_id.map(str::to_string),
        purpose: purpose.as_str().to_string(),
        key,
        content_type: clean.kind.content_type().to_string(),
        width: clean.width,
        height: clean.height,
        bytes: clean.bytes.len() as i64,
        created_at: now,
    })
}

/// Passes a cleaned upload through the image check. A flagged image is kept for review
/// under a quarantine key the owner has no link to, and refused.
async fn moderate(
    db: &Db,
    storage: &Storage,
    check: &ImageCheck,
    owner: &Owner,
    id: &str,
    clean: &CleanImage,
    now: i64,
) -> Result<(), UploadError> {
    let (user_id, guest_id) = owner.columns();
    match check.check(&clean.bytes, clean.kind.content_type()).await {
        Ok(ImageVerdict::Clean) => {}
        Ok(ImageVerdict::Flagged(reason)) => {
            let quarantine =
                StorageKey::parse(format!("moderation/{id}.{}", clean.kind.extension()))?;
            storage
                .put(&quarantine, clean.bytes.clone(), clean.kind.content_type())
                .await?;
            moderation::record(
                db,
                &NewFlag {
                    subject: Subject::Upload,
                    subject_id: id,
                    user_id,
                    guest_id,
                    source: Source::ImageCheck,
                    reason: &reason,
                    excerpt: None,
                    storage_key: Some(quarantine.as_str()),
                },
                now,
            )
            .await?;
            return Err(UploadError::Flagged);
        }
        Err(error) => {
            tracing::warn!(%error, "upload refused: image check unavailable");
            return Err(UploadError::CheckUnavailable);
        }
    }
    Ok(())
}

const UPLOAD_COLUMNS: &str = "id, user_id, guest_id, purpose, storage_key, content_type, \
    width, height, bytes, created_at";

fn upload_from_row(row: &sqlx::any::AnyRow) -> Option<UploadRecord> {
    let key: String = row.get(4);
    Some(UploadRecord {
        id: row.get(0),
        user_id: row.get(1),
        guest_id: row.get(2),
        purpose: row.get(3),
        key: StorageKey::parse(key).ok()?,
        content_type: row.get(5),
        width: u32::try_from(row.get::<i64, _>(6)).unwrap_or_default(),
        height: u32::try_from(row.get::<i64, _>(7)).unwrap_or_default(),
        bytes: row.get(8),
        created_at: row.get(9),
    })
}

/// Upload `id` if it belongs to `owner`.
pub async fn get_owned(
    db: &Db,
    owner: &Owner,
    id: &str,
) -> Result<Option<UploadRecord>, sqlx::Error> {
    Ok(get(db, id)
        .await?
        .filter(|u| owner.owns(u.user_id.as_deref(), u.guest_id.as_deref())))
}

/// Upload `id` whoever owns it (the worker reads a task's inputs).
pub async fn get(db: &Db, id: &str) -> Result<Option<UploadRecord>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().and_then(upload_from_row))
}

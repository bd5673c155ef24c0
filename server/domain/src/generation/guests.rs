//! Guests: visitors who use the workbench before they have an account. A guest is known by
//! a signed id in the essential `guest` cookie, may spend a small trial allowance, and
//! keeps uploads and results for 15 days, or for good once they sign up or sign in, when
//! everything moves to the account.

use crate::{db::Db, registry as privacy, storage::StorageKey};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;
use sqlx::Row;

/// How long a guest's uploads, results and cookie last.
pub fn retention_ms() -> i64 {
    match privacy::rule(privacy::DataCategory::GuestData).retention {
        privacy::Retention::UnlessMigrated(d) | privacy::Retention::For(d) => {
            i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
        }
        _ => 15 * 24 * 3600 * 1000,
    }
}

fn mac(secret: &SecretString, id: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes())
        .expect("HMAC takes any key length");
    // A purpose prefix: a guest signature means nothing to the other users of the secret.
    mac.update(b"guest-cookie:");
    mac.update(id.as_bytes());
    mac
}

/// The cookie value for guest `id`: `<id>.<hex signature>`.
pub fn cookie_value(secret: &SecretString, id: &str) -> String {
    let signature = hex::encode(mac(secret, id).finalize().into_bytes());
    format!("{id}.{signature}")
}

/// The guest id a cookie value carries, if its signature is ours.
pub fn verify_cookie(secret: &SecretString, value: &str) -> Option<String> {
    let (id, signature) = value.rsplit_once('.')?;
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return None;
    }
    let signature = hex::decode(signature).ok()?;
    mac(secret, id).verify_slice(&signature).ok()?;
    Some(id.to_string())
}

/// Reads the guest id from a `Cookie` request header.
pub fn from_cookie_header(secret: &SecretString, header: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(name, _)| *name == privacy::GUEST_COOKIE)
        .find_map(|(_, value)| verify_cookie(secret, value))
}

/// A guest's trial allowance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trial {
    pub remaining: i64,
    pub total: i64,
}

/// Records guest `id` if new (with `allowance` trial credits) and notes the visit.
pub async fn ensure(db: &Db, id: &str, allowance: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO guests (id, trial_allowance, trial_used, created_at, last_seen_at) \
         VALUES ($1, $2, 0, $3, $3) \
         ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at",
    )
    .bind(id)
    .bind(allowance)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// What guest `id` has left; a guest not yet recorded has the configured `allowance`.
pub async fn trial(db: &Db, id: &str, allowance: i64) -> Result<Trial, sqlx::Error> {
    let row =
        sqlx::query("SELECT trial_allowance, trial_used, migrated_to FROM guests WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(match row {
        Some(row) => {
            let total: i64 = row.get(0);
            let used: i64 = row.get(1);
            let migrated: Option<String> = row.get(2);
            Trial {
                remaining: if migrated.is_some() {
                    0
                } else {
                    (total - used).max(0)
                },
                total,
            }
        }
        None => Trial {
            remaining: allowance,
            total: allowance,
        },
    })
}

/// `None` for a guest never recorded, `Some(None)` for a current guest, `Some(Some(id))`
/// for a guest whose things moved to account `id`.
pub async fn migrated_to(db: &Db, id: &str) -> Result<Option<Option<String>>, sqlx::Error> {
    sqlx::query_scalar("SELECT migrated_to FROM guests WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

/// What moving a guest's things to an account moved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Migrated {
    pub uploads: u64,
    pub tasks: u64,
}

/// Moves guest `guest_id`'s uploads and tasks to account `user_id`, in one transaction.
/// Uploads lose their guest expiry. Tasks keep their guest id, so a trial hold of a task
/// still running is given back to the right allowance. A guest already moved moves nothing
/// again, and the guest's remaining trial does not follow (an account has its own bonus).
pub async fn migrate(
    db: &Db,
    guest_id: &str,
    user_id: &str,
    now: i64,
) -> Result<Migrated, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE guests SET migrated_to = $2, migrated_at = $3 \
         WHERE id = $1 AND migrated_to IS NULL",
    )
    .bind(guest_id)
    .bind(user_id)
    .bind(now)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if claimed == 0 {
        // Never recorded (nothing to move) or already moved.
        return Ok(Migrated::default());
    }
    let uploads = sqlx::query(
        "UPDATE uploads SET user_id = $2, guest_id = NULL, expires_at = NULL \
         WHERE guest_id = $1 AND user_id IS NULL",
    )
    .bind(guest_id)
    .bind(user_id)
    .execute(tx.conn())
    .await?
    .rows_affected();
    let tasks =
        sqlx::query("UPDATE tasks SET user_id = $2 WHERE guest_id = $1 AND user_id IS NULL")
            .bind(guest_id)
            .bind(user_id)
            .execute(tx.conn())
            .await?
            .rows_affected();
    crate::audit::record(
        tx.conn(),
        Some(user_id),
        Some(user_id),
        "guest.migrated",
        serde_json::json!({ "uploads": uploads, "tasks": tasks }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Migrated { uploads, tasks })
}

/// What a purge of expired guest data removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub guests: u64,
    pub uploads: u64,
    pub tasks: u64,
    pub files: u64,
}

/// Deletes the uploads, tasks, results and records of guests not seen and not moved to an
/// account for the guest retention period. Files first, then rows, so a failure leaves
/// rows that a later run finds again. Safe to run in several processes at once: a file
/// already gone counts as deleted, and each row is deleted once.
pub async fn purge_expired(
    db: &Db,
    storage: &crate::storage::Storage,
    now: i64,
) -> Result<Purged, PurgeError> {
    let cutoff = now - retention_ms();
    let mut purged = Purged::default();
    let guests: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM guests WHERE migrated_to IS NULL AND last_seen_at < $1 LIMIT 500",
    )
    .bind(cutoff)
    .fetch_all(db.pool())
    .await?;
    for guest in guests {
        // Tasks still queued or running hold part of the trial; let them finish first.
        let busy: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM tasks WHERE guest_id = $1 AND user_id IS NULL \
             AND status IN ('queued', 'running')",
        )
        .bind(&guest)
        .fetch_one(db.pool())
        .await?;
        if busy > 0 {
            continue;
        }
        let mut keys: Vec<String> = sqlx::query_scalar(
            "SELECT storage_key FROM uploads WHERE guest_id = $1 AND user_id IS NULL",
        )
        .bind(&guest)
        .fetch_all(db.pool())
        .await?;
        let outputs = sqlx::query(
            "SELECT o.storage_key, o.thumb_key FROM task_outputs o JOIN tasks t ON t.id = o.task_id \
             WHERE t.guest_id = $1 AND t.user_id IS NULL",
        )
        .bind(&guest)
        .fetch_all(db.pool())
        .await?;
        for row in outputs {
            keys.push(row.get(0));
            keys.push(row.get(1));
        }
        for key in keys {
            if let Ok(key) = StorageKey::parse(key) {
                storage.delete(&key).await?;
                purged.files += 1;
            }
        }
        let mut tx = db.begin_write().await?;
        purged.uploads +=
            sqlx::query("DELETE FROM uploads WHERE guest_id = $1 AND user_id IS NULL")
                .bind(&guest)
                .execute(tx.conn())
                .await?
                .rows_affected();
        sqlx::query(
            "DELETE FROM task_outputs WHERE task_id IN \
             (SELECT id FROM tasks WHERE guest_id = $1 AND user_id IS NULL)",
        )
        .bind(&guest)
        .execute(tx.conn())
        .await?;
        purged.tasks += sqlx::query("DELETE FROM tasks WHERE guest_id = $1 AND user_id IS NULL")
            .bind(&guest)
            .execute(tx.conn())
            .await?
            .rows_affected();
        purged.guests += sqlx::query("DELETE FROM guests WHERE id = $1 AND migrated_to IS NULL")
            .bind(&guest)
            .execute(tx.conn())
            .await?
            .rows_affected();
        tx.commit().await?;
    }
    Ok(purged)
}

#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
}

//! Sessions in our own database, through tower-sessions' `SessionStore`, on both backends.
//! The store lifts what the device list needs (account, browser, network, last use) out of
//! the record into columns, so listing and revoking a person's sessions is one query, and a
//! revoked session is gone for its very next request.

use crate::{audit, db::Db, now_ms, useragent};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;
use tower_sessions_core::{
    SessionStore,
    session::{Id, Record},
    session_store,
};

/// Keys of the session record that this crate reads.
pub mod keys {
    /// The signed-in account's id.
    pub const USER_ID: &str = "auth.user_id";
    /// When the person signed in (unix ms): the absolute expiry counts from here.
    pub const SIGNED_IN_AT: &str = "auth.signed_in_at";
    /// The device this session was signed in from ([`super::DeviceInfo`]).
    pub const DEVICE: &str = "auth.device";
}

/// The browser and network a session was signed in from.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub user_agent: String,
    pub ip: String,
    pub location: String,
}

/// The tower-sessions store over our database.
#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn columns(record: &Record) -> (Option<String>, Option<DeviceInfo>) {
    let user_id = record
        .data
        .get(keys::USER_ID)
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let device = record
        .data
        .get(keys::DEVICE)
        .and_then(|v| serde_json::from_value(v.clone()).ok());
    (user_id, device)
}

fn expiry_ms(record: &Record) -> i64 {
    (record.expiry_date.unix_timestamp_nanos() / 1_000_000) as i64
}

impl DbSessionStore {
    /// Inserts the record with the columns lifted out of it; `on_conflict` decides what an
    /// existing row with the same id does. Returns the rows written.
    async fn write(&self, record: &Record, on_conflict: &str) -> session_store::Result<u64> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let (user_id, device) = columns(record);
        let device = device.unwrap_or_default();
        let written = sqlx::query(&format!(
            "INSERT INTO sessions (id, handle, user_id, data, expires_at, created_at, \
             last_seen_at, user_agent, ip, location) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9) {on_conflict}"
        ))
        .bind(record.id.to_string())
        .bind(crate::new_id())
        .bind(user_id)
        .bind(data)
        .bind(expiry_ms(record))
        .bind(now_ms())
        .bind(device.user_agent)
        .bind(device.ip)
        .bind(device.location)
        .execute(self.db.pool())
        .await
        .map_err(backend)?;
        Ok(written.rows_affected())
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id that collides with a stored one gets another id, never the other's data.
        while self.write(record, "ON CONFLICT (id) DO NOTHING").await? != 1 {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        // The handle and creation time stay; the rest follows the record.
        self.write(
            record,
            "ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, \
             expires_at = excluded.expires_at, last_seen_at = excluded.last_seen_at, \
             user_agent = excluded.user_agent, ip = excluded.ip, location = excluded.location",
        )
        .await?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2",
        )
        .bind(id.to_string())
        .bind(now_ms())
        .fetch_optional(self.db.pool())
        .await
        .map_err(backend)?;
        let Some((data, expires_at)) = row else {
            return Ok(None);
        };
        let data: HashMap<String, serde_json::Value> =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp_nanos(expires_at as i128 * 1_000_000)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(self.db.pool())
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// Deletes sessions past their expiry. Run periodically; returns how many went.
pub async fn delete_expired(db: &Db, now_ms: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now_ms)
        .execute(db.pool())
        .await?
        .rows_affected())
}

/// One signed-in browser in the person's device list.
#[derive(Clone, Debug)]
pub struct DeviceSession {
    /// Names the session in forms without revealing its cookie value.
    pub handle: String,
    pub browser: &'static str,
    pub os: &'static str,
    pub location: String,
    pub signed_in_at: i64,
    pub last_seen_at: i64,
    pub current: bool,
}

/// id, handle, created, last seen, user agent, location.
type SessionRow = (String, String, i64, i64, Option<String>, Option<String>);

/// The person's live sessions, most recently used first.
pub async fn list_devices(
    db: &Db,
    user_id: &str,
    current_session_id: Option<&str>,
) -> Result<Vec<DeviceSession>, sqlx::Error> {
    let rows: Vec<SessionRow> = sqlx::query_as(
        "SELECT id, handle, created_at, last_seen_at, user_agent, location FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC",
    )
    .bind(user_id.to_owned())
    .bind(now_ms())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, handle, created, seen, ua, location)| {
            let device = useragent::describe(ua.as_deref().unwrap_or_default());
            DeviceSession {
                handle,
                browser: device.browser,
                os: device.os,
                location: location.unwrap_or_default(),
                signed_in_at: created,
                last_seen_at: seen,
                current: current_session_id == Some(id.as_str()),
            }
        })
        .collect())
}

/// Ends one of the person's sessions. Someone else's handle changes nothing.
pub async fn revoke_device(db: &Db, user_id: &str, handle: &str) -> Result<bool, sqlx::Error> {
    let gone = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND handle = $2")
        .bind(user_id.to_owned())
        .bind(handle.to_owned())
        .execute(db.pool())
        .await?
        .rows_affected();
    if gone > 0 {
        audit::record(
            db.pool(),
            Some(user_id),
            Some(user_id),
            "session.revoked",
            serde_json::json!({ "count": gone }),
            None,
        )
        .await?;
    }
    Ok(gone > 0)
}

/// Ends every session of the person, the current one included.
pub async fn revoke_all(db: &Db, user_id: &str) -> Result<u64, sqlx::Error> {
    let gone = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id.to_owned())
        .execute(db.pool())
        .await?
        .rows_affected();
    audit::record(
        db.pool(),
        Some(user_id),
        Some(user_id),
        "session.revoked_all",
        serde_json::json!({ "count": gone }),
        None,
    )
    .await?;
    Ok(gone)
}

/// Session keys the server reads beyond the signed-in account.
pub mod flow {
    /// The anti-forgery token of forms in this session.
    pub const CSRF: &str = "csrf";
    /// A message or form error for the next page shown (post/redirect/get).
    pub const FLASH: &str = "flash";
    /// Password accepted, two-factor code still due: the account id.
    pub const PENDING_TWO_FACTOR: &str = "auth.pending_two_factor";
    /// The account that gave a valid two-factor code in this session (its id, so the mark
    /// never passes to another account signed in later in the same browser).
    pub const TWO_FACTOR_OK: &str = "auth.two_factor_ok";
    /// An OAuth authorization under way.
    pub const OAUTH: &str = "auth.oauth";
    /// A provider profile waiting for the person to confirm age and terms.
    pub const OAUTH_SIGN_UP: &str = "auth.oauth_sign_up";
    /// The account this browser signed up for (its id): only this browser is signed in
    /// by that account's confirmation link.
    pub const SIGNED_UP: &str = "auth.signed_up";
    /// Last time the session's expiry was renewed (unix ms).
    pub const RENEWED_AT: &str = "auth.renewed_at";
}

type SessionResult<T> = Result<T, tower_sessions_core::session::Error>;

/// The form token of this session, created on first use (which starts a session).
pub async fn csrf_token(session: &tower_sessions_core::Session) -> SessionResult<String> {
    if let Some(token) = session.get::<String>(flow::CSRF).await? {
        return Ok(token);
    }
    let token = crate::secrets::random_hex(32);
    session.insert(flow::CSRF, &token).await?;
    Ok(token)
}

/// Signs the session in as `user`: a new session id (no fixation), then the account, the
/// time and the device.
pub async fn begin(
    session: &tower_sessions_core::Session,
    user_id: &str,
    device: DeviceInfo,
) -> SessionResult<()> {
    session.cycle_id().await?;
    session.remove_value(flow::PENDING_TWO_FACTOR).await?;
    // A code given by whoever was signed in before counts for nobody now.
    session.remove_value(flow::TWO_FACTOR_OK).await?;
    session.insert(keys::USER_ID, user_id).await?;
    session.insert(keys::SIGNED_IN_AT, now_ms()).await?;
    session.insert(keys::DEVICE, device).await?;
    session.insert(flow::RENEWED_AT, now_ms()).await?;
    Ok(())
}

/// Records that `user_id` gave a valid two-factor code in this session.
pub async fn record_second_factor(
    session: &tower_sessions_core::Session,
    user_id: &str,
) -> SessionResult<()> {
    session.insert(flow::TWO_FACTOR_OK, user_id).await
}

/// Whether `user_id` (not merely someone) gave a two-factor code in this session.
pub async fn second_factor_given(session: &tower_sessions_core::Session, user_id: &str) -> bool {
    session
        .get::<String>(flow::TWO_FACTOR_OK)
        .await
        .ok()
        .flatten()
        .is_some_and(|given_by| given_by == user_id)
}

/// The admin check of a session, the one every admin route and server function goes
/// through: the rules are [`super::admin_access`]'s; the session says whether this very
/// account gave its second factor here.
pub async fn admin_access(
    session: &tower_sessions_core::Session,
    user: &super::User,
    enrolling: bool,
) -> super::AdminAccess {
    let given = second_factor_given(session, &user.id).await;
    super::admin_access(user, given, enrolling)
}

/// How recent a sign-in must be for an account without a password to change its email
/// address or set a password.
pub const FRESH_SIGN_IN_MS: i64 = 15 * 60 * 1000;

/// Whether `user` may make a change that takes over the account (a new email address, a
/// first password) in this session. With a password, its check proves the owner; without
/// one, only a sign-in in the last [`FRESH_SIGN_IN_MS`] does.
pub async fn require_fresh_sign_in(
    session: &tower_sessions_core::Session,
    user: &super::User,
    now: i64,
) -> Result<(), super::AccountError> {
    if user.has_password {
        return Ok(());
    }
    let signed_in_at = session
        .get::<i64>(keys::SIGNED_IN_AT)
        .await
        .map_err(super::AccountError::internal)?
        .unwrap_or(0);
    if now - signed_in_at <= FRESH_SIGN_IN_MS {
        Ok(())
    } else {
        Err(super::AccountError::ReauthenticationRequired)
    }
}

/// The signed-in account of this session, or `None`: never signed in, revoked (the
/// record is gone), idle too long (expired), or past the absolute lifetime (then the
/// session is ended here). Renews the idle expiry at most once a minute.
pub async fn signed_in_user(
    state: &crate::AppState,
    session: &tower_sessions_core::Session,
) -> Result<Option<super::User>, super::AccountError> {
    let internal = super::AccountError::internal;
    let Some(user_id) = session
        .get::<String>(keys::USER_ID)
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let now = now_ms();
    let signed_in_at = session
        .get::<i64>(keys::SIGNED_IN_AT)
        .await
        .map_err(internal)?
        .unwrap_or(0);
    if now - signed_in_at > state.config.session_absolute.as_millis() as i64 {
        session.flush().await.map_err(internal)?;
        return Ok(None);
    }
    let Some(user) = super::find_user(&state.db, &user_id).await? else {
        session.flush().await.map_err(internal)?;
        return Ok(None);
    };
    let renewed = session
        .get::<i64>(flow::RENEWED_AT)
        .await
        .map_err(internal)?
        .unwrap_or(0);
    if now - renewed > 60_000 {
        // A change makes tower-sessions save the record, which renews its idle expiry.
        session
            .insert(flow::RENEWED_AT, now)
            .await
            .map_err(internal)?;
    }
    Ok(Some(user))
}

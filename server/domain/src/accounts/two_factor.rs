//! Two-factor sign-in with an authenticator app (TOTP), required of admins: enrolment with
//! a QR code and single-use recovery codes (only their hashes are kept), and the check at
//! every admin sign-in, with replay protection.

use super::{AccountError, User, find_user};
use crate::{
    AppState, audit, now_ms,
    sealed::FieldKeys,
    totp::{self, TotpSecret},
};
use secrecy::ExposeSecret;

/// Recovery codes handed out at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// What the enrolment page shows: the secret as a QR code and as text.
pub struct Enrolment {
    pub secret_base32: String,
    pub otpauth_uri: String,
    pub qr_svg: String,
}

/// What a sealed two-factor key is bound to: its account.
fn seal_context(user_id: &str) -> Vec<u8> {
    format!("totp:{user_id}").into_bytes()
}

/// The stored key of `user_id`, opened. A value from before sealing is read as it is (and
/// sealed at the next start, see [`reseal_secrets`]).
fn open_secret(state: &AppState, user_id: &str, stored: &str) -> Result<TotpSecret, AccountError> {
    let base32 = if FieldKeys::is_sealed(stored) {
        let opened = state
            .config
            .field_keys
            .open(stored, &seal_context(user_id))
            .map_err(AccountError::internal)?;
        String::from_utf8(opened.plaintext).map_err(AccountError::internal)?
    } else {
        stored.to_string()
    };
    TotpSecret::from_base32(&base32).map_err(|_| AccountError::InvalidTwoFactorCode)
}

fn seal_secret(state: &AppState, user_id: &str, secret: &TotpSecret) -> String {
    state
        .config
        .field_keys
        .seal(secret.to_base32().as_bytes(), &seal_context(user_id))
}

/// Seals every two-factor key stored in plain text or under a key that is no longer the
/// first, so rotation completes at start. Returns how many were sealed again. A key that
/// no configured key opens is left as it is and logged (its owner uses a recovery code).
pub async fn reseal_secrets(state: &AppState) -> Result<u64, AccountError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL")
            .fetch_all(state.db.pool())
            .await?;
    let keys = &state.config.field_keys;
    let mut resealed = 0;
    for (user_id, stored) in rows {
        let plaintext = if FieldKeys::is_sealed(&stored) {
            match keys.open(&stored, &seal_context(&user_id)) {
                Ok(opened) if !opened.stale => continue,
                Ok(opened) => opened.plaintext,
                Err(error) => {
                    tracing::error!(user = %user_id, %error, "a two-factor key does not open");
                    continue;
                }
            }
        } else {
            stored.clone().into_bytes()
        };
        let sealed = keys.seal(&plaintext, &seal_context(&user_id));
        // Only if nobody changed it meanwhile.
        resealed +=
            sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3")
                .bind(sealed)
                .bind(user_id)
                .bind(stored)
                .execute(state.db.pool())
                .await?
                .rows_affected();
    }
    Ok(resealed)
}

fn pepper(state: &AppState) -> Vec<u8> {
    let mut pepper = b"recovery-code:".to_vec();
    pepper.extend_from_slice(state.config.secret_key.expose_secret().as_bytes());
    pepper
}

/// Starts enrolment: a pending secret is stored (not yet enabled) and shown. Starting
/// again replaces a pending secret; an enabled one is never replaced here.
pub async fn begin_enrolment(state: &AppState, user: &User) -> Result<Enrolment, AccountError> {
    let pending: Option<(Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT totp_secret, totp_enabled_at FROM users WHERE id = $1")
            .bind(user.id.clone())
            .fetch_optional(state.db.pool())
            .await?;
    let secret = match pending {
        Some((Some(secret), None)) => open_secret(state, &user.id, &secret)?,
        _ => {
            let secret = TotpSecret::generate();
            sqlx::query(
                "UPDATE users SET totp_secret = $1, totp_last_step = NULL, updated_at = $2 \
                 WHERE id = $3 AND totp_enabled_at IS NULL",
            )
            .bind(seal_secret(state, &user.id, &secret))
            .bind(now_ms())
            .bind(user.id.clone())
            .execute(state.db.pool())
            .await?;
            secret
        }
    };
    let uri = secret.otpauth_uri("banana nano", &user.email);
    Ok(Enrolment {
        secret_base32: secret.to_base32(),
        qr_svg: totp::qr_svg(&uri).map_err(AccountError::internal)?,
        otpauth_uri: uri,
    })
}

/// Finishes enrolment with a code from the app. Returns the recovery codes, shown once.
pub async fn confirm_enrolment(
    state: &AppState,
    user_id: &str,
    code: &str,
) -> Result<Vec<String>, AccountError> {
    let row: Option<(Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT totp_secret, totp_enabled_at FROM users WHERE id = $1")
            .bind(user_id.to_owned())
            .fetch_optional(state.db.pool())
            .await?;
    let Some((Some(secret), None)) = row else {
        return Err(AccountError::InvalidTwoFactorCode);
    };
    let secret = open_secret(state, user_id, &secret)?;
    let step = secret
        .verify(code, now_ms() / 1000, None)
        .ok_or(AccountError::InvalidTwoFactorCode)?;
    let codes = totp::generate_recovery_codes(RECOVERY_CODES);
    let pepper = pepper(state);
    let now = now_ms();
    let mut tx = state.db.pool().begin().await?;
    let enabled = sqlx::query(
        "UPDATE users SET totp_enabled_at = $1, totp_last_step = $2, updated_at = $1 \
         WHERE id = $3 AND totp_enabled_at IS NULL",
    )
    .bind(now)
    .bind(step)
    .bind(user_id.to_owned())
    .execute(&mut *tx)
    .await?;
    if enabled.rows_affected() != 1 {
        return Err(AccountError::InvalidTwoFactorCode);
    }
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id.to_owned())
        .execute(&mut *tx)
        .await?;
    for code in &codes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id.to_owned())
            .bind(totp::hash_recovery_code(code, &pepper))
            .execute(&mut *tx)
            .await?;
    }
    audit::record(
        &mut *tx,
        Some(user_id),
        Some(user_id),
        "two_factor.enabled",
        serde_json::json!({ "recovery_codes": codes.len() }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// Checks a code from the app, or a recovery code (spent on use), for an account with
/// two-factor enabled. A code already used cannot be used again.
pub async fn verify(state: &AppState, user_id: &str, code: &str) -> Result<User, AccountError> {
    let row: Option<(Option<String>, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT totp_secret, totp_enabled_at, totp_last_step FROM users WHERE id = $1",
    )
    .bind(user_id.to_owned())
    .fetch_optional(state.db.pool())
    .await?;
    let Some((Some(secret), Some(_), last_step)) = row else {
        return Err(AccountError::InvalidTwoFactorCode);
    };
    let secret = open_secret(state, user_id, &secret)?;
    let code = code.trim();
    if let Some(step) = secret.verify(code, now_ms() / 1000, last_step) {
        // Only a later step may be recorded, so two racing uses of one code cannot both win.
        let claimed = sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 \
             AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id.to_owned())
        .execute(state.db.pool())
        .await?;
        if claimed.rows_affected() == 1 {
            return find_user(&state.db, user_id)
                .await?
                .ok_or(AccountError::InvalidTwoFactorCode);
        }
        return Err(AccountError::InvalidTwoFactorCode);
    }
    let hash = totp::hash_recovery_code(code, &pepper(state));
    let spent = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 \
         AND used_at IS NULL",
    )
    .bind(now_ms())
    .bind(user_id.to_owned())
    .bind(hash)
    .execute(state.db.pool())
    .await?;
    if spent.rows_affected() == 1 {
        audit::record(
            state.db.pool(),
            Some(user_id),
            Some(user_id),
            "two_factor.recovery_code_used",
            serde_json::json!({}),
            None,
        )
        .await?;
        return find_user(&state.db, user_id)
            .await?
            .ok_or(AccountError::InvalidTwoFactorCode);
    }
    Err(AccountError::InvalidTwoFactorCode)
}

/// Recovery codes not yet used.
pub async fn recovery_codes_left(state: &AppState, user_id: &str) -> Result<i64, AccountError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id.to_owned())
    .fetch_one(state.db.pool())
    .await?)
}

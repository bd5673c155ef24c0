//! Referrals (codes, attribution, who brought whom) and the signup bonus.

use super::super::{BillingError, Catalog, DAY_MS};
use crate::credits::{self, Grant, IdempotencyKey, LotSource};
use crate::db::Db;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use sqlx::Row;

/// This person's referral code, created on first use.
pub async fn referral_code(db: &Db, user_id: &str) -> Result<String, BillingError> {
    if let Some(code) =
        sqlx::query_scalar::<_, String>("SELECT code FROM referral_codes WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?
    {
        return Ok(code);
    }
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    for _ in 0..5 {
        let code: String = {
            let mut rng = rand::rng();
            (0..8)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect()
        };
        let inserted = sqlx::query(
            "INSERT INTO referral_codes (user_id, code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(&code)
        .execute(db.pool())
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(code);
        }
        if let Some(code) =
            sqlx::query_scalar::<_, String>("SELECT code FROM referral_codes WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(db.pool())
                .await?
        {
            return Ok(code);
        }
    }
    Err(BillingError::Db(sqlx::Error::RowNotFound))
}

/// Whether a code looks like one of ours (before any database lookup).
pub fn is_referral_code(code: &str) -> bool {
    code.len() == 8
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// Why a referral was not recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attribution {
    Recorded,
    UnknownCode,
    /// The link's owner and the new account are obviously the same person.
    SelfReferral,
    /// The new account was already referred (or has already paid).
    AlreadyAttributed,
}

/// Records that `code` brought `user_id`. Refuses the obvious self-referrals: the same
/// account, or an address that is the referrer's own once `+tags` (and, for Gmail, dots)
/// are removed.
pub async fn attribute_referral(
    db: &Db,
    user_id: &str,
    code: &str,
) -> Result<Attribution, BillingError> {
    let referrer: Option<String> =
        sqlx::query_scalar("SELECT user_id FROM referral_codes WHERE code = $1")
            .bind(code)
            .fetch_optional(db.pool())
            .await?;
    let Some(referrer) = referrer else {
        return Ok(Attribution::UnknownCode);
    };
    if referrer == user_id {
        return Ok(Attribution::SelfReferral);
    }
    let emails = sqlx::query("SELECT id, email FROM users WHERE id = $1 OR id = $2")
        .bind(&referrer)
        .bind(user_id)
        .fetch_all(db.pool())
        .await?;
    let canonical: Vec<String> = emails
        .iter()
        .filter_map(|r| r.try_get::<String, _>("email").ok())
        .map(|e| canonical_email(&e))
        .collect();
    if canonical.len() == 2 && canonical[0] == canonical[1] {
        return Ok(Attribution::SelfReferral);
    }
    let paid: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders WHERE user_id = $1 AND paid_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?;
    if paid > 0 {
        return Ok(Attribution::AlreadyAttributed);
    }
    let inserted = sqlx::query(
        "INSERT INTO referrals (referred_user_id, referrer_user_id, created_at) \
         VALUES ($1, $2, $3) ON CONFLICT (referred_user_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(&referrer)
    .bind(crate::now_ms())
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(if inserted == 1 {
        Attribution::Recorded
    } else {
        Attribution::AlreadyAttributed
    })
}

/// How many people this person referred, and how many of them have paid.
pub async fn referral_stats(db: &Db, user_id: &str) -> Result<(i64, i64), BillingError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS referred, COUNT(rewarded_at) AS rewarded FROM referrals \
         WHERE referrer_user_id = $1",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?;
    Ok((row.try_get("referred")?, row.try_get("rewarded")?))
}

/// One address per mailbox: lower-case, without a `+tag`, and for Gmail without dots.
pub fn canonical_email(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let Some((local, domain)) = email.rsplit_once('@') else {
        return email;
    };
    let local = local.split('+').next().unwrap_or(local);
    let domain = if domain == "googlemail.com" {
        "gmail.com"
    } else {
        domain
    };
    let local = if domain == "gmail.com" {
        local.replace('.', "")
    } else {
        local.to_string()
    };
    format!("{local}@{domain}")
}

// ---------------------------------------------------------------------------------------
// The signup bonus.

/// Grants the signup bonus to a person whose address was just verified, unless that
/// mailbox has had it before (under any account, also one since deleted). Returns the
/// credits granted.
pub async fn grant_signup_bonus(
    db: &Db,
    secret_key: &secrecy::SecretString,
    catalog: &Catalog,
    user_id: &str,
    email: &str,
) -> Result<i64, BillingError> {
    use secrecy::ExposeSecret;
    let bonus = catalog.signup_bonus;
    if bonus.credits <= 0 {
        return Ok(0);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.expose_secret().as_bytes())
        .expect("HMAC takes any key length");
    mac.update(b"signup-bonus:");
    mac.update(canonical_email(email).as_bytes());
    let hash = hex::encode(mac.finalize().into_bytes());
    let now = crate::now_ms();
    let mut tx = db.begin_write().await?;
    let conn = tx.conn();
    let first = sqlx::query(
        "INSERT INTO signup_bonus_claims (email_hash, user_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (email_hash) DO NOTHING",
    )
    .bind(&hash)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if !first {
        return Ok(0);
    }
    let key = IdempotencyKey::new(format!("signup-bonus:{user_id}"))?;
    credits::grant_in(
        conn,
        Grant::new(
            user_id,
            LotSource::SignupBonus,
            bonus.credits,
            Some(now + bonus.validity_days * DAY_MS),
            &key,
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(bonus.credits)
}

//! Rate limits: fixed-window counters kept in the database, so every instance behind a load
//! balancer counts the same hits. One upsert per hit, atomic on both backends.

use crate::db::Db;
use std::time::Duration;

/// How many hits a key may take per window.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub hits: i64,
    pub window: Duration,
}

impl Limit {
    pub const fn new(hits: i64, window_seconds: u64) -> Limit {
        Limit {
            hits,
            window: Duration::from_secs(window_seconds),
        }
    }
}

/// The limits the product applies. Per IP address they are looser than per account, since
/// many people can share one address.
pub mod limits {
    use super::Limit;
    pub const SIGN_IN_IP: Limit = Limit::new(30, 15 * 60);
    pub const SIGN_IN_ACCOUNT: Limit = Limit::new(5, 15 * 60);
    pub const SIGN_UP_IP: Limit = Limit::new(10, 60 * 60);
    pub const RESET_IP: Limit = Limit::new(10, 60 * 60);
    pub const RESET_ACCOUNT: Limit = Limit::new(3, 60 * 60);
    pub const VERIFY_IP: Limit = Limit::new(20, 60 * 60);
    pub const VERIFY_ACCOUNT: Limit = Limit::new(5, 60 * 60);
    pub const TOTP_ACCOUNT: Limit = Limit::new(5, 5 * 60);
    /// Checks of the current password in the security settings, per account.
    pub const PASSWORD_CHECK_ACCOUNT: Limit = Limit::new(10, 15 * 60);
    /// Uploads of references and masks, per account or guest.
    pub const UPLOAD_OWNER: Limit = Limit::new(120, 60 * 60);
    /// Generation submits, per account or guest.
    pub const GENERATE_OWNER: Limit = Limit::new(120, 10 * 60);
    /// New guests (each with a trial) per network (see [`super::network_of`]) per hour.
    pub const GUEST_NETWORK: Limit = Limit::new(20, 60 * 60);
    /// New guests per network per day: the trial credits one network can take in a day
    /// are this many trials at most.
    pub const GUEST_NETWORK_DAY: Limit = Limit::new(60, 24 * 60 * 60);
}

/// The key has used its allowance; it may try again after `retry_after_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many attempts; try again in {retry_after_seconds} s")]
pub struct Limited {
    pub retry_after_seconds: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum RateLimitError {
    #[error(transparent)]
    Limited(#[from] Limited),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Counts one hit on `key` at `now_ms` and refuses it when the window's allowance is spent.
/// A new window starts once the previous one has passed.
pub async fn hit(db: &Db, key: &str, limit: Limit, now_ms: i64) -> Result<(), RateLimitError> {
    let window_ms = limit.window.as_millis() as i64;
    let (window_start, hits): (i64, i64) = sqlx::query_as(
        "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           hits = CASE WHEN rate_limits.window_start <= $2 - $3 THEN 1 ELSE rate_limits.hits + 1 END, \
           window_start = CASE WHEN rate_limits.window_start <= $2 - $3 THEN $2 ELSE rate_limits.window_start END \
         RETURNING window_start, hits",
    )
    .bind(key.to_owned())
    .bind(now_ms)
    .bind(window_ms)
    .fetch_one(db.pool())
    .await?;
    if hits > limit.hits {
        let left_ms = (window_start + window_ms - now_ms).max(0);
        return Err(Limited {
            retry_after_seconds: ((left_ms + 999) / 1000).max(1) as u64,
        }
        .into());
    }
    Ok(())
}

/// The part of a key that names an account by its email address: a short hash of the
/// normalised address, so the table of counters holds no addresses (many of them typed by
/// people who have no account with us).
pub fn account_key(action: &str, email: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(email.trim().to_lowercase().as_bytes());
    format!("{action}:account:{}", &hex::encode(digest)[..24])
}

/// The network an address belongs to, as limits count it: an IPv4 address itself (/32),
/// the /64 of an IPv6 address (one subscriber's allocation: counting single IPv6 addresses
/// would let anyone with a /64 ask without limit). An IPv4 address mapped into IPv6 counts
/// as the IPv4 address. Anything unparsable counts as itself.
pub fn network_of(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => v4.to_string(),
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => ip.to_string(),
    }
}

/// Forgets the counter for `key` (e.g. an account's failed sign-ins after a success).
pub async fn clear(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_limits WHERE key = $1")
        .bind(key.to_owned())
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Deletes counters whose window ended long ago.
pub async fn sweep(db: &Db, now_ms: i64) -> Result<u64, sqlx::Error> {
    let day = 24 * 3600 * 1000;
    Ok(
        sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
            .bind(now_ms - day)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}

#[cfg(test)]
mod tests {

    #[test]
    fn ipv6_addresses_count_by_their_slash_64() {
        assert_eq!(network_of("203.0.113.9"), "203.0.113.9");
        assert_eq!(network_of("::ffff:203.0.113.9"), "203.0.113.9");
        let a = network_of("2001:db8:1:2:aaaa::1");
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(network_of("2001:db8:1:2:ffff:ffff:ffff:ffff"), a);
        assert_ne!(network_of("2001:db8:1:3::1"), a);
        assert_eq!(network_of("unknown"), "unknown");
    }
    use super::*;
    use testkit::db_test;

    db_test!(
        a_limit_trips_and_recovers_after_its_window,
        |db: Db| async move {
            let limit = Limit::new(3, 60);
            let t0 = 1_000_000;
            for i in 0..3 {
                hit(&db, "sign-in:ip:1.2.3.4", limit, t0 + i).await.unwrap();
            }
            match hit(&db, "sign-in:ip:1.2.3.4", limit, t0 + 10_000).await {
                Err(RateLimitError::Limited(l)) => assert_eq!(l.retry_after_seconds, 50),
                other => panic!("expected a limit, got {other:?}"),
            }
            // Another key is counted on its own.
            hit(&db, "sign-in:ip:5.6.7.8", limit, t0 + 10_000)
                .await
                .unwrap();
            // After the window a new one starts.
            hit(&db, "sign-in:ip:1.2.3.4", limit, t0 + 60_000)
                .await
                .unwrap();
            clear(&db, "sign-in:ip:1.2.3.4").await.unwrap();
            for _ in 0..3 {
                hit(&db, "sign-in:ip:1.2.3.4", limit, t0 + 61_000)
                    .await
                    .unwrap();
            }
        }
    );

    #[test]
    fn account_keys_hold_no_address() {
        let key = account_key("sign-in", " Ada@Example.com ");
        assert_eq!(key, account_key("sign-in", "ada@example.com"));
        assert!(!key.contains("ada") && key.starts_with("sign-in:account:"));
        assert_ne!(key, account_key("sign-in", "bob@example.com"));
    }

    db_test!(concurrent_hits_are_all_counted, |db: Db| async move {
        let limit = Limit::new(1000, 60);
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move { hit(&db, "k", limit, 5_000).await.unwrap() })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let hits: i64 = sqlx::query_scalar("SELECT hits FROM rate_limits WHERE key = 'k'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(hits, 20);
    });
}

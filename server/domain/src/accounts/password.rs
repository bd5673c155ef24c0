//! Passwords: the strength rule (length and a list of common passwords, no composition
//! rules) and argon2id hashing, run on the blocking pool so sign-ins never stall the
//! executor.

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::{SaltString, rand_core::OsRng},
};
use secrecy::{ExposeSecret, SecretString};
use std::{collections::HashSet, sync::OnceLock};

pub const MIN_LENGTH: usize = 8;
/// Long enough for any passphrase; short enough that hashing stays cheap to refuse.
pub const MAX_LENGTH: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password too short")]
    TooShort,
    #[error("password too long")]
    TooLong,
    #[error("password too common")]
    TooCommon,
    #[error("password hashing failed")]
    Hashing,
}

impl PasswordError {
    pub fn message_key(&self) -> &'static str {
        match self {
            PasswordError::TooShort => "auth-error-password-short",
            PasswordError::TooLong => "auth-error-password-long",
            PasswordError::TooCommon => "auth-error-password-common",
            PasswordError::Hashing => "error-internal",
        }
    }
}

fn common_passwords() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// At least [`MIN_LENGTH`] characters, not on the common list, and not simply the
/// person's own email or name.
pub fn check_strength(password: &str, personal: &[&str]) -> Result<(), PasswordError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordError::TooLong);
    }
    let lowered = password.to_lowercase();
    if common_passwords().contains(lowered.as_str()) {
        return Err(PasswordError::TooCommon);
    }
    for item in personal {
        let item = item.trim().to_lowercase();
        let local = item.split('@').next().unwrap_or_default();
        if !item.is_empty() && (lowered == item || lowered == local) {
            return Err(PasswordError::TooCommon);
        }
    }
    Ok(())
}

/// argon2id with the OWASP parameters: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters"),
    )
}

/// Hashes a password on the blocking pool.
pub async fn hash_password(password: SecretString) -> Result<SecretString, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.expose_secret().as_bytes(), &salt)
            .map(|h| SecretString::from(h.to_string()))
            .map_err(|_| PasswordError::Hashing)
    })
    .await
    .map_err(|_| PasswordError::Hashing)?
}

/// Checks a password against a stored hash on the blocking pool.
pub async fn verify_password(
    password: SecretString,
    hash: SecretString,
) -> Result<bool, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(hash.expose_secret()).map_err(|_| PasswordError::Hashing)?;
        Ok(argon2()
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|_| PasswordError::Hashing)?
}

/// A hash of a random password, checked when an address is unknown so that a failed
/// sign-in takes as long whether or not the account exists.
pub(crate) fn decoy_hash() -> SecretString {
    static DECOY: OnceLock<String> = OnceLock::new();
    SecretString::from(
        DECOY
            .get_or_init(|| {
                let salt = SaltString::generate(&mut OsRng);
                argon2()
                    .hash_password(crate::secrets::random_hex(16).as_bytes(), &salt)
                    .expect("hashing a random password")
                    .to_string()
            })
            .clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_is_length_and_the_common_list_only() {
        assert_eq!(check_strength("short", &[]), Err(PasswordError::TooShort));
        assert_eq!(
            check_strength("password", &[]),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_strength("PassWord1", &[]),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_strength("12345678", &[]),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_strength("ada.lovelace", &["ada.lovelace@example.com"]),
            Err(PasswordError::TooCommon)
        );
        // No composition rules: a long lower-case phrase is fine.
        assert_eq!(check_strength("purple banana skyline", &[]), Ok(()));
        // Length counts characters, not bytes.
        assert_eq!(
            check_strength("香蕉香蕉香蕉香", &[]),
            Err(PasswordError::TooShort)
        );
        assert_eq!(check_strength("香蕉香蕉香蕉香蕉", &[]), Ok(()));
        assert_eq!(
            check_strength(&"x".repeat(MAX_LENGTH + 1), &[]),
            Err(PasswordError::TooLong)
        );
        assert!(common_passwords().len() > 500, "the list is substantial");
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_chosen_parameters() {
        let hash = hash_password(SecretString::from("correct horse battery"))
            .await
            .unwrap();
        assert!(
            hash.expose_secret()
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.expose_secret()
        );
        assert!(
            verify_password(SecretString::from("correct horse battery"), hash.clone())
                .await
                .unwrap()
        );
        assert!(
            !verify_password(SecretString::from("wrong horse battery"), hash)
                .await
                .unwrap()
        );
        assert!(
            !verify_password(SecretString::from("anything"), decoy_hash())
                .await
                .unwrap()
        );
    }
}

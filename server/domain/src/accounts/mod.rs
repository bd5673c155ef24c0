//! Accounts: the people who use banana nano and how they prove who they are — sign-up with
//! email and password, verification and reset links, changes of email and password, Google
//! and GitHub identities, roles, and the profile. Sessions live in [`sessions`], admin
//! two-factor in [`two_factor`], OAuth in [`oauth`].
//!
//! Messages never tell a stranger whether an email is registered: sign-in fails with one
//! generic error, sign-up and reset answer the same either way and say the rest by email.

pub mod oauth;
mod password;
mod profile;
mod roles;
pub mod sessions;
mod sign_in;
mod sign_up;
mod tokens;
pub mod two_factor;
mod validate;

pub use password::{PasswordError, hash_password, verify_password};
pub use profile::{ProfileChange, set_avatar, update_profile};
pub use roles::{AdminAccess, admin_access, count_by_role, create_admin, set_role};
pub use sign_in::{
    authenticate, change_password, confirm_email_change, request_email_change,
    request_password_reset, reset_password,
};
pub(crate) use sign_up::welcome_bonus;
pub use sign_up::{NewAccount, SignUp, disown_sign_up, send_verification, sign_up, verify_email};
pub use tokens::{RESEND_COOLDOWN, TokenPurpose, UsedToken, consume_token, issue_token};
pub use validate::{DisplayName, EmailAddress, Phone, ProfileError};

use crate::db::Db;
use serde::{Deserialize, Serialize};

/// What someone may do beyond their own account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    /// Reads accounts and orders to help people; changes nothing on its own authority.
    Support,
    /// Operates the instance; must use two-factor sign-in.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Support => "support",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Role {
        match s {
            "admin" => Role::Admin,
            "support" => Role::Support,
            _ => Role::User,
        }
    }
}

/// An account as the rest of the product sees it. The password hash and the TOTP secret
/// are deliberately not here.
#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub email: String,
    pub email_verified: bool,
    pub display_name: String,
    pub avatar_key: Option<String>,
    pub locale: String,
    pub theme: Option<String>,
    pub company_name: Option<String>,
    pub region: Option<String>,
    pub phone: Option<String>,
    pub bio: Option<String>,
    pub role: Role,
    pub has_password: bool,
    pub totp_enabled: bool,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    email: String,
    email_verified_at: Option<i64>,
    has_password: i64,
    display_name: String,
    avatar_key: Option<String>,
    locale: String,
    theme: Option<String>,
    company_name: Option<String>,
    region: Option<String>,
    phone: Option<String>,
    bio: Option<String>,
    role: String,
    totp_enabled_at: Option<i64>,
    created_at: i64,
}

const USER_COLUMNS: &str = "id, email, email_verified_at, \
    CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS has_password, display_name, \
    avatar_key, locale, theme, company_name, region, phone, bio, role, totp_enabled_at, \
    created_at";

impl From<UserRow> for User {
    fn from(row: UserRow) -> User {
        User {
            id: row.id,
            email: row.email,
            email_verified: row.email_verified_at.is_some(),
            display_name: row.display_name,
            avatar_key: row.avatar_key,
            locale: row.locale,
            theme: row.theme,
            company_name: row.company_name,
            region: row.region,
            phone: row.phone,
            bio: row.bio,
            role: Role::parse(&row.role),
            has_password: row.has_password != 0,
            totp_enabled: row.totp_enabled_at.is_some(),
            created_at: row.created_at,
        }
    }
}

/// Why an account operation did not happen. `message_key` names the localized text the
/// person sees; internal failures carry no detail a browser may see.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error("age not confirmed")]
    AgeNotConfirmed,
    #[error("terms not accepted")]
    TermsNotAccepted,
    /// Wrong email or password — deliberately one error for both.
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("current password is wrong")]
    WrongCurrentPassword,
    #[error("link invalid")]
    TokenInvalid,
    #[error("link expired")]
    TokenExpired,
    #[error("link already used")]
    TokenUsed,
    #[error("please wait {seconds} s")]
    Cooldown { seconds: u64 },
    #[error("this is the only way left to sign in")]
    LastSignInMethod,
    #[error("the email address is already in use")]
    EmailInUse,
    #[error("the provider did not confirm this email address")]
    ProviderEmailUnverified,
    #[error("invalid two-factor code")]
    InvalidTwoFactorCode,
    /// A change that needs a recent sign-in (an account without a password has no other
    /// proof that the person at the keyboard is its owner).
    #[error("sign in again to make this change")]
    ReauthenticationRequired,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AccountError {
    /// The fluent key of the message shown to the person.
    pub fn message_key(&self) -> &'static str {
        match self {
            AccountError::Profile(e) => e.message_key(),
            AccountError::Password(e) => e.message_key(),
            AccountError::AgeNotConfirmed => "auth-error-age",
            AccountError::TermsNotAccepted => "auth-error-terms",
            AccountError::InvalidCredentials => "auth-error-credentials",
            AccountError::WrongCurrentPassword => "auth-error-current-password",
            AccountError::TokenInvalid => "auth-error-link-invalid",
            AccountError::TokenExpired => "auth-error-link-expired",
            AccountError::TokenUsed => "auth-error-link-used",
            AccountError::Cooldown { .. } => "auth-error-cooldown",
            AccountError::LastSignInMethod => "auth-error-last-method",
            AccountError::EmailInUse => "auth-error-email-in-use",
            AccountError::ProviderEmailUnverified => "auth-error-provider-email",
            AccountError::InvalidTwoFactorCode => "auth-error-totp",
            AccountError::ReauthenticationRequired => "auth-error-reauthenticate",
            AccountError::Internal(_) => "error-internal",
        }
    }

    pub(crate) fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AccountError {
        AccountError::Internal(Box::new(e))
    }
}

impl From<sqlx::Error> for AccountError {
    fn from(e: sqlx::Error) -> Self {
        AccountError::internal(e)
    }
}

impl From<crate::email::EmailError> for AccountError {
    fn from(e: crate::email::EmailError) -> Self {
        AccountError::internal(e)
    }
}

/// The account `id`. A deleted account (waiting for its purge) is no account: it cannot be
/// signed in to, linked, reset or changed.
pub async fn find_user(db: &Db, id: &str) -> Result<Option<User>, AccountError> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND deleted_at IS NULL"
    ))
    .bind(id.to_owned())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(User::from))
}

pub async fn find_user_by_email(db: &Db, email: &str) -> Result<Option<User>, AccountError> {
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(None);
    };
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE email = $1 AND deleted_at IS NULL"
    ))
    .bind(email.as_ref().to_owned())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(User::from))
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Whether `email` belongs to an account that was deleted and is not yet purged (OAuth
/// sign-in uses it to refuse such an account the way a wrong password is refused).
pub async fn address_is_deleted(db: &Db, email: &str) -> Result<bool, sqlx::Error> {
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(false);
    };
    let deleted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE email = $1 AND deleted_at IS NOT NULL",
    )
    .bind(email.as_ref())
    .fetch_one(db.pool())
    .await?;
    Ok(deleted > 0)
}

#[cfg(test)]
mod tests;

//! Accounts: the people who use banana nano and how they prove who they are — sign-up with
//! email and password, verification and reset links, changes of email and password, Google
//! and GitHub identities, roles, and the profile. Sessions live in [`sessions`], admin
//! two-factor in [`two_factor`], OAuth in [`oauth`].
//!
//! Messages never tell a stranger whether an email is registered: sign-in fails with one
//! generic error, sign-up and reset answer the same either way and say the rest by email.

pub mod oauth;
mod password;
pub mod sessions;
pub mod two_factor;
mod validate;

pub use password::{PasswordError, hash_password, verify_password};
pub use validate::{DisplayName, EmailAddress, Phone, ProfileError};

use crate::{AppState, audit, db::Db, email::Message, now_ms};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::time::Duration;

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

/// What a sign-up form carries.
pub struct NewAccount {
    pub email: String,
    pub password: SecretString,
    pub display_name: String,
    pub locale: String,
    pub age_confirmed: bool,
    pub terms_accepted: bool,
}

/// The link kinds we send, each with its lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPurpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
    AdminInvite,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::VerifyEmail => "verify-email",
            TokenPurpose::ResetPassword => "reset-password",
            TokenPurpose::ChangeEmail => "change-email",
            TokenPurpose::AdminInvite => "admin-invite",
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            TokenPurpose::ResetPassword => Duration::from_secs(3600),
            _ => Duration::from_secs(24 * 3600),
        }
    }
}

/// How long a person waits before another verification email.
pub const RESEND_COOLDOWN: Duration = Duration::from_secs(60);

fn token_hash(state: &AppState, token: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(state.config.secret_key.expose_secret().as_bytes())
            .expect("HMAC takes any key length");
    mac.update(b"auth-token:");
    mac.update(token.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Issues a single-use link token. Only its keyed hash is stored, so the database alone
/// cannot produce a working link.
pub async fn issue_token(
    state: &AppState,
    user_id: &str,
    purpose: TokenPurpose,
    email: Option<&str>,
) -> Result<String, AccountError> {
    let token = crate::secrets::random_hex(32);
    let now = now_ms();
    sqlx::query(
        "INSERT INTO auth_tokens (token_hash, user_id, purpose, email, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash(state, &token))
    .bind(user_id.to_owned())
    .bind(purpose.as_str())
    .bind(email.map(str::to_owned))
    .bind(now + purpose.lifetime().as_millis() as i64)
    .bind(now)
    .execute(state.db.pool())
    .await?;
    Ok(token)
}

/// A token that was valid and is now spent.
#[derive(Debug)]
pub struct UsedToken {
    pub user_id: String,
    pub email: Option<String>,
}

/// Spends a token: succeeds once, atomically, while it has not expired.
pub async fn consume_token(
    state: &AppState,
    token: &str,
    purpose: TokenPurpose,
) -> Result<UsedToken, AccountError> {
    let hash = token_hash(state, token.trim());
    let now = now_ms();
    let used: Option<(String, Option<String>)> = sqlx::query_as(
        "UPDATE auth_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id, email",
    )
    .bind(now)
    .bind(&hash)
    .bind(purpose.as_str())
    .fetch_optional(state.db.pool())
    .await?;
    if let Some((user_id, email)) = used {
        return Ok(UsedToken { user_id, email });
    }
    // Say why, so the person knows whether to ask for a new link.
    let known: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT expires_at, used_at FROM auth_tokens WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(&hash)
    .bind(purpose.as_str())
    .fetch_optional(state.db.pool())
    .await?;
    Err(match known {
        Some((_, Some(_))) => AccountError::TokenUsed,
        Some(_) => AccountError::TokenExpired,
        None => AccountError::TokenInvalid,
    })
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

fn link(state: &AppState, path: &str, token: &str) -> String {
    format!("{}{path}?token={token}", state.config.public_url)
}

fn locale_prefix(locale: &str) -> &'static str {
    if locale == "zh-CN" { "/zh-CN" } else { "" }
}

async fn send(
    state: &AppState,
    to: &str,
    locale: &str,
    message: Message,
    idempotency_key: String,
) -> Result<(), AccountError> {
    Ok(state
        .mailer
        .send_message(to, &message, locale, &idempotency_key)
        .await?)
}

/// The outcome of a sign-up. Both cases look the same to the person at the form.
#[derive(Debug)]
pub enum SignUp {
    /// A new account; a verification link is on its way.
    Created(Box<User>),
    /// The address already has an account; its owner was told by email.
    AlreadyRegistered,
}

/// Creates an account and sends its verification link. An address that is already
/// registered gets an email instead of an error, so the form reveals nothing.
pub async fn sign_up(state: &AppState, form: NewAccount) -> Result<SignUp, AccountError> {
    let email = EmailAddress::parse(&form.email)?;
    let display_name = DisplayName::parse(&form.display_name)?;
    if !form.age_confirmed {
        return Err(AccountError::AgeNotConfirmed);
    }
    if !form.terms_accepted {
        return Err(AccountError::TermsNotAccepted);
    }
    password::check_strength(
        form.password.expose_secret(),
        &[email.as_ref(), display_name.as_ref()],
    )?;
    let locale = validate::locale(&form.locale);
    // Hash before looking the address up, so both answers take the same time.
    let hash = hash_password(form.password).await?;
    if let Some(existing) = find_user_by_email(&state.db, email.as_ref()).await? {
        let key = format!("account-exists/{}/{}", existing.id, now_ms() / 60_000);
        let link = format!(
            "{}{}/sign-in",
            state.config.public_url,
            locale_prefix(&existing.locale)
        );
        send(
            state,
            &existing.email,
            &existing.locale,
            Message::AccountExists {
                name: existing.display_name.clone(),
                link,
            },
            key,
        )
        .await?;
        return Ok(SignUp::AlreadyRegistered);
    }
    let now = now_ms();
    let id = crate::new_id();
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, password_hash, display_name, locale, role, \
         terms_version, terms_accepted_at, age_confirmed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'user', $6, $7, $7, $7, $7)",
    )
    .bind(&id)
    .bind(email.as_ref().to_owned())
    .bind(hash.expose_secret().to_owned())
    .bind(display_name.as_ref().to_owned())
    .bind(locale.to_owned())
    .bind(crate::privacy::TERMS_VERSION)
    .bind(now)
    .execute(state.db.pool())
    .await;
    if let Err(e) = inserted {
        // Two sign-ups for one address at the same moment: the second is the "exists" case.
        if is_unique_violation(&e) {
            return Ok(SignUp::AlreadyRegistered);
        }
        return Err(e.into());
    }
    audit::record(
        state.db.pool(),
        Some(&id),
        Some(&id),
        "account.created",
        serde_json::json!({ "method": "password", "terms_version": crate::privacy::TERMS_VERSION }),
        None,
    )
    .await?;
    let user = find_user(&state.db, &id)
        .await?
        .ok_or(AccountError::TokenInvalid)?;
    send_verification(state, &user).await?;
    Ok(SignUp::Created(Box::new(user)))
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Sends (or re-sends) the verification link, at most once per [`RESEND_COOLDOWN`].
pub async fn send_verification(state: &AppState, user: &User) -> Result<(), AccountError> {
    if user.email_verified {
        return Ok(());
    }
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(created_at) FROM auth_tokens WHERE user_id = $1 AND purpose = $2",
    )
    .bind(user.id.clone())
    .bind(TokenPurpose::VerifyEmail.as_str())
    .fetch_one(state.db.pool())
    .await?;
    let now = now_ms();
    if let Some(last) = last {
        let wait = RESEND_COOLDOWN.as_millis() as i64 - (now - last);
        if wait > 0 {
            return Err(AccountError::Cooldown {
                seconds: ((wait + 999) / 1000) as u64,
            });
        }
    }
    let token = issue_token(
        state,
        &user.id,
        TokenPurpose::VerifyEmail,
        Some(&user.email),
    )
    .await?;
    let link = link(
        state,
        &format!("{}/verify-email", locale_prefix(&user.locale)),
        &token,
    );
    send(
        state,
        &user.email,
        &user.locale,
        Message::VerifyEmail {
            name: user.display_name.clone(),
            link,
        },
        format!("verify-email/{}/{now}", user.id),
    )
    .await
}

/// Marks the address the link was sent to as verified. Returns the account.
pub async fn verify_email(state: &AppState, token: &str) -> Result<User, AccountError> {
    let used = consume_token(state, token, TokenPurpose::VerifyEmail).await?;
    let now = now_ms();
    // The address must still be the one the link was sent to.
    sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1), updated_at = $1 \
         WHERE id = $2 AND email = $3",
    )
    .bind(now)
    .bind(used.user_id.clone())
    .bind(used.email.clone().unwrap_or_default())
    .execute(state.db.pool())
    .await?;
    audit::record(
        state.db.pool(),
        Some(&used.user_id),
        Some(&used.user_id),
        "email.verified",
        serde_json::json!({}),
        None,
    )
    .await?;
    let user = find_user(&state.db, &used.user_id)
        .await?
        .ok_or(AccountError::TokenInvalid)?;
    welcome_bonus(state, &user).await?;
    Ok(user)
}

/// The signup bonus, once a person's address is proven (once per mailbox, ever).
pub(crate) async fn welcome_bonus(state: &AppState, user: &User) -> Result<(), AccountError> {
    if !user.email_verified {
        return Ok(());
    }
    crate::billing::grant_signup_bonus(
        &state.db,
        &state.config.secret_key,
        &state.config.billing.catalog,
        &user.id,
        &user.email,
    )
    .await
    .map_err(|e| AccountError::Internal(Box::new(e)))?;
    Ok(())
}

/// Checks an email and password. Unknown addresses cost the same hash verification as
/// known ones and fail with the same error.
pub async fn authenticate(
    state: &AppState,
    email: &str,
    password: SecretString,
) -> Result<User, AccountError> {
    let row: Option<(String, Option<String>)> = match EmailAddress::parse(email) {
        Ok(email) => {
            sqlx::query_as(
                "SELECT id, password_hash FROM users WHERE email = $1 AND deleted_at IS NULL",
            )
            .bind(email.as_ref().to_owned())
            .fetch_optional(state.db.pool())
            .await?
        }
        Err(_) => None,
    };
    let (id, hash) = match row {
        Some((id, Some(hash))) => (Some(id), SecretString::from(hash)),
        _ => (None, password::decoy_hash()),
    };
    let matches = verify_password(password, hash).await?;
    match (id, matches) {
        (Some(id), true) => find_user(&state.db, &id)
            .await?
            .ok_or(AccountError::InvalidCredentials),
        _ => Err(AccountError::InvalidCredentials),
    }
}

/// Sends a reset link when the address has an account; silent otherwise.
pub async fn request_password_reset(state: &AppState, email: &str) -> Result<(), AccountError> {
    let Some(user) = find_user_by_email(&state.db, email).await? else {
        return Ok(());
    };
    let token = issue_token(state, &user.id, TokenPurpose::ResetPassword, None).await?;
    let link = link(
        state,
        &format!("{}/reset-password", locale_prefix(&user.locale)),
        &token,
    );
    send(
        state,
        &user.email,
        &user.locale,
        Message::ResetPassword {
            name: user.display_name.clone(),
            link,
        },
        format!("reset-password/{}/{}", user.id, now_ms()),
    )
    .await
}

/// Sets a new password from a reset (or admin invite) link, verifies the address (the
/// link proved it) and ends every session of the account.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    new_password: SecretString,
) -> Result<User, AccountError> {
    // Check the password before spending the link, so a weak choice can be corrected.
    let peek = peek_token_user(state, token).await?;
    if let Some(user) = &peek {
        password::check_strength(
            new_password.expose_secret(),
            &[&user.email, &user.display_name],
        )?;
    }
    let used = match consume_token(state, token, TokenPurpose::ResetPassword).await {
        Err(AccountError::TokenInvalid) => {
            consume_token(state, token, TokenPurpose::AdminInvite).await?
        }
        other => other?,
    };
    let hash = hash_password(new_password).await?;
    let now = now_ms();
    let mut tx = state.db.pool().begin().await?;
    sqlx::query(
        "UPDATE users SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2), \
         updated_at = $2 WHERE id = $3",
    )
    .bind(hash.expose_secret().to_owned())
    .bind(now)
    .bind(used.user_id.clone())
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(used.user_id.clone())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        Some(&used.user_id),
        Some(&used.user_id),
        "password.reset",
        serde_json::json!({ "sessions_revoked": "all" }),
        None,
    )
    .await?;
    tx.commit().await?;
    find_user(&state.db, &used.user_id)
        .await?
        .ok_or(AccountError::TokenInvalid)
}

async fn peek_token_user(state: &AppState, token: &str) -> Result<Option<User>, AccountError> {
    let user_id: Option<String> =
        sqlx::query_scalar("SELECT user_id FROM auth_tokens WHERE token_hash = $1")
            .bind(token_hash(state, token.trim()))
            .fetch_optional(state.db.pool())
            .await?;
    match user_id {
        Some(id) => find_user(&state.db, &id).await,
        None => Ok(None),
    }
}

/// Changes the password of a signed-in person who knows the current one (or has none yet,
/// after signing up through Google or GitHub). Every other session ends.
pub async fn change_password(
    state: &AppState,
    user_id: &str,
    current: Option<SecretString>,
    new_password: SecretString,
    keep_session_id: Option<&str>,
) -> Result<(), AccountError> {
    let (email, name, hash): (String, String, Option<String>) =
        sqlx::query_as("SELECT email, display_name, password_hash FROM users WHERE id = $1")
            .bind(user_id.to_owned())
            .fetch_one(state.db.pool())
            .await?;
    if let Some(hash) = hash {
        let current = current.ok_or(AccountError::WrongCurrentPassword)?;
        if !verify_password(current, SecretString::from(hash)).await? {
            return Err(AccountError::WrongCurrentPassword);
        }
    }
    password::check_strength(new_password.expose_secret(), &[&email, &name])?;
    let hash = hash_password(new_password).await?;
    let now = now_ms();
    let mut tx = state.db.pool().begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash.expose_secret().to_owned())
        .bind(now)
        .bind(user_id.to_owned())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id.to_owned())
        .bind(keep_session_id.unwrap_or("").to_owned())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        Some(user_id),
        Some(user_id),
        "password.changed",
        serde_json::json!({ "other_sessions_revoked": true }),
        None,
    )
    .await?;
    tx.commit().await?;
    let user = find_user(&state.db, user_id)
        .await?
        .ok_or(AccountError::InvalidCredentials)?;
    send(
        state,
        &user.email,
        &user.locale,
        Message::PasswordChanged {
            name: user.display_name.clone(),
        },
        format!("password-changed/{user_id}/{now}"),
    )
    .await
}

/// Starts a change of address: a confirmation link goes to the new address, which takes
/// effect only when it is opened. An address that is taken gets no mail and the same
/// answer.
pub async fn request_email_change(
    state: &AppState,
    user_id: &str,
    new_email: &str,
    current_password: Option<SecretString>,
) -> Result<(), AccountError> {
    let new_email = EmailAddress::parse(new_email)?;
    let hash: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id.to_owned())
        .fetch_one(state.db.pool())
        .await?;
    if let Some(hash) = hash {
        let current = current_password.ok_or(AccountError::WrongCurrentPassword)?;
        if !verify_password(current, SecretString::from(hash)).await? {
            return Err(AccountError::WrongCurrentPassword);
        }
    }
    if find_user_by_email(&state.db, new_email.as_ref())
        .await?
        .is_some()
    {
        return Ok(());
    }
    let user = find_user(&state.db, user_id)
        .await?
        .ok_or(AccountError::InvalidCredentials)?;
    let token = issue_token(
        state,
        user_id,
        TokenPurpose::ChangeEmail,
        Some(new_email.as_ref()),
    )
    .await?;
    let link = link(
        state,
        &format!("{}/verify-email", locale_prefix(&user.locale)),
        &format!("{token}&change=1"),
    );
    send(
        state,
        new_email.as_ref(),
        &user.locale,
        Message::ConfirmNewEmail {
            name: user.display_name.clone(),
            link,
        },
        format!("change-email/{user_id}/{}", now_ms()),
    )
    .await
}

/// Applies a change of address from its confirmation link and tells the old address.
pub async fn confirm_email_change(state: &AppState, token: &str) -> Result<User, AccountError> {
    let used = consume_token(state, token, TokenPurpose::ChangeEmail).await?;
    let new_email = used.email.ok_or(AccountError::TokenInvalid)?;
    let old = find_user(&state.db, &used.user_id)
        .await?
        .ok_or(AccountError::TokenInvalid)?;
    let now = now_ms();
    let updated = sqlx::query(
        "UPDATE users SET email = $1, email_verified_at = $2, updated_at = $2 WHERE id = $3",
    )
    .bind(new_email.clone())
    .bind(now)
    .bind(used.user_id.clone())
    .execute(state.db.pool())
    .await;
    match updated {
        Err(e) if is_unique_violation(&e) => return Err(AccountError::EmailInUse),
        other => {
            other?;
        }
    }
    audit::record(
        state.db.pool(),
        Some(&used.user_id),
        Some(&used.user_id),
        "email.changed",
        serde_json::json!({}),
        None,
    )
    .await?;
    send(
        state,
        &old.email,
        &old.locale,
        Message::EmailChanged {
            name: old.display_name.clone(),
            new_email: new_email.clone(),
        },
        format!("email-changed/{}/{now}", used.user_id),
    )
    .await?;
    find_user(&state.db, &used.user_id)
        .await?
        .ok_or(AccountError::TokenInvalid)
}

/// What the profile form carries. Every field is replaced; empty optional fields clear.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    pub display_name: String,
    pub locale: String,
    pub theme: String,
    pub company_name: String,
    pub region: String,
    pub phone: String,
    pub bio: String,
}

/// Validates and saves the profile; the audit log names the fields that changed.
pub async fn update_profile(
    state: &AppState,
    user_id: &str,
    change: ProfileChange,
    ip: Option<&str>,
) -> Result<User, AccountError> {
    let display_name = DisplayName::parse(&change.display_name)?;
    let locale = validate::locale(&change.locale);
    let theme = match change.theme.as_str() {
        "light" | "dark" => Some(change.theme.clone()),
        "" | "system" => None,
        _ => return Err(ProfileError::Theme.into()),
    };
    let company = validate::optional_text(&change.company_name, 100, ProfileError::Company)?;
    let region = validate::optional_text(&change.region, 100, ProfileError::Region)?;
    let phone = match change.phone.trim() {
        "" => None,
        p => Some(Phone::parse(p)?.into_inner()),
    };
    let bio = validate::optional_text(&change.bio, 500, ProfileError::Bio)?;
    let before = find_user(&state.db, user_id)
        .await?
        .ok_or(AccountError::InvalidCredentials)?;
    let mut changed = Vec::new();
    if before.display_name != display_name.as_ref() {
        changed.push("display_name");
    }
    if before.locale != locale {
        changed.push("locale");
    }
    if before.theme != theme {
        changed.push("theme");
    }
    if before.company_name != company {
        changed.push("company_name");
    }
    if before.region != region {
        changed.push("region");
    }
    if before.phone != phone {
        changed.push("phone");
    }
    if before.bio != bio {
        changed.push("bio");
    }
    if changed.is_empty() {
        return Ok(before);
    }
    let mut tx = state.db.pool().begin().await?;
    sqlx::query(
        "UPDATE users SET display_name = $1, locale = $2, theme = $3, company_name = $4, \
         region = $5, phone = $6, bio = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(display_name.as_ref().to_owned())
    .bind(locale.to_owned())
    .bind(theme)
    .bind(company)
    .bind(region)
    .bind(phone)
    .bind(bio)
    .bind(now_ms())
    .bind(user_id.to_owned())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Some(user_id),
        Some(user_id),
        "profile.updated",
        serde_json::json!({ "fields": changed }),
        ip,
    )
    .await?;
    tx.commit().await?;
    find_user(&state.db, user_id)
        .await?
        .ok_or(AccountError::InvalidCredentials)
}

/// Replaces the avatar with an already cleaned image stored at `key`; returns the key of
/// the previous one so the caller can delete it.
pub async fn set_avatar(
    state: &AppState,
    user_id: &str,
    key: Option<&str>,
    ip: Option<&str>,
) -> Result<Option<String>, AccountError> {
    let previous: Option<String> = sqlx::query_scalar("SELECT avatar_key FROM users WHERE id = $1")
        .bind(user_id.to_owned())
        .fetch_one(state.db.pool())
        .await?;
    let mut tx = state.db.pool().begin().await?;
    sqlx::query("UPDATE users SET avatar_key = $1, updated_at = $2 WHERE id = $3")
        .bind(key.map(str::to_owned))
        .bind(now_ms())
        .bind(user_id.to_owned())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        Some(user_id),
        Some(user_id),
        if key.is_some() {
            "profile.avatar_set"
        } else {
            "profile.avatar_removed"
        },
        serde_json::json!({ "fields": ["avatar"] }),
        ip,
    )
    .await?;
    tx.commit().await?;
    Ok(previous)
}

/// Creates an admin account for `email`, or promotes the existing one. A new account gets
/// an invitation link to set its password. Returns the account and, for a new one, the link.
pub async fn create_admin(
    state: &AppState,
    email: &str,
) -> Result<(User, Option<String>), AccountError> {
    let email = EmailAddress::parse(email)?;
    if let Some(user) = find_user_by_email(&state.db, email.as_ref()).await? {
        set_role(state, &user.id, Role::Admin, None).await?;
        let user = find_user(&state.db, &user.id)
            .await?
            .ok_or(AccountError::InvalidCredentials)?;
        return Ok((user, None));
    }
    let now = now_ms();
    let id = crate::new_id();
    let name = email
        .as_ref()
        .split('@')
        .next()
        .unwrap_or("admin")
        .to_owned();
    sqlx::query(
        "INSERT INTO users (id, email, display_name, locale, role, terms_version, \
         terms_accepted_at, age_confirmed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, 'en', 'admin', $4, $5, $5, $5, $5)",
    )
    .bind(&id)
    .bind(email.as_ref().to_owned())
    .bind(name)
    .bind(crate::privacy::TERMS_VERSION)
    .bind(now)
    .execute(state.db.pool())
    .await?;
    audit::record(
        state.db.pool(),
        None,
        Some(&id),
        "account.created",
        serde_json::json!({ "method": "create-admin", "role": "admin" }),
        None,
    )
    .await?;
    let token = issue_token(state, &id, TokenPurpose::AdminInvite, Some(email.as_ref())).await?;
    let link = link(state, "/reset-password", &token);
    send(
        state,
        email.as_ref(),
        "en",
        Message::AdminInvite { link: link.clone() },
        format!("admin-invite/{id}"),
    )
    .await?;
    let user = find_user(&state.db, &id)
        .await?
        .ok_or(AccountError::InvalidCredentials)?;
    Ok((user, Some(link)))
}

/// Changes someone's role; a privilege change, so the caller rotates their session.
pub async fn set_role(
    state: &AppState,
    user_id: &str,
    role: Role,
    actor_id: Option<&str>,
) -> Result<(), AccountError> {
    let mut tx = state.db.pool().begin().await?;
    sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(now_ms())
        .bind(user_id.to_owned())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        actor_id,
        Some(user_id),
        "role.changed",
        serde_json::json!({ "role": role.as_str() }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How many accounts exist, by role (the admin overview).
pub async fn count_by_role(db: &Db) -> Result<Vec<(String, i64)>, AccountError> {
    Ok(
        sqlx::query_as("SELECT role, COUNT(*) FROM users GROUP BY role ORDER BY role")
            .fetch_all(db.pool())
            .await?,
    )
}

#[cfg(test)]
mod tests;

//! Sign-up with email and password, the verification link, and the welcome bonus once the
//! address is proven.

use super::{
    AccountError, DisplayName, EmailAddress, User, find_user, find_user_by_email, hash_password,
    is_unique_violation, password,
    tokens::{
        RESEND_COOLDOWN, TokenPurpose, consume_token, issue_token, link, locale_prefix, send,
    },
    validate,
};
use crate::{AppState, audit, email::Message, now_ms, registry::TERMS_VERSION};
use secrecy::{ExposeSecret, SecretString};

/// What a sign-up form carries.
pub struct NewAccount {
    pub email: String,
    pub password: SecretString,
    pub display_name: String,
    pub locale: String,
    pub age_confirmed: bool,
    pub terms_accepted: bool,
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
    .bind(TERMS_VERSION)
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
        serde_json::json!({ "method": "password", "terms_version": TERMS_VERSION }),
        None,
    )
    .await?;
    let user = find_user(&state.db, &id)
        .await?
        .ok_or(AccountError::TokenInvalid)?;
    send_verification(state, &user).await?;
    Ok(SignUp::Created(Box::new(user)))
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

/// "I did not sign up": the holder of the address, following the link we mailed, takes
/// back an account someone else opened with it. Every sign-in method that person could
/// have set up goes (the password they chose, any linked Google or GitHub identity, every
/// session, every other open link); the address counts as verified, and the answer is a
/// password-reset token so the holder chooses their own password next.
pub async fn disown_sign_up(state: &AppState, token: &str) -> Result<String, AccountError> {
    let used = consume_token(state, token, TokenPurpose::VerifyEmail).await?;
    let email = used.email.clone().unwrap_or_default();
    let now = now_ms();
    let mut tx = state.db.pool().begin().await?;
    // The address must still be the one the link was sent to.
    let taken_back = sqlx::query(
        "UPDATE users SET password_hash = NULL, email_verified_at = COALESCE(email_verified_at, $1), \
         updated_at = $1 WHERE id = $2 AND email = $3",
    )
    .bind(now)
    .bind(used.user_id.clone())
    .bind(email)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if taken_back == 0 {
        return Err(AccountError::TokenInvalid);
    }
    for statement in [
        "DELETE FROM oauth_identities WHERE user_id = $1",
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM auth_tokens WHERE user_id = $1 AND used_at IS NULL",
    ] {
        sqlx::query(statement)
            .bind(used.user_id.clone())
            .execute(&mut *tx)
            .await?;
    }
    audit::record(
        &mut *tx,
        Some(&used.user_id),
        Some(&used.user_id),
        "account.disowned",
        serde_json::json!({ "sessions_revoked": "all", "password": "removed", "identities": "unlinked" }),
        None,
    )
    .await?;
    tx.commit().await?;
    let user = find_user(&state.db, &used.user_id)
        .await?
        .ok_or(AccountError::TokenInvalid)?;
    welcome_bonus(state, &user).await?;
    issue_token(state, &user.id, TokenPurpose::ResetPassword, None).await
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

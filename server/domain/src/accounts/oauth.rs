//! Sign-in with Google and GitHub: OAuth2 authorization code with PKCE and a state value
//! (the `oauth2` crate), then the provider's profile API for a stable subject id and a
//! verified email. Each provider is offered only when its client id is configured.

use super::{AccountError, User, find_user, find_user_by_email};
use crate::{AppState, audit, config::OAuthProviderConfig, now_ms};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, TokenUrl, basic::BasicClient,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Google,
    Github,
}

impl Provider {
    pub const ALL: [Provider; 2] = [Provider::Google, Provider::Github];

    pub fn id(self) -> &'static str {
        match self {
            Provider::Google => "google",
            Provider::Github => "github",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.id() == s)
    }

    pub fn config(self, state: &AppState) -> Option<&OAuthProviderConfig> {
        match self {
            Provider::Google => state.config.google.as_ref(),
            Provider::Github => state.config.github.as_ref(),
        }
    }

    fn scopes(self) -> &'static [&'static str] {
        match self {
            Provider::Google => &["openid", "email", "profile"],
            Provider::Github => &["read:user", "user:email"],
        }
    }
}

/// The providers configured on this instance.
pub fn enabled(state: &AppState) -> Vec<Provider> {
    Provider::ALL
        .into_iter()
        .filter(|p| p.config(state).is_some())
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error("this sign-in provider is not enabled")]
    NotEnabled,
    #[error("the provider refused or the person cancelled")]
    Denied,
    #[error("the sign-in attempt does not match this browser")]
    StateMismatch,
    #[error("the provider could not be reached or answered unexpectedly")]
    Provider(String),
}

impl OAuthError {
    pub fn message_key(&self) -> &'static str {
        match self {
            OAuthError::NotEnabled => "auth-error-provider-disabled",
            OAuthError::Denied => "auth-error-provider-denied",
            OAuthError::StateMismatch => "auth-error-provider-state",
            OAuthError::Provider(_) => "auth-error-provider-failed",
        }
    }
}

/// What we keep in the session between the redirect to the provider and its callback.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingAuthorization {
    pub provider: Provider,
    pub state: String,
    pub pkce_verifier: String,
    /// Where to go afterwards (a local path), and whether to link to the signed-in account.
    pub return_to: String,
    pub link: bool,
}

fn redirect_url(state: &AppState, provider: Provider) -> String {
    format!(
        "{}/auth/{}/callback",
        state.config.public_url,
        provider.id()
    )
}

type ConfiguredClient = BasicClient<
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

fn client(state: &AppState, provider: Provider) -> Result<ConfiguredClient, OAuthError> {
    let config = provider.config(state).ok_or(OAuthError::NotEnabled)?;
    let bad = |what: &str| OAuthError::Provider(format!("invalid {what} URL in configuration"));
    Ok(BasicClient::new(ClientId::new(config.client_id.clone()))
        .set_client_secret(ClientSecret::new(
            config.client_secret.expose_secret().to_owned(),
        ))
        .set_auth_uri(AuthUrl::new(config.auth_url.clone()).map_err(|_| bad("authorization"))?)
        .set_token_uri(TokenUrl::new(config.token_url.clone()).map_err(|_| bad("token"))?)
        .set_redirect_uri(
            RedirectUrl::new(redirect_url(state, provider)).map_err(|_| bad("redirect"))?,
        ))
}

/// The address to send the browser to, and what to remember until it comes back.
pub fn begin(
    state: &AppState,
    provider: Provider,
    return_to: String,
    link: bool,
) -> Result<(String, PendingAuthorization), OAuthError> {
    let client = client(state, provider)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(provider.scopes().iter().map(|s| Scope::new((*s).into())))
        .set_pkce_challenge(challenge)
        .url();
    Ok((
        url.to_string(),
        PendingAuthorization {
            provider,
            state: csrf.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            return_to,
            link,
        },
    ))
}

/// Who the provider says the person is.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProviderProfile {
    pub provider: Provider,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
}

fn http_client() -> reqwest::Client {
    // No redirects: a token endpoint that redirects is misconfigured or hostile.
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(15))
        .user_agent("banana-nano")
        .build()
        .expect("HTTP client builds")
}

/// Completes the callback: checks the state, exchanges the code (with the PKCE verifier)
/// and reads the profile.
pub async fn complete(
    state: &AppState,
    pending: &PendingAuthorization,
    returned_state: &str,
    code: &str,
) -> Result<ProviderProfile, OAuthError> {
    use subtle::ConstantTimeEq;
    if !bool::from(pending.state.as_bytes().ct_eq(returned_state.as_bytes())) {
        return Err(OAuthError::StateMismatch);
    }
    let provider = pending.provider;
    let config = provider.config(state).ok_or(OAuthError::NotEnabled)?;
    let http = http_client();
    let token = client(state, provider)?
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|e| OAuthError::Provider(format!("token exchange failed: {}", kind_of(&e))))?;
    let access = token.access_token().secret();
    match provider {
        Provider::Google => {
            #[derive(Deserialize)]
            struct UserInfo {
                sub: String,
                email: Option<String>,
                #[serde(default)]
                email_verified: bool,
                name: Option<String>,
            }
            let info: UserInfo = get_json(&http, &config.api_url, access).await?;
            Ok(ProviderProfile {
                provider,
                subject: info.sub,
                email: info.email,
                email_verified: info.email_verified,
                name: info.name,
            })
        }
        Provider::Github => {
            #[derive(Deserialize)]
            struct GithubUser {
                id: serde_json::Value,
                login: Option<String>,
                name: Option<String>,
            }
            #[derive(Deserialize)]
            struct GithubEmail {
                email: String,
                #[serde(default)]
                primary: bool,
                #[serde(default)]
                verified: bool,
            }
            let user: GithubUser =
                get_json(&http, &format!("{}/user", config.api_url), access).await?;
            let emails: Vec<GithubEmail> =
                get_json(&http, &format!("{}/user/emails", config.api_url), access).await?;
            let primary = emails.into_iter().find(|e| e.primary && e.verified);
            let subject = match user.id {
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::String(s) => s,
                _ => return Err(OAuthError::Provider("profile without an id".into())),
            };
            Ok(ProviderProfile {
                provider,
                subject,
                email_verified: primary.is_some(),
                email: primary.map(|e| e.email),
                name: user.name.or(user.login),
            })
        }
    }
}

/// A description of an oauth2 error that never includes tokens or secrets.
fn kind_of<RE: std::error::Error + 'static, T: oauth2::ErrorResponse + 'static>(
    e: &oauth2::RequestTokenError<RE, T>,
) -> String {
    match e {
        oauth2::RequestTokenError::ServerResponse(r) => format!("provider refused ({r})"),
        oauth2::RequestTokenError::Request(_) => "request failed".into(),
        oauth2::RequestTokenError::Parse(_, _) => "unexpected response".into(),
        oauth2::RequestTokenError::Other(_) => "other".into(),
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
    access_token: &str,
) -> Result<T, OAuthError> {
    let response = http
        .get(url)
        .bearer_auth(access_token)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|_| OAuthError::Provider("profile request failed".into()))?;
    if !response.status().is_success() {
        return Err(OAuthError::Provider(format!(
            "profile request answered {}",
            response.status().as_u16()
        )));
    }
    response
        .json()
        .await
        .map_err(|_| OAuthError::Provider("unexpected profile response".into()))
}

/// Where a provider sign-in leads.
#[derive(Debug)]
pub enum OAuthOutcome {
    /// An existing account (already linked, or linked now by its verified email).
    SignedIn(User),
    /// The identity was linked to the signed-in account.
    Linked(User),
    /// Nobody has this identity or email: a new account, once the person confirms their
    /// age and accepts the terms.
    NeedsSignUp(ProviderProfile),
}

/// Decides who a provider profile signs in as, linking by verified email where it can.
pub async fn resolve(
    state: &AppState,
    profile: ProviderProfile,
    signed_in_user: Option<&str>,
) -> Result<OAuthOutcome, AccountError> {
    let linked: Option<String> = sqlx::query_scalar(
        "SELECT user_id FROM oauth_identities WHERE provider = $1 AND subject = $2",
    )
    .bind(profile.provider.id())
    .bind(profile.subject.clone())
    .fetch_optional(state.db.pool())
    .await?;
    if let Some(current) = signed_in_user {
        match linked.as_deref() {
            Some(owner) if owner != current => return Err(AccountError::EmailInUse),
            Some(_) => {}
            None => link(state, current, &profile).await?,
        }
        let user = find_user(&state.db, current)
            .await?
            .ok_or(AccountError::InvalidCredentials)?;
        return Ok(OAuthOutcome::Linked(user));
    }
    if let Some(owner) = linked {
        let user = find_user(&state.db, &owner)
            .await?
            .ok_or(AccountError::InvalidCredentials)?;
        return Ok(OAuthOutcome::SignedIn(user));
    }
    let email = match (&profile.email, profile.email_verified) {
        (Some(email), true) => email.clone(),
        _ => return Err(AccountError::ProviderEmailUnverified),
    };
    // A deleted account is refused like a wrong password, not offered as a new sign-up.
    if super::address_is_deleted(&state.db, &email).await? {
        return Err(AccountError::InvalidCredentials);
    }
    if let Some(user) = find_user_by_email(&state.db, &email).await? {
        if !user.email_verified {
            // Someone registered this address without proving it; the provider just did.
            // Their password and sessions go, so a squatter cannot keep a way in.
            let mut tx = state.db.pool().begin().await?;
            sqlx::query(
                "UPDATE users SET password_hash = NULL, email_verified_at = $1, updated_at = $1 \
                 WHERE id = $2",
            )
            .bind(now_ms())
            .bind(user.id.clone())
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.id.clone())
                .execute(&mut *tx)
                .await?;
            audit::record(
                &mut *tx,
                Some(&user.id),
                Some(&user.id),
                "account.claimed_by_verified_identity",
                serde_json::json!({ "provider": profile.provider.id() }),
                None,
            )
            .await?;
            tx.commit().await?;
        }
        link(state, &user.id, &profile).await?;
        let user = find_user(&state.db, &user.id)
            .await?
            .ok_or(AccountError::InvalidCredentials)?;
        super::welcome_bonus(state, &user).await?;
        return Ok(OAuthOutcome::SignedIn(user));
    }
    Ok(OAuthOutcome::NeedsSignUp(profile))
}

async fn link(
    state: &AppState,
    user_id: &str,
    profile: &ProviderProfile,
) -> Result<(), AccountError> {
    let mut tx = state.db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO oauth_identities (provider, subject, user_id, email, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(profile.provider.id())
    .bind(profile.subject.clone())
    .bind(user_id.to_owned())
    .bind(profile.email.clone())
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Some(user_id),
        Some(user_id),
        "identity.linked",
        serde_json::json!({ "provider": profile.provider.id() }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Creates the account for a provider profile after the person confirmed their age and
/// accepted the terms. The provider verified the address.
pub async fn create_account(
    state: &AppState,
    profile: &ProviderProfile,
    display_name: &str,
    locale: &str,
) -> Result<User, AccountError> {
    let email = profile
        .email
        .as_deref()
        .filter(|_| profile.email_verified)
        .ok_or(AccountError::ProviderEmailUnverified)?;
    let email = super::EmailAddress::parse(email)?;
    let name = super::DisplayName::parse(display_name)
        .or_else(|_| super::DisplayName::parse(email.as_ref().split('@').next().unwrap_or("")))?;
    let now = now_ms();
    let id = crate::new_id();
    let mut tx = state.db.pool().begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, email_verified_at, display_name, locale, role, \
         terms_version, terms_accepted_at, age_confirmed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'user', $6, $3, $3, $3, $3)",
    )
    .bind(&id)
    .bind(email.as_ref().to_owned())
    .bind(now)
    .bind(name.as_ref().to_owned())
    .bind(super::validate::locale(locale))
    .bind(crate::registry::TERMS_VERSION)
    .execute(&mut *tx)
    .await;
    if let Err(e) = inserted {
        if super::is_unique_violation(&e) {
            return Err(AccountError::EmailInUse);
        }
        return Err(e.into());
    }
    audit::record(
        &mut *tx,
        Some(&id),
        Some(&id),
        "account.created",
        serde_json::json!({ "method": profile.provider.id(), "terms_version": crate::registry::TERMS_VERSION }),
        None,
    )
    .await?;
    tx.commit().await?;
    link(state, &id, profile).await?;
    let user = find_user(&state.db, &id)
        .await?
        .ok_or(AccountError::InvalidCredentials)?;
    super::welcome_bonus(state, &user).await?;
    Ok(user)
}

/// The providers linked to an account.
pub async fn identities(
    state: &AppState,
    user_id: &str,
) -> Result<Vec<(Provider, Option<String>)>, AccountError> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT provider, email FROM oauth_identities WHERE user_id = $1 ORDER BY provider",
    )
    .bind(user_id.to_owned())
    .fetch_all(state.db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(p, e)| Provider::parse(&p).map(|p| (p, e)))
        .collect())
}

/// Removes a provider from an account, unless it is the last way to sign in.
pub async fn unlink(
    state: &AppState,
    user_id: &str,
    provider: Provider,
) -> Result<(), AccountError> {
    let mut tx = state.db.pool().begin().await?;
    let has_password: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END FROM users WHERE id = $1",
    )
    .bind(user_id.to_owned())
    .fetch_one(&mut *tx)
    .await?;
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM oauth_identities WHERE user_id = $1 AND provider <> $2",
    )
    .bind(user_id.to_owned())
    .bind(provider.id())
    .fetch_one(&mut *tx)
    .await?;
    if has_password == 0 && others == 0 {
        return Err(AccountError::LastSignInMethod);
    }
    let removed = sqlx::query("DELETE FROM oauth_identities WHERE user_id = $1 AND provider = $2")
        .bind(user_id.to_owned())
        .bind(provider.id())
        .execute(&mut *tx)
        .await?;
    if removed.rows_affected() > 0 {
        audit::record(
            &mut *tx,
            Some(user_id),
            Some(user_id),
            "identity.unlinked",
            serde_json::json!({ "provider": provider.id() }),
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

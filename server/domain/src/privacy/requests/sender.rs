//! The sender's side of a rights request: sending it, confirming it by the mailed link,
//! and following its status.

use super::{
    COLUMNS, MAX_DETAILS, NewRequest, PendingRequest, PrivacyRequest, RequestError, RequestKind,
    RequestRow, RequestStatus, RequestView, STATUS_PURPOSE, SUBMIT_EMAIL, SUBMIT_IP, Submitted,
    VERIFY_LINK_LIFETIME, VERIFY_PURPOSE, Verified, clean_text, due_date, load, locale_of, ms,
    prefix, status_link,
};
use crate::{
    AppState,
    accounts::{self, EmailAddress},
    audit,
    email::Message,
    privacy::{REQUEST_DEADLINE, keyed_hash},
    ratelimit,
};

/// Stores a request. Sent signed in with the account's own address, it is verified by the
/// login at once and its answer is due [`REQUEST_DEADLINE`] from `now_ms`; otherwise the
/// address gets a confirmation link and no clock runs until it is followed. Either way the
/// answer looks the same whether or not the address has an account.
pub async fn submit(
    state: &AppState,
    request: NewRequest,
    now_ms: i64,
) -> Result<Submitted, RequestError> {
    let kind = RequestKind::parse(&request.kind).ok_or(RequestError::UnknownKind)?;
    let email = EmailAddress::parse(&request.email).map_err(|_| RequestError::Email)?;
    let details = clean_text(&request.details);
    if details.chars().count() > MAX_DETAILS {
        return Err(RequestError::DetailsTooLong);
    }
    if details.is_empty() && kind.needs_details() {
        return Err(RequestError::DetailsMissing);
    }
    limit(state, request.ip.as_deref(), &email, now_ms).await?;

    // The login challenge proves the sender is the account holder, but only for the
    // account's own address.
    let login = match &request.signed_in_user {
        Some(user_id) => accounts::find_user(&state.db, user_id)
            .await?
            .filter(|user| user.email == email.as_ref()),
        None => None,
    };
    let locale = locale_of(&request.locale);
    let id = crate::new_id();
    let secret = crate::secrets::random_hex(32);
    let stored = PrivacyRequest {
        id: id.clone(),
        user_id: login.as_ref().map(|user| user.id.clone()),
        email: email.as_ref().to_owned(),
        kind,
        status: if login.is_some() {
            RequestStatus::Open
        } else {
            RequestStatus::Unverified
        },
        details,
        locale: locale.to_owned(),
        verified_by: login.as_ref().map(|_| "login".to_owned()),
        created_at: now_ms,
        verified_at: login.as_ref().map(|_| now_ms),
        due_at: login.as_ref().map(|_| now_ms + ms(REQUEST_DEADLINE)),
        extended_at: None,
        extension_reason: None,
        resolution: None,
        closed_at: None,
    };
    store(
        state,
        &stored,
        &secret,
        login.is_some(),
        request.ip.as_deref(),
    )
    .await?;

    let (message, key) = first_message(state, &stored, &secret, login.is_some());
    // A request whose sender got no email could be neither confirmed nor followed: it is
    // taken back, and the person is told to try again.
    if let Err(e) = state
        .mailer
        .send_message(&stored.email, &message, locale, &key)
        .await
    {
        sqlx::query("DELETE FROM privacy_requests WHERE id = $1")
            .bind(id.clone())
            .execute(state.db.pool())
            .await?;
        return Err(e.into());
    }
    Ok(Submitted {
        id,
        status: stored.status,
        status_token: login.map(|_| secret),
    })
}

/// Counts the request against the limits per IP address and per email address.
async fn limit(
    state: &AppState,
    ip: Option<&str>,
    email: &EmailAddress,
    now_ms: i64,
) -> Result<(), RequestError> {
    if let Some(ip) = ip {
        ratelimit::hit(
            &state.db,
            &format!("privacy-request:ip:{ip}"),
            SUBMIT_IP,
            now_ms,
        )
        .await?;
    }
    ratelimit::hit(
        &state.db,
        &ratelimit::account_key("privacy-request", email.as_ref()),
        SUBMIT_EMAIL,
        now_ms,
    )
    .await?;
    Ok(())
}

/// Writes a new request and its audit entry. Only keyed hashes of `secret` are stored: as
/// the confirmation token (unless the login verified it) and as the status token.
async fn store(
    state: &AppState,
    stored: &PrivacyRequest,
    secret: &str,
    by_login: bool,
    ip: Option<&str>,
) -> Result<(), RequestError> {
    let mut tx = state.db.begin_write().await?;
    sqlx::query(
        "INSERT INTO privacy_requests (id, user_id, email, kind, details, locale, status, \
         verified_by, verified_at, verify_token_hash, status_token_hash, due_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(stored.id.clone())
    .bind(stored.user_id.clone())
    .bind(stored.email.clone())
    .bind(stored.kind.id())
    .bind(stored.details.clone())
    .bind(stored.locale.clone())
    .bind(stored.status.id())
    .bind(stored.verified_by.clone())
    .bind(stored.verified_at)
    .bind((!by_login).then(|| keyed_hash(state, VERIFY_PURPOSE, secret)))
    .bind(keyed_hash(state, STATUS_PURPOSE, secret))
    .bind(stored.due_at)
    .bind(stored.created_at)
    .execute(tx.conn())
    .await?;
    audit::record(
        tx.conn(),
        stored.user_id.as_deref(),
        stored.user_id.as_deref(),
        "privacy_request.submitted",
        serde_json::json!({ "request": stored.id, "kind": stored.kind.id(), "verified_by": stored.verified_by }),
        ip,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The first email of a request and its idempotency key: the receipt when the login
/// verified it, otherwise the confirmation link.
fn first_message(
    state: &AppState,
    stored: &PrivacyRequest,
    secret: &str,
    by_login: bool,
) -> (Message, String) {
    if by_login {
        (
            received_message(state, stored, secret),
            format!("privacy-request-received/{}", stored.id),
        )
    } else {
        (
            Message::PrivacyRequestVerify {
                kind: stored.kind.id().to_owned(),
                link: format!(
                    "{}{}/privacy/requests/verify?token={secret}",
                    state.config.public_url,
                    prefix(&stored.locale)
                ),
            },
            format!("privacy-request-verify/{}", stored.id),
        )
    }
}

fn received_message(state: &AppState, request: &PrivacyRequest, token: &str) -> Message {
    Message::PrivacyRequestReceived {
        kind: request.kind.id().to_owned(),
        due: due_date(request.due_at.unwrap_or(request.created_at)),
        link: status_link(state, request, token),
    }
}

async fn by_verify_token(state: &AppState, token: &str) -> Result<PrivacyRequest, RequestError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(RequestError::LinkInvalid);
    }
    let row: Option<RequestRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM privacy_requests WHERE verify_token_hash = $1"
    ))
    .bind(keyed_hash(state, VERIFY_PURPOSE, token))
    .fetch_optional(state.db.pool())
    .await?;
    row.map(PrivacyRequest::try_from)
        .transpose()?
        .ok_or(RequestError::LinkInvalid)
}

fn link_expired(request: &PrivacyRequest, now_ms: i64) -> bool {
    now_ms > request.created_at + ms(VERIFY_LINK_LIFETIME)
}

/// The request a confirmation link is for, to show before the person confirms it (mail
/// scanners open links; only the button confirms).
pub async fn pending(
    state: &AppState,
    token: &str,
    now_ms: i64,
) -> Result<PendingRequest, RequestError> {
    let request = by_verify_token(state, token).await?;
    let verified = request.status != RequestStatus::Unverified;
    if !verified && link_expired(&request, now_ms) {
        return Err(RequestError::LinkExpired);
    }
    Ok(PendingRequest {
        id: request.id,
        kind: request.kind,
        created_at: request.created_at,
        verified,
    })
}

/// Confirms a request through the link mailed to its address: from `now_ms` its answer is
/// due within [`REQUEST_DEADLINE`], and it is linked to the account with that address, if
/// any (so an account's deletion finds it). Following the link again changes nothing and
/// leads to the status again.
pub async fn verify(state: &AppState, token: &str, now_ms: i64) -> Result<Verified, RequestError> {
    let request = by_verify_token(state, token).await?;
    let token = token.trim().to_owned();
    if request.status != RequestStatus::Unverified {
        return Ok(Verified {
            id: request.id,
            status_token: token,
        });
    }
    if link_expired(&request, now_ms) {
        return Err(RequestError::LinkExpired);
    }
    let account = accounts::find_user_by_email(&state.db, &request.email).await?;
    let user_id = account.map(|user| user.id);
    let due_at = now_ms + ms(REQUEST_DEADLINE);
    let mut tx = state.db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE privacy_requests SET status = 'open', verified_by = 'email', verified_at = $1, \
         due_at = $2, user_id = $3 WHERE id = $4 AND status = 'unverified'",
    )
    .bind(now_ms)
    .bind(due_at)
    .bind(user_id.clone())
    .bind(request.id.clone())
    .execute(tx.conn())
    .await?
    .rows_affected();
    if updated == 0 {
        // Confirmed a moment ago by another click on the same link.
        return Ok(Verified {
            id: request.id,
            status_token: token,
        });
    }
    audit::record(
        tx.conn(),
        user_id.as_deref(),
        user_id.as_deref(),
        "privacy_request.verified",
        serde_json::json!({ "request": request.id, "kind": request.kind.id(), "verified_by": "email" }),
        None,
    )
    .await?;
    tx.commit().await?;
    let verified = PrivacyRequest {
        status: RequestStatus::Open,
        verified_at: Some(now_ms),
        due_at: Some(due_at),
        user_id,
        ..request
    };
    let sent = state
        .mailer
        .send_message(
            &verified.email,
            &received_message(state, &verified, &token),
            &verified.locale,
            &format!("privacy-request-received/{}", verified.id),
        )
        .await;
    if let Err(e) = sent {
        // Without the email the person has no lasting way back to the request: it waits
        // for the link again, whose clock has not started.
        sqlx::query(
            "UPDATE privacy_requests SET status = 'unverified', verified_by = NULL, \
             verified_at = NULL, due_at = NULL, user_id = NULL \
             WHERE id = $1 AND status = 'open' AND verified_at = $2",
        )
        .bind(verified.id.clone())
        .bind(now_ms)
        .execute(state.db.pool())
        .await?;
        return Err(e.into());
    }
    Ok(Verified {
        id: verified.id,
        status_token: token,
    })
}

/// A request as its sender sees it: for the holder of its status link (`token`), or for
/// the signed-in account it belongs to (`user_id`). Anyone else gets [`RequestError::NotFound`],
/// the same answer as for a request that does not exist.
pub async fn status(
    state: &AppState,
    id: &str,
    token: Option<&str>,
    user_id: Option<&str>,
) -> Result<RequestView, RequestError> {
    let Some(request) = load(&state.db, id).await? else {
        return Err(RequestError::NotFound);
    };
    let by_token = match token.map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => {
            let stored: Option<String> =
                sqlx::query_scalar("SELECT status_token_hash FROM privacy_requests WHERE id = $1")
                    .bind(id.to_owned())
                    .fetch_optional(state.db.pool())
                    .await?;
            let presented = keyed_hash(state, STATUS_PURPOSE, token);
            stored.is_some_and(|stored| {
                use subtle::ConstantTimeEq;
                bool::from(stored.as_bytes().ct_eq(presented.as_bytes()))
            })
        }
        None => false,
    };
    let by_owner = user_id.is_some() && request.user_id.as_deref() == user_id;
    if by_token || by_owner {
        Ok(request.view())
    } else {
        Err(RequestError::NotFound)
    }
}

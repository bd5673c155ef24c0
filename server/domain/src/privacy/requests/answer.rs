//! The operators' answer to a rights request: the one extension, completion or refusal, each
//! told to the sender by email (and undone when that email cannot be sent).

use super::{PrivacyRequest, RequestError, RequestStatus, due_date, load, ms, note};
use crate::{AppState, audit, email::Message, privacy::REQUEST_EXTENSION};

/// Gives an open request its one extension of [`REQUEST_EXTENSION`], before its deadline,
/// and tells the sender the new due date and why. A second extension is refused.
pub async fn extend(
    state: &AppState,
    id: &str,
    reason: &str,
    actor_id: &str,
    now_ms: i64,
) -> Result<PrivacyRequest, RequestError> {
    let reason = note(reason)?;
    let request = load(&state.db, id).await?.ok_or(RequestError::NotFound)?;
    match request.status {
        RequestStatus::Open => {}
        RequestStatus::Extended => return Err(RequestError::AlreadyExtended),
        _ => return Err(RequestError::NotOpen),
    }
    let due_at = request.due_at.unwrap_or(request.created_at);
    if now_ms > due_at {
        return Err(RequestError::PastDue);
    }
    let new_due = due_at + ms(REQUEST_EXTENSION);
    record_extension(state, &request, &reason, due_at, new_due, actor_id, now_ms).await?;
    let extended = PrivacyRequest {
        status: RequestStatus::Extended,
        extended_at: Some(now_ms),
        extension_reason: Some(reason.clone()),
        due_at: Some(new_due),
        ..request
    };
    let sent = state
        .mailer
        .send_message(
            &extended.email,
            &Message::PrivacyRequestExtended {
                kind: extended.kind.id().to_owned(),
                due: due_date(new_due),
                reason,
            },
            &extended.locale,
            &format!("privacy-request-extended/{id}"),
        )
        .await;
    if let Err(e) = sent {
        // An extension nobody was told of does not count: undone, to be tried again.
        undo(
            state,
            sqlx::query(
                "UPDATE privacy_requests SET status = 'open', extended_at = NULL, \
                 extension_reason = NULL, due_at = $1 \
                 WHERE id = $2 AND status = 'extended' AND extended_at = $3",
            )
            .bind(due_at)
            .bind(id.to_owned())
            .bind(now_ms),
            &extended,
            "privacy_request.extension_undone",
            actor_id,
        )
        .await?;
        return Err(e.into());
    }
    Ok(extended)
}

/// Moves the due date of `request` from `due_at` to `new_due` and records why and who, in
/// one transaction; refused when the request changed meanwhile.
async fn record_extension(
    state: &AppState,
    request: &PrivacyRequest,
    reason: &str,
    due_at: i64,
    new_due: i64,
    actor_id: &str,
    now_ms: i64,
) -> Result<(), RequestError> {
    let mut tx = state.db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE privacy_requests SET status = 'extended', extended_at = $1, \
         extension_reason = $2, due_at = $3 WHERE id = $4 AND status = 'open' AND due_at = $5",
    )
    .bind(now_ms)
    .bind(reason.to_owned())
    .bind(new_due)
    .bind(request.id.clone())
    .bind(due_at)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if updated == 0 {
        // Changed meanwhile: report what it is now.
        drop(tx);
        let now = load(&state.db, &request.id)
            .await?
            .ok_or(RequestError::NotFound)?;
        return Err(match now.status {
            RequestStatus::Extended => RequestError::AlreadyExtended,
            _ => RequestError::NotOpen,
        });
    }
    audit::record(
        tx.conn(),
        Some(actor_id),
        request.user_id.as_deref(),
        "privacy_request.extended",
        serde_json::json!({ "request": request.id, "kind": request.kind.id(), "due_at": new_due }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Puts a request back as it was when the email announcing a change could not be sent
/// (`restore` does it), and records that in the audit log next to the change.
async fn undo<'q>(
    state: &AppState,
    restore: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    request: &PrivacyRequest,
    action: &str,
    actor_id: &str,
) -> Result<(), RequestError> {
    let mut tx = state.db.begin_write().await?;
    restore.execute(tx.conn()).await?;
    audit::record(
        tx.conn(),
        Some(actor_id),
        request.user_id.as_deref(),
        action,
        serde_json::json!({ "request": request.id, "cause": "email not sent" }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Completed,
    Refused,
}

/// Marks a verified request done, with what was done, and tells the sender.
pub async fn complete(
    state: &AppState,
    id: &str,
    resolution: &str,
    actor_id: &str,
    now_ms: i64,
) -> Result<PrivacyRequest, RequestError> {
    close(state, id, resolution, actor_id, now_ms, Outcome::Completed).await
}

/// Refuses a verified request, with the reason, and tells the sender (with their right to
/// complain to a supervisory authority).
pub async fn refuse(
    state: &AppState,
    id: &str,
    reason: &str,
    actor_id: &str,
    now_ms: i64,
) -> Result<PrivacyRequest, RequestError> {
    close(state, id, reason, actor_id, now_ms, Outcome::Refused).await
}

async fn close(
    state: &AppState,
    id: &str,
    resolution: &str,
    actor_id: &str,
    now_ms: i64,
    outcome: Outcome,
) -> Result<PrivacyRequest, RequestError> {
    let resolution = note(resolution)?;
    let request = load(&state.db, id).await?.ok_or(RequestError::NotFound)?;
    if !request.status.is_pending() {
        return Err(RequestError::NotOpen);
    }
    let (status, action) = match outcome {
        Outcome::Completed => (RequestStatus::Completed, "privacy_request.completed"),
        Outcome::Refused => (RequestStatus::Refused, "privacy_request.refused"),
    };
    record_close(
        state,
        &request,
        &resolution,
        status,
        action,
        actor_id,
        now_ms,
    )
    .await?;
    let previous = request.status;
    let closed = PrivacyRequest {
        status,
        resolution: Some(resolution.clone()),
        closed_at: Some(now_ms),
        ..request
    };
    let sent = state
        .mailer
        .send_message(
            &closed.email,
            &Message::PrivacyRequestClosed {
                kind: closed.kind.id().to_owned(),
                outcome: status.id().to_owned(),
                resolution,
            },
            &closed.locale,
            &format!("privacy-request-closed/{id}"),
        )
        .await;
    if let Err(e) = sent {
        // The answer is the email: without it the request stays open, to be answered again.
        undo(
            state,
            sqlx::query(
                "UPDATE privacy_requests SET status = $1, resolution = NULL, closed_at = NULL \
                 WHERE id = $2 AND status = $3 AND closed_at = $4",
            )
            .bind(previous.id())
            .bind(id.to_owned())
            .bind(status.id())
            .bind(now_ms),
            &closed,
            "privacy_request.close_undone",
            actor_id,
        )
        .await?;
        return Err(e.into());
    }
    Ok(closed)
}

/// Closes `request` as `status` with its resolution, and records `action` in the audit log,
/// in one transaction; refused when it is no longer pending.
async fn record_close(
    state: &AppState,
    request: &PrivacyRequest,
    resolution: &str,
    status: RequestStatus,
    action: &str,
    actor_id: &str,
    now_ms: i64,
) -> Result<(), RequestError> {
    let mut tx = state.db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE privacy_requests SET status = $1, resolution = $2, closed_at = $3 \
         WHERE id = $4 AND status = $5",
    )
    .bind(status.id())
    .bind(resolution.to_owned())
    .bind(now_ms)
    .bind(request.id.clone())
    .bind(request.status.id())
    .execute(tx.conn())
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(RequestError::NotOpen);
    }
    audit::record(
        tx.conn(),
        Some(actor_id),
        request.user_id.as_deref(),
        action,
        serde_json::json!({ "request": request.id, "kind": request.kind.id() }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

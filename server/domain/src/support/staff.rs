//! Support's side of a ticket: an answer, stored in the person's thread and emailed to
//! them (undone when the email cannot be sent), and closing a ticket.

use super::{
    Author, SupportError, ThreadMessage, Ticket, TicketStatus, get, message_text, prefix,
    thread::insert_message, thread_token,
};
use crate::{AppState, audit, email::Message};

/// Where the person reads their thread: their settings when the ticket belongs to an
/// account, otherwise the signed link (visitors have no account to sign in to).
fn thread_link(state: &AppState, ticket: &Ticket) -> String {
    let base = format!("{}{}", state.config.public_url, prefix(&ticket.locale));
    match ticket.user_id {
        Some(_) => format!("{base}/settings/support/{}", ticket.id),
        None => format!(
            "{base}/support/tickets/{}?token={}",
            ticket.id,
            thread_token(state, &ticket.id)
        ),
    }
}

/// A confirmed ticket support may act on; an unconfirmed one does not exist for support.
async fn confirmed(state: &AppState, id: &str) -> Result<Ticket, SupportError> {
    match get(&state.db, id).await? {
        Some(ticket) if ticket.status != TicketStatus::Unconfirmed => Ok(ticket),
        _ => Err(SupportError::NotFound),
    }
}

/// Answers a ticket as support agent `staff_id`: the answer joins the person's thread, the
/// ticket waits for the person, and they get it by email with a link to the thread. When
/// the email cannot be sent the answer is taken back, to be sent again.
pub async fn answer(
    state: &AppState,
    id: &str,
    staff_id: &str,
    message: &str,
    now_ms: i64,
) -> Result<ThreadMessage, SupportError> {
    let ticket = confirmed(state, id).await?;
    if ticket.status == TicketStatus::Closed {
        return Err(SupportError::Closed);
    }
    let body = message_text(message)?;
    let mut tx = state.db.begin_write().await?;
    let message_id = insert_message(
        tx.conn(),
        &ticket.id,
        Author::Staff,
        Some(staff_id),
        &body,
        None,
        now_ms,
    )
    .await?;
    sqlx::query("UPDATE support_tickets SET status = 'answered', updated_at = $1 WHERE id = $2")
        .bind(now_ms)
        .bind(ticket.id.clone())
        .execute(tx.conn())
        .await?;
    audit::record(
        tx.conn(),
        Some(staff_id),
        ticket.user_id.as_deref(),
        "support_ticket.answered",
        serde_json::json!({ "ticket": ticket.id, "message": message_id }),
        None,
    )
    .await?;
    tx.commit().await?;

    let sent = state
        .mailer
        .send_message(
            &ticket.email,
            &Message::SupportReply {
                topic: ticket.topic.id().to_owned(),
                body: body.clone(),
                link: thread_link(state, &ticket),
            },
            &ticket.locale,
            &format!("support-reply/{message_id}"),
        )
        .await;
    if let Err(e) = sent {
        let mut tx = state.db.begin_write().await?;
        sqlx::query("DELETE FROM support_messages WHERE id = $1")
            .bind(message_id.clone())
            .execute(tx.conn())
            .await?;
        sqlx::query("UPDATE support_tickets SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(ticket.status.id())
            .bind(ticket.updated_at)
            .bind(ticket.id.clone())
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        return Err(e.into());
    }
    Ok(ThreadMessage {
        id: message_id,
        author: Author::Staff,
        body,
        created_at: now_ms,
        attachments: Vec::new(),
    })
}

/// Closes a ticket (solved, or nothing more to do); closing a closed ticket changes
/// nothing. The thread stays readable; a closed ticket takes no more replies.
pub async fn close(
    state: &AppState,
    id: &str,
    actor_id: &str,
    now_ms: i64,
) -> Result<Ticket, SupportError> {
    let ticket = confirmed(state, id).await?;
    if ticket.status == TicketStatus::Closed {
        return Ok(ticket);
    }
    let mut tx = state.db.begin_write().await?;
    sqlx::query(
        "UPDATE support_tickets SET status = 'closed', closed_at = $1, updated_at = $1 \
         WHERE id = $2",
    )
    .bind(now_ms)
    .bind(ticket.id.clone())
    .execute(tx.conn())
    .await?;
    audit::record(
        tx.conn(),
        Some(actor_id),
        ticket.user_id.as_deref(),
        "support_ticket.closed",
        serde_json::json!({ "ticket": ticket.id }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Ticket {
        status: TicketStatus::Closed,
        closed_at: Some(now_ms),
        updated_at: now_ms,
        ..ticket
    })
}

//! Opening a ticket: checking what the form sent, storing the ticket with its first message
//! and screenshot, and, for a visitor, the confirmation by the link mailed to the address.

use super::{
    CONFIRM_LINK_LIFETIME, Confirmed, NewTicket, OPEN_IP, OPEN_SENDER, Opened, PendingTicket,
    SupportError, Ticket, TicketStatus, Topic, get, locale_of, message_text, ms, prefix,
    thread::{NewAttachment, clean_screenshot, discard_file, insert_message, put_screenshot},
    thread_token,
};
use crate::{
    AppState,
    accounts::{self, EmailAddress, User},
    audit,
    email::Message,
    privacy::keyed_hash,
    ratelimit,
};

const CONFIRM_PURPOSE: &str = "support-ticket-confirm";

/// Opens a ticket. A signed-in person's opens at once, under their account and address;
/// a visitor's waits for the link mailed to the address they gave. Everything is checked
/// before anything is stored, and a ticket whose confirmation email cannot be sent is
/// taken back: nothing is left half-stored.
pub async fn open(state: &AppState, new: NewTicket, now_ms: i64) -> Result<Opened, SupportError> {
    let topic = Topic::parse(&new.topic).ok_or(SupportError::UnknownTopic)?;
    let body = message_text(&new.message)?;
    let account = match &new.signed_in_user {
        Some(user_id) => Some(
            accounts::find_user(&state.db, user_id)
                .await?
                .ok_or(SupportError::NotFound)?,
        ),
        None => None,
    };
    let email = match &account {
        Some(user) => user.email.clone(),
        None => EmailAddress::parse(&new.email)
            .map_err(|_| SupportError::Email)?
            .as_ref()
            .to_owned(),
    };
    limit(state, new.ip.as_deref(), account.as_ref(), &email, now_ms).await?;
    let screenshot = match new.screenshot.filter(|bytes| !bytes.is_empty()) {
        Some(bytes) => Some(clean_screenshot(bytes).await?),
        None => None,
    };

    let ticket = Ticket {
        id: crate::new_id(),
        user_id: account.as_ref().map(|user| user.id.clone()),
        email,
        topic,
        status: if account.is_some() {
            TicketStatus::Open
        } else {
            TicketStatus::Unconfirmed
        },
        locale: locale_of(&new.locale).to_owned(),
        created_at: now_ms,
        confirmed_at: account.as_ref().map(|_| now_ms),
        updated_at: now_ms,
        closed_at: None,
    };
    let secret = account.is_none().then(|| crate::secrets::random_hex(32));
    let attachment = put_screenshot(state, &ticket.id, screenshot).await?;
    let stored = store(
        state,
        &ticket,
        &body,
        secret.as_deref(),
        attachment.as_ref(),
        new.ip.as_deref(),
    )
    .await;
    if let Err(e) = stored {
        discard_file(state, attachment.as_ref()).await;
        return Err(e);
    }
    if let Some(secret) = &secret
        && let Err(e) = send_confirmation(state, &ticket, secret).await
    {
        // A ticket its sender can never confirm is no ticket: taken back, to be sent again.
        forget(state, &ticket.id).await?;
        discard_file(state, attachment.as_ref()).await;
        return Err(e);
    }
    Ok(Opened {
        id: ticket.id,
        status: ticket.status,
    })
}

/// Counts the ticket against the limits per IP address and per sender (the account, or
/// the address a visitor typed).
async fn limit(
    state: &AppState,
    ip: Option<&str>,
    account: Option<&User>,
    email: &str,
    now_ms: i64,
) -> Result<(), SupportError> {
    if let Some(ip) = ip {
        ratelimit::hit(
            &state.db,
            &format!("support-ticket:ip:{ip}"),
            OPEN_IP,
            now_ms,
        )
        .await?;
    }
    let sender = match account {
        Some(user) => format!("support-ticket:user:{}", user.id),
        None => ratelimit::account_key("support-ticket", email),
    };
    ratelimit::hit(&state.db, &sender, OPEN_SENDER, now_ms).await?;
    Ok(())
}

/// Writes the ticket, its first message and screenshot, and the audit entry, in one
/// transaction. Only a keyed hash of a visitor's `secret` is stored.
async fn store(
    state: &AppState,
    ticket: &Ticket,
    body: &str,
    secret: Option<&str>,
    attachment: Option<&NewAttachment>,
    ip: Option<&str>,
) -> Result<(), SupportError> {
    let mut tx = state.db.begin_write().await?;
    sqlx::query(
        "INSERT INTO support_tickets (id, user_id, email, topic, status, locale, \
         confirm_token_hash, created_at, confirmed_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(ticket.id.clone())
    .bind(ticket.user_id.clone())
    .bind(ticket.email.clone())
    .bind(ticket.topic.id())
    .bind(ticket.status.id())
    .bind(ticket.locale.clone())
    .bind(secret.map(|s| keyed_hash(state, CONFIRM_PURPOSE, s)))
    .bind(ticket.created_at)
    .bind(ticket.confirmed_at)
    .bind(ticket.updated_at)
    .execute(tx.conn())
    .await?;
    insert_message(
        tx.conn(),
        &ticket.id,
        super::Author::Person,
        None,
        body,
        attachment,
        ticket.created_at,
    )
    .await?;
    audit::record(
        tx.conn(),
        ticket.user_id.as_deref(),
        ticket.user_id.as_deref(),
        "support_ticket.opened",
        serde_json::json!({
            "ticket": ticket.id,
            "topic": ticket.topic.id(),
            "confirmed": ticket.status != TicketStatus::Unconfirmed,
        }),
        ip,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn send_confirmation(
    state: &AppState,
    ticket: &Ticket,
    secret: &str,
) -> Result<(), SupportError> {
    let link = format!(
        "{}{}/support/confirm?token={secret}",
        state.config.public_url,
        prefix(&ticket.locale)
    );
    state
        .mailer
        .send_message(
            &ticket.email,
            &Message::SupportTicketConfirm {
                topic: ticket.topic.id().to_owned(),
                link,
            },
            &ticket.locale,
            &format!("support-ticket-confirm/{}", ticket.id),
        )
        .await?;
    Ok(())
}

/// Removes a ticket and its thread (not its files).
pub(super) async fn forget(state: &AppState, id: &str) -> Result<(), SupportError> {
    let mut tx = state.db.begin_write().await?;
    for table in ["support_attachments", "support_messages"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE ticket_id = $1"))
            .bind(id.to_owned())
            .execute(tx.conn())
            .await?;
    }
    sqlx::query("DELETE FROM support_tickets WHERE id = $1")
        .bind(id.to_owned())
        .execute(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn by_confirm_token(state: &AppState, token: &str) -> Result<Ticket, SupportError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(SupportError::LinkInvalid);
    }
    let id: Option<String> =
        sqlx::query_scalar("SELECT id FROM support_tickets WHERE confirm_token_hash = $1")
            .bind(keyed_hash(state, CONFIRM_PURPOSE, token))
            .fetch_optional(state.db.pool())
            .await?;
    match id {
        Some(id) => get(&state.db, &id).await?.ok_or(SupportError::LinkInvalid),
        None => Err(SupportError::LinkInvalid),
    }
}

fn link_expired(ticket: &Ticket, now_ms: i64) -> bool {
    now_ms > ticket.created_at + ms(CONFIRM_LINK_LIFETIME)
}

/// The ticket a confirmation link is for, to show before the person confirms it (mail
/// scanners open links; only the page's button confirms).
pub async fn pending(
    state: &AppState,
    token: &str,
    now_ms: i64,
) -> Result<PendingTicket, SupportError> {
    let ticket = by_confirm_token(state, token).await?;
    let confirmed = ticket.status != TicketStatus::Unconfirmed;
    if !confirmed && link_expired(&ticket, now_ms) {
        return Err(SupportError::LinkExpired);
    }
    Ok(PendingTicket {
        id: ticket.id,
        topic: ticket.topic,
        created_at: ticket.created_at,
        confirmed,
    })
}

/// Confirms a visitor's ticket through its emailed link: support sees it from now on, and
/// it joins the account with that address, if any (so the account's export and deletion
/// find it). Following the link again changes nothing.
pub async fn confirm(
    state: &AppState,
    token: &str,
    now_ms: i64,
) -> Result<Confirmed, SupportError> {
    let ticket = by_confirm_token(state, token).await?;
    let confirmed = Confirmed {
        thread_token: thread_token(state, &ticket.id),
        id: ticket.id.clone(),
    };
    if ticket.status != TicketStatus::Unconfirmed {
        return Ok(confirmed);
    }
    if link_expired(&ticket, now_ms) {
        return Err(SupportError::LinkExpired);
    }
    let user_id = accounts::find_user_by_email(&state.db, &ticket.email)
        .await?
        .map(|user| user.id);
    let mut tx = state.db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE support_tickets SET status = 'open', confirmed_at = $1, updated_at = $1, \
         user_id = $2 WHERE id = $3 AND status = 'unconfirmed'",
    )
    .bind(now_ms)
    .bind(user_id.clone())
    .bind(ticket.id.clone())
    .execute(tx.conn())
    .await?
    .rows_affected();
    if updated == 1 {
        audit::record(
            tx.conn(),
            user_id.as_deref(),
            user_id.as_deref(),
            "support_ticket.confirmed",
            serde_json::json!({ "ticket": ticket.id }),
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(confirmed)
}

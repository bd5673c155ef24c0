//! A ticket's thread as its person sees it: their list of tickets, one thread (for its
//! signed-in owner or the holder of its signed link), and their replies; and what storing
//! a message with its screenshot takes.

use super::{
    Attachment, Author, COLUMNS, REPLY_TICKET, Reader, SCREENSHOT_LIMITS, SupportError, Thread,
    ThreadMessage, Ticket, TicketRow, TicketStatus, get, message_text,
};
use crate::{
    AppState,
    db::Db,
    images::{self, CleanImage, ImageError},
    privacy::keyed_hash,
    ratelimit,
    storage::StorageKey,
};
use sqlx::AnyConnection;

const THREAD_PURPOSE: &str = "support-thread";

/// The token of a ticket's thread link: a keyed signature of its id, so every answer
/// email can carry the link without a secret being stored.
pub fn thread_token(state: &AppState, id: &str) -> String {
    keyed_hash(state, THREAD_PURPOSE, id)
}

/// Whether `reader` may see `ticket`: its account, or a link signed for it.
fn may_read(state: &AppState, ticket: &Ticket, reader: Reader<'_>) -> bool {
    match reader {
        Reader::Account(user_id) => ticket.user_id.as_deref() == Some(user_id),
        Reader::Link(token) => {
            use subtle::ConstantTimeEq;
            let expected = thread_token(state, &ticket.id);
            bool::from(expected.as_bytes().ct_eq(token.trim().as_bytes()))
        }
    }
}

/// A confirmed ticket `reader` may see; anything else is [`SupportError::NotFound`].
async fn readable(state: &AppState, id: &str, reader: Reader<'_>) -> Result<Ticket, SupportError> {
    match get(&state.db, id.trim()).await? {
        Some(ticket)
            if ticket.status != TicketStatus::Unconfirmed && may_read(state, &ticket, reader) =>
        {
            Ok(ticket)
        }
        _ => Err(SupportError::NotFound),
    }
}

/// One line of a person's list of tickets.
#[derive(Clone, Debug)]
pub struct TicketSummary {
    pub ticket: Ticket,
    /// The start of the first message.
    pub preview: String,
}

/// How much of the first message a list shows, in characters.
const PREVIEW_CHARS: usize = 140;

/// The confirmed tickets of an account, the most recently active first.
pub async fn list_for_user(db: &Db, user_id: &str) -> Result<Vec<TicketSummary>, SupportError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        ticket: TicketRow,
        first: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS}, (SELECT m.body FROM support_messages m WHERE m.ticket_id = t.id \
         ORDER BY m.created_at, m.id LIMIT 1) AS first \
         FROM support_tickets t WHERE t.user_id = $1 AND t.status <> 'unconfirmed' \
         ORDER BY t.updated_at DESC, t.id DESC"
    ))
    .bind(user_id.to_owned())
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|row| {
            let first = row.first.unwrap_or_default();
            let mut preview: String = first.chars().take(PREVIEW_CHARS).collect();
            if first.chars().count() > PREVIEW_CHARS {
                preview.push('…');
            }
            Ok(TicketSummary {
                ticket: Ticket::try_from(row.ticket)?,
                preview,
            })
        })
        .collect()
}

/// A ticket and its messages, for its owner or the holder of its link; for anyone else,
/// and for a ticket not yet confirmed, [`SupportError::NotFound`].
pub async fn thread(
    state: &AppState,
    id: &str,
    reader: Reader<'_>,
) -> Result<Thread, SupportError> {
    let ticket = readable(state, id, reader).await?;
    let messages = messages_of(&state.db, &ticket.id).await?;
    Ok(Thread { ticket, messages })
}

/// A ticket's messages with their screenshots, oldest first.
pub(super) async fn messages_of(
    db: &Db,
    ticket_id: &str,
) -> Result<Vec<ThreadMessage>, SupportError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT id, author, body, created_at FROM support_messages WHERE ticket_id = $1 \
         ORDER BY created_at, id",
    )
    .bind(ticket_id.to_owned())
    .fetch_all(db.pool())
    .await?;
    let files: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT message_id, id, storage_key, content_type, width, height \
         FROM support_attachments WHERE ticket_id = $1 ORDER BY created_at, id",
    )
    .bind(ticket_id.to_owned())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, author, body, created_at)| ThreadMessage {
            attachments: files
                .iter()
                .filter(|file| file.0 == id)
                .map(|file| Attachment {
                    id: file.1.clone(),
                    storage_key: file.2.clone(),
                    content_type: file.3.clone(),
                    width: file.4,
                    height: file.5,
                })
                .collect(),
            author: if author == "staff" {
                Author::Staff
            } else {
                Author::Person
            },
            id,
            body,
            created_at,
        })
        .collect())
}

/// The person's reply in their thread, with an optional screenshot: the ticket waits for
/// support again. A closed ticket takes no reply (the person opens a new one).
pub async fn reply(
    state: &AppState,
    id: &str,
    reader: Reader<'_>,
    message: &str,
    screenshot: Option<Vec<u8>>,
    now_ms: i64,
) -> Result<String, SupportError> {
    let ticket = readable(state, id, reader).await?;
    if ticket.status == TicketStatus::Closed {
        return Err(SupportError::Closed);
    }
    let body = message_text(message)?;
    ratelimit::hit(
        &state.db,
        &format!("support-reply:ticket:{}", ticket.id),
        REPLY_TICKET,
        now_ms,
    )
    .await?;
    let screenshot = match screenshot.filter(|bytes| !bytes.is_empty()) {
        Some(bytes) => Some(clean_screenshot(bytes).await?),
        None => None,
    };
    let attachment = put_screenshot(state, &ticket.id, screenshot).await?;
    let stored: Result<String, SupportError> = async {
        let mut tx = state.db.begin_write().await?;
        let message_id = insert_message(
            tx.conn(),
            &ticket.id,
            Author::Person,
            None,
            &body,
            attachment.as_ref(),
            now_ms,
        )
        .await?;
        sqlx::query(
            "UPDATE support_tickets SET status = 'open', updated_at = $1 \
             WHERE id = $2 AND status <> 'closed'",
        )
        .bind(now_ms)
        .bind(ticket.id.clone())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(message_id)
    }
    .await;
    if stored.is_err() {
        discard_file(state, attachment.as_ref()).await;
    }
    stored
}

/// A screenshot checked like every upload (PNG, JPEG or WebP within
/// [`SCREENSHOT_LIMITS`], judged by its content) and re-encoded in its own format without
/// metadata, on the blocking pool.
pub(super) async fn clean_screenshot(bytes: Vec<u8>) -> Result<CleanImage, SupportError> {
    let work = move || {
        let info = images::inspect(&bytes, &SCREENSHOT_LIMITS)?;
        images::sanitize(&bytes, &SCREENSHOT_LIMITS, info.format)
    };
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(SupportError::Screenshot),
        Err(error) => {
            tracing::error!(%error, "screenshot processing panicked");
            Err(SupportError::Screenshot(ImageError::Corrupt))
        }
    }
}

/// A stored screenshot, before its row is written.
pub(super) struct NewAttachment {
    id: String,
    key: StorageKey,
    content_type: &'static str,
    width: u32,
    height: u32,
}

/// Stores a cleaned screenshot under the ticket's folder.
pub(super) async fn put_screenshot(
    state: &AppState,
    ticket_id: &str,
    image: Option<CleanImage>,
) -> Result<Option<NewAttachment>, SupportError> {
    let Some(image) = image else {
        return Ok(None);
    };
    let id = crate::new_id();
    let key = StorageKey::parse(format!(
        "support/{ticket_id}/{id}.{}",
        image.kind.extension()
    ))?;
    let content_type = image.kind.content_type();
    state.storage.put(&key, image.bytes, content_type).await?;
    Ok(Some(NewAttachment {
        id,
        key,
        content_type,
        width: image.width,
        height: image.height,
    }))
}

/// Removes a screenshot whose rows were never written (or were taken back).
pub(super) async fn discard_file(state: &AppState, attachment: Option<&NewAttachment>) {
    if let Some(attachment) = attachment
        && let Err(error) = state.storage.delete(&attachment.key).await
    {
        tracing::warn!(%error, "could not remove an unused support screenshot");
    }
}

/// Adds a message (and its screenshot's row) to a thread; returns the message's id.
pub(super) async fn insert_message(
    conn: &mut AnyConnection,
    ticket_id: &str,
    author: Author,
    staff_id: Option<&str>,
    body: &str,
    attachment: Option<&NewAttachment>,
    now_ms: i64,
) -> Result<String, sqlx::Error> {
    let id = crate::new_id();
    sqlx::query(
        "INSERT INTO support_messages (id, ticket_id, author, staff_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.clone())
    .bind(ticket_id.to_owned())
    .bind(author.id())
    .bind(staff_id.map(str::to_owned))
    .bind(body.to_owned())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    if let Some(file) = attachment {
        sqlx::query(
            "INSERT INTO support_attachments (id, ticket_id, message_id, storage_key, \
             content_type, width, height, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(file.id.clone())
        .bind(ticket_id.to_owned())
        .bind(id.clone())
        .bind(file.key.as_str().to_owned())
        .bind(file.content_type)
        .bind(i64::from(file.width))
        .bind(i64::from(file.height))
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

-- Support tickets: what a person (signed in, or a visitor who confirmed their address by
-- an emailed link) asked us, and the conversation that follows.

-- One ticket. `user_id` is the account it belongs to: the signed-in sender's, or the
-- account with the visitor's address once confirmed. A visitor's ticket stays
-- `unconfirmed` (invisible to support) until the link is followed, and is forgotten when
-- the link expires. Only a keyed hash of the link's token is stored.
CREATE TABLE support_tickets (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT,
    email TEXT NOT NULL,
    -- account | billing | generation | privacy | other
    topic TEXT NOT NULL,
    -- unconfirmed | open | answered | closed
    status TEXT NOT NULL,
    locale TEXT NOT NULL,
    confirm_token_hash TEXT,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX support_tickets_user ON support_tickets (user_id, updated_at);
CREATE INDEX support_tickets_status ON support_tickets (status, created_at);
CREATE UNIQUE INDEX support_tickets_confirm ON support_tickets (confirm_token_hash);

-- The thread: the person's first message and replies, and support's answers.
CREATE TABLE support_messages (
    id TEXT PRIMARY KEY NOT NULL,
    ticket_id TEXT NOT NULL,
    -- person | staff
    author TEXT NOT NULL,
    -- The support agent who wrote an answer.
    staff_id TEXT,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX support_messages_ticket ON support_messages (ticket_id, created_at);

-- A screenshot sent with a message, checked and re-encoded like every upload; the file
-- lives in storage under `storage_key`.
CREATE TABLE support_attachments (
    id TEXT PRIMARY KEY NOT NULL,
    ticket_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX support_attachments_ticket ON support_attachments (ticket_id);

-- The development outbox: transactional email stored instead of sent (email_transport =
-- outbox) and read at /dev/mail. One row per idempotency key, so a retried send never
-- shows up twice.
CREATE TABLE email_outbox (
    id TEXT PRIMARY KEY NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    html TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    locale TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Newest first, for the /dev/mail list.
CREATE INDEX email_outbox_created_at ON email_outbox (created_at);

-- Accounts: people, how they sign in, their sessions, one-time links, rate-limit counters
-- and the audit log. Times are unix milliseconds; ids are UUIDv7 text.

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    -- Normalised (trimmed, lower-case); unique.
    email TEXT NOT NULL,
    email_verified_at BIGINT,
    -- argon2id PHC string; NULL for people who only sign in with Google or GitHub.
    password_hash TEXT,
    display_name TEXT NOT NULL,
    avatar_key TEXT,
    locale TEXT NOT NULL DEFAULT 'en',
    -- light | dark; NULL follows the system.
    theme TEXT,
    company_name TEXT,
    region TEXT,
    phone TEXT,
    bio TEXT,
    -- user | support | admin
    role TEXT NOT NULL DEFAULT 'user',
    terms_version TEXT NOT NULL,
    terms_accepted_at BIGINT NOT NULL,
    age_confirmed_at BIGINT NOT NULL,
    totp_secret TEXT,
    totp_enabled_at BIGINT,
    totp_last_step BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

-- Hashes of an admin's single-use recovery codes.
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- Google / GitHub identities linked to an account.
CREATE TABLE oauth_identities (
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX oauth_identities_user ON oauth_identities (user_id);

-- Single-use links (verify email, reset password, change email, admin invite). Only a keyed
-- hash of the token is stored.
CREATE TABLE auth_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    email TEXT,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id, purpose, created_at);

-- Sessions (tower-sessions records). `handle` names a session in the device list without
-- revealing its cookie value.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    handle TEXT NOT NULL,
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    user_agent TEXT,
    ip TEXT,
    location TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Fixed-window counters for rate limits.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY NOT NULL,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL
);

-- Who did what to which account, and when. Append-only.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    actor_id TEXT,
    subject_id TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    ip TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject_id, created_at);

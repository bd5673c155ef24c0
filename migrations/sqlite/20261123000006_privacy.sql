-- The privacy centre: consent records, first-party analytics, privacy preferences, data
-- exports, account deletion, rights requests, published policy versions, breach notices and
-- the retention sweeper's aggregates. Times are unix milliseconds; ids are UUIDv7 text.

-- A deleted account: signed out and emptied at once; the profile row is held until
-- `purge_after`, then purged by the retention sweeper (payment records pseudonymized).
ALTER TABLE users ADD COLUMN deleted_at BIGINT;
ALTER TABLE users ADD COLUMN purge_after BIGINT;
-- The last material policy change the person has seen the in-product notice of.
ALTER TABLE users ADD COLUMN policy_notice_seen TEXT;

-- Extra mail headers of an outbox message (JSON object), e.g. List-Unsubscribe.
ALTER TABLE email_outbox ADD COLUMN headers TEXT NOT NULL DEFAULT '{}';

-- Every consent choice, append-only: the latest row of a person or browser is in force.
-- `visitor_id` is the random id in the `consent` cookie of a browser; `user_id` is set when
-- the choice was made signed in. `source`: banner | settings | gpc | withdraw.
CREATE TABLE consent_records (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT,
    visitor_id TEXT,
    functional BIGINT NOT NULL,
    analytics BIGINT NOT NULL,
    marketing BIGINT NOT NULL,
    source TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX consent_records_user ON consent_records (user_id, created_at);
CREATE INDEX consent_records_visitor ON consent_records (visitor_id, created_at);

-- First-party analytics events, written only with analytics consent and without a
-- restriction or objection. After 24 months they are folded into `analytics_daily`.
CREATE TABLE analytics_events (
    id TEXT PRIMARY KEY NOT NULL,
    visitor_id TEXT NOT NULL,
    user_id TEXT,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX analytics_events_created ON analytics_events (created_at);
CREATE INDEX analytics_events_user ON analytics_events (user_id);

-- Anonymous daily counts: what is left of analytics events after 24 months.
CREATE TABLE analytics_daily (
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    events BIGINT NOT NULL,
    PRIMARY KEY (day, name, path)
);

-- A person's standing choices about processing beyond the service itself.
CREATE TABLE privacy_preferences (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Art. 18: analytics, marketing and profiling stop while set.
    restricted_at BIGINT,
    -- Art. 21: objection to processing on legitimate interest (analytics, profiling).
    objected_at BIGINT,
    -- Opted in to marketing email; NULL when never or after unsubscribing.
    marketing_opt_in_at BIGINT,
    marketing_opt_out_at BIGINT,
    updated_at BIGINT NOT NULL
);

-- Downloads of everything we hold on a person, built by a background job.
-- status: queued | running | ready | failed
CREATE TABLE data_exports (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    storage_key TEXT,
    size_bytes BIGINT,
    -- Keyed hash of the token in the emailed link.
    token_hash TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    lease_until BIGINT,
    expires_at BIGINT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX data_exports_user ON data_exports (user_id, created_at);
CREATE INDEX data_exports_status ON data_exports (status, created_at);

-- Rights requests written in (access, correct, delete, restrict, object, port).
-- status: unverified | open | extended | completed | refused
CREATE TABLE privacy_requests (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT,
    email TEXT NOT NULL,
    kind TEXT NOT NULL,
    details TEXT NOT NULL,
    locale TEXT NOT NULL,
    status TEXT NOT NULL,
    -- login | email
    verified_by TEXT,
    verified_at BIGINT,
    verify_token_hash TEXT,
    -- Keyed hash of the token that lets the requester see the status without signing in.
    status_token_hash TEXT NOT NULL,
    due_at BIGINT,
    extended_at BIGINT,
    extension_reason TEXT,
    resolution TEXT,
    closed_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX privacy_requests_user ON privacy_requests (user_id, created_at);
CREATE INDEX privacy_requests_due ON privacy_requests (status, due_at);

-- Every published version of a legal document, as it read: `snapshot` is the rendered
-- document (JSON) in `locale`.
CREATE TABLE policy_versions (
    doc TEXT NOT NULL,
    version TEXT NOT NULL,
    locale TEXT NOT NULL,
    effective_at BIGINT NOT NULL,
    material BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (doc, version, locale)
);

-- Who was told about a material policy change (a service notice), once per version.
CREATE TABLE policy_notices (
    doc TEXT NOT NULL,
    version TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (doc, version, user_id)
);

-- A personal-data breach and the people told about it.
CREATE TABLE breach_incidents (
    id TEXT PRIMARY KEY NOT NULL,
    summary TEXT NOT NULL,
    categories TEXT NOT NULL,
    detected_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE breach_notices (
    incident_id TEXT NOT NULL REFERENCES breach_incidents (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    notified_at BIGINT NOT NULL,
    PRIMARY KEY (incident_id, user_id)
);

-- What each sweeper run did: one row per rule per run (counts only, never personal data).
CREATE TABLE retention_runs (
    id TEXT PRIMARY KEY NOT NULL,
    rule TEXT NOT NULL,
    affected BIGINT NOT NULL,
    dry_run BIGINT NOT NULL,
    ran_at BIGINT NOT NULL
);

-- Files of a deleted account whose rows are already gone but whose removal from storage is
-- not yet confirmed: the deletion removes rows in one transaction, then the files, and
-- whatever could not be removed stays here for the retention sweeper to retry. `prefix` 1:
-- every file under the key (a folder of the person's), not one file.
CREATE TABLE storage_deletions (
    storage_key TEXT PRIMARY KEY NOT NULL,
    prefix BIGINT NOT NULL DEFAULT 0,
    attempts BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

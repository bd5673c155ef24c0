-- Generation: guests trying the workbench, uploaded references and masks, the durable task
-- queue, its results, and what moderation flagged. Times are unix milliseconds.

-- A browser without an account, known by a signed cookie. Trial generations are counted
-- here; `migrated_to` names the account its uploads and history moved to.
CREATE TABLE guests (
    id TEXT PRIMARY KEY NOT NULL,
    trial_allowance BIGINT NOT NULL,
    trial_used BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    migrated_to TEXT,
    migrated_at BIGINT
);

-- Images people upload as references or masks, already checked and re-encoded. Exactly one
-- of user_id and guest_id is set. Guest uploads expire 15 days after upload unless moved.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    guest_id TEXT,
    -- reference | mask
    purpose TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT
);
CREATE INDEX uploads_user ON uploads (user_id, created_at);
CREATE INDEX uploads_guest ON uploads (guest_id, created_at);
CREATE INDEX uploads_expires ON uploads (expires_at);

-- One task makes one image. A submit with quantity N makes N tasks sharing a batch id.
-- status: queued | running | succeeded | failed | cancelled | refused.
-- A running task belongs to `lease_owner` until `lease_until`; after that any worker may
-- take it up again. A finished task keeps the worker that ended it. `remote_id` is the
-- provider's own job id once one was created, so a retry resumes that job instead of
-- paying for a second one.
CREATE TABLE tasks (
    id TEXT PRIMARY KEY NOT NULL,
    batch_id TEXT NOT NULL,
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    guest_id TEXT,
    model_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    -- JSON: the validated request (prompt, negative prompt, style, seed, aspect ratio,
    -- resolution, format, camera, character options, reference and mask upload ids).
    params TEXT NOT NULL,
    prompt TEXT NOT NULL,
    cost BIGINT NOT NULL,
    -- credit_reservations.id for accounts; guests hold `trial` units of their allowance.
    reservation_id TEXT,
    trial BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    run_after BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    remote_id TEXT,
    progress BIGINT,
    -- A stable code the page translates (timeout, provider_error, refused_prompt, …).
    error_code TEXT,
    -- For operators only: never sent to a browser.
    error_detail TEXT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX tasks_queue ON tasks (status, run_after);
CREATE INDEX tasks_user ON tasks (user_id, created_at);
CREATE INDEX tasks_guest ON tasks (guest_id, created_at);
CREATE INDEX tasks_batch ON tasks (batch_id);
CREATE INDEX tasks_remote ON tasks (provider, remote_id);

-- The images a task produced, copied into our storage, each with a WebP thumbnail.
CREATE TABLE task_outputs (
    id TEXT PRIMARY KEY NOT NULL,
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    storage_key TEXT NOT NULL,
    thumb_key TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    bytes BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX task_outputs_task ON task_outputs (task_id);

-- What moderation flagged (a blocked prompt, a provider's refusal, an image check), kept
-- with its flags for the admin review queue.
CREATE TABLE moderation_flags (
    id TEXT PRIMARY KEY NOT NULL,
    -- prompt | upload | output
    subject TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    user_id TEXT,
    guest_id TEXT,
    -- blocklist | provider | image_check
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    excerpt TEXT,
    storage_key TEXT,
    -- open | dismissed | upheld
    status TEXT NOT NULL DEFAULT 'open',
    created_at BIGINT NOT NULL,
    reviewed_at BIGINT,
    reviewed_by TEXT
);
CREATE INDEX moderation_flags_status ON moderation_flags (status, created_at);

-- Credits and billing: lots of credits with expiry, an append-only ledger, reservations held
-- while a task runs, orders, subscriptions, payment webhooks, disputes and referrals.
-- Credits and money are integers (money in minor units with an ISO currency); times are unix
-- milliseconds. Billing rows outlive accounts (payment records are kept for 7 years,
-- pseudonymised), so they reference users by id without a foreign key.

-- One row per person with credits: the lock every ledger operation takes first, and the
-- debt a refund or lost dispute left behind (spending is blocked while it is positive).
CREATE TABLE credit_accounts (
    user_id TEXT PRIMARY KEY NOT NULL,
    debt BIGINT NOT NULL DEFAULT 0 CHECK (debt >= 0),
    -- The sum of the person's ledger entries, kept with each entry.
    ledger_balance BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- A grant of credits: from the signup bonus, a purchase, a subscription period, a referral or
-- an admin. `remaining` goes down as credits are reserved, expire or are clawed back.
CREATE TABLE credit_lots (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    -- signup_bonus | purchase | subscription | referral | admin
    source TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    remaining BIGINT NOT NULL CHECK (remaining >= 0),
    -- NULL: never expires (spent last).
    expires_at BIGINT,
    -- 1 while a payment dispute is open: not spendable.
    frozen BIGINT NOT NULL DEFAULT 0,
    -- refunded | dispute_lost: the payment behind it was returned.
    revoked TEXT,
    order_id TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX credit_lots_spend ON credit_lots (user_id, remaining, expires_at);
CREATE INDEX credit_lots_expiry ON credit_lots (expires_at, remaining);

-- Reservations hold credits while a task runs; captured or released exactly once.
CREATE TABLE credit_reservations (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    -- held | captured | released
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    settled_at BIGINT
);
CREATE INDEX credit_reservations_user ON credit_reservations (user_id, status);

-- The append-only ledger. `delta` is the change to the spendable balance (unfrozen lots'
-- remaining minus debt); `amount` is the size of the operation. One key per cause.
CREATE TABLE ledger_entries (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    -- grant | reserve | capture | release | expire | claw_back | adjust | freeze | unfreeze
    kind TEXT NOT NULL,
    delta BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL,
    lot_id TEXT,
    reservation_id TEXT,
    order_id TEXT,
    -- The lot source for grants, the reason for adjustments and claw-backs.
    memo TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ledger_entries_key ON ledger_entries (idempotency_key);
CREATE INDEX ledger_entries_user ON ledger_entries (user_id, created_at);

-- Which lots an entry took credits from or gave them back to.
CREATE TABLE ledger_allocations (
    entry_id TEXT NOT NULL,
    lot_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (entry_id, lot_id)
);
CREATE INDEX ledger_allocations_lot ON ledger_allocations (lot_id);

-- The signup bonus is given once per person: a keyed hash of each verified address that
-- has had it, kept after the account is gone.
CREATE TABLE signup_bonus_claims (
    email_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Referral codes, and who referred whom (rewarded at the referred person's first payment).
CREATE TABLE referral_codes (
    user_id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL
);
CREATE UNIQUE INDEX referral_codes_code ON referral_codes (code);
CREATE TABLE referrals (
    referred_user_id TEXT PRIMARY KEY NOT NULL,
    referrer_user_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    rewarded_at BIGINT,
    reward_order_id TEXT
);
CREATE INDEX referrals_referrer ON referrals (referrer_user_id);

-- Purchases: a credit package, or one period of a subscription plan.
CREATE TABLE orders (
    id TEXT PRIMARY KEY NOT NULL,
    -- Readable: BN-YYYYMMDD-XXXXXX.
    number TEXT NOT NULL,
    user_id TEXT NOT NULL,
    -- local | stripe | creem
    provider TEXT NOT NULL,
    -- package | subscription
    kind TEXT NOT NULL,
    product_id TEXT NOT NULL,
    credits BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    -- created | paid | failed | cancelled | refunded | disputed
    status TEXT NOT NULL,
    validity_days BIGINT,
    period_start BIGINT,
    period_end BIGINT,
    provider_session_id TEXT,
    -- Stripe: the payment intent or invoice; Creem: the order.
    provider_payment_id TEXT,
    provider_subscription_id TEXT,
    lot_id TEXT,
    -- Money returned so far, in minor units.
    refunded_amount BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    paid_at BIGINT,
    refunded_at BIGINT
);
CREATE UNIQUE INDEX orders_number ON orders (number);
CREATE UNIQUE INDEX orders_session ON orders (provider, provider_session_id);
CREATE UNIQUE INDEX orders_payment ON orders (provider, provider_payment_id);
CREATE INDEX orders_user ON orders (user_id, created_at);

CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    provider_subscription_id TEXT NOT NULL,
    plan_id TEXT NOT NULL,
    -- active | past_due | cancelled | ended ...: as the provider reports it
    status TEXT NOT NULL,
    current_period_start BIGINT,
    current_period_end BIGINT,
    cancel_at_period_end BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX subscriptions_provider ON subscriptions (provider, provider_subscription_id);
CREATE INDEX subscriptions_user ON subscriptions (user_id);

-- A person's customer record at a payment provider (for the billing portal).
CREATE TABLE billing_customers (
    user_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (user_id, provider)
);

-- Contact details printed on receipts and invoices.
CREATE TABLE billing_profiles (
    user_id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    company TEXT NOT NULL,
    address TEXT NOT NULL,
    tax_id TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Every payment webhook event applied, so a redelivery changes nothing.
CREATE TABLE webhook_events (
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);

CREATE TABLE disputes (
    id TEXT PRIMARY KEY NOT NULL,
    order_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    provider_dispute_id TEXT NOT NULL,
    -- open | won | lost
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE UNIQUE INDEX disputes_provider ON disputes (provider, provider_dispute_id);

CREATE TABLE dispute_notes (
    id TEXT PRIMARY KEY NOT NULL,
    dispute_id TEXT NOT NULL,
    author_id TEXT,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX dispute_notes_dispute ON dispute_notes (dispute_id, created_at);

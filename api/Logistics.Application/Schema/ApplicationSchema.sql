-- Tables of the API host that are not read models: credentials, idempotency, the notification outbox,
-- pickup-code failures, secrets. Idempotent: run at every start.
create table if not exists api_credentials (
    key_hash text primary key,
    role text not null,
    subject_id text not null,
    name text not null,
    issued_at timestamptz not null,
    revoked_at timestamptz
);
create index if not exists api_credentials_subject on api_credentials (role, subject_id);
-- The network a key acts in ('*': a federation operator's key, bound to none). Keys issued before networks: 'main'.
alter table api_credentials add column if not exists network_id text not null default 'main';

create table if not exists api_idempotency (
    owner text not null,
    key text not null,
    request_hash text not null,
    created_at timestamptz not null,
    status int,
    content_type text,
    body bytea,
    primary key (owner, key)
);
-- The key ring protecting sessions, antiforgery tokens and passkey ceremonies, shared by every node; each key's
-- secret sealed with the key-encryption key (Api/Accounts/SharedKeyRing).
create table if not exists data_protection_keys (
    name text primary key,
    xml text not null,
    created_at timestamptz not null
);

-- Passkey challenges already answered (their hash) until they expire: a ceremony's cookie is good once, on any node.
create table if not exists passkey_challenges_used (
    hash bytea primary key,
    expires_at timestamptz not null
);

-- the node that claimed a request still unanswered (NodeLiveness): a retry takes over at once the claim of a dead node
alter table api_idempotency add column if not exists node_key bigint;
-- the request holding the claim: only it writes the answer or gives the key back, even late (after an outage)
alter table api_idempotency add column if not exists claim_id uuid;

create table if not exists app_secrets (
    name text primary key,
    value bytea not null
);

create table if not exists pickup_code_failures (
    id bigint generated always as identity primary key,
    locker_id text,
    parcel_id text not null,
    at timestamptz not null
);
create index if not exists pickup_code_failures_locker on pickup_code_failures (locker_id, at);
-- who typed it (the client's address, online; null at a keypad): one client's mistakes never lock out the others
alter table pickup_code_failures add column if not exists client text;
create index if not exists pickup_code_failures_client on pickup_code_failures (client, at) where client is not null;

-- parcels sharing one pickup code (one recipient's parcels waiting at one locker, whichever shops sent them):
-- recipient_key is a keyed hash of the phone's digits (never the phone), code_hash the parcel's hash of the shared code
-- when it joined; a parcel whose code changed since (reissued alone) is no longer one of the share
create table if not exists pickup_code_shares (
    parcel_id text primary key,
    locker_id text not null,
    recipient_key bytea not null,
    share_id text not null,
    code_hash text not null
);
create index if not exists pickup_code_shares_recipient on pickup_code_shares (locker_id, recipient_key);
create index if not exists pickup_code_shares_share on pickup_code_shares (share_id);

create table if not exists notification_outbox (
    id uuid primary key,
    created_at timestamptz not null,
    kind text not null,
    parcel_id text not null,
    person_id text not null,
    channel text not null,
    -- the address and text, sealed with the recipient's key: erasure makes them unreadable
    sealed bytea,
    attempts int not null default 0,
    next_attempt_at timestamptz not null,
    sent_at timestamptz,
    last_error text
);
create index if not exists notification_outbox_due on notification_outbox (next_attempt_at) where sent_at is null;

-- Proofs of home deliveries (and photos of failed ones), named by their event (ParcelDelivered, HomeDeliveryFailed):
-- the photo, the signature and the signer's name sealed with the recipient's key, so erasure makes them unreadable.
create table if not exists delivery_proofs (
    proof_id text primary key,
    parcel_id text not null,
    person_id text not null,
    kind text not null,
    recorded_at timestamptz not null,
    photo_type text,
    photo bytea,
    signature bytea,
    signed_by bytea
);
create index if not exists delivery_proofs_parcel on delivery_proofs (parcel_id);

-- Locker gateway: each board's public key (it signs its hello), the locker's own pickup-code verifier key,
-- the highest device event stored (events are deduplicated by device and sequence), the command queue.
create table if not exists locker_devices (
    locker_id text primary key,
    public_key bytea,
    code_key bytea not null,
    command_seq bigint not null default 0,
    acked_seq bigint not null default 0,
    last_seen_at timestamptz
);

create table if not exists locker_device_events (
    locker_id text not null,
    seq bigint not null,
    kind text not null,
    body jsonb not null,
    received_at timestamptz not null,
    primary key (locker_id, seq)
);

create table if not exists locker_commands (
    locker_id text not null,
    seq bigint not null,
    command_id text not null unique,
    -- text, not jsonb: the signed body is read back exactly as written (jsonb would reorder its keys)
    body text not null,
    expires_at timestamptz not null,
    created_at timestamptz not null,
    sent_at timestamptz,
    status text,
    detail text,
    result_at timestamptz,
    primary key (locker_id, seq)
);
-- the tracking page finds the door opened for a parcel's recipient by its command id's prefix
create index if not exists locker_commands_collection on locker_commands (command_id text_pattern_ops) where command_id like 'collection:%';


-- Planning: each courier's current round and the round each planned parcel is in, written with the round's events
-- (so a parcel action finds its round without waiting for a projection), the last run's input fingerprint and
-- answer (a run with nothing new changes nothing), and the cut-off runs done (a restart does not repeat one).
create table if not exists planning_rounds (
    courier_id text primary key,
    round_id text not null,
    updated_at timestamptz not null
);

create table if not exists planning_parcels (
    parcel_id text primary key,
    round_id text not null,
    courier_id text not null
);

-- an operator's explicit assignment of a parcel in a locker to the courier who takes it out
create table if not exists parcel_assignments (
    parcel_id text primary key,
    courier_id text not null,
    assigned_by text not null,
    assigned_at timestamptz not null
);

create table if not exists planning_runs (
    id int primary key,
    fingerprint text not null,
    result text not null,
    ran_at timestamptz not null
);

create table if not exists planning_cutoffs (
    day date not null,
    cutoff text not null,
    ran_at timestamptz not null,
    primary key (day, cutoff)
);

-- Process managers: a step the domain refused for good (or that failed too often), for the operator to look at.
create table if not exists process_failures (
    process text not null,
    event_id uuid not null,
    stream_id text not null,
    event_type text not null,
    reason text not null,
    failed_at timestamptz not null,
    primary key (process, event_id)
);

-- Lockers: what a board said that it may not say (another locker's compartment, parcel or command, an unreadable frame,
-- a clock out of step), for the operator. The board's event itself is kept in locker_device_events and acknowledged.
create table if not exists security_events (
    id bigserial primary key,
    locker_id text not null,
    kind text not null,
    seq bigint,
    detail text not null,
    at timestamptz not null
);
create index if not exists security_events_at on security_events (at desc);

-- Lockers: each open board session beats (database time) while it lives; a locker is shown online only with a fresh
-- beat, so a session that lost its database (and could not report the board offline) does not keep it online.
create table if not exists locker_sessions (
    session_id uuid primary key,
    locker_id text not null,
    started_at timestamptz not null,
    heartbeat_at timestamptz not null
);
create index if not exists locker_sessions_locker on locker_sessions (locker_id, heartbeat_at);

-- Webhooks: a shop's endpoints (the signing secret wrapped with the key-encryption key, never stored in clear) and
-- one delivery per endpoint and parcel event (its id is the webhook-id receivers deduplicate on), with every attempt.
create table if not exists webhook_endpoints (
    id uuid primary key,
    shop_id text not null,
    url text not null,
    kek_id text not null,
    wrapped_secret bytea not null,
    created_at timestamptz not null,
    -- the database's time when it was added: it hears of the events recorded from then on
    subscribed_from timestamptz not null default now(),
    disabled_at timestamptz
);
create index if not exists webhook_endpoints_shop on webhook_endpoints (shop_id) where disabled_at is null;

create table if not exists webhook_deliveries (
    id uuid primary key,
    endpoint_id uuid not null references webhook_endpoints (id),
    shop_id text not null,
    event_id uuid not null,
    parcel_id text not null,
    type text not null,
    payload text not null,
    created_at timestamptz not null,
    attempts int not null default 0,
    -- retried until this many attempts (a "send again" moves it on), then failed: next_attempt_at null, not delivered
    retry_until_attempt int not null,
    next_attempt_at timestamptz,
    delivered_at timestamptz,
    last_status int,
    last_error text,
    unique (endpoint_id, event_id)
);
create index if not exists webhook_deliveries_due on webhook_deliveries (next_attempt_at) where next_attempt_at is not null;
create index if not exists webhook_deliveries_shop on webhook_deliveries (shop_id, created_at desc);

create table if not exists webhook_attempts (
    delivery_id uuid not null references webhook_deliveries (id),
    attempt int not null,
    at timestamptz not null,
    status int,
    error text,
    milliseconds int not null,
    primary key (delivery_id, attempt)
);

-- People's accounts (ASP.NET Core Identity's user, stored by Api/Accounts/AccountStore): the same role and subject
-- as an API key, so every endpoint authorises a person as it does a machine. E-mail kept as typed and normalised.
create table if not exists accounts (
    id uuid primary key,
    email text not null,
    normalized_email text not null unique,
    password_hash text,
    security_stamp text not null,
    concurrency_stamp text not null,
    role text not null,
    subject_id text not null,
    access_failed_count int not null default 0,
    lockout_end timestamptz,
    disabled_at timestamptz,
    created_at timestamptz not null
);
create index if not exists accounts_subject on accounts (role, subject_id);
alter table accounts add column if not exists network_id text not null default 'main';

-- The networks of a deployment (one per town or association); their shops, lockers, couriers and parcels carry the id.
create table if not exists networks (
    network_id text primary key,
    name text not null,
    created_at timestamptz not null
);

-- Single-use links e-mailed to a person (sign in, set a first password): only a SHA-256 of the token is kept.
create table if not exists account_links (
    token_hash text primary key,
    account_id uuid not null references accounts (id),
    purpose text not null,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at timestamptz
);

-- People's passkeys (WebAuthn, Api/Accounts/Passkeys): the authenticator's credential id and public key (COSE), and
-- the signature counter it last reported. No secret: a passkey's private key never leaves the person's authenticator.
create table if not exists account_passkeys (
    credential_id bytea primary key,
    account_id uuid not null references accounts (id),
    public_key bytea not null,
    sign_count bigint not null,
    created_at timestamptz not null,
    label text
);
create index if not exists account_passkeys_account on account_passkeys (account_id);

-- the node sending a message or webhook now (NodeLiveness): another node takes the batch of a dead node at once
alter table notification_outbox add column if not exists claimed_by bigint;
alter table webhook_deliveries add column if not exists claimed_by bigint;

-- Fleet updates: the board program's version each board reported in its last hello, and the release an operator
-- asked it to install, with how far that went (requested → installing → installed → updated, or refused, rolledBack)
alter table locker_devices add column if not exists program_version text;
alter table locker_devices add column if not exists program_reported_at timestamptz;
alter table locker_devices add column if not exists update_version text;
alter table locker_devices add column if not exists update_command text;
alter table locker_devices add column if not exists update_state text;
alter table locker_devices add column if not exists update_detail text;
alter table locker_devices add column if not exists update_at timestamptz;

-- Releases of the board program, stored and served unchanged: the signed manifest as uploaded, the bundle's bytes
create table if not exists locker_releases (
    version text primary key,
    manifest text not null,
    runtime text not null,
    bundle bytea not null,
    bundle_bytes bigint not null,
    bundle_sha256 text not null,
    created_at timestamptz not null,
    published_by text not null,
    published_at timestamptz not null
);

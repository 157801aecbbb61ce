-- The collector's schema on PostgreSQL: the same tables as collector/sqlite
-- has after its migrations, with PostgreSQL's types. The legacy hash chain
-- (log_entries) is not here: a PostgreSQL store starts with the ledger.

-- Submissions: every version a branch sends is a new row; nothing is updated.
CREATE TABLE submissions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    receipt        text        NOT NULL UNIQUE,
    client_key     text        UNIQUE,
    task           text        NOT NULL,
    period         text        NOT NULL,
    branch         text        NOT NULL,
    version        integer     NOT NULL,
    received_at    timestamptz NOT NULL,
    late           boolean     NOT NULL,
    content_sha256 text        NOT NULL,
    fields_json    text        NOT NULL,
    files_json     text        NOT NULL,
    ledger_index   bigint      NOT NULL,
    UNIQUE (task, period, branch, version)
);
CREATE INDEX submissions_task ON submissions (task, id);

-- Reviews of one version: approve or return with a comment.
CREATE TABLE reviews (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id bigint      NOT NULL REFERENCES submissions (id),
    action        text        NOT NULL CHECK (action IN ('approve', 'return')),
    comment       text        NOT NULL,
    admin         text        NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX reviews_submission ON reviews (submission_id, id);

-- Access codes of branches and passwords of admins, as slow salted hashes only.
CREATE TABLE branch_codes (
    branch     text PRIMARY KEY,
    hash       text        NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE admins (
    name       text PRIMARY KEY,
    hash       text        NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Admin sessions: only the SHA-256 of the cookie's token is stored, so a
-- login holds on every collector of the database.
CREATE TABLE sessions (
    token_sha256 text PRIMARY KEY,
    admin        text        NOT NULL,
    csrf         text        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);

-- Public opinions (群众意见), waiting for moderation until published or rejected.
CREATE TABLE opinions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    content      text        NOT NULL,
    name         text        NOT NULL,
    contact      text        NOT NULL,
    client       text        NOT NULL,
    created_at   timestamptz NOT NULL,
    status       text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'rejected')),
    reply        text        NOT NULL DEFAULT '',
    admin        text        NOT NULL DEFAULT '',
    moderated_at timestamptz
);
CREATE INDEX opinions_status ON opinions (status, id);

-- The ledger (账本), whose logic is collector/ledger's: each record's bytes,
-- the tree's stored hashes, the signed heads.
CREATE TABLE ledger_records (
    idx  bigint PRIMARY KEY,
    data bytea NOT NULL
);

CREATE TABLE ledger_hashes (
    idx  bigint PRIMARY KEY,
    hash bytea NOT NULL
);

CREATE TABLE ledger_heads (
    size bigint PRIMARY KEY,
    head text NOT NULL
);

-- The public key that signs this database's heads: every collector on the
-- database must sign with the same key (checked at start).
CREATE TABLE ledger_keys (
    public     text PRIMARY KEY,
    created_at timestamptz NOT NULL
);

-- Refusals of guesses and abuse with the client's address: an audit table
-- of its own, not part of the ledger.
CREATE TABLE refusals (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at timestamptz NOT NULL,
    kind       text        NOT NULL,
    subject    text        NOT NULL,
    client     text        NOT NULL,
    count      integer     NOT NULL
);
CREATE INDEX refusals_created ON refusals (created_at);

-- The one row /healthz rewrites to prove that a write commits.
CREATE TABLE health_probes (
    id         integer PRIMARY KEY CHECK (id = 1),
    checked_at timestamptz NOT NULL
);

-- The guess limiter's state (throttle.Shared), so a limit holds across
-- every collector: failures per (scope, name, address), and the recent
-- failures of each name for its ceiling.
CREATE TABLE throttle_addrs (
    scope   text        NOT NULL,
    name    text        NOT NULL,
    addr    text        NOT NULL,
    fails   integer     NOT NULL,
    last_at timestamptz NOT NULL,
    PRIMARY KEY (scope, name, addr)
);

CREATE TABLE throttle_fails (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope     text        NOT NULL,
    name      text        NOT NULL,
    failed_at timestamptz NOT NULL
);
CREATE INDEX throttle_fails_name ON throttle_fails (scope, name, failed_at);

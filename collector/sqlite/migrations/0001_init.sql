-- Submissions: every version a branch sends is a new row; nothing is updated.
CREATE TABLE submissions (
    id             INTEGER PRIMARY KEY,
    receipt        TEXT    NOT NULL UNIQUE,
    client_key     TEXT    UNIQUE,
    task           TEXT    NOT NULL,
    period         TEXT    NOT NULL,
    branch         TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    received_at    TEXT    NOT NULL,
    late           INTEGER NOT NULL,
    content_sha256 TEXT    NOT NULL,
    fields_json    TEXT    NOT NULL,
    files_json     TEXT    NOT NULL,
    UNIQUE (task, period, branch, version)
);

-- Reviews of one version: approve or return with a comment.
CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    action        TEXT    NOT NULL CHECK (action IN ('approve', 'return')),
    comment       TEXT    NOT NULL,
    admin         TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
);
CREATE INDEX reviews_submission ON reviews (submission_id);

-- The append-only log: each entry carries the hash of the one before it, so
-- a row cannot be changed, removed or inserted afterwards without `dangwu
-- verify` noticing.
CREATE TABLE log_entries (
    seq            INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    ref            TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);

-- Access codes of branches and passwords of admins, as slow salted hashes only.
CREATE TABLE branch_codes (
    branch     TEXT PRIMARY KEY,
    hash       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE admins (
    name       TEXT PRIMARY KEY,
    hash       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

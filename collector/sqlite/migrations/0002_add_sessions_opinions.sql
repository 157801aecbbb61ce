-- Admin sessions: only the SHA-256 of the cookie's token is stored.
CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY,
    admin        TEXT NOT NULL,
    csrf         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);

-- Public opinions (群众意见), waiting for moderation until published or rejected.
CREATE TABLE opinions (
    id          INTEGER PRIMARY KEY,
    content     TEXT NOT NULL,
    name        TEXT NOT NULL,
    contact     TEXT NOT NULL,
    client      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'rejected')),
    reply       TEXT NOT NULL DEFAULT '',
    admin       TEXT NOT NULL DEFAULT '',
    moderated_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX opinions_status ON opinions (status, id);

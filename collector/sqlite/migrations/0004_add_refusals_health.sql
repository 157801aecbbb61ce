-- Refusals of guesses and abuse with the client's address (issue 10): an
-- audit table of its own, not part of the ledger. Identical refusals close
-- together are merged into one row with a count.
CREATE TABLE refusals (
    id         INTEGER PRIMARY KEY,
    created_at TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    client     TEXT    NOT NULL,
    count      INTEGER NOT NULL
);
CREATE INDEX refusals_created ON refusals (created_at);

-- The one row /healthz rewrites to prove that a write commits.
CREATE TABLE health_probes (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TEXT NOT NULL
);

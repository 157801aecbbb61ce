-- The ledger (账本): a Merkle tree log (golang.org/x/mod/sumdb/tlog) whose
-- logic lives in collector/ledger. The store keeps only what the ledger
-- hands it: each record's bytes, the tree's stored hashes and the signed
-- heads. The hash chain of log_entries before it stays as it was; its
-- entries become the first records at the first start (Go code, verified).
CREATE TABLE ledger_records (
    idx  INTEGER PRIMARY KEY,
    data BLOB NOT NULL
);

CREATE TABLE ledger_hashes (
    idx  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);

CREATE TABLE ledger_heads (
    size INTEGER PRIMARY KEY,
    head TEXT NOT NULL
);

-- Where each version's record is, for the proofs of its receipts.
ALTER TABLE submissions ADD COLUMN ledger_index INTEGER;

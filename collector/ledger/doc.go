// Package ledger is the collector's tamper-evident ledger (账本): every
// submission, review, opinion moderation, branch-code and password change is
// one record of a Merkle tree log (golang.org/x/mod/sumdb/tlog, the log of
// Go's checksum database and of Certificate Transparency), and after every
// commit the collector signs a tree head (size, root hash, time) as an
// Ed25519 note (golang.org/x/mod/sumdb/note). Heads and receipts leave the
// machine; Verify takes them back in and proves today's ledger consistent
// with each, so rollback, truncation, rewriting and forged inserts before a
// kept head all fail.
//
// The ledger is domain logic, independent of storage: a store keeps the
// records, the tree's stored hashes and the signed heads, and offers them
// through two small interfaces, Tx (inside its write transaction) and
// Snapshot (one consistent read). collector/sqlite implements both; a
// PostgreSQL store would too, and gets this package unchanged.
//
// It imports the standard library, golang.org/x/mod and collector/jsonstr
// (JSON strings as encoding/json writes them) only.
package ledger

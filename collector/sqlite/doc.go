// Package sqlite is the collector's store on SQLite: submissions as
// versions, reviews, the hash-chained log, branch codes and admin passwords,
// verification and online backup.
//
// It is the only importer of github.com/mattn/go-sqlite3 and the only place
// SQL is written. Writes go through one goroutine that gathers concurrent
// requests into shared transactions (group commit), so every acknowledged
// write is committed with synchronous=FULL in WAL mode before its caller
// returns, at one fsync per batch rather than per request. Reads use a
// separate pool of read-only connections.
//
// A PostgreSQL store would sit beside this package and offer the same
// methods; nothing outside it knows SQL.
package sqlite

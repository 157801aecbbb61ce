// Package postgres is the collector's store on PostgreSQL: the same
// contract as collector/sqlite (collector.Store), for deployments where
// several collectors run on one database and the database is replicated.
//
// It is the only importer of github.com/jackc/pgx/v5. Writes go through one
// goroutine per process that gathers concurrent requests into shared
// transactions (group commit). Every write transaction first takes one
// transaction-level advisory lock (pg_advisory_xact_lock), then reads the
// ledger's size and newest head, so appends by every process on the
// database are serialised by the database itself: the ledger stays one
// tree, whichever collector or command writes. Commits are acknowledged
// only with synchronous_commit on (checked at Open), and each commit that
// appends to the ledger sends NOTIFY dangwu_ledger, which Watch listens
// for. Migrations are embedded and applied in one transaction under an
// advisory lock, so collectors starting together apply each once.
//
// Times are stored as timestamptz, which keeps microseconds: the store's
// clock is rounded up to the microsecond, so what a receipt answers is what
// the rows and the ledger hold.
package postgres

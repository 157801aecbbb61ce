// Package store opens the collector's store that one --db value names: a
// postgres:// or postgresql:// URL is a PostgreSQL database
// (collector/postgres), anything else the path of an SQLite file
// (collector/sqlite). Package main opens every store through Open and
// then knows only the contract, collector.Store.
//
// It imports the two store packages and collector; nothing imports it but
// package main and tests.
package store

import (
	"context"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/postgres"
	"github.com/dangwu-org/dangwu/collector/sqlite"
)

// Options configure Open; they mean the same for both stores.
type Options struct {
	// KeyFile is the ledger's signing key. Empty: ledger.key beside an
	// SQLite file; required for PostgreSQL.
	KeyFile string
	// MustExist refuses a database that is not already a collector's
	// instead of creating one (backup, verify, export, build --db).
	MustExist bool
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// IsURL reports whether db names a PostgreSQL database rather than a file.
func IsURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Open opens the store db names, applying pending migrations.
func Open(ctx context.Context, db string, o Options) (collector.Store, error) {
	if IsURL(db) {
		return postgres.Open(ctx, db, postgres.Options{KeyFile: o.KeyFile, MustExist: o.MustExist, Now: o.Now})
	}
	return sqlite.Open(db, sqlite.Options{KeyFile: o.KeyFile, MustExist: o.MustExist, Now: o.Now})
}

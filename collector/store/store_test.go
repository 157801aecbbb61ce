package store_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/postgres"
	"github.com/dangwu-org/dangwu/collector/postgres/pgtest"
	"github.com/dangwu-org/dangwu/collector/sqlite"
	"github.com/dangwu-org/dangwu/collector/store"
	"github.com/dangwu-org/dangwu/collector/storetest"
)

var (
	_ collector.Store    = (*sqlite.DB)(nil)
	_ collector.Backuper = (*sqlite.DB)(nil)
	_ collector.Store    = (*postgres.DB)(nil)
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestContractSQLite runs the store contract's suite on a real SQLite file
// in a temporary folder (issue 12).
func TestContractSQLite(t *testing.T) {
	storetest.Run(t, storetest.Target{
		New: func(t *testing.T) string { return filepath.Join(t.TempDir(), "dangwu.db") },
		Open: func(t *testing.T, db string, now func() time.Time) (collector.Store, error) {
			return store.Open(context.Background(), db, store.Options{Now: now})
		},
	})
}

// TestContractPostgres runs the same suite on a real PostgreSQL server
// started for the test (initdb and pg_ctl in a temp folder), a fresh
// database per case; it is skipped, loudly, only when PostgreSQL is not
// installed (issue 12).
func TestContractPostgres(t *testing.T) {
	var mu sync.Mutex
	keys := map[string]string{} // database → its key file, shared by every collector on it
	storetest.Run(t, storetest.Target{
		New: func(t *testing.T) string {
			db := pgtest.Database(t)
			mu.Lock()
			keys[db] = filepath.Join(t.TempDir(), "ledger.key")
			mu.Unlock()
			return db
		},
		Open: func(t *testing.T, db string, now func() time.Time) (collector.Store, error) {
			mu.Lock()
			key := keys[db]
			mu.Unlock()
			return store.Open(context.Background(), db, store.Options{KeyFile: key, Now: now})
		},
	})
}

package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/sqlite"
	"github.com/dangwu-org/dangwu/collector/store"
	"github.com/dangwu-org/dangwu/collector/storetest"
)

var (
	_ collector.Store    = (*sqlite.DB)(nil)
	_ collector.Backuper = (*sqlite.DB)(nil)
)

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

package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/postgres/pgtest"
	"github.com/dangwu-org/dangwu/collector/store"
)

// BenchmarkStoreSubmit is the stores alone, without HTTP: 64 goroutines
// submitting durable versions through Submit (group commit), on SQLite and
// on PostgreSQL in the same run; reports submissions per second and the
// process's CPU time per submission (issue 11: the writer's cost, less
// noisy than the rate on a shared machine).
func BenchmarkStoreSubmit(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			db := filepath.Join(b.TempDir(), "dangwu.db")
			if name == "postgres" {
				db = pgtest.Database(b)
			}
			st, err := store.Open(context.Background(), db, store.Options{KeyFile: filepath.Join(b.TempDir(), "ledger.key")})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			var n atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start, cpu := time.Now(), processCPU()
			for w := range 64 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := n.Add(1); i <= int64(b.N); i = n.Add(1) {
						s := &collector.Submission{Task: "zongjie", Branch: fmt.Sprintf("b%d", w), Key: fmt.Sprint("k", i),
							Fields: []collector.FieldValue{{Name: "summary", Value: "全年召开支部党员大会四次，组织主题党日十二次。"}}}
						if _, err := st.Submit(context.Background(), s); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "subs/s")
			b.ReportMetric(float64((processCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/sub")
		})
	}
}

package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// nopSigner "signs" with zeros: the ledger without Ed25519.
type nopSigner struct{}

func (nopSigner) Name() string                    { return "bench" }
func (nopSigner) KeyHash() uint32                 { return 1 }
func (nopSigner) Sign(msg []byte) ([]byte, error) { return make([]byte, 64), nil }

// BenchmarkLedgerCost prices the ledger per commit (issue 9): the same
// sequential submissions, one commit each (so one signed head each), with
// the full ledger, with the tree but no Ed25519 signature, and with no
// ledger at all, in the same run. It reports commits per second of each
// and the ratios to the store without a ledger.
func BenchmarkLedgerCost(b *testing.B) {
	const n = 200
	rate := func(b *testing.B, mode string) float64 {
		db, err := Open(filepath.Join(b.TempDir(), "dangwu.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		switch mode {
		case "nosign":
			db.benchSigner = nopSigner{}
		case "off":
			db.benchSigner, db.benchNoLedger = nopSigner{}, true
		}
		ctx := context.Background()
		start := time.Now()
		for i := range n {
			if _, err := db.Submit(ctx, sub("yi", "", fmt.Sprintf("第%d份", i))); err != nil {
				b.Fatal(err)
			}
		}
		return n / time.Since(start).Seconds()
	}
	var full, nosign, off float64
	for b.Loop() {
		full += rate(b, "full")
		nosign += rate(b, "nosign")
		off += rate(b, "off")
	}
	k := float64(b.N)
	b.ReportMetric(full/k, "ledger-commits/s")
	b.ReportMetric(nosign/k, "unsigned-commits/s")
	b.ReportMetric(off/k, "noledger-commits/s")
	b.ReportMetric(full/off, "ledger/noledger")
	b.ReportMetric(nosign/off, "unsigned/noledger")
}

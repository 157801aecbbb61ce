package ledger

import (
	"testing"
	"time"
)

type zeroSigner struct{}

func (zeroSigner) Name() string                { return "bench" }
func (zeroSigner) KeyHash() uint32             { return 1 }
func (zeroSigner) Sign([]byte) ([]byte, error) { return make([]byte, 64), nil }

// BenchmarkCommit prices the ledger's CPU per commit, storage aside: one
// record and one signed head per commit on an in-memory store of 10,000
// records, with Ed25519 and with a signer that does nothing, in the same run.
func BenchmarkCommit(b *testing.B) {
	k := mustKey(b)
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	rate := func(s interface {
		Name() string
		KeyHash() uint32
		Sign([]byte) ([]byte, error)
	}) float64 {
		m := &memStore{}
		a, _ := Begin(m, s, now)
		for i := range 10_000 {
			a.Append(submission(i))
		}
		a.Finish()
		start := time.Now()
		const n = 2000
		for i := range n {
			a, err := Begin(m, s, now)
			if err != nil {
				b.Fatal(err)
			}
			a.Append(submission(i))
			if _, err := a.Finish(); err != nil {
				b.Fatal(err)
			}
		}
		return n / time.Since(start).Seconds()
	}
	var signed, unsigned float64
	for b.Loop() {
		signed += rate(k.Signer())
		unsigned += rate(zeroSigner{})
	}
	b.ReportMetric(signed/float64(b.N), "signed-commits/s")
	b.ReportMetric(unsigned/float64(b.N), "unsigned-commits/s")
	b.ReportMetric(signed/unsigned, "signed/unsigned")
}

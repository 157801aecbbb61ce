package sqlite

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// The hash chain of before the ledger (log_entries, no longer written):
// kept to verify it once and migrate it into the ledger.

// genesis is the previous hash of the first log entry.
var genesis = hex.EncodeToString(make([]byte, sha256.Size))

// chainHash binds an entry to its predecessor: any change to an entry, or to
// one before it, changes every hash after it.
func chainHash(prev string, seq int64, kind, ref, payload, created string) string {
	h := sha256.New()
	for _, p := range []string{prev, strconv.FormatInt(seq, 10), kind, ref, payload, created} {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{':'})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// payloadHash hashes the parts of a record, framed so no two records share one.
func payloadHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{':'})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The kinds of log entry.
const (
	kindSubmission = "submission"
	kindReview     = "review"
	kindBranchCode = "branch_code"
	kindAdmin      = "admin"
)

package sqlite

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
)

// genesis is the previous hash of the first log entry.
var genesis = hex.EncodeToString(make([]byte, sha256.Size))

// logHead is the last entry of the log.
type logHead struct {
	seq    int64
	hash   string
	loaded bool
}

func loadHead(db *sql.DB) (logHead, error) {
	h := logHead{hash: genesis, loaded: true}
	err := db.QueryRow(`SELECT seq, hash FROM log_entries ORDER BY seq DESC LIMIT 1`).Scan(&h.seq, &h.hash)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil
	}
	return h, err
}

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

// appendLog adds an entry after head, inside the caller's transaction.
func (db *DB) appendLog(tx *sql.Tx, head *logHead, kind, ref, payload string, now time.Time) error {
	seq := head.seq + 1
	created := formatTime(now)
	hash := chainHash(head.hash, seq, kind, ref, payload, created)
	st, err := db.stmt(tx, sqlInsertLog)
	if err != nil {
		return err
	}
	if _, err := st.Exec(seq, kind, ref, payload, created, head.hash, hash); err != nil {
		return err
	}
	head.seq, head.hash = seq, hash
	return nil
}

// The kinds of log entry.
const (
	kindSubmission = "submission"
	kindReview     = "review"
	kindBranchCode = "branch_code"
	kindAdmin      = "admin"
)

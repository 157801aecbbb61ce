package ledger

import (
	"crypto/rand"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func seedHead(f *testing.F) []byte {
	k, err := CreateKey(filepath.Join(f.TempDir(), "ledger.key"), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	m := &memStore{}
	commit(f, m, k, time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC), submission(0), submission(1), submission(2))
	return m.heads[0]
}

// FuzzParseHead: any bytes from a head file or URL parse or fail cleanly,
// and what parses is exactly what Text writes.
func FuzzParseHead(f *testing.F) {
	head := seedHead(f)
	f.Add(head)
	f.Add([]byte("dangwu ledger v1\n1\nAAAA\n2026\n\n— x\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ParseHead(data)
		if err != nil {
			return
		}
		if !strings.HasPrefix(string(data), h.Text()) {
			t.Errorf("parsed %+v from %q, which does not start with %q", h, data, h.Text())
		}
	})
}

// FuzzParseReceipt: any bytes of a kept receipt file parse or fail
// cleanly; a parsed receipt's index is inside its head and its proof hashes
// are whole.
func FuzzParseReceipt(f *testing.F) {
	head := seedHead(f)
	good, _ := json.Marshal(map[string]any{"id": "abc", "task": "zongjie", "branch": "yi", "version": 1,
		"received": "2026-12-01T16:00:00+08:00", "sha256": "00",
		"ledger": map[string]any{"index": 2, "head": string(head), "proof": []string{"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}})
	f.Add(good)
	f.Add([]byte(`{"id":"x","ledger":{"index":-1,"head":"","proof":null}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseReceipt(data)
		if err != nil {
			return
		}
		if r.Ledger.Index < 0 || r.Ledger.Index >= r.head.Size || len(r.proof) != len(r.Ledger.Proof) {
			t.Errorf("accepted %+v", r)
		}
	})
}

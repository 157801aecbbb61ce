package collector

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector/ledger"
)

// TestPreparedRecord: the record a store fills in from Prepare is the
// record SubmissionRecord makes of the receipt, byte for byte (issue 11:
// what verify rebuilds from the row must match what the writer stored).
func TestPreparedRecord(t *testing.T) {
	now := time.Date(2026, 12, 2, 19, 0, 0, 123, time.UTC)
	for _, sub := range []*Submission{
		{Task: "zongjie", Period: "2026", Branch: "yunshu", Key: "k1", Fields: []FieldValue{{Name: "summary", Value: "全年<工作>"}},
			Deadline: now.Add(-time.Hour)},
		{Task: "t", Branch: "b", Files: []File{{Field: "f", Name: "a.pdf", Type: "application/pdf", Size: 9, SHA256: "ab"}}},
	} {
		p := sub.Prepare(now)
		rec, err := p.NewReceipt(4, now)
		if err != nil {
			t.Fatal(err)
		}
		if rec.ID != p.ID || rec.SHA256 != sub.ContentHash() || rec.Late != !sub.Deadline.IsZero() {
			t.Errorf("receipt %+v of prepared %+v", rec, p)
		}
		want := SubmissionRecord(rec, sub.Key, sub.Fields, sub.Files)
		if got := p.Record.Fill(now, 4, rec.Late); !bytes.Equal(got, want.Encode()) {
			t.Errorf("prepared record\n%s\nwant\n%s", got, want.Encode())
		}
	}
}

// TestPreparedJSON: the lists a store writes into its row are what
// json.Marshal gives for them (a nil Fields as null, no files as []), as
// the rows always had (issue 11: they come from the record now).
func TestPreparedJSON(t *testing.T) {
	now := time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC)
	for _, sub := range []*Submission{
		{Task: "zongjie", Period: "2026", Branch: "yunshu", Fields: []FieldValue{{Name: "summary", Value: "全年<工作>&\u2028\"\n"}, {Name: "n", Value: "4"}}},
		{Task: "t", Branch: "b", Files: []File{{Field: "f", Name: "a\xff.pdf", Type: "application/pdf", Size: 9, SHA256: "ab"}}},
		{Task: "t", Branch: "b", Fields: []FieldValue{}},
	} {
		p := sub.Prepare(now)
		files := sub.Files
		if files == nil {
			files = []File{}
		}
		wantFields, _ := json.Marshal(sub.Fields)
		wantFiles, _ := json.Marshal(files)
		if p.FieldsJSON() != string(wantFields) || p.FilesJSON != string(wantFiles) {
			t.Errorf("prepared lists %s %s, want %s %s", p.FieldsJSON(), p.FilesJSON, wantFields, wantFiles)
		}
	}
}

// TestReceiptIDAt: ids made in one millisecond share their first six
// characters (they sit together in the receipt index), ids of another
// millisecond do not, and the rest differs.
func TestReceiptIDAt(t *testing.T) {
	at := time.Date(2026, 12, 2, 20, 0, 0, 0, time.UTC)
	a, b := NewReceiptIDAt(at), NewReceiptIDAt(at.Add(999*time.Microsecond))
	c := NewReceiptIDAt(at.Add(time.Millisecond))
	d := NewReceiptIDAt(at.Add(time.Second))
	if len(a) != 30 || a[:6] != b[:6] || a == b || a[:6] == c[:6] || a[:6] == d[:6] {
		t.Errorf("ids %q %q %q %q: want the first two to share six characters, the others not", a, b, c, d)
	}
	for _, id := range []string{a, b, c, d} {
		if strings.Trim(id, "abcdefghijkmnpqrstuvwxyz23456789") != "" {
			t.Errorf("id %q has characters outside the receipt alphabet", id)
		}
	}
}

// TestContentHashFraming: the content hash is the SHA-256 of every part
// framed as its length, a colon and its bytes, in order; receipts already
// given carry it, so the framing must never change (issue 11 moved it
// into one buffer).
func TestContentHashFraming(t *testing.T) {
	s := &Submission{Task: "t", Branch: "b", Fields: []FieldValue{{Name: "a", Value: "好"}},
		Files: []File{{Field: "f", Name: "n.pdf", Type: "application/pdf", Size: 9, SHA256: "ab"}}}
	framed := "4:task1:t6:period0:6:branch1:b5:field1:a3:好4:file1:f5:n.pdf15:application/pdf1:92:ab"
	want := sha256.Sum256([]byte(framed))
	if got := s.ContentHash(); got != hex.EncodeToString(want[:]) {
		t.Errorf("content hash %s, want the SHA-256 of %q", got, framed)
	}
}

func TestCheckMigrations(t *testing.T) {
	known := []string{"migrations/0001_init.sql", "migrations/0002_more.sql"}
	if err := CheckMigrations(known, nil); err != nil {
		t.Errorf("a new database: %v", err)
	}
	if err := CheckMigrations(known, known[:1]); err != nil {
		t.Errorf("an older database: %v", err)
	}
	err := CheckMigrations(known, append(known, "migrations/0003_a.sql", "migrations/0004_b.sql"))
	if err == nil || !strings.Contains(err.Error(), "本版本没有的迁移：0003_a.sql、0004_b.sql") {
		t.Errorf("a newer database: %v", err)
	}
}

func TestStoredFieldsJSON(t *testing.T) {
	r := Receipt{ID: "r1", Task: "t", Branch: "b", Version: 1, Received: time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)}
	fields := []FieldValue{{Name: "summary", Value: "引号\" <b> \u2028 \x00"}}
	encode := func(r ledger.Record) []byte { return r.Encode() }
	rec := encode(SubmissionRecord(r, "", fields, nil))
	other := encode(SubmissionRecord(Receipt{ID: "r2", Task: "t", Branch: "b", Version: 2}, "", fields, nil))
	review := encode(ReviewRecord(1, "r1", Review{Action: ActionApprove, Admin: "a"}))
	for _, tc := range []struct {
		name string
		f    StoredFields
		want string // "" for an error
	}{
		{"own fields_json", StoredFields{ID: "r1", Own: `[{"name":"x","value":"y"}]`, Record: rec}, `[{"name":"x","value":"y"}]`},
		{"from the record", StoredFields{ID: "r1", Record: rec}, ""},
		{"another version's record", StoredFields{ID: "r1", Record: other}, ""},
		{"a review's record", StoredFields{ID: "r1", Record: review}, ""},
		{"no record", StoredFields{ID: "r1"}, ""},
		{"not JSON", StoredFields{ID: "r1", Record: []byte("{")}, ""},
	} {
		got, err := tc.f.JSON()
		switch {
		case tc.name == "from the record":
			var back []FieldValue
			if err != nil || json.Unmarshal([]byte(got), &back) != nil || len(back) != 1 || back[0] != fields[0] {
				t.Errorf("%s: %q %v, want the record's fields", tc.name, got, err)
			}
		case tc.want == "":
			if err == nil || !strings.Contains(err.Error(), "提交 r1 的填写内容读不出") {
				t.Errorf("%s: %q %v, want an error naming r1", tc.name, got, err)
			}
		case got != tc.want || err != nil:
			t.Errorf("%s: %q %v, want %q", tc.name, got, err, tc.want)
		}
	}
}

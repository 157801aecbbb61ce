package ledger

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dangwu-org/dangwu/collector/jsonstr"
)

// checkTemplate fails when the template of s does not fill to the bytes
// Encode gives (issue 11: the writer fills templates instead of encoding).
func checkTemplate(t *testing.T, actor, ref string, s Submission, at time.Time) {
	t.Helper()
	tmpl := NewSubmissionTemplate(actor, ref, s, false)
	r := Record{Kind: KindSubmission, Time: FormatTime(at), Actor: actor, Ref: ref, Submission: &s}
	want := r.Encode()
	if got := tmpl.Fill(at, s.Version, s.Late); !bytes.Equal(got, want) {
		t.Errorf("template filled\n%s\nEncode\n%s", got, want)
	}
	fields, files := tmpl.Lists()
	wantFields, _ := json.Marshal(s.Fields)
	wantFiles, _ := json.Marshal(s.Files)
	if !bytes.Equal(fields, wantFields) || !bytes.Equal(files, wantFiles) {
		t.Errorf("template lists\n%s\n%s\njson.Marshal\n%s\n%s", fields, files, wantFields, wantFiles)
	}
	for i, f := range s.Fields {
		if got, want := tmpl.Value(i), jsonstr.Append(nil, f.Value); !bytes.Equal(got, want) {
			t.Errorf("value %d: template holds %s, want %s", i, got, want)
		}
	}
	if v := tmpl.Value(len(s.Fields)); v != nil {
		t.Errorf("a value past the fields: %s", v)
	}
	for _, f := range s.Fields {
		if !utf8.ValidString(f.Value) {
			return
		}
	}
	// Values the caller checked are written without checking, the same.
	checked := NewSubmissionTemplate(actor, ref, s, true)
	if got := checked.Fill(at, s.Version, s.Late); !bytes.Equal(got, want) {
		t.Errorf("template of checked values filled\n%s\nEncode\n%s", got, want)
	}
}

func TestTemplateMatchesEncode(t *testing.T) {
	at := time.Date(2026, 12, 2, 19, 40, 53, 413363953, time.FixedZone("CST", 8*3600))
	tests := []struct {
		name string
		s    Submission
	}{
		{"plain", Submission{Task: "zongjie", Period: "2026", Branch: "yunshu", Version: 3, Key: "k1", SHA256: "ab",
			Fields: []Field{{Name: "summary", Value: "全年工作开展情况和主要成效。"}}, Files: []File{}}},
		{"late, no key, files", Submission{Task: "t", Branch: "b", Version: 12345, Late: true,
			Fields: []Field{}, Files: []File{{Field: "f", Name: "总结.pdf", Type: "application/pdf", Size: 1 << 40, SHA256: "cd"}}}},
		{"escapes", Submission{Task: `<script>&"\`, Period: "\u2028\u2029", Branch: "\x00\x1f\x7f", Key: "\xff\xfe",
			Fields: []Field{{Name: "a\"b", Value: "<b>&amp;</b>\n\t\r\\"}}, Files: []File{}}},
		{"nil lists", Submission{Task: "t", Branch: "b", Version: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkTemplate(t, "branch:"+tt.s.Branch, "ewu8xpnu4yvnysrrxe95ctzy", tt.s, at)
		})
	}
}

// FuzzSubmissionTemplate: whatever a branch sends, the filled template is
// the record's one encoding.
func FuzzSubmissionTemplate(f *testing.F) {
	f.Add("zongjie", "2026-Q4", "yunshu", "k-1", "summary", "全年<b>工作</b>&\u2028", 7, true, int64(1700000000))
	f.Add("", "", "", "", "", "", 0, false, int64(0))
	f.Fuzz(func(t *testing.T, task, period, branch, key, name, value string, version int, late bool, unix int64) {
		s := Submission{Task: task, Period: period, Branch: branch, Version: version, Late: late, Key: key, SHA256: value,
			Fields: []Field{{Name: name, Value: value}}, Files: []File{{Field: name, Name: value, Type: key, Size: unix, SHA256: task}}}
		checkTemplate(t, "branch:"+branch, key+value, s, time.Unix(unix%(1<<33), unix%1e9))
	})
}

// BenchmarkSubmissionTemplate: a record of the wrk script's submission
// (a 600-byte summary and three short fields).
func BenchmarkSubmissionTemplate(b *testing.B) {
	s := Submission{Task: "2026-zhibu-zongjie", Period: "2026", Branch: "yunshu", Key: "w0-0000000001", SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Fields: []Field{{Name: "summary", Value: strings.Repeat("全年工作开展情况和主要成效。", 20)}, {Name: "contact", Value: "张三"}, {Name: "meetings", Value: "4"}, {Name: "rating", Value: "好"}},
		Files:  []File{}}
	for b.Loop() {
		NewSubmissionTemplate("branch:yunshu", "ewu8xpnu4yvnysrrxe95ctzy", s, true)
	}
}

package output

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestEditableIndexReplace changes the bodies of random docs of an index,
// one at a time, and checks every file equals an index made afresh of the
// same docs (issue 14 item 4: an edit rewrites only the shards it
// changes).
func TestEditableIndexReplace(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 14))
	words := []string{"党费", "支部", "考核", "组织生活", "三会一课", "Party", "2026", "学习", "ＡＢＣ", "主题党日", "整改", "x"}
	text := func(n int) string {
		var sb strings.Builder
		for i := 0; i < n; i++ {
			sb.WriteString(words[r.IntN(len(words))])
			if r.IntN(3) == 0 {
				sb.WriteString("，")
			}
		}
		return sb.String()
	}
	docs := make([]SearchDoc, 95)
	for i := range docs {
		docs[i] = SearchDoc{Title: text(3), URL: "/p/" + string(rune('a'+i%26)) + "/", Column: "要闻", Date: "2026-01-02", Body: text(r.IntN(40))}
	}
	b := NewSearchBuilder()
	for i := range docs {
		b.Add(&docs[i])
	}
	x := b.Index()
	for step := 0; step < 60; step++ {
		i := r.IntN(len(docs))
		old := docs[i]
		docs[i].Body = text(r.IntN(40))
		if step%7 == 0 {
			docs[i].Body = ""
		}
		x.Replace(i, &old, &docs[i])
		want := SearchIndex(docs)
		got := x.Files()
		if len(got) != len(want) {
			t.Fatalf("step %d: %d files, want %d", step, len(got), len(want))
		}
		for k := range want {
			if got[k].Rel != want[k].Rel || !bytes.Equal(got[k].Data, want[k].Data) {
				t.Fatalf("step %d: %s differs:\n%s\nwant\n%s", step, want[k].Rel, got[k].Data, want[k].Data)
			}
		}
	}
}

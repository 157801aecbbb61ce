package output

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestEditableIndexReplace changes the bodies of random docs of an index,
// one at a time, and checks every file equals an index made afresh of the
// same docs (issue 14 item 4: an edit rewrites only the shards it
// changes).
func TestEditableIndexReplace(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 14))
	text := randomText(r)
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
		sameFiles(t, step, x.Files(), SearchIndex(docs))
	}
}

// TestEditableIndexUpdate adds, removes, moves and edits random docs of an
// index, several at a time, and checks every file equals an index made
// afresh of the same docs (issue 14 item 4: a new page renumbers the
// postings instead of reading every doc again). The number of docs
// crosses several of the sizes at which the number of shards changes.
func TestEditableIndexUpdate(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 14))
	text := randomText(r)
	serial := 0
	doc := func() SearchDoc {
		serial++
		return SearchDoc{Title: text(1 + r.IntN(3)), URL: "/p/" + strconv.Itoa(serial) + "/", Column: "要闻",
			Date: "2026-01-0" + strconv.Itoa(1+r.IntN(9)), Body: text(r.IntN(40))}
	}
	docs := make([]SearchDoc, 20)
	for i := range docs {
		docs[i] = doc()
	}
	x := SearchBuilder{bigrams: map[uint32]*postings{}, words: map[string]*postings{}}
	for i := range docs {
		x.Add(&docs[i])
	}
	ix := x.Index()
	for step := 0; step < 300; step++ {
		// from[j] is where docs[j] was; -1 for a new or retitled doc.
		from := make([]int, len(docs))
		for j := range from {
			from[j] = j
		}
		grow := step/60%2 == 0 // grow, then shrink, in turns
		for range 1 + r.IntN(4) {
			switch op := r.IntN(10); {
			case op < 4 && grow || op < 2:
				at := r.IntN(len(docs) + 1)
				docs = slices.Insert(docs, at, doc())
				from = slices.Insert(from, at, -1)
			case op < 6 && len(docs) > 0:
				at := r.IntN(len(docs))
				docs = slices.Delete(docs, at, at+1)
				from = slices.Delete(from, at, at+1)
			case op < 7 && len(docs) > 1:
				// A new date moves a doc.
				a, b := r.IntN(len(docs)), r.IntN(len(docs))
				d, f := docs[a], from[a]
				docs, from = slices.Delete(docs, a, a+1), slices.Delete(from, a, a+1)
				b = min(b, len(docs))
				docs, from = slices.Insert(docs, b, d), slices.Insert(from, b, f)
			case op < 8 && len(docs) > 0:
				at := r.IntN(len(docs))
				docs[at].Column, docs[at].URL = "通知", docs[at].URL+"x/"
			case len(docs) > 0:
				at := r.IntN(len(docs))
				docs[at].Body = text(r.IntN(40))
				from[at] = -1
			}
		}
		ix.Update(slices.Clone(docs), from)
		sameFiles(t, step, ix.Files(), SearchIndex(docs))
	}
}

// randomText returns a maker of texts of n random words, Chinese and
// Latin, some followed by a comma.
func randomText(r *rand.Rand) func(n int) string {
	words := []string{"党费", "支部", "考核", "组织生活", "三会一课", "Party", "2026", "学习", "ＡＢＣ", "主题党日", "整改", "x", "党"}
	return func(n int) string {
		var sb strings.Builder
		for i := 0; i < n; i++ {
			sb.WriteString(words[r.IntN(len(words))])
			if r.IntN(3) == 0 {
				sb.WriteString("，")
			}
		}
		return sb.String()
	}
}

// sameFiles fails the test when got, an index's files after step, are not
// want's.
func sameFiles(t *testing.T, step int, got, want []SearchFile) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("step %d: %d files, want %d", step, len(got), len(want))
	}
	for k := range want {
		if got[k].Rel != want[k].Rel || !bytes.Equal(got[k].Data, want[k].Data) {
			t.Fatalf("step %d: %s differs:\n%s\nwant\n%s", step, want[k].Rel, got[k].Data, want[k].Data)
		}
	}
}

// TestAppendBase36 checks the postings' numbers against strconv.
func TestAppendBase36(t *testing.T) {
	for n := -100; n < 50000; n++ {
		if got, want := string(appendBase36([]byte("x"), n)), "x"+strconv.FormatInt(int64(n), 36); got != want {
			t.Fatalf("appendBase36(%d) = %q, want %q", n, got, want)
		}
	}
}

package output

import (
	"slices"
	"strings"
	"testing"
)

// TestSearchHash pins the shard hash: search.js computes the same values
// (search_test.js).
func TestSearchHash(t *testing.T) {
	for tok, want := range map[string]uint32{"党费": 1165636894, "支部": 2834789928, "pdf": 1766705429, "é2": 630568585} {
		if got := SearchHash(tok); got != want {
			t.Errorf("SearchHash(%q) = %d, want %d", tok, got, want)
		}
	}
}

func TestSearchTokens(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"党费收缴", []string{"党费", "费收", "收缴"}},
		{"上传ＰＤＦ文件，Upload 2026年", []string{"上传", "pdf", "文件", "upload", "2026"}},
		{"党", nil},
		{"Élan vital", []string{"élan", "vital"}},
	}
	for _, tt := range tests {
		var got []string
		SearchTokens(tt.text, func(tok []byte) { got = append(got, string(tok)) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("SearchTokens(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestSearchIndex checks the files of a small index: postings as base-36
// differences with counts, docs in chunks, the manifest last.
func TestSearchIndex(t *testing.T) {
	docs := []SearchDoc{
		{Title: "党费办法", URL: "/a/", Column: "要闻", Date: "2026-03-01", Body: "按月交纳党费。党费 党费"},
		{Title: "其他", URL: "/b/", Body: "没有"},
		{Title: "支部", URL: "/c/", Body: strings.Repeat("党费", 1) + strings.Repeat("长", 200)},
	}
	files := SearchIndex(docs)
	var rels []string
	for _, f := range files {
		rels = append(rels, f.Rel)
	}
	if want := SearchRels(len(docs)); !slices.Equal(rels, want) {
		t.Fatalf("files %v, want %v", rels, want)
	}
	byRel := map[string]string{}
	for _, f := range files {
		byRel[f.Rel] = string(f.Data)
	}
	shard := byRel["search/s/0.json"]
	if !strings.Contains(shard, `"党费":"1/3/1,2"`) {
		t.Errorf("shard: %s, want 党费's postings 1/3/1,2 (doc 0: body 3, title 1; doc 2)", shard)
	}
	if d := byRel["search/d/0.json"]; !strings.HasPrefix(d, `[["党费办法","/a/","要闻","2026-03-01","按月交纳党费。党费 党费"],["其他","/b/","","","没有"],["支部","/c/","","","党费长`) {
		t.Errorf("docs: %s", d)
	}
	if m := byRel["search/index.json"]; !strings.HasPrefix(m, `{"v":1,"id":"`) || !strings.HasSuffix(m, `"shards":1,"chunk":10,"docs":3}`+"\n") {
		t.Errorf("manifest: %s", m)
	}
	if n := len([]rune(strings.Split(byRel["search/d/0.json"], `"党费长`)[1])); n > SearchText+10 {
		t.Errorf("a doc's text keeps %d characters, want about %d", n, SearchText)
	}
}

func TestSearchShards(t *testing.T) {
	for n, want := range map[int]int{0: 1, 8: 1, 9: 2, 400: 64, 10000: 2048, 1 << 20: maxShards} {
		if got := SearchShards(n); got != want {
			t.Errorf("SearchShards(%d) = %d, want %d", n, got, want)
		}
	}
}

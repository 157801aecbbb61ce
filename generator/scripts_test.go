package generator

import (
	"context"
	"encoding/json"
	"hash/maphash"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dangwu-org/dangwu/generator/site"
)

// TestThemeScripts runs the theme's script tests under Node: search
// (two-character Chinese queries, ranking, snippets, page text never parsed
// as HTML) and the task form (drafts kept, submission ids, messages per
// answer code, ES5 only). Node ships with the development machines and CI.
func TestThemeScripts(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to test the theme's scripts: install Debian's nodejs")
	}
	for _, script := range []string{"search_test.js", "form_test.js", "opinion_test.js", "filter_test.js"} {
		cmd := exec.Command(node, filepath.Join("..", "themes", "default", "static", "js", script))
		// A machine whose clock is not on China time: the form must still
		// show the site's (issue 15).
		cmd.Env = append(os.Environ(), "TZ=America/New_York")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", script, err, out)
		}
	}
}

// searchQuery runs search.js in Node over the index built into dest and
// returns the URLs it finds for query, in rank order.
const searchQuery = `
var fs = require("fs"), path = require("path");
var s = require(process.argv[1]);
var dest = process.argv[2], out = {};
var ix = new s.Index("/", function (url, ok) { ok(JSON.parse(fs.readFileSync(path.join(dest, "search", url.replace(/\?.*$/, ""))))); });
process.argv.slice(3).forEach(function (q) {
  ix.search(q, function (results) {
    ix.docs(results, function (docs) { out[q] = docs.map(function (d) { return d.u; }); }, function () { throw new Error("docs"); });
  }, function () { throw new Error("search"); });
});
console.log(JSON.stringify(out));
`

// TestSearchMatchesSubstring builds the example site and checks that the
// sharded index, searched by search.js, finds the same pages in the same
// order as the whole-text substring search it replaced (issue 14): for
// 党费, 支部 and 考核, ranked by the terms in the title, title hits, body
// hits, then date.
func TestSearchMatchesSubstring(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to test the theme's scripts: install Debian's nodejs")
	}
	dest := filepath.Join(t.TempDir(), "public")
	// A load with a Markdown cache keeps the pages' text, which a one-off
	// build indexes and lets go.
	s, err := New(testOptions(t, "..", dest)).load(context.Background(), nil, newMDCache(maphash.MakeSeed()))
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{"党费", "支部", "考核"}
	want := map[string][]string{}
	for _, q := range queries {
		want[q] = substringSearch(s, q)
	}
	mustBuild(t, testOptions(t, "..", dest))
	script, _ := filepath.Abs(filepath.Join("..", "themes", "default", "static", "js", "search.js"))
	out, err := exec.Command(node, append([]string{"-e", searchQuery, script, dest}, queries...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got map[string][]string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node printed %s: %v", out, err)
	}
	for _, q := range queries {
		if len(want[q]) == 0 {
			t.Errorf("%s: the example site should have pages about it", q)
		}
		t.Logf("%s: %d pages", q, len(got[q]))
		if !slices.Equal(got[q], want[q]) {
			t.Errorf("%s: search.js found\n  %v\nwant (substring search)\n  %v", q, got[q], want[q])
		}
	}
}

// substringSearch is the search the sharded index replaced: a page
// matches when its folded title or text contains the word.
func substringSearch(s *site.Site, q string) []string {
	fold := func(x string) string {
		return strings.Map(func(r rune) rune {
			if r >= 0xFF01 && r <= 0xFF5E {
				r -= 0xFEE0
			}
			if r >= 'A' && r <= 'Z' || r >= 0xC0 && r <= 0xDE && r != 0xD7 {
				r += 32
			}
			return r
		}, x)
	}
	type hit struct {
		url, date   string
		title, body int
		order       int
	}
	var hits []hit
	for i, p := range s.Pages {
		body := strings.Join(strings.Fields(p.Plain), " ")
		h := hit{url: s.Config.RelURL(p.Path), title: strings.Count(fold(p.Title), q), body: strings.Count(fold(body), q), order: i}
		if !p.Date.IsZero() {
			h.date = p.Date.In(s.Location).Format("2006-01-02")
		}
		if h.title+h.body > 0 {
			hits = append(hits, h)
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if (a.title > 0) != (b.title > 0) {
			return a.title > 0
		}
		if a.title != b.title {
			return a.title > b.title
		}
		if a.body != b.body {
			return a.body > b.body
		}
		if a.date != b.date {
			return a.date > b.date
		}
		return a.order < b.order
	})
	urls := make([]string, len(hits))
	for i, h := range hits {
		urls[i] = h.url
	}
	return urls
}

//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	taskPath    = "/tasks/" + taskID + "/"
	taskTitle   = "报送2026年度党支部工作总结"
	branchTitle = "运输管理处党支部"
	comment     = "请补充盖章页"
	// budget bounds everything the browser does in TestPortal.
	budget = 100 * time.Second
	// renderWait is how long the collector may take to show a change on the
	// site's pages.
	renderWait = 5 * time.Second
)

// TestPortal walks the example site in Chromium as a reader, a branch and
// the party committee's office would (issue 6, item 2): the menu, search,
// a task's form with JavaScript on and off, the statuses after each
// re-render, a return with a comment, a resubmission, an approval and the
// assessment board; then it saves screenshots. Each step needs the ones
// before it, so the first failure ends the test.
func TestPortal(t *testing.T) {
	start := time.Now()
	checkGoroutines(t)
	removeFailures(t)
	p := startPortal(t)
	t.Logf("collector at %s (started in %v)", p.origin, time.Since(start).Round(time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	t.Cleanup(cancel)
	b := startBrowser(t, ctx, p.origin)
	pdf := mustPDF(t)
	var board map[string]string // the board's row for the branch before the approval

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"menu", func(t *testing.T) { testMenu(t, b, p) }},
		{"search", func(t *testing.T) { testSearch(t, b) }},
		{"submit with JavaScript", func(t *testing.T) { testSubmitScript(t, b, p, pdf, 1) }},
		{"submit without JavaScript", func(t *testing.T) { testSubmitPlain(t, b, p, pdf) }},
		{"task page shows the submission", func(t *testing.T) { testTaskStatus(t, b, p) }},
		{"return with a comment", func(t *testing.T) { testReturn(t, b, p) }},
		{"branch page shows the return", func(t *testing.T) { testBranchReturned(t, b) }},
		{"resubmit and approve", func(t *testing.T) { board = testResubmitApprove(t, b, p, pdf) }},
		{"admin export", func(t *testing.T) { testAdminExport(t, b) }},
		{"make-up of a past month", func(t *testing.T) { testMakeUp(t, b, p) }},
		{"notice sign-off", func(t *testing.T) { testNoticeSignOff(t, b, p) }},
		{"board shows the approval", func(t *testing.T) { testBoard(t, b, p, board) }},
		{"screenshots", func(t *testing.T) { testScreenshots(t, b, p) }},
	}
	for _, s := range steps {
		stepStart := time.Now()
		ok := t.Run(s.name, func(t *testing.T) {
			defer b.clean(t)
			s.run(t)
		})
		t.Logf("%-32s %v", s.name, time.Since(stepStart).Round(time.Millisecond))
		if !ok {
			b.saveFailure(t, s.name)
			t.FailNow()
		}
	}
	t.Logf("total %v", time.Since(start).Round(time.Millisecond))
}

// testMenu follows every link of the main menu, which must lead to every
// column, and checks each page's heading and title.
func testMenu(t *testing.T, b *tab, p *portal) {
	b.open(t, "/")
	var links []struct{ Href, Text string }
	b.eval(t, `Array.from(document.querySelectorAll('nav[aria-label="主导航"] a'), a => ({href: a.getAttribute("href"), text: a.innerText.trim()}))`, &links)
	var hrefs []string
	for _, l := range links {
		hrefs = append(hrefs, l.Href)
	}
	for _, c := range columns(t, p.dir) {
		if !slices.Contains(hrefs, c) {
			t.Errorf("home page: the main menu (nav[aria-label=主导航]) has no link to the column %s; it links to %v", c, hrefs)
		}
	}
	if len(links) < 2 {
		t.Fatalf("home page: the main menu has %d links", len(links))
	}
	for _, l := range links {
		sel := `nav[aria-label="主导航"] a[href=` + js(l.Href) + `]`
		b.follow(t, "click 「"+l.Text+"」 in the main menu", chromedp.Click(chromedp.CSS(sel)))
		if got := b.path(t); got != l.Href {
			t.Errorf("menu link 「%s」 led to %s, want %s", l.Text, got, l.Href)
		}
		wantH1, wantTitle := l.Text, l.Text+" - "+p.title
		if l.Href == "/" {
			wantH1, wantTitle = p.title, p.title
		}
		if got := strings.TrimSpace(b.text(t, "h1")); got != wantH1 {
			t.Errorf("%s: h1 is %q, want %q", l.Href, got, wantH1)
		}
		if got := b.title(t); got != wantTitle {
			t.Errorf("%s: title is %q, want %q", l.Href, got, wantTitle)
		}
		if got := b.attr(t, `nav[aria-label="主导航"] a[aria-current="page"]`, "href"); got != l.Href {
			t.Errorf("%s: the menu marks %q as the current page, want %q", l.Href, got, l.Href)
		}
	}
}

// columns lists the site's columns, the folders of content/ with an
// _index.md, as paths ("/news/").
func columns(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "content"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(dir, "content", e.Name(), "_index.md")); e.IsDir() && err == nil {
			out = append(out, "/"+e.Name()+"/")
		}
	}
	if len(out) == 0 {
		t.Fatal("the example site has no columns")
	}
	return out
}

// testSearch searches for 党费 from the header's search box and opens the
// first result.
func testSearch(t *testing.T, b *tab) {
	const word = "党费"
	b.open(t, "/")
	b.step(t, "type "+word+" into the header's search box", chromedp.SendKeys(chromedp.ID("site-search-q"), word))
	b.follow(t, "submit the header's search form", chromedp.Click(chromedp.CSS(`header form[role="search"] button[type="submit"]`)))
	u, err := url.Parse(b.location())
	if err != nil || u.Path != "/search/" || u.Query().Get("q") != word {
		t.Fatalf("the search form led to %s, want /search/?q=%s", b.location(), word)
	}
	b.waitFor(t, "search results (search.js, from the sharded index under /search/)", stepTimeout, func() (bool, string) {
		return b.count(t, "#search-results li a") > 0, "status: " + b.text(t, "#search-status")
	})
	if s := b.text(t, "#search-status"); !strings.Contains(s, "共找到") {
		t.Errorf("/search/: the status says %q, want 共找到…条结果", s)
	}
	first := b.text(t, "#search-results li")
	if !strings.Contains(first, word) {
		t.Errorf("/search/: the first result does not mention %s:\n%s", word, first)
	}
	href := b.attr(t, "#search-results li a", "href")
	b.follow(t, "open the first search result", chromedp.Click(chromedp.CSS("#search-results li a")))
	if got := b.path(t); got != href || got == "/search/" {
		t.Fatalf("the first search result led to %s, want %s", got, href)
	}
	if body := b.text(t, "main"); !strings.Contains(body, word) {
		t.Errorf("%s (first result for %s): the page does not contain %s", href, word, word)
	}
}

// path returns the path of the page in the tab.
func (b *tab) path(t *testing.T) string {
	t.Helper()
	u, err := url.Parse(b.location())
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

func (b *tab) title(t *testing.T) string {
	t.Helper()
	var s string
	b.eval(t, `document.title`, &s)
	return s
}

// attr returns an attribute of the first element that matches the CSS
// selector, or "" when there is none.
func (b *tab) attr(t *testing.T, selector, name string) string {
	t.Helper()
	var s string
	b.eval(t, `(function(e){return e&&e.getAttribute(`+js(name)+`)||""})(document.querySelector(`+js(selector)+`))`, &s)
	return s
}

// count returns how many elements match the CSS selector.
func (b *tab) count(t *testing.T, selector string) int {
	t.Helper()
	var n int
	b.eval(t, `document.querySelectorAll(`+js(selector)+`).length`, &n)
	return n
}

// row returns the cells of the first row of a table whose header cell
// contains key, keyed by the column headings; nil when there is no such row.
func (b *tab) row(t *testing.T, table, key string) map[string]string {
	t.Helper()
	var m map[string]string
	b.eval(t, `(function(t, key){
		if (!t) return null;
		var heads = Array.from(t.querySelectorAll("thead th"), h => h.innerText.trim());
		for (var r of t.querySelectorAll("tbody tr")) {
			var th = r.querySelector("th");
			if (!th || th.innerText.indexOf(key) < 0) continue;
			var out = {};
			Array.from(r.children).forEach((c, i) => { out[heads[i] || String(i)] = c.innerText.trim(); });
			return out;
		}
		return null;
	})(document.querySelector(`+js(table)+`), `+js(key)+`)`, &m)
	return m
}

// checkGoroutines fails the test if goroutines it started (the collector's
// waiter, chromedp's) are still running a few seconds after it ends.
func checkGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Errorf("%d goroutines left behind:\n%s", runtime.NumGoroutine()-before, buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// boardPath is the assessment board of the task's year: /status/ shows the
// current year.
func boardPath(p *portal) string {
	if time.Now().In(p.deadline.Location()).Year() == p.deadline.Year() {
		return "/status/"
	}
	return "/status/" + strconv.Itoa(p.deadline.Year()) + "/"
}

// submittedLabel is the status of a submission made now: 已提交, or 逾期提交
// once the example task's deadline has passed.
func submittedLabel(p *portal) string {
	if time.Now().After(p.deadline) {
		return "逾期提交"
	}
	return "已提交"
}

func mustPDF(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "zongjie.pdf")
	body := "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func versionText(n int) string { return fmt.Sprintf("第 %d 版", n) }

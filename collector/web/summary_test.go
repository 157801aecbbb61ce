package web

import (
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestDataSummary: the admin's 数据汇总 of a monthly task: per period the
// newest value of each branch, totals and averages computed exactly from
// the stored decimals, a bar chart, and the same table as CSV. The page is
// a golden file: go test ./collector/web -run TestDataSummary -update.
func TestDataSummary(t *testing.T) {
	e := newEnv(t, 0)
	e.post(t, "monthly", with(valid(), "count", "10", "fee", "1000"), nil, asJSON).Body.Close()
	e.post(t, "monthly", with(valid(), "count", "12", "fee", "1234.10"), nil, asJSON).Body.Close() // newer: counts
	e.post(t, "monthly", with(valid(), "branch", "er", "code", "code-er", "count", "３", "fee", "0.05"), nil, asJSON).Body.Close()
	e.post(t, "monthly", with(valid(), "period", "2026-10", "count", "7"), nil, asJSON).Body.Close()
	c := browser()
	resp, _ := c.PostForm(e.srv.URL+"/admin/login", url.Values{"name": {"admin"}, "password": {"admin-password"}})
	readBody(t, resp)
	if _, page := getPage(t, c, e.srv.URL+"/admin/tasks/monthly"); !strings.Contains(page, "/admin/tasks/monthly/summary") {
		t.Errorf("task page has no link to the summary")
	}
	code, page := getPage(t, c, e.srv.URL+"/admin/tasks/monthly/summary")
	if code != 200 {
		t.Fatalf("summary: %d\n%s", code, page)
	}
	// Only the page's main part: the CSRF token changes every run.
	main := regexp.MustCompile(`(?s)<main id="main">.*</main>`).FindString(page)
	golden := filepath.Join("testdata", "summary.html")
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(golden, []byte(main), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if main != string(want) {
		t.Errorf("summary page differs from %s (run with -update and review the diff):\n%s", golden, main)
	}
	for _, s := range []string{"<td class=\"num\"><strong>15</strong></td>", "<td class=\"num\"><strong>1234.15</strong></td>", "7.50", "617.0750", "<svg"} {
		if !strings.Contains(main, s) {
			t.Errorf("summary page lacks %s", s)
		}
	}
	resp, _ = c.Get(e.srv.URL + "/admin/tasks/monthly/summary.csv")
	csv := readBody(t, resp)
	for _, s := range []string{"\ufeff期次,支部,版本,党员人数,党费", "2026年11月,第一党支部,2,12,1234.10", "2026年11月,第二党支部,1,3,0.05", "2026年11月,合计,,15,1234.15", "2026年11月,平均,,7.50,617.0750", "2026年10月,第一党支部,1,7,"} {
		if !strings.Contains(csv, s) {
			t.Errorf("summary.csv lacks %q:\n%s", s, csv)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// pgSite is collectSite on a fresh PostgreSQL database: the site folder,
// the database URL and branch yi's code. The key and the uploads are the
// site's data/ (shared by every collector started with -s dir).
func pgSite(t *testing.T) (dir, db, code string) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts the real binary and PostgreSQL")
	}
	db = pgtest.Database(t)
	dir = t.TempDir()
	copyDir(t, "testdata/collect", dir)
	copyDir(t, "themes", filepath.Join(dir, "themes"))
	var out bytes.Buffer
	if err := run(context.Background(), []string{"branch", "code", "-s", dir, "--db", db, "yi"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	return dir, db, strings.TrimSpace(strings.Split(out.String(), "\n")[2])
}

// pgCollector starts a collector on db rendering into its own output folder.
func pgCollector(t *testing.T, dir, db, out string) *collectorProc {
	t.Helper()
	return startCollectorArgs(t, io.Discard, "-s", dir, "--db", db, "-d", out)
}

// waitFor polls cond every 10 ms for up to d and reports how long it took.
func waitFor(d time.Duration, cond func() bool) (time.Duration, bool) {
	start := time.Now()
	for time.Since(start) < d {
		if cond() {
			return time.Since(start), true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start), false
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// TestTwoCollectorsPostgres is issue 12's item 4: two collect processes on
// one PostgreSQL database, on different ports, each rendering its own
// output folder. A submission to one shows on both sites' pages within a
// second (the other hears NOTIFY), 100 concurrent submissions through both
// all get 201 in one ledger, an admin session opened on one holds on the
// other, wrong codes on one are limited on the other, and verify --db
// passes.
func TestTwoCollectorsPostgres(t *testing.T) {
	dir, db, code := pgSite(t)
	outA, outB := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	a := pgCollector(t, dir, db, outA)
	b := pgCollector(t, dir, db, outB)
	defer a.stop()
	defer b.stop()

	yi := func(out string) string { return readFile(filepath.Join(out, "branches", "yi", "index.html")) }
	if strings.Contains(yi(outA), "已提交") || strings.Contains(yi(outB), "已提交") {
		t.Fatal("branch yi shows 已提交 before any submission")
	}
	if st, _ := submitOne(t, a.base, code, "第一份报告"); st != 201 {
		t.Fatalf("submission to a: %d", st)
	}
	acked := time.Now()
	resp, err := http.Get(a.base + "/api/ledger/head")
	if err != nil {
		t.Fatal(err)
	}
	head, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, c := range []struct{ name, out string }{{"a (where it was submitted)", outA}, {"b (the other collector)", outB}} {
		_, ok := waitFor(time.Second, func() bool {
			return strings.Contains(yi(c.out), "已提交") && readFile(filepath.Join(c.out, "ledger", "head.txt")) == string(head)
		})
		took := time.Since(acked)
		if !ok || took > time.Second {
			t.Errorf("collector %s: the submission is not on its pages within 1 s of the 201", c.name)
		}
		t.Logf("collector %s: the submission on its branch page and /ledger/head.txt at most %v after the 201", c.name, took.Round(time.Millisecond))
	}

	var mu sync.Mutex
	var acks []ack
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for w := range 10 {
		base := []string{a.base, b.base}[w%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				st, k := submitOne(t, base, code, fmt.Sprintf("收集器%d第%d份", w, i))
				mu.Lock()
				statuses[st]++
				acks = append(acks, k)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if statuses[201] != 100 {
		t.Errorf("statuses %v, want 100 × 201", statuses)
	}
	checkAcks(t, a.base, acks)
	checkAcks(t, b.base, acks)
	// 1 code + 1 + 100, one tree seen alike from both.
	if sa, sb := ledgerSize(t, a.base), ledgerSize(t, b.base); sa != 102 || sb != 102 {
		t.Errorf("ledger sizes %d and %d, want 102", sa, sb)
	}
	t.Logf("two collectors on one PostgreSQL: statuses %v", statuses)

	sessionAcross(t, dir, db, a.base, b.base)
	limitAcross(t, a.base, b.base)

	a.stop()
	b.stop()
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"verify", "-s", dir, "--db", db, "--head", filepath.Join(outA, "ledger", "head.txt"), "--head", filepath.Join(outB, "ledger", "head.txt")}, &out, &errb); err != nil {
		t.Fatalf("verify --db: %v %s", err, errb.String())
	}
	t.Logf("verify --db postgres://…: %s", strings.TrimSpace(out.String()))

	// export and build read the same database by its URL.
	out.Reset()
	if err := run(context.Background(), []string{"export", "-s", dir, "--db", db, "--format", "json", "baogao"}, &out, &errb); err != nil {
		t.Fatalf("export --db: %v %s", err, errb.String())
	}
	if !strings.Contains(out.String(), "收集器9第9份") || !strings.Contains(out.String(), "dangwu ledger v1") {
		t.Errorf("export --db postgres://… lacks the versions or the head")
	}
	built := filepath.Join(t.TempDir(), "built")
	if err := run(context.Background(), []string{"build", "-s", dir, "--db", db, "-d", built}, io.Discard, &errb); err != nil {
		t.Fatalf("build --db: %v %s", err, errb.String())
	}
	if !strings.Contains(yi(built), "已提交") || readFile(filepath.Join(built, "ledger", "head.txt")) != readFile(filepath.Join(outA, "ledger", "head.txt")) {
		t.Errorf("build --db postgres://… does not show the statuses and the head")
	}
}

// sessionAcross logs in on collector a and uses the session on b.
func sessionAcross(t *testing.T, dir, db, a, b string) {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"admin", "passwd", "-s", dir, "--db", db, "admin"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	password := strings.TrimSpace(strings.Split(out.String(), "\n")[2])
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(a+"/admin/login", url.Values{"name": {"admin"}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "dangwu_admin" {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatalf("login on a: %d, no session cookie", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", b+"/admin/", nil)
	req.AddCookie(cookie)
	resp, err = noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "报送工作报告") {
		t.Errorf("the session of a on b: %d", resp.StatusCode)
	}
}

// limitAcross guesses wrong three times on a (free), then once on b: the
// fourth guess waits, whichever collector it reaches.
func limitAcross(t *testing.T, a, b string) {
	t.Helper()
	var got []int
	for i := range 3 {
		st, _ := submitOne(t, a, "wrong-code-"+fmt.Sprint(i), "猜")
		got = append(got, st)
	}
	st, _ := submitOne(t, b, "wrong-code-3", "猜")
	got = append(got, st)
	if fmt.Sprint(got) != "[401 401 401 429]" {
		t.Errorf("wrong codes on a, a, a, then b: %v, want [401 401 401 429]", got)
	}
}

// TestCrashUnderLoadPostgres is TestCrashUnderLoad on PostgreSQL with two
// collectors: while 32 clients submit to each, one of them is killed with
// SIGKILL (a, b, a), and restarted; every acknowledged submission is there
// and verify --db passes (issue 12).
func TestCrashUnderLoadPostgres(t *testing.T) {
	dir, db, code := pgSite(t)
	outs := []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")}
	procs := []*collectorProc{pgCollector(t, dir, db, outs[0]), pgCollector(t, dir, db, outs[1])}
	var all []ack
	for round := range 3 {
		victim := round % 2
		var wg sync.WaitGroup
		got := make([][]ack, 2)
		for i, p := range procs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var kill func()
				if i == victim {
					kill = func() { p.cmd.Process.Signal(syscall.SIGKILL) }
				}
				got[i] = load(p.base, code, 700*time.Millisecond, kill)
			}()
		}
		wg.Wait()
		procs[victim].cmd.Wait()
		if len(got[victim]) == 0 {
			t.Fatalf("round %d: no submission was acknowledged by the killed collector", round)
		}
		all = append(all, got[0]...)
		all = append(all, got[1]...)
		t.Logf("round %d: collector %c killed with SIGKILL after acknowledging %d; the other acknowledged %d", round, 'a'+victim, len(got[victim]), len(got[1-victim]))
		procs[victim] = pgCollector(t, dir, db, outs[victim])
	}
	for _, p := range procs {
		checkAcks(t, p.base, all)
		p.stop()
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"verify", "-s", dir, "--db", db}, &out, &errb); err != nil {
		t.Fatalf("verify --db: %v %s", err, errb.String())
	}
	t.Logf("%d acknowledged submissions all there; %s", len(all), strings.TrimSpace(out.String()))
}
